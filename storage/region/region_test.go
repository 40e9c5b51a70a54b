package region_test

import (
	"testing"

	"portevoix/storage/region"
)

func TestNames(t *testing.T) {
	names := region.Names()
	if len(names) != 20 || names[0] != region.AuvergneRhoneAlpes || names[19] != region.International {
		t.Fatalf("Names() = %q", names)
	}
	names[0] = "changed"
	if region.Names()[0] != region.AuvergneRhoneAlpes {
		t.Error("Names returns the package's own array")
	}
	for _, n := range region.Names() {
		if got, ok := region.Canonical(n); !ok || got != n {
			t.Errorf("Canonical(%q) = %q, %v", n, got, ok)
		}
	}
}

func TestCanonical(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Provence-Alpes-Côte d'Azur", region.ProvenceAlpesCoteDAzur},
		{"provence alpes cote dʼazur", region.ProvenceAlpesCoteDAzur},
		{"PACA", region.ProvenceAlpesCoteDAzur},
		{"Région Sud", region.ProvenceAlpesCoteDAzur},
		{"ile-de-france", region.IleDeFrance},
		{"IDF", region.IleDeFrance},
		{"Région Île-de-France", region.IleDeFrance},
		{"AURA", region.AuvergneRhoneAlpes},
		{"ARA", region.AuvergneRhoneAlpes},
		{"Rhône-Alpes", region.AuvergneRhoneAlpes},
		{"Auvergne", region.AuvergneRhoneAlpes},
		{"BFC", region.BourgogneFrancheComte},
		{"Franche-Comté", region.BourgogneFrancheComte},
		{"HDF", region.HautsDeFrance},
		{"Nord-Pas-de-Calais", region.HautsDeFrance},
		{"Picardie", region.HautsDeFrance},
		{"GE", region.GrandEst},
		{"Alsace", region.GrandEst},
		{"Champagne-Ardenne", region.GrandEst},
		{"NA", region.NouvelleAquitaine},
		{"Poitou-Charentes", region.NouvelleAquitaine},
		{"Limousin", region.NouvelleAquitaine},
		{"OCCITANIE", region.Occitanie},
		{"Midi-Pyrénées", region.Occitanie},
		{"Languedoc Roussillon", region.Occitanie},
		{"Basse-Normandie", region.Normandie},
		{"Haute Normandie", region.Normandie},
		{"Centre", region.CentreValDeLoire},
		{"centre val de loire", region.CentreValDeLoire},
		{"Reunion", region.LaReunion},
		{"  national ", region.National},
		{"INTERNATIONAL", region.International},
	} {
		if got, ok := region.Canonical(tc.in); !ok || got != tc.want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "Région", "Lyon", "Rhône", "Bavière", "P.A.C.A.X", "N/A", "#N/A", "PACA/Occitanie"} {
		if got, ok := region.Canonical(bad); ok {
			t.Errorf("Canonical(%q) = %q, want unknown", bad, got)
		}
	}
}

func TestFromDepartementAndPostalCode(t *testing.T) {
	for _, tc := range []struct {
		dep, postal, want string
	}{
		{"69", "69003", region.AuvergneRhoneAlpes},
		{"1", "1000", region.AuvergneRhoneAlpes}, // Excel dropped the leading zero
		{"2A", "20000", region.Corse},
		{"2b", "20200", region.Corse},
		{"20", "20090", region.Corse},
		{"13", "13001", region.ProvenceAlpesCoteDAzur},
		{"75", "75015", region.IleDeFrance},
		{"44", "44000", region.PaysDeLaLoire},
		{"29", "29200", region.Bretagne},
		{"971", "97110", region.Guadeloupe},
		{"972", "97200", region.Martinique},
		{"973", "97300", region.Guyane},
		{"974", "97400", region.LaReunion},
		{"976", "97600", region.Mayotte},
	} {
		if got, ok := region.FromDepartement(tc.dep); !ok || got != tc.want {
			t.Errorf("FromDepartement(%q) = %q, %v; want %q", tc.dep, got, ok, tc.want)
		}
		if got, ok := region.FromPostalCode(tc.postal); !ok || got != tc.want {
			t.Errorf("FromPostalCode(%q) = %q, %v; want %q", tc.postal, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "00", "96", "975", "98000", "1234567", "SW1A", "2C"} {
		if got, ok := region.FromDepartement(bad); ok {
			t.Errorf("FromDepartement(%q) = %q", bad, got)
		}
	}
	for _, bad := range []string{"", "98000", "97500", "123", "75 015", "B-1000"} {
		if got, ok := region.FromPostalCode(bad); ok {
			t.Errorf("FromPostalCode(%q) = %q", bad, got)
		}
	}
}

func TestEveryDepartementHasARegion(t *testing.T) {
	n := 0
	for d := 1; d <= 95; d++ {
		if d == 20 {
			continue
		}
		code := string(rune('0'+d/10)) + string(rune('0'+d%10))
		if _, ok := region.FromDepartement(code); !ok {
			t.Errorf("département %s has no region", code)
		}
		n++
	}
	if n != 94 {
		t.Fatalf("counted %d départements", n)
	}
}

func TestCanonicalDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"Provence-Alpes-Côte d'Azur", "PACA", "Région Île-de-France", "Bavière"} {
		if n := testing.AllocsPerRun(100, func() { region.Canonical(s) }); n != 0 {
			t.Errorf("Canonical(%q): %v allocations", s, n)
		}
	}
}
