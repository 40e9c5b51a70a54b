// Package templatestest holds composition fixtures shared by the tests and benchmarks of
// the templates, PDF and server packages, and how a test treats a missing tool.
package templatestest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"time"

	"portevoix/storage"
	"portevoix/templates"
)

// Seed001 returns the input of the reference joint communiqué (seeds/001_39a97157692deadb.txt):
// six co-signing pôles, seven measures under two axes, six quotes, the "À propos"
// boilerplate and the press contacts (addresses rewritten to example.org). The texts are
// the seed's, verbatim, double spaces included. Every record is dated now; the communiqué
// is dated 12 May 2020 in Paris, under embargo until 10:00 that day. Two pôles have a
// small generated PNG logo.
func Seed001(now time.Time) templates.Input {
	poles := seed001Poles(now)
	people := seed001People(now)
	in := templates.Input{
		Poles:        poles,
		Measures:     seed001Measures(now),
		Quotes:       seed001Quotes(now, people, poles),
		Boilerplates: []storage.Boilerplate{seed001About(now)},
		Contacts:     seed001Contacts(now, poles),
		Logos: map[uint64]templates.Logo{
			1: {Data: Logo(color.RGBA{0x1f, 0x5f, 0x9f, 0xff}), Type: "image/png"},
			2: {Data: Logo(color.RGBA{0xc0, 0x39, 0x2b, 0xff}), Type: "image/png"},
		},
		Now: now,
	}
	in.Communique = seed001Communique(now, in)
	return in
}

func meta(id uint64, now time.Time) storage.Meta {
	return storage.Meta{ID: id, CreatedAt: now, UpdatedAt: now}
}

func seed001Communique(now time.Time, in templates.Input) storage.Communique {
	paris, _ := time.LoadLocation("Europe/Paris") // templates/typo embeds time/tzdata
	embargo := time.Date(2020, 5, 12, 10, 0, 0, 0, paris)
	c := storage.Communique{
		Meta:         meta(1, now),
		Slug:         "mesures-souverainete-sanitaire",
		Title:        "Proposition de mesures par les Pôles santé en réseau pour faire face aux enjeux de souveraineté sanitaire et économique de la France révélés par la crise du COVID-19",
		Place:        "Paris",
		Date:         "2020-05-12",
		EmbargoUntil: &embargo,
		Lede:         "Pour renforcer la souveraineté sanitaire de la France, investir à court terme dans des lignes de production sur quelques produits et matières premières ne sera pas suffisant pour préparer le pays aux prochaines crises sanitaires. Les six Pôles Santé en réseau rappellent l’importance de créer un cadre attractif pour la production de produits de santé, la recherche et l’innovation en santé et identifient plusieurs leviers pour le faire.",
		Body:         seed001Body,
		Template:     "mesures",
		Status:       storage.CommuniqueDraft,
	}
	for _, p := range in.Poles {
		c.PoleIDs = append(c.PoleIDs, p.ID)
	}
	for _, m := range in.Measures {
		c.MeasureIDs = append(c.MeasureIDs, m.ID)
	}
	for _, q := range in.Quotes {
		c.QuoteIDs = append(c.QuoteIDs, q.Quote.ID)
	}
	for _, b := range in.Boilerplates {
		c.BoilerplateIDs = append(c.BoilerplateIDs, b.ID)
	}
	for _, k := range in.Contacts {
		c.ContactIDs = append(c.ContactIDs, k.Contact.ID)
	}
	return c
}

const seed001Body = `La crise sanitaire que nous traversons a mis en exergue deux limites majeures de la France ayant pour conséquences une incapacité à soigner sa population et protéger ses soignants contre l’épidémie, mais également un arrêt général de nombreuses activités ayant des incidences économiques et sociales durables :

- **Des parcours de R&D et d’innovation trop complexes/contraignants, et un cadre réglementaire insuffisamment réactif pour permettre de faire bénéficier rapidement notre population des innovations en santé** : si la crise a démontré la capacité des autorités réglementaires à accélérer ses procédures d’autorisations, l’accès à la mise en place d’essais cliniques reste parmi les plus longs d’Europe ; les procédures de mises sur le marché accélérées sont bien plus longues et complexes qu’en Amérique du Nord ou en Asie ; le soutien à la recherche clinique et à l’industrialisation des produits de santé est limité.
- **L’extrême dépendance de la France à des fournisseurs étrangers de produits de santé** : à titre d’exemples : la France ne produit sur son territoire que 17% des produits thérapeutiques majeurs hospitaliers ; les réactifs nécessaires à l’utilisation des PCR sont exclusivement produits hors de l’Europe ; certains dispositifs médicaux de première nécessité sont majoritairement fabriqués hors des frontières européennes.

Ces réalités sont pointées depuis plus d’une décennie par l’ensemble des industries de produits de santé et les acteurs de la recherche clinique.

Face à ces enjeux de souveraineté sanitaire et économique, il apparaît nécessaire d’œuvrer au renforcement de l’attractivité de la France pour les industries de santé, et d’ancrer le tissu industriel pour répondre aux prochaines épreuves. Les six Pôles Santé en réseau identifient 2 champs d’actions à mettre en œuvre pour relever ces défis.
`

func seed001Poles(now time.Time) []storage.Pole {
	pole := func(id uint64, name, short string, regions ...string) storage.Pole {
		return storage.Pole{Meta: meta(id, now), Name: name, ShortName: short, Regions: regions}
	}
	return []storage.Pole{
		pole(1, "Atlanpole Biotherapies", "Atlanpole", "Pays de la Loire"),
		pole(2, "BioValley France", "BioValley", "Grand Est"),
		pole(3, "Clubster NSL", "Clubster NSL", "Hauts-de-France"),
		pole(4, "Eurobiomed", "Eurobiomed", "Occitanie", "Provence-Alpes-Côte d'Azur"),
		pole(5, "Lyonbiopôle", "Lyonbiopôle", "Auvergne-Rhône-Alpes"),
		pole(6, "Medicen Paris Region", "Medicen", "Île-de-France"),
	}
}

func seed001People(now time.Time) []storage.Person {
	person := func(id uint64, name, title string, pole uint64) storage.Person {
		return storage.Person{Meta: meta(id, now), Name: name, Title: title, PoleID: pole}
	}
	return []storage.Person{
		person(1, "Etienne Vervaecke", "Directeur Général", 3),
		person(2, "Franck Grimaud", "Président", 1),
		person(3, "Michaël Danon", "Président", 4),
		person(4, "Séverine Sigrist", "Présidente", 2),
		person(5, "Christian Lajoux", "Président", 6),
		person(6, "Florence Agostino-Etchetto", "Directrice Générale", 5),
	}
}

const (
	axis1 = "Accroître la capacité de production de produits de santé au niveau National par des mesures :"
	axis2 = "Renforcer l’attractivité du territoire pour la recherche et l’innovation en santé, jusque l’accès au marché, afin d’ancrer dans la durée la production et les savoir-faire nationaux, par 3 types de mesures :"
)

func seed001Measures(now time.Time) []storage.Measure {
	measure := func(id uint64, axis, title, text string, rank int) storage.Measure {
		return storage.Measure{Meta: meta(id, now), Axis: axis, Title: title, Text: text, Rank: rank}
	}
	return []storage.Measure{
		measure(1, axis1, "", "d’augmentation du budget des investissements du système de santé Français et Européen, et d’anticipation du carnet de commandes aux échelles régionale et nationale ;", 1),
		measure(2, axis1, "", "d’évolution des critères d’achats hospitaliers, en créant une exception sanitaire aux règles d’achat public. Ceci doit permettre de faire valoir des achats de proximité pour des enjeux d’ordre social, environnemental et de souveraineté nationale en liant cet aspect à une meilleure intégration de la recherche clinique dans la chaine nationale de développement de l’innovation ;", 2),
		measure(3, axis1, "", "d’incitation fiscale sur des critères de qualité, d’environnement, d’emplois en France ;", 3),
		measure(4, axis1, "", "de soutien financier au tissu de TPE- PME de la healthtech et à l’investissement productif en Santé : par l’accès aux fonds propres, le soutien à l’investissement pour la compétitivité et la versatilité des outils de production existants, et pour la création de nouveaux outils de production (subventions, avances remboursables, avantage fiscal …), de principes actifs chimiques, de dispositifs médicaux ou de biomédicaments à haute valeur ajoutée ;", 4),
		measure(5, axis2, "augmenter les crédits de la recherche académique en santé", "pour attirer les talents scientifiques exogènes, développer les politiques favorables au maintien des jeunes chercheurs, renforcer les centres d’excellence sur le territoire, notamment autour d’enjeux stratégiques tels que l’intelligence artificielle ou les biothérapies ;", 1),
		measure(6, axis2, "soutenir la recherche privée et la recherche collaborative", "en augmentant et en sanctuarisant les fonds Bpi et ANR  dédiés à la santé et en renforçant le soutien aux phases cliniques et de mise en conformité dans le développement des produits ;", 2),
		measure(7, axis2, "rendre plus agiles les agences réglementant l’accès aux produits de santé  (ANSM, HAS, AEM, ARS…)", "en renforçant leur niveau d’expertise et en faisant évoluer leur rôle pour accélérer l’accès à l’innovation pour les patients et les soignants", 3),
	}
}

var seed001QuoteTexts = []string{
	"Les ruptures d’approvisionnement de nos hôpitaux en produits de santé sont en constantes augmentations depuis dix ans, la crise a permis une prise de conscience de l’enjeu de souveraineté que cela représente. La dépendance de notre pays est le résultat de combinaison de plusieurs facteurs dont les restrictions budgétaires et un soutien à l’innovation insuffisant pour les produits de santé.",
	"La puissance d’innovation des entreprises de biotechnologies est la clé de voûte de la souveraineté nationale et européenne en matière de santé. Agiles et réactives, elles sont vite parties au front et n’ont pas tardé à proposer des solutions pendant la crise sanitaire. Soutenir ces entreprises et encourager la bioproduction sur le territoire français est impératif pour se préparer à une prochaine crise",
	"Tant que la règle des achats hospitaliers reste le moindre coût, les fournisseurs resteront massivement des acteurs non européens qui n’ont pas les mêmes contraintes sociales et environnementales que nos entreprises",
	"Il faut anticiper de futures crises sanitaires, nous aurons besoin des produits innovants de santé, et la France doit devenir plus attractive pour leur développement clinique, l’accès au marché et leur production sur le territoire. C’est le meilleur moyen pour donner accès à l’innovation pour nos soignants et notre population",
	"Les enjeux d’indépendance sanitaire pour la France sont majeurs, comme la pandémie nous l’a douloureusement rappelé. Soutenir le tissu d’entreprises innovantes en santé, à toutes les étapes de la filière, sera capital, pour permettre l’avènement durable de nouvelles technologies et préserver nos compétences et projets. Le rôle de proximité des Pôles et leur ancrage sur leurs territoires sera un atout précieux dans la période qui s’annonce.",
	"L’innovation en santé, nécessaire face à une situation de crise sanitaire, est le fruit de synergies et de collaborations. C’est dans ce contexte que notre rôle prend tout son sens. Depuis plus de 15 ans, nous œuvrons en faveur du développement de programmes collaboratifs et construisons des ponts entre les acteurs locaux, européens et mondiaux. La France a de nombreux atouts à faire valoir : des capacités d’innovation, des compétences, un tissu solide d’académiques, de grands industriels, de PME et de start-ups. Nous disposons des outils pour avancer collectivement vers le même objectif : assurer notre souveraineté et faire face aux défis à venir. Une condition pour que cela fonctionne : des mesures pérennes portées par une vision à long terme qui prend en considération toute la chaîne de valeur",
}

// seed001Quotes pairs quote i with person i, in the seed's order.
func seed001Quotes(now time.Time, people []storage.Person, poles []storage.Pole) []templates.QuoteWithSpeaker {
	approved := now
	out := make([]templates.QuoteWithSpeaker, len(seed001QuoteTexts))
	for i, text := range seed001QuoteTexts {
		person := people[i]
		out[i] = templates.QuoteWithSpeaker{
			Quote: storage.Quote{
				Meta: meta(uint64(i+1), now), PersonID: person.ID, Text: text, Date: "2020-05-11",
				Status: storage.QuoteApproved, ApprovedBy: "redaction@example.org", ApprovedAt: &approved,
			},
			Person: person,
			Pole:   poles[person.PoleID-1],
		}
	}
	return out
}

func seed001About(now time.Time) storage.Boilerplate {
	return storage.Boilerplate{
		Meta:  meta(1, now),
		Title: "À propos des Pôles Santé en Réseau",
		Text:  "Le réseau des Pôles Santé en Réseau a été constitué le 11 avril 2018 et regroupe les 6  pôles de compétitivité en santé français - Atlanpole Biotherapies, Clubster NSL, Eurobiomed, France Biovalley, Lyonbiopôle et Medicen Paris Region. Le réseau vise à valoriser les résultats des actions des pôles santé  depuis 2005 au bénéfice du secteur de la santé en France et à l’international. Ensemble, ces pôles regroupent plus de 1 500 adhérents, dont 1 000 PME. De grandes entreprises, des institutions académiques, des collectivités territoriales, des hôpitaux et établissements de soins renforcent cet écosystème unique et dynamique. Les projets labellisés par les pôles représentent près de 5 milliards d’euros et rassemblent à eux seuls près de 1 000 adhérents. Les projets achevés ont permis la mise sur le marché de 400 produits ou services ainsi que la création de 54 entreprises. Forts de ce bilan, les 6 pôles œuvrent à intensifier leurs actions communes de façon à faire reconnaitre la capacité d’innovation de leurs adhérents ainsi que le poids économique des filières santé qu’ils représentent.",
	}
}

func seed001Contacts(now time.Time, poles []storage.Pole) []templates.ContactWithPole {
	contact := func(id uint64, first, last, org, email, phone, kind string, pole uint64) templates.ContactWithPole {
		p := poles[pole-1]
		return templates.ContactWithPole{
			Contact: storage.Contact{
				Meta: meta(id, now), FirstName: first, LastName: last, Organization: org,
				Email: email, Phone: phone, Kind: kind, Regions: p.Regions, PoleID: p.ID,
				Language: "fr", Source: "seed 001", LawfulBasis: "legitimate_interest",
			},
			Pole: p,
		}
	}
	return []templates.ContactWithPole{
		contact(1, "Pascale", "Barto", "", "barto@example.org", "06 74 29 84 06", storage.KindPressOfficer, 1),
		contact(2, "Julie", "Fend", "", "julie.fend@example.org", "06 34 84 37 13", storage.KindPressOfficer, 2),
		contact(3, "Julia", "Plaia", "", "jplaia@example.org", "03.28.55.90.60", storage.KindPressOfficer, 3),
		contact(4, "Caroline", "Carmagnol", "ALIZE RP", "eurobiomed@example.org", "06 64 18 99 59", storage.KindAgency, 4),
		contact(5, "Najette", "Chaib", "ALIZE RP", "eurobiomed@example.org", "06 18 38 11 14", storage.KindAgency, 4),
		contact(6, "Mélanie", "Da Rui", "Agence Monet+Associés", "mr@example.org", "06 58 98 85 75", storage.KindAgency, 5),
		contact(7, "Alain", "Khemili", "", "akhemili@example.org", "06 89 59 46 05", storage.KindPressOfficer, 6),
	}
}

// Logo returns a small deterministic PNG (96×48, one colour band on white) standing for
// a pôle's logo.
func Logo(c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 96, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 96; x++ {
			img.Set(x, y, color.White)
			if y >= 12 && y < 36 {
				img.Set(x, y, c)
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // encoding an in-memory RGBA image cannot fail
	return buf.Bytes()
}
