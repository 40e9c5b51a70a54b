package typo

import (
	"fmt"
	"strconv"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on hosts without a zoneinfo database
)

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

// paris is loaded once; LoadLocation reads and parses the zone data on every call.
var paris = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("typo: Europe/Paris missing from time/tzdata: " + err.Error())
	}
	return loc
})

// Paris returns the Europe/Paris location in which communiqués are dated.
func Paris() *time.Location { return paris() }

// Date formats the Paris calendar day of d the French way: "12 mai 2020", "1er mai 2020".
// A no-break space ties the day to its month.
func Date(d time.Time) string {
	d = d.In(paris())
	day := strconv.Itoa(d.Day())
	if d.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s%c%s %d", day, NBSP, months[d.Month()-1], d.Year())
}

// Dateline formats the place and day of a communiqué: "Paris, le 12 mai 2020", or
// "Le 12 mai 2020" without a place.
func Dateline(place string, d time.Time) string {
	place = Text(place)
	if place == "" {
		return "Le " + Date(d)
	}
	return place + ", le " + Date(d)
}

// Clock formats the Paris time of t: "10 h 00", with no-break spaces.
func Clock(t time.Time) string {
	t = t.In(paris())
	return fmt.Sprintf("%d%ch%c%02d", t.Hour(), NBSP, NBSP, t.Minute())
}

// Embargo formats an embargo line in Paris time: "Sous embargo jusqu’au 12 mai 2020, 10 h 00".
func Embargo(t time.Time) string {
	return "Sous embargo jusqu’au " + Date(t) + ", " + Clock(t)
}
