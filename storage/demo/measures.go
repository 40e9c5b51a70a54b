package demo

import (
	"fmt"

	"portevoix/storage"
)

// The two "champs d'actions" of seed 001, as the brief spells them (lower-case "national",
// "jusqu'à" where the seed has "National" and "jusque").
const (
	productionAxis   = "Accroître la capacité de production de produits de santé au niveau national"
	attractivityAxis = "Renforcer l’attractivité du territoire pour la recherche et l’innovation en santé, jusqu’à l’accès au marché"
)

// demoMeasures are seed 001's bullet points, in order within each axis, the trailing ";"
// dropped and the PDF artefacts ("d’év olution", "TPE- PME", the footnote "Bpi 1") mended.
// Where the seed sets a measure's opening words in bold (axis 2), they are its title, which
// the template prints in bold before the text; axis 1's measures have none, as in the seed.
func demoMeasures() []storage.Measure {
	return []storage.Measure{
		{
			Axis: productionAxis, Rank: 1,
			Tags: []string{"investissement", "commande publique"},
			Text: "d’augmentation du budget des investissements du système de santé français et européen, et d’anticipation du carnet de commandes aux échelles régionale et nationale",
		},
		{
			Axis: productionAxis, Rank: 2,
			Tags: []string{"achats hospitaliers", "souveraineté"},
			Text: "d’évolution des critères d’achats hospitaliers, en créant une exception sanitaire aux règles d’achat public. Ceci doit permettre de faire valoir des achats de proximité pour des enjeux d’ordre social, environnemental et de souveraineté nationale en liant cet aspect à une meilleure intégration de la recherche clinique dans la chaine nationale de développement de l’innovation",
		},
		{
			Axis: productionAxis, Rank: 3,
			Tags: []string{"fiscalité", "emploi"},
			Text: "d’incitation fiscale sur des critères de qualité, d’environnement, d’emplois en France",
		},
		{
			Axis: productionAxis, Rank: 4,
			Tags: []string{"PME", "financement", "bioproduction"},
			Text: "de soutien financier au tissu de TPE-PME de la healthtech et à l’investissement productif en Santé : par l’accès aux fonds propres, le soutien à l’investissement pour la compétitivité et la versatilité des outils de production existants, et pour la création de nouveaux outils de production (subventions, avances remboursables, avantage fiscal …), de principes actifs chimiques, de dispositifs médicaux ou de biomédicaments à haute valeur ajoutée",
		},
		{
			Axis: attractivityAxis, Rank: 1, Title: "augmenter les crédits de la recherche académique en santé",
			Tags: []string{"recherche", "talents"},
			Text: "pour attirer les talents scientifiques exogènes, développer les politiques favorables au maintien des jeunes chercheurs, renforcer les centres d’excellence sur le territoire, notamment autour d’enjeux stratégiques tels que l’intelligence artificielle ou les biothérapies",
		},
		{
			Axis: attractivityAxis, Rank: 2, Title: "soutenir la recherche privée et la recherche collaborative",
			Tags: []string{"recherche", "financement"},
			Text: "en augmentant et en sanctuarisant les fonds Bpi et ANR dédiés à la santé et en renforçant le soutien aux phases cliniques et de mise en conformité dans le développement des produits",
		},
		{
			Axis: attractivityAxis, Rank: 3, Title: "rendre plus agiles les agences réglementant l’accès aux produits de santé (ANSM, HAS, AEM, ARS…)",
			Tags: []string{"réglementation", "accès au marché"},
			Text: "en renforçant leur niveau d’expertise et en faisant évoluer leur rôle pour accélérer l’accès à l’innovation pour les patients et les soignants",
		},
	}
}

// demoBoilerplates are the "À propos" paragraphs of seeds 001 and 000, verbatim but for the
// title's "A propos" and the doubled spaces.
func demoBoilerplates() []storage.Boilerplate {
	return []storage.Boilerplate{
		{
			Title: "À propos des Pôles Santé en Réseau",
			Text:  "Le réseau des Pôles Santé en Réseau a été constitué le 11 avril 2018 et regroupe les 6 pôles de compétitivité en santé français - Atlanpole Biotherapies, Clubster NSL, Eurobiomed, France Biovalley, Lyonbiopôle et Medicen Paris Region. Le réseau vise à valoriser les résultats des actions des pôles santé depuis 2005 au bénéfice du secteur de la santé en France et à l’international. Ensemble, ces pôles regroupent plus de 1 500 adhérents, dont 1 000 PME. De grandes entreprises, des institutions académiques, des collectivités territoriales, des hôpitaux et établissements de soins renforcent cet écosystème unique et dynamique. Les projets labellisés par les pôles représentent près de 5 milliards d’euros et rassemblent à eux seuls près de 1 000 adhérents. Les projets achevés ont permis la mise sur le marché de 400 produits ou services ainsi que la création de 54 entreprises. Forts de ce bilan, les 6 pôles œuvrent à intensifier leurs actions communes de façon à faire reconnaitre la capacité d’innovation de leurs adhérents ainsi que le poids économique des filières santé qu’ils représentent.",
		},
		{
			Title: "À propos des pôles de compétitivité Santé en France",
			Text:  "Les sept pôles de compétitivité en santé français - Alsace Biovalley, Atlanpole Biotherapies, Cancer-Bio-Santé, Eurobiomed, Lyonbiopôle, Medicen Paris Region et Nutrition-Santé-Longévité - regroupent 1 300 adhérents, dont 1 000 PME. De grandes entreprises, des institutions académiques, des collectivités territoriales, des hôpitaux et établissements de soins renforcent cet écosystème unique et dynamique. Les projets labellisés par les pôles représentent près de 5 milliards d’euros. Près de 1 000 adhérents, dont 748 PME, ont participé ou participent à ces projets. Les projets achevés ont permis la mise sur le marché de 400 produits ou services. Ces entreprises sont créatrices de nombreux emplois qualifiés directs, car à fort potentiel de croissance et à des centaines d’emplois indirects.",
		},
	}
}

func (l *loader) measures() error {
	for _, m := range demoMeasures() {
		if err := create(l, fmt.Sprintf("mesure %d de l’axe « %s »", m.Rank, m.Axis), &m); err != nil {
			return err
		}
		l.ids.measures = append(l.ids.measures, m.ID)
		l.sum.Measures++
	}
	return nil
}

func (l *loader) boilerplates() error {
	for _, b := range demoBoilerplates() {
		if err := create(l, "texte "+b.Title, &b); err != nil {
			return err
		}
		l.ids.boilerplates = append(l.ids.boilerplates, b.ID)
		l.sum.Boilerplates++
	}
	return nil
}
