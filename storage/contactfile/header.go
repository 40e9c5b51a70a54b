package contactfile

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// field is a contact field a CSV column can feed.
type field int

const (
	fieldNone field = iota
	fieldFirstName
	fieldLastName
	fieldFullName         // "Prénom Nom", split when there are no name columns
	fieldFullNameReversed // "Nom Prénom"
	fieldEmail
	fieldPhone
	fieldOrganization
	fieldKind
	fieldRegions
	fieldTags
	fieldLanguage
	fieldSource
	fieldLawfulBasis
	fieldOptedOut
	fieldBounced
	// The address's state or region (Outlook, Google), its postal code and its
	// département give the region when the row has none.
	fieldAddressRegion
	fieldPostalCode
	fieldDepartement
	fieldCountry // a country other than France keeps the three above from giving a region
	fieldCount
)

// alias maps a folded header name to a field. Among the columns of one field,
// the one with the lowest rank is read first and the others fill in when it is
// empty: Outlook's "Mobile Phone" serves when "Business Phone" is blank.
type alias struct {
	field field
	rank  int
}

// headerAliases holds the header names we recognise, folded (see fold): French
// and English spreadsheets, Google Contacts (old and new) and Outlook (English
// and French) exports.
var headerAliases = buildHeaderAliases()

func buildHeaderAliases() map[string]alias {
	m := map[string]alias{}
	add := func(f field, rank int, names ...string) {
		for _, n := range names {
			m[n] = alias{f, rank}
		}
	}
	add(fieldFirstName, 0, "prenom", "prenoms", "firstname", "givenname", "first", "forename")
	add(fieldLastName, 0, "nom", "lastname", "familyname", "surname", "nomdefamille", "last", "nomdusage")
	add(fieldFullName, 0, "nomcomplet", "name", "fullname", "displayname", "prenomnom", "identite")
	add(fieldFullNameReversed, 0, "nomprenom")
	add(fieldEmail, 0, "email", "mail", "courriel", "adresseemail", "adressemail", "adressecourriel",
		"emailaddress", "adresseelectronique", "adressedemessagerie", "mel", "emails")
	add(fieldPhone, 0, "telephone", "tel", "phone", "phonenumber", "numerodetelephone", "lignedirecte",
		"telephonebureau", "businessphone", "telephoneprincipal", "primaryphone")
	add(fieldPhone, 1, "mobile", "portable", "telmobile", "telephonemobile", "telephoneportable",
		"mobilephone", "cellphone", "gsm")
	add(fieldPhone, 2, "telephonefixe", "telephonesociete", "companymainphone", "homephone", "telephonedomicile",
		"otherphone", "telephoneautre")
	// Names the qualifier rules below would take for a phone column.
	add(fieldNone, 0, "telephonevoiture", "telecopie", "telecopiebureau", "telecopiedomicile", "telecopieautre")
	add(fieldOrganization, 0, "media", "medias", "organisation", "organization", "societe", "company",
		"entreprise", "redaction", "support", "journal", "organizationname", "structure", "employeur",
		"nomdumedia", "nomdusupport", "nomdelasociete", "nomdelentreprise", "nomdelorganisation",
		"raisonsociale", "publication")
	add(fieldKind, 0, "type", "kind", "categorie", "typedecontact", "contacttype")
	add(fieldRegions, 0, "region", "regions")
	add(fieldAddressRegion, 0, "depregionbureau", "businessstate", "depregiondomicile", "homestate")
	add(fieldTags, 0, "thematiques", "thematique", "tags", "tag", "rubriques", "rubrique", "beats", "beat",
		"themes", "theme", "secteurs", "motscles", "keywords")
	add(fieldTags, 1, "labels", "groupmembership", "categories")
	add(fieldLanguage, 0, "langue", "language", "lang", "langues")
	add(fieldSource, 0, "source", "origine", "provenance")
	add(fieldLawfulBasis, 0, "baselegale", "lawfulbasis", "basejuridique", "fondementjuridique", "legalbasis")
	add(fieldOptedOut, 0, "desinscrit", "desinscription", "optedout", "optout", "unsubscribed", "desabonne")
	add(fieldBounced, 0, "adresseenechec", "enechec", "rejete", "rejetee", "bounced", "bounce", "npai")
	add(fieldPostalCode, 0, "codepostal", "cp", "postalcode", "zip", "zipcode", "postcode")
	add(fieldDepartement, 0, "departement", "dept", "dep", "codedepartement", "numerodepartement",
		"numerodudepartement", "nodepartement")
	add(fieldCountry, 0, "pays", "country", "countryregion", "paysregion")
	// Numbered columns of Google ("E-mail 1 - Value") and Outlook ("E-mail 2 Address").
	for n := 1; n <= 5; n++ {
		d := strconv.Itoa(n)
		add(fieldEmail, n, "email"+d+"value", "email"+d+"address", "email"+d, "adressedemessagerie"+d)
		add(fieldPhone, 2+n, "phone"+d+"value", "telephone"+d, "phone"+d)
		add(fieldOrganization, n, "organization"+d+"name")
		add(fieldAddressRegion, n, "address"+d+"region")
		add(fieldPostalCode, n, "address"+d+"postalcode")
		add(fieldCountry, n, "address"+d+"country")
	}
	return m
}

// maxColumnsPerField bounds the columns read for one field, so that a header
// repeating "E-mail" a million times cannot make every row slow.
const maxColumnsPerField = 8

// headerQualifiers are the words around a known header name that do not
// change its meaning: "E-mail pro", "Work Email", "Téléphone (bureau)".
var (
	headerPrefixes = []string{"work", "business", "primary", "main", "personal", "home", "other"}
	headerSuffixes = []string{"professionnelle", "professionnel", "pro", "personnelle", "personnel", "perso",
		"principale", "principal", "bureau", "travail", "work", "business", "home", "domicile"}
)

// lookupHeader finds the field of a header name, then of the name without a
// parenthesis or a qualifier. Exact names come first: Outlook's "Home Phone"
// keeps its own rank.
func lookupHeader(name string) (alias, bool) {
	key := fold(name)
	if a, ok := headerAliases[key]; ok {
		return a, true
	}
	if i := strings.IndexByte(name, '('); i > 0 {
		if a, ok := headerAliases[fold(name[:i])]; ok {
			return a, true
		}
	}
	for _, p := range headerPrefixes {
		if base, ok := strings.CutPrefix(key, p); ok {
			if a, ok := headerAliases[base]; ok {
				return a, true
			}
		}
	}
	for _, q := range headerSuffixes {
		if base, ok := strings.CutSuffix(key, q); ok {
			if a, ok := headerAliases[base]; ok {
				return a, true
			}
		}
	}
	return alias{}, false
}

// columns tells, for each field, which CSV columns feed it, best first.
type columns [fieldCount][]int

// mapHeader matches header cells to fields. It returns the mapping and the
// names of the columns it does not use.
func mapHeader(header []string) (columns, []string) {
	var cols columns
	var ranks [fieldCount][]int
	var ignored []string
	for i, name := range header {
		name = strings.TrimSpace(name)
		a, ok := lookupHeader(name)
		if !ok || a.field == fieldNone || len(cols[a.field]) == maxColumnsPerField {
			if name != "" {
				ignored = append(ignored, name)
			}
			continue
		}
		cols[a.field], ranks[a.field] = insertByRank(cols[a.field], ranks[a.field], i, a.rank)
	}
	return cols, ignored
}

// insertByRank inserts column i keeping the columns ordered by rank, then by
// position in the file.
func insertByRank(cols, ranks []int, i, rank int) ([]int, []int) {
	k := len(cols)
	for k > 0 && ranks[k-1] > rank {
		k--
	}
	cols = append(cols[:k], append([]int{i}, cols[k:]...)...)
	ranks = append(ranks[:k], append([]int{rank}, ranks[k:]...)...)
	return cols, ranks
}

// fold reduces s to lower-case ASCII letters and digits, dropping accents,
// spaces and punctuation: "E-mail 1 - Value" → "email1value",
// "Attaché(e) de presse" → "attacheedepresse".
func fold(s string) string {
	var buf [64]byte
	return string(appendFold(buf[:0], s))
}

func appendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				dst = append(dst, c)
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		dst = appendFoldRune(dst, unicode.ToLower(r))
	}
	return dst
}

// appendFoldRune writes the unaccented form of a lower-case letter; other
// letters and digits are kept, everything else is dropped.
func appendFoldRune(dst []byte, r rune) []byte {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return append(dst, 'a')
	case 'ç':
		return append(dst, 'c')
	case 'è', 'é', 'ê', 'ë':
		return append(dst, 'e')
	case 'ì', 'í', 'î', 'ï':
		return append(dst, 'i')
	case 'ñ':
		return append(dst, 'n')
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return append(dst, 'o')
	case 'ù', 'ú', 'û', 'ü':
		return append(dst, 'u')
	case 'ý', 'ÿ':
		return append(dst, 'y')
	case 'œ':
		return append(dst, 'o', 'e')
	case 'æ':
		return append(dst, 'a', 'e')
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return utf8.AppendRune(dst, r)
	}
	return dst
}
