package demo

import (
	"fmt"

	"portevoix/storage"
)

// Provenance of the fictional journalists, as a real press file would record it.
const (
	pressFileSource = "Fichier presse régional des Pôles Santé (démo)"
	lawfulBasis     = "intérêt légitime (relations presse)"
)

// Two journalists show the states the interface must display: one unsubscribed, one whose
// address bounced. Neither ever resolves as a recipient.
const (
	optedOutEmail = "julien.fabre@example.com"
	bouncedEmail  = "sophie.rousseau@example.com"
)

// pressOfficer is a "Contacts presse" entry of seed 001; its address is rewritten to
// example.org so the demo can never mail the real person.
type pressOfficer struct {
	first, last, email, phone, organization, pole string
}

func demoPressOfficers() []pressOfficer {
	return []pressOfficer{
		{"Pascale", "Barto", "pascale.barto@example.org", "06 74 29 84 06", atlanpole, atlanpole},
		{"Julie", "Fend", "julie.fend@example.org", "06 34 84 37 13", biovalley, biovalley},
		{"Julia", "Plaia", "julia.plaia@example.org", "03.28.55.90.60", clubster, clubster},
		// The seed gives the ALIZE RP pair one address and two numbers, in their order.
		{"Caroline", "Carmagnol", "caroline.carmagnol@example.org", "06 64 18 99 59", "ALIZE RP", eurobiomed},
		{"Najette", "Chaib", "najette.chaib@example.org", "06 18 38 11 14", "ALIZE RP", eurobiomed},
		{"Mélanie", "Da Rui", "melanie.darui@example.org", "06 58 98 85 75", "Monet+Associés", lyonbio},
		{"Alain", "Khemili", "alain.khemili@example.org", "06 89 59 46 05", medicen, medicen},
	}
}

// journalist is a fictional press contact. first and last are empty for a newsroom address.
type journalist struct {
	first, last, email, organization string
	regions, beats                   []string
}

// demoJournalists: eight per pôle's region group, then national desks and two anonymous
// newsroom addresses (greeted "Madame, Monsieur,").
func demoJournalists() []journalist {
	r := func(regions ...string) []string { return regions }
	return []journalist{
		// Atlanpole Biotherapies: Pays de la Loire, Bretagne, Centre-Val de Loire.
		{"Hélène", "Lefèvre", "helene.lefevre@example.org", "Ouest-France", r(pdlRegion), r("santé", "économie")},
		{"Yannick", "Le Goff", "yannick.legoff@example.com", "Presse Océan", r(pdlRegion), r("économie", "industrie")},
		{"Maëlle", "Guérin", "maelle.guerin@example.org", "France 3 Pays de la Loire", r(pdlRegion), r("santé", "recherche")},
		{"Thibault", "Perrot", "thibault.perrot@example.com", "France Bleu Loire Océan", r(pdlRegion), r("santé", "politique")},
		{"Gwenaëlle", "Le Floch", "gwenaelle.lefloch@example.org", "Le Télégramme", r(bretagneRegion), r("santé", "innovation")},
		{"Erwan", "Quéméner", "erwan.quemener@example.com", "Ouest-France", r(bretagneRegion), r("économie", "biotech")},
		{"Céline", "Dubreuil", "celine.dubreuil@example.org", "La Nouvelle République", r(centreRegion), r("santé", "économie")},
		{"Jérôme", "Bénard", "jerome.benard@example.com", "La République du Centre", r(centreRegion), r("industrie", "innovation")},
		// BioValley France: Grand Est.
		{"Anne-Sophie", "Koenig", "annesophie.koenig@example.org", "DNA", r(grandEstRegion), r("santé", "recherche")},
		{"Mathieu", "Schmitt", "mathieu.schmitt@example.com", "L’Alsace", r(grandEstRegion), r("économie", "industrie")},
		{"Élodie", "Muller", "elodie.muller@example.org", "France 3 Grand Est", r(grandEstRegion), r("santé", "innovation")},
		{"Grégoire", "Wagner", "gregoire.wagner@example.com", "L’Est Républicain", r(grandEstRegion), r("économie", "politique")},
		{"Chloé", "Meyer", "chloe.meyer@example.org", "Le Républicain lorrain", r(grandEstRegion), r("santé")},
		{"Stéphane", "Hoffmann", "stephane.hoffmann@example.com", "L’Union", r(grandEstRegion), r("économie", "innovation")},
		{"Léa", "Weber", "lea.weber@example.org", "Industrie Pharma", r(grandEstRegion), r("industrie", "biotech")},
		{"Frédéric", "Klein", "frederic.klein@example.com", "France Bleu Alsace", r(grandEstRegion), r("santé", "recherche")},
		// Clubster NSL: Hauts-de-France.
		{"François", "Nguyen", "francois.nguyen@example.org", "La Voix du Nord", r(hdfRegion), r("santé", "économie")},
		{"Camille", "Dufour", "camille.dufour@example.com", "Le Courrier picard", r(hdfRegion), r("santé", "politique")},
		{"Benoît", "Lemaire", "benoit.lemaire@example.org", "France 3 Hauts-de-France", r(hdfRegion), r("innovation", "recherche")},
		{"Aurélie", "Delattre", "aurelie.delattre@example.com", "Nord Éclair", r(hdfRegion), r("économie", "industrie")},
		{"Karim", "Benali", "karim.benali@example.org", "France Bleu Nord", r(hdfRegion), r("santé")},
		{"Pauline", "Vandenberghe", "pauline.vandenberghe@example.com", "La Gazette Nord-Pas-de-Calais", r(hdfRegion), r("économie", "innovation")},
		{"Rémi", "Duhamel", "remi.duhamel@example.org", "L’Usine nouvelle", r(hdfRegion), r("industrie", "medtech")},
		{"Inès", "Carpentier", "ines.carpentier@example.com", "Les Échos", r(hdfRegion), r("économie", "biotech")},
		// Eurobiomed: Occitanie, Provence-Alpes-Côte d’Azur.
		{"Zoé", "Martin", "zoe.martin@example.org", "La Dépêche du Midi", r(occitanieRegion), r("santé", "économie")},
		{"Julien", "Fabre", optedOutEmail, "Midi Libre", r(occitanieRegion), r("santé", "recherche")},
		{"Noémie", "Rouquette", "noemie.rouquette@example.org", "France 3 Occitanie", r(occitanieRegion), r("innovation", "medtech")},
		{"Sébastien", "Vidal", "sebastien.vidal@example.com", "La Gazette de Montpellier", r(occitanieRegion), r("économie", "politique")},
		{"Laure", "Giraud", "laure.giraud@example.org", "La Provence", r(pacaRegion), r("santé", "économie")},
		{"Marc-Antoine", "Rossi", "marcantoine.rossi@example.com", "Nice-Matin", r(pacaRegion), r("santé", "innovation")},
		{"Sarah", "Benhamou", "sarah.benhamou@example.org", "France 3 Provence-Alpes-Côte d’Azur", r(pacaRegion), r("santé", "recherche")},
		{"Olivier", "Castellani", "olivier.castellani@example.com", "La Marseillaise", r(pacaRegion), r("économie", "industrie")},
		// Lyonbiopôle: Auvergne-Rhône-Alpes.
		{"Agnès", "Brunet", "agnes.brunet@example.org", "Le Progrès", r(araRegion), r("santé", "économie")},
		{"Nicolas", "Chabert", "nicolas.chabert@example.com", "Le Dauphiné libéré", r(araRegion), r("santé", "recherche")},
		{"Manon", "Perrin", "manon.perrin@example.org", "Lyon Capitale", r(araRegion), r("économie", "politique")},
		{"Cédric", "Faure", "cedric.faure@example.com", "France 3 Auvergne-Rhône-Alpes", r(araRegion), r("innovation", "biotech")},
		{"Émilie", "Rochette", "emilie.rochette@example.org", "La Montagne", r(araRegion), r("santé")},
		{"Loïc", "Bernard", "loic.bernard@example.com", "Le Tout Lyon", r(araRegion), r("économie", "industrie")},
		{"Amandine", "Roux", "amandine.roux@example.org", "TIC Pharma", r(araRegion), r("biotech", "industrie")},
		{"Raphaël", "Morel", "raphael.morel@example.com", "RCF Lyon", r(araRegion), r("santé", "recherche")},
		// Medicen Paris Region: Île-de-France.
		{"Juliette", "Lambert", "juliette.lambert@example.org", "Le Parisien", r(idfRegion), r("santé", "politique")},
		{"Thomas", "Girard", "thomas.girard@example.com", "France Bleu Paris", r(idfRegion), r("santé")},
		{"Sophie", "Rousseau", bouncedEmail, "BFM Paris", r(idfRegion), r("économie", "innovation")},
		{"Antoine", "Fontaine", "antoine.fontaine@example.org", "Industrie Pharma", r(idfRegion), r("industrie", "medtech")},
		{"Nadia", "Haddad", "nadia.haddad@example.com", "Hospimedia", r(idfRegion), r("santé", "politique")},
		{"Guillaume", "Mercier", "guillaume.mercier@example.org", "Sciences et Avenir", r(idfRegion), r("recherche", "innovation")},
		{"Clémence", "Blanchard", "clemence.blanchard@example.com", "DeviceMed", r(idfRegion), r("medtech", "industrie")},
		{"Maxime", "Lévêque", "maxime.leveque@example.org", "Le Quotidien du médecin", r(idfRegion), r("santé", "recherche")},
		// National desks; the wire and trade journalists follow several regions.
		{"Bérénice", "Chevalier", "berenice.chevalier@example.org", "Les Échos", r(idfRegion), r("national", "santé", "économie", "industrie")},
		{"Arnaud", "Lacroix", "arnaud.lacroix@example.com", "Le Monde", r(idfRegion), r("national", "santé", "recherche", "politique")},
		{"Valérie", "Marchand", "valerie.marchand@example.org", "APM News", Regions, r("national", "santé", "biotech")},
		{"Hugo", "Peyrat", "hugo.peyrat@example.com", "TIC Pharma", r(idfRegion, araRegion, occitanieRegion), r("national", "santé", "industrie", "medtech")},
		{"", "", "redaction.sante@example.com", "France Inter", nil, r("national", "santé")},
		{"", "", "desk.eco@example.org", "La Provence", r(pacaRegion), r("économie")},
	}
}

func (l *loader) pressOfficers() error {
	for _, po := range demoPressOfficers() {
		c := &storage.Contact{
			FirstName: po.first, LastName: po.last, Email: po.email, Phone: po.phone,
			Organization: po.organization, Kind: storage.KindPressOfficer, PoleID: l.poleIDs[po.pole],
			Regions: regionsOf(po.pole), Language: "fr", Source: communiqueSource, LawfulBasis: lawfulBasis,
		}
		if err := create(l, "attaché de presse "+po.email, c); err != nil {
			return err
		}
		l.ids.pressOfficers = append(l.ids.pressOfficers, c.ID)
		l.sum.PressOfficers++
	}
	return nil
}

// regionsOf returns the regions of the named pôle of demoPoles.
func regionsOf(name string) []string {
	for _, p := range demoPoles() {
		if p.Name == name {
			return p.Regions
		}
	}
	return nil
}

func (l *loader) journalists() error {
	for _, j := range demoJournalists() {
		c := &storage.Contact{
			FirstName: j.first, LastName: j.last, Email: j.email, Organization: j.organization,
			Kind: storage.KindJournalist, Regions: j.regions, Tags: j.beats,
			Language: "fr", Source: pressFileSource, LawfulBasis: lawfulBasis,
		}
		if err := create(l, "journaliste "+j.email, c); err != nil {
			return err
		}
		if err := l.markState(c); err != nil {
			return err
		}
		l.sum.Journalists++
	}
	return nil
}

// markState unsubscribes or bounces the two contacts that show those states.
func (l *loader) markState(c *storage.Contact) error {
	switch c.Email {
	case optedOutEmail:
		return l.s.OptOut(c.ID, actor)
	case bouncedEmail:
		return l.s.MarkBounced(c.ID)
	}
	return nil
}

// lists creates one journalists' list per region, then the national health desk list. Its
// rule is the tag "national" alone: a rule's tags match when ANY of them does, so adding
// "santé" would take in every health journalist; every national contact covers santé.
func (l *loader) lists() error {
	var all []storage.List
	for _, region := range Regions {
		all = append(all, storage.List{Name: "Presse " + region, Regions: []string{region}, Kinds: []string{storage.KindJournalist}})
	}
	all = append(all, storage.List{Name: "Presse nationale santé", Tags: []string{"national"}, Kinds: []string{storage.KindJournalist}})
	for _, list := range all {
		if err := create(l, fmt.Sprintf("liste %q", list.Name), &list); err != nil {
			return err
		}
		l.sum.Lists++
	}
	return nil
}
