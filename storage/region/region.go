// Package region is the vocabulary of regions a contact, a list's rule or a pôle may name:
// the 18 French regions of 2016 (13 in metropolitan France, 5 overseas) plus « National »
// and « International ». Each has one canonical spelling; Canonical reads the spellings
// people type (any case, accents or not, straight or typographic apostrophe, hyphens or
// spaces), the usual abbreviations (PACA, AURA, IDF…) and the regions merged in 2016
// (Alsace, Rhône-Alpes…). A département or postal code gives its region too.
package region

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The canonical names.
const (
	AuvergneRhoneAlpes     = "Auvergne-Rhône-Alpes"
	BourgogneFrancheComte  = "Bourgogne-Franche-Comté"
	Bretagne               = "Bretagne"
	CentreValDeLoire       = "Centre-Val de Loire"
	Corse                  = "Corse"
	GrandEst               = "Grand Est"
	HautsDeFrance          = "Hauts-de-France"
	IleDeFrance            = "Île-de-France"
	Normandie              = "Normandie"
	NouvelleAquitaine      = "Nouvelle-Aquitaine"
	Occitanie              = "Occitanie"
	PaysDeLaLoire          = "Pays de la Loire"
	ProvenceAlpesCoteDAzur = "Provence-Alpes-Côte d’Azur"
	Guadeloupe             = "Guadeloupe"
	Martinique             = "Martinique"
	Guyane                 = "Guyane"
	LaReunion              = "La Réunion"
	Mayotte                = "Mayotte"
	National               = "National"
	International          = "International"
)

// names is the vocabulary in the order pickers show it: metropolitan regions
// alphabetically, overseas regions in INSEE order, then the two scopes beyond a region.
var names = [...]string{
	AuvergneRhoneAlpes, BourgogneFrancheComte, Bretagne, CentreValDeLoire, Corse, GrandEst,
	HautsDeFrance, IleDeFrance, Normandie, NouvelleAquitaine, Occitanie, PaysDeLaLoire,
	ProvenceAlpesCoteDAzur,
	Guadeloupe, Martinique, Guyane, LaReunion, Mayotte,
	National, International,
}

// Names returns the canonical names, in the order a picker shows them. The slice is a
// copy: callers may change it.
func Names() []string { return append([]string(nil), names[:]...) }

// List is the canonical names joined for a message: "Auvergne-Rhône-Alpes, …, International".
func List() string { return strings.Join(names[:], ", ") }

// aliases maps folded spellings (see fold) to canonical names. Every canonical name is
// added by byKey; these are the other names people use.
var aliases = map[string]string{
	"aura": AuvergneRhoneAlpes, "ara": AuvergneRhoneAlpes, "rhonealpes": AuvergneRhoneAlpes,
	"auvergne": AuvergneRhoneAlpes,
	"bfc":      BourgogneFrancheComte, "bourgogne": BourgogneFrancheComte, "franchecomte": BourgogneFrancheComte,
	"centre": CentreValDeLoire, "cvl": CentreValDeLoire,
	"corsica": Corse,
	"ge":      GrandEst, "alsace": GrandEst, "lorraine": GrandEst, "champagneardenne": GrandEst,
	"alsacechampagneardennelorraine": GrandEst, "acal": GrandEst,
	"hdf": HautsDeFrance, "nordpasdecalais": HautsDeFrance, "npdc": HautsDeFrance, "picardie": HautsDeFrance,
	"nordpasdecalaispicardie": HautsDeFrance,
	"idf":                     IleDeFrance,
	"bassenormandie":          Normandie, "hautenormandie": Normandie,
	"na": NouvelleAquitaine, "aquitaine": NouvelleAquitaine, "limousin": NouvelleAquitaine,
	"poitoucharentes": NouvelleAquitaine, "aquitainelimousinpoitoucharentes": NouvelleAquitaine,
	"languedocroussillon": Occitanie, "midipyrenees": Occitanie,
	"languedocroussillonmidipyrenees": Occitanie,
	"pdl":                             PaysDeLaLoire,
	"paca":                            ProvenceAlpesCoteDAzur, "regionsud": ProvenceAlpesCoteDAzur,
	"guyanefrancaise": Guyane, "reunion": LaReunion, "iledelareunion": LaReunion,
	"nationale": National, "france": National, "franceentiere": National,
	"internationale": International, "etranger": International,
}

// byKey is aliases plus every canonical name, by folded spelling.
var byKey = func() map[string]string {
	m := make(map[string]string, len(aliases)+len(names))
	for k, v := range aliases {
		m[k] = v
	}
	for _, n := range names {
		m[string(appendFold(nil, n))] = n
	}
	return m
}()

// Canonical returns the canonical name of a region as typed, and whether it is one: case,
// accents, apostrophes, hyphens and spaces do not matter, nor a leading « Région ». A
// slash makes it unknown. It does not allocate: imports call it for every row.
func Canonical(s string) (string, bool) {
	if strings.ContainsRune(s, '/') {
		return "", false // "N/A" is no Nouvelle-Aquitaine, "PACA/Occitanie" two regions
	}
	var buf [64]byte
	key := appendFold(buf[:0], s)
	if name, ok := byKey[string(key)]; ok {
		return name, true
	}
	if rest, ok := bytes.CutPrefix(key, []byte("region")); ok && len(rest) > 0 {
		name, ok := byKey[string(rest)]
		return name, ok
	}
	return "", false
}

// appendFold appends s reduced to lower-case letters and digits without accents:
// "Provence-Alpes-Côte d'Azur" and "provence alpes cote d’azur" both give
// "provencealpescotedazur".
func appendFold(dst []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			dst = appendFoldASCII(dst, byte(r))
		case r == 'œ' || r == 'Œ':
			dst = append(dst, 'o', 'e')
		case unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r) || unicode.IsDigit(r):
			// ʼ (U+02BC), an apostrophe, is a modifier letter: dropped with the punctuation.
			dst = appendUnaccented(dst, unicode.ToLower(r))
		}
	}
	return dst
}

func appendFoldASCII(dst []byte, c byte) []byte {
	switch {
	case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return append(dst, c)
	case 'A' <= c && c <= 'Z':
		return append(dst, c+'a'-'A')
	}
	return dst
}

// appendUnaccented appends r without its combining marks (é → e).
func appendUnaccented(dst []byte, r rune) []byte {
	var in [utf8.UTFMax]byte
	decomposed := norm.NFD.Properties(utf8.AppendRune(in[:0], r)).Decomposition()
	if decomposed == nil {
		return utf8.AppendRune(dst, r)
	}
	for _, d := range string(decomposed) {
		if !unicode.Is(unicode.Mn, d) {
			dst = utf8.AppendRune(dst, d)
		}
	}
	return dst
}
