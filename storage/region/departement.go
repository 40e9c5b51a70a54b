package region

import "strings"

// departements maps each département code to its region: 2A and 2B for Corsica, three
// digits overseas.
var departements = func() map[string]string {
	m := map[string]string{}
	add := func(region string, codes ...string) {
		for _, c := range codes {
			m[c] = region
		}
	}
	add(AuvergneRhoneAlpes, "01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74")
	add(BourgogneFrancheComte, "21", "25", "39", "58", "70", "71", "89", "90")
	add(Bretagne, "22", "29", "35", "56")
	add(CentreValDeLoire, "18", "28", "36", "37", "41", "45")
	add(Corse, "2A", "2B")
	add(GrandEst, "08", "10", "51", "52", "54", "55", "57", "67", "68", "88")
	add(HautsDeFrance, "02", "59", "60", "62", "80")
	add(IleDeFrance, "75", "77", "78", "91", "92", "93", "94", "95")
	add(Normandie, "14", "27", "50", "61", "76")
	add(NouvelleAquitaine, "16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87")
	add(Occitanie, "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82")
	add(PaysDeLaLoire, "44", "49", "53", "72", "85")
	add(ProvenceAlpesCoteDAzur, "04", "05", "06", "13", "83", "84")
	add(Guadeloupe, "971")
	add(Martinique, "972")
	add(Guyane, "973")
	add(LaReunion, "974")
	add(Mayotte, "976")
	return m
}()

// FromDepartement returns the region of a département code as spreadsheets hold it:
// "69", "9" (Excel drops the leading zero), "2A", "2b", "971"; "20" is Corsica.
func FromDepartement(code string) (string, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) == 1 {
		code = "0" + code
	}
	if code == "20" {
		return Corse, true
	}
	name, ok := departements[code]
	return name, ok
}

// FromPostalCode returns the region of a French postal code: its first two digits name
// the département, three overseas (971xx…976xx); 20xxx is Corsica. A code of four digits
// is one whose leading zero Excel dropped. Cedex codes follow the same rule.
func FromPostalCode(code string) (string, bool) {
	code = strings.TrimSpace(code)
	if len(code) == 4 {
		code = "0" + code
	}
	if len(code) != 5 || strings.Trim(code, "0123456789") != "" {
		return "", false
	}
	if code[:2] == "97" {
		return FromDepartement(code[:3])
	}
	return FromDepartement(code[:2])
}
