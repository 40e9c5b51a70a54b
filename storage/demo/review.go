package demo

import "portevoix/storage"

// Seed 003 is the government's account of the review of the health industries' sector
// contract (Contrat stratégique de filière des Industries et technologies de santé), with
// two public statements; seed 004 describes the sector. The review is not dated in the
// seed: it took place in the autumn of 2020 (it cites the recovery plan and sets the next
// meeting for early 2021), and the day is chosen. The source's address is fictitious, as
// every address of the demo.
const (
	reviewDate      = "2020-10-07"
	reviewSource    = "lors du bilan du Contrat stratégique de filière des Industries et technologies de santé"
	reviewSourceURL = "https://www.example.org/presse/bilan-contrat-strategique-filiere-industries-technologies-sante"
)

// reviewStatements are the two statements of seed 003, verbatim: people outside the pôles,
// quoted from their source, so they need no approval.
func reviewStatements() []storage.Quote {
	return []storage.Quote{
		{
			Speaker: "Agnès Pannier-Runacher", SpeakerTitle: "ministre déléguée chargée de l’Industrie",
			Tags: []string{"filière", "bioproduction", "plan de relance"},
			Text: "Il est essentiel que nous tirions les leçons des derniers mois afin de préparer notre avenir et de renforcer notre résilience dans le domaine de la santé. C'est le sens du plan de relance avec l'objectif notamment de relocaliser certains maillons des chaînes de valeur et soutenir l'innovation en santé. C'est aussi le sens des travaux menés au sein du comité stratégique de filière en cohérence avec le plan de relance. Les travaux réalisés ces derniers mois sont riches et il nous faut les poursuivre pour aboutir à des projets concrets. Je salue à cet égard le lancement de la mission de préfiguration de l'alliance pour la bioproduction",
		},
		{
			Speaker: "Olivier Bogillot", SpeakerTitle: "président du Comité stratégique de filière et président de la FEFIS",
			Tags: []string{"filière", "compétitivité"},
			Text: "Ce bilan d'étape est riche, et montre que la filière a su s'organiser pour porter l'innovation et gagner en compétitivité. Ces travaux forment pour les années à venir, un socle en soutien à l'ensemble de la chaîne de valeur des industries de santé, quelle que soit la taille des entreprises, au bénéfice de l'offre de santé. La compétitivité qui restera au centre des futurs travaux, permettra à la France de maintenir son rayonnement international en matière de santé ainsi que d'offrir au pays, une valeur ajoutée médicale, économique, sociale et stratégique plus importante.",
		},
	}
}

// keyFigures is the « Chiffres clés de la filière » boilerplate: the sector as seed 004
// describes it, then its figures as seed 003 gives them, in French typography (thousands
// grouped with U+202F where the seed writes "3.100", typographic apostrophes).
var keyFigures = storage.Boilerplate{
	Title: "Chiffres clés de la filière",
	Text: "La filière ITS comprend l’ensemble des entreprises du territoire français concourant à la recherche, au développement, à la production et commercialisation dans le domaine de la santé\u00a0: laboratoires pharmaceutiques, dispositifs médicaux, diagnostic in vitro et entreprises du numérique.\n\n" +
		"La filière des Industries et Technologies de Santé regroupe aujourd’hui 3\u202f100 entreprises en France. Elles totalisent environ 455\u202f000 emplois directs et associés, et réalisent environ 100 milliards d’euros de chiffre d’affaires, dont 35,6 milliards d’euros à l’exportation.",
}

// The network's reaction to the review, written for the demo in the pôles' voice: it
// quotes the two statements and carries the sector's key figures.
const (
	reviewSlug  = "bilan-contrat-filiere-reaction-poles-sante"
	reviewTitle = "Bilan du contrat de filière : les Pôles Santé en réseau prêts à bâtir l’Alliance française de la bioproduction"
	reviewDay   = "2020-10-08"
	reviewLede  = "Les six Pôles Santé en réseau saluent le bilan d’étape du Contrat stratégique de la filière des Industries et technologies de santé, dressé par le Gouvernement et le Comité stratégique de filière. Ils mettent leurs 1 500 adhérents au service de la préfiguration de l’Alliance française de la bioproduction et de l’avenant attendu début 2021."
)

const reviewBody = `Le bilan présenté par Agnès Pannier-Runacher et Olivier Bogillot rejoint les mesures que les pôles proposaient en mai 2020 pour la souveraineté sanitaire de la France : accroître la capacité de production de produits de santé sur le territoire, et renforcer l’attractivité de la France pour la recherche et l’innovation en santé.

Les pôles accompagnent chaque jour les start-up, PME et ETI qui portent les projets structurants du contrat :

- **la bioproduction**, pour rendre les biomédicaments accessibles aux patients et les produire en France ;
- **l’intelligence artificielle en santé**, autour du Health Data Hub ;
- **la lutte contre l’antibiorésistance**, avec les acteurs académiques et industriels ;
- **l’international**, sous la marque French Healthcare.

Les Pôles Santé en réseau proposent de mettre leurs réseaux régionaux au service de la mission de préfiguration de l’Alliance française de la bioproduction, pour que les innovations de rupture issues de la recherche française trouvent leurs lignes de production sur le territoire.`

// review creates the statements and the key figures, then the network's reaction, which
// every co-signer approves and which is published: statements need no approval.
func (l *loader) review() error {
	var quoteIDs []uint64
	for _, q := range reviewStatements() {
		q.Kind, q.Date, q.Source, q.SourceURL = storage.QuoteStatement, reviewDate, reviewSource, reviewSourceURL
		if err := create(l, "déclaration de "+q.Speaker, &q); err != nil {
			return err
		}
		quoteIDs = append(quoteIDs, q.ID)
		l.sum.Statements++
	}
	figures := keyFigures
	if err := create(l, "texte "+figures.Title, &figures); err != nil {
		return err
	}
	l.sum.Boilerplates++
	c := &storage.Communique{
		Slug: reviewSlug, Title: reviewTitle, Place: "Paris", Date: reviewDay, Template: "mesures",
		Lede: reviewLede, Body: reviewBody, PoleIDs: l.ids.poles, QuoteIDs: quoteIDs,
		BoilerplateIDs: []uint64{figures.ID, l.ids.boilerplates[0]}, ContactIDs: l.ids.pressOfficers,
	}
	if err := create(l, "communiqué "+reviewSlug, c); err != nil {
		return err
	}
	l.sum.Communiques++
	return l.publish(c)
}
