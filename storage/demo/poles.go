package demo

import "portevoix/storage"

// quoteDate is the date of seed 001, the joint communiqué of May 2020: the seed gives only
// the month, so the quotes are dated on the day of its release, 12 May 2020.
const quoteDate = "2020-05-12"

// communiqueSource is where the quotes and the press officers come from.
const communiqueSource = "Communiqué des Pôles Santé en réseau, mai 2020"

// The six pôles of seed 001. Their descriptions are seed 002's paragraphs, verbatim.
const (
	atlanpole  = "Atlanpole Biotherapies"
	biovalley  = "BioValley France"
	clubster   = "Clubster NSL"
	eurobiomed = "Eurobiomed"
	lyonbio    = "Lyonbiopôle"
	medicen    = "Medicen Paris Region"
)

func demoPoles() []storage.Pole {
	return []storage.Pole{
		{
			Name: atlanpole, ShortName: "Atlanpole", Website: "https://www.atlanpolebiotherapies.com",
			Regions:     []string{pdlRegion, bretagneRegion, centreRegion},
			Description: "Atlanpole Biotherapies est un pôle de compétitivité interrégional Pays de la Loire – Bretagne – Centre Val de Loire, d’envergure internationale centré sur les biothérapies, labellisé par le ministère de l’Industrie (juillet 2005). Le pôle participe à la construction de la médecine de demain autour de quatre axes : l’immunothérapie, les radiopharmaceutiques, la médecine régénératrice, les technologies innovantes pour les biothérapies, qui concernent notamment la médecine personnalisée avec l’exploitation des smart data.",
		},
		{
			Name: biovalley, ShortName: "BioValley", Website: "https://www.biovalley-france.com",
			Regions:     []string{grandEstRegion},
			Description: "Alsace BioValley participe activement aux projets structurants et collaboratifs du Grand Est. Il contribue notamment à la mise en relation des différents acteurs et à la création de partenariats régionaux, nationaux et internationaux. Le Pôle s’appuie sur un réseau dynamique d’entreprises, une recherche académique et clinique de premier plan, ainsi qu’un réseau intégré de partenaires, acteurs-clés de l’innovation. Il s’insère dans la BioValley, un cluster qui concentre plus de 600 entreprises françaises, allemandes et suisses, propice aux coopérations transfrontalières.",
		},
		{
			Name: clubster, ShortName: "Clubster NSL", Website: "https://www.clubster-nsl.com",
			Regions:     []string{hdfRegion},
			Description: "Le Pôle de Compétitivité Nutrition Santé Longévité (NSL) compte aujourd’hui plus de 120 membres issus des secteurs de l’agroalimentaire, de la pharmacie, des biotechnologies innovantes, ainsi que des centres de recherche investis dans le domaine de la Nutrition Santé. Sa mission est de contribuer au développement de ses membres sur deux marchés en forte croissance : celui des aliments et des ingrédients fonctionnels ainsi que celui des traitements médicamenteux des maladies métaboliques et pathologies liées au vieillissement. Le Pôle NSL a accompagné plus de 20 projets du Programme d’Investissement d’Avenir avec notamment un soutien de la recherche académique d’excellence sur le diabète et les maladies neurodégénératives. Il a ainsi contribué à la mise sur le marché de plus de 30 produits et services.",
		},
		{
			Name: eurobiomed, ShortName: "Eurobiomed", Website: "https://www.eurobiomed.org",
			Regions:     []string{occitanieRegion, pacaRegion},
			Description: "EUROBIOMED, fondé en 2009 par l’ensemble des acteurs de la filière santé des régions Occitanie Est et Provence Alpes Côte d’Azur, le pôle de compétitivité EUROBIOMED fédère à ses côtés tous les acteurs du territoire : enseignement, recherche fondamentale, translationnelle et clinique, centres d’innovation technologique, start-up et success stories industrielles. EUROBIOMED est avant tout un collectif qui vise à développer les interactions entre acteurs de la filière, à accompagner l’innovation et la croissance de la filière et des acteurs publics et privés et à être un interlocuteur pour les pouvoirs publics afin de les accompagner dans la mise en place de réponses adaptées aux enjeux du secteur.",
		},
		{
			Name: lyonbio, ShortName: "Lyonbiopôle", Website: "https://www.lyonbiopole.com",
			Regions:     []string{araRegion},
			Description: "Lyonbiopôle est le pôle de compétitivité santé de la région Auvergne-Rhône-Alpes. Guichet unique de la santé en région, il soutient les projets et les entreprises du secteur et a pour vocation de renforcer le développement d’innovations technologiques, produits et services pour une médecine personnalisée au bénéfice des patients. Ses quatre domaines d’actions stratégiques sont : les médicaments à usage humain, les médicaments vétérinaires, le diagnostic in vitro et les dispositifs médicaux et technologies médicales. Le pôle est certifié label Gold par l’European Cluster Excellence Initiative.",
		},
		{
			Name: medicen, ShortName: "Medicen", Website: "https://www.medicen.org",
			Regions:     []string{idfRegion},
			Description: "Medicen Paris Region est un pôle de compétitivité des technologies innovantes en santé, à rayonnement national et international. Il mobilise plus de 350 entreprises, organismes académiques, hôpitaux et collectivités territoriales autour d’une même ambition : positionner l’Île-de-France en premier cluster de santé d’Europe. Depuis la création du pôle en 2005, 62 produits innovants ont été commercialisés dans les domaines de l’imagerie, des dispositifs médicaux et des outils biologiques. 292 projets ont été labellisés et financés par l’État (Fonds unique interministériel, Projets structurants), Bpifrance, l’Agence Nationale de Recherche, le Fonds Européen de Développement Régional, les Investissements d’Avenir (exGrand Emprunt) et/ou par les collectivités territoriales, la Région Île-de-France.",
		},
	}
}

// spokesperson is a speaker of seed 001 with the one quote the communiqué gives them.
type spokesperson struct {
	name, title, pole string
	quote             string // verbatim, without the « » the templates add
	tags              []string
}

// demoSpokespeople lists the speakers in the communiqué's order, so quote ids follow it.
func demoSpokespeople() []spokesperson {
	return []spokesperson{
		{
			name: "Etienne Vervaecke", title: "Directeur général", pole: clubster,
			quote: "Les ruptures d’approvisionnement de nos hôpitaux en produits de santé sont en constantes augmentations depuis dix ans, la crise a permis une prise de conscience de l’enjeu de souveraineté que cela représente. La dépendance de notre pays est le résultat de combinaison de plusieurs facteurs dont les restrictions budgétaires et un soutien à l’innovation insuffisant pour les produits de santé.",
			tags:  []string{"souveraineté", "approvisionnement", "innovation"},
		},
		{
			name: "Franck Grimaud", title: "Président", pole: atlanpole,
			quote: "La puissance d’innovation des entreprises de biotechnologies est la clé de voûte de la souveraineté nationale et européenne en matière de santé. Agiles et réactives, elles sont vite parties au front et n’ont pas tardé à proposer des solutions pendant la crise sanitaire. Soutenir ces entreprises et encourager la bioproduction sur le territoire français est impératif pour se préparer à une prochaine crise",
			tags:  []string{"souveraineté", "biotech", "bioproduction"},
		},
		{
			name: "Michaël Danon", title: "Président", pole: eurobiomed,
			quote: "Tant que la règle des achats hospitaliers reste le moindre coût, les fournisseurs resteront massivement des acteurs non européens qui n’ont pas les mêmes contraintes sociales et environnementales que nos entreprises",
			tags:  []string{"achats hospitaliers", "souveraineté", "industrie"},
		},
		{
			name: "Séverine Sigrist", title: "Présidente", pole: biovalley,
			quote: "Il faut anticiper de futures crises sanitaires, nous aurons besoin des produits innovants de santé, et la France doit devenir plus attractive pour leur développement clinique, l’accès au marché et leur production sur le territoire. C’est le meilleur moyen pour donner accès à l’innovation pour nos soignants et notre population",
			tags:  []string{"attractivité", "accès au marché", "innovation"},
		},
		{
			name: "Christian Lajoux", title: "Président", pole: medicen,
			quote: "Les enjeux d’indépendance sanitaire pour la France sont majeurs, comme la pandémie nous l’a douloureusement rappelé. Soutenir le tissu d’entreprises innovantes en santé, à toutes les étapes de la filière, sera capital, pour permettre l’avènement durable de nouvelles technologies et préserver nos compétences et projets. Le rôle de proximité des Pôles et leur ancrage sur leurs territoires sera un atout précieux dans la période qui s’annonce.",
			tags:  []string{"souveraineté", "innovation", "territoires"},
		},
		{
			name: "Florence Agostino-Etchetto", title: "Directrice générale", pole: lyonbio,
			quote: "L’innovation en santé, nécessaire face à une situation de crise sanitaire, est le fruit de synergies et de collaborations. C’est dans ce contexte que notre rôle prend tout son sens. Depuis plus de 15 ans, nous œuvrons en faveur du développement de programmes collaboratifs et construisons des ponts entre les acteurs locaux, européens et mondiaux. La France a de nombreux atouts à faire valoir : des capacités d’innovation, des compétences, un tissu solide d’académiques, de grands industriels, de PME et de start-ups. Nous disposons des outils pour avancer collectivement vers le même objectif : assurer notre souveraineté et faire face aux défis à venir. Une condition pour que cela fonctionne : des mesures pérennes portées par une vision à long terme qui prend en considération toute la chaîne de valeur",
			tags:  []string{"innovation", "collaboration", "souveraineté"},
		},
	}
}

func (l *loader) poles() error {
	for _, p := range demoPoles() {
		if err := create(l, "pôle "+p.Name, &p); err != nil {
			return err
		}
		l.poleIDs[p.Name] = p.ID
		l.ids.poles = append(l.ids.poles, p.ID)
		l.sum.Poles++
	}
	return nil
}

// spokespeople creates each speaker, then their quote, which it approves: the speakers
// approved these words when the communiqué was released.
func (l *loader) spokespeople() error {
	for _, sp := range demoSpokespeople() {
		person := &storage.Person{Name: sp.name, Title: sp.title, PoleID: l.poleIDs[sp.pole]}
		if err := create(l, "porte-parole "+sp.name, person); err != nil {
			return err
		}
		l.sum.People++
		q := &storage.Quote{PersonID: person.ID, Text: sp.quote, Date: quoteDate, Tags: sp.tags, Source: communiqueSource}
		if err := create(l, "citation de "+sp.name, q); err != nil {
			return err
		}
		if _, err := l.s.ApproveQuote(actor, q.ID, ""); err != nil {
			return err
		}
		l.ids.quotes = append(l.ids.quotes, q.ID)
		l.sum.Quotes++
	}
	return nil
}
