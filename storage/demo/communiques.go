package demo

import "portevoix/storage"

// seed001 is the reference joint communiqué of May 2020; it was released, so the demo
// publishes it once every co-signer has approved it.
const (
	seed001Slug  = "souverainete-sanitaire-mesures-poles-sante"
	seed001Title = "Proposition de mesures par les Pôles santé en réseau pour faire face aux enjeux de souveraineté sanitaire et économique de la France révélés par la crise du COVID-19"
	seed001Lede  = "Pour renforcer la souveraineté sanitaire de la France, investir à court terme dans des lignes de production sur quelques produits et matières premières ne sera pas suffisant pour préparer le pays aux prochaines crises sanitaires. Les six Pôles Santé en réseau rappellent l’importance de créer un cadre attractif pour la production de produits de santé, la recherche et l’innovation en santé et identifient plusieurs leviers pour le faire."
)

// seed001Body is the context between the chapeau and the first axis, then the closing
// paragraphs; measures and quotes come from their own records. The bullets' lead-ins are
// bold, as in the original release.
const seed001Body = `La crise sanitaire que nous traversons a mis en exergue deux limites majeures de la France ayant pour conséquences une incapacité à soigner sa population et protéger ses soignants contre l’épidémie, mais également un arrêt général de nombreuses activités ayant des incidences économiques et sociales durables :

- **Des parcours de R&D et d’innovation trop complexes/contraignants, et un cadre réglementaire insuffisamment réactif pour permettre de faire bénéficier rapidement notre population des innovations en santé** : si la crise a démontré la capacité des autorités réglementaires à accélérer ses procédures d’autorisations, l’accès à la mise en place d’essais cliniques reste parmi les plus longs d’Europe ; les procédures de mises sur le marché accélérées sont bien plus longues et complexes qu’en Amérique du Nord ou en Asie ; le soutien à la recherche clinique et à l’industrialisation des produits de santé est limité.
- **L’extrême dépendance de la France à des fournisseurs étrangers de produits de santé** : à titre d’exemples : la France ne produit sur son territoire que 17% des produits thérapeutiques majeurs hospitaliers ; les réactifs nécessaires à l’utilisation des PCR sont exclusivement produits hors de l’Europe ; certains dispositifs médicaux de première nécessité sont majoritairement fabriqués hors des frontières européennes.

Ces réalités sont pointées depuis plus d’une décennie par l’ensemble des industries de produits de santé et les acteurs de la recherche clinique.

Face à ces enjeux de souveraineté sanitaire et économique, il apparaît nécessaire d’œuvrer au renforcement de l’attractivité de la France pour les industries de santé, et d’ancrer le tissu industriel pour répondre aux prochaines épreuves. Les six Pôles Santé en réseau identifient 2 champs d’actions à mettre en œuvre pour relever ces défis.

Pour faire converger l’ensemble des compétences françaises réparties sur le territoire national, il faudra accompagner ces mesures d’un renforcement de la multidisciplinarité, poursuivre le travail de mise en proximité entre les PMEs, les besoins cliniques, les atouts académiques et les industriels et avoir une vision transversale sur les technologies de la santé (technologies médicales, médicaments et santé numérique).

Les 6 pôles de compétitivité en santé, rassemblant 1 500 adhérents, dont 1 000 PMEs, pourront renforcer leurs actions de maillage et se feront l’écho de la puissance de l’écosystème santé national et poursuivront leurs efforts pour accroitre sa compétence et son attractivité.`

// The tribune of seed 000 has neither title nor date: the title is taken from its closing
// sentence, and "En 12 ans" after the pôles' creation in 2005 dates it to 2017 (the day is
// chosen). It stays a draft, so the demo also shows the approval flow.
const (
	tribuneSlug  = "tribune-poles-competitivite-sante"
	tribuneTitle = "La santé, un secteur économique à forte valeur ajoutée et un enjeu de souveraineté"
	tribuneDate  = "2017-10-02"
	tribuneLede  = "La réalité quotidienne au sein de nos pôles de compétitivité nous force à faire le constat que la santé, ses industries et l’ensemble de ses acteurs ne sont pas suffisamment perçus par l’Etat comme un élément clef de compétitivité, d’innovation et de croissance. Dans le même temps, le caractère stratégique de notre indépendance sanitaire ne semble pas être mesuré à sa juste importance. Nous le regrettons."
)

// tribuneBody is the rest of seed 000 with its footnote; the asterisks are escaped so that
// Markdown keeps them.
const tribuneBody = `Les industries de santé sont un des secteurs industriels les plus dynamiques et innovants au monde. En France, elles constituent un secteur riche en savoir-faire d’excellence, en entreprises innovantes et en valeur ajoutée. Deuxième filière industrielle française en matière de R&D, avec 11 % du PIB national pour un chiffre d’affaires annuel moyen de 65 milliards d’euros\*, elles contribuent non seulement à l’essor économique du pays, mais aussi à son rayonnement international (3ème secteur exportateur). Ces industries doivent impérativement rester compétitives et pour cela la France a l’obligation d’innover en permanence. Ces innovations sont pour l’essentiel développées par des TPE/PME françaises très largement accompagnées par les pôles de compétitivité et qui participent à l’ambition française de «Start-up nation». Ces entreprises recrutent nos diplômés français, font briller la France à l’international et sont les pourvoyeurs des solutions de santé de demain.

En 12 ans, les pôles compétitivité en santé dans leur capacité à fédérer les forces industrielles et académiques autour de l’innovation ont fait la preuve de leur efficacité. Ils soutiennent la mutation structurelle des industries de santé par leurs actions à destination des entreprises innovantes, favorisent les approches pluridisciplinaires qui rendent possible l’intégration de nouvelles technologies et répondent à de nouveaux enjeux de santé.

Cet aspect économique majeur est combiné à d’autres éléments spécifiques à notre domaine d’activité : Penser aujourd’hui la santé de demain afin de garantir à la population française un accès à des soins toujours plus performants. Le travail de mise en relation et de collaboration entre le monde académique, le monde hospitalier, les start-ups, les PME et les grands groupes a permis, et permettra demain, de mettre sur le marché et de rendre accessible au plus grand nombre les innovations en santé. De plus, le marché de la santé représente un débouché important pour d’autres technologies développées en France, comme le digital, le spatial, l’intelligence artificielle, les nanotechnologies… ou encore les nouveaux matériaux. Ces secteurs ont besoin de ce marché et de son dynamisme pour poursuivre leur croissance.

Parallèlement, assurer son indépendance sanitaire consiste pour la France et pour l’Europe à continuer de maîtriser sa politique de santé publique. Dans cette optique, le réseau industriel doit être structuré et innovant. Les pôles de compétitivité en santé ont pris toute leur part dans le développement et la consolidation de ce réseau de plus en plus efficient. L’indépendance sanitaire signifie, non seulement, l’accès à certaines innovations développées sur le territoire national, mais aussi le maintien de capacités de R&D fortes et d’une partie de la production industrielle (pharmaceutique, biotechnologique, medtech…) en France afin de pallier au maximum les ruptures d’approvisionnement. Les pôles de compétitivité en santé, en accompagnant les entreprises dans la production et la mise sur le marché de nouvelles solutions, jouent ce rôle de catalyseur et de développeur de l’écosystème national. Les projets labellisés par les pôles ont ainsi permis la mise sur le marché de 400 nouveaux produits ou services depuis leur création.

A l’heure actuelle, la place des pôles de compétitivité est réinterrogée. Régulièrement évaluées, ces structures, utiles et performantes, porteuses d’innovation sur le territoire national, visibles et très bien identifiées au niveau mondial, sont aussi modestes économiquement et légères en termes d’organisation. Extrêmement agiles, elles ont une réelle capacité à travailler ensemble. Les membres de nos réseaux reconnaissent et comprennent l’intérêt des pôles et de leurs actions - apporter de la stabilité au paysage et des clefs de lecture des enjeux - ce qui leur permet d’être focalisés sur leurs objectifs spécifiques tout en participant à une vision collective de l’innovation en santé. La constance et la structuration dans l’action ne sont-elles pas un moyen simple et efficace de favoriser l’innovation ?

Nous voulons continuer à porter cette vision des industries innovantes de la santé dans un paysage complexe et en mouvement et être force de proposition auprès de l’Etat, des Régions et de l’ensemble des pouvoirs publics. La santé ce n’est pas seulement un coût, c’est aussi un secteur économique à forte valeur ajoutée, qui participe de la compétitivité et de l’attractivité de notre pays, en même temps qu’un enjeu de souveraineté.

\*Sources chiffres clés : www.imfis.fr / du commerce extérieur en 2015. Source Douanes (Le Kiosque) / Coe-Rexecode Industries de santé, état des lieux et principaux enjeux, février 2016`

// communiques creates the seed-001 release from the records loaded before it, approves it
// in every co-signer's name and publishes it, then creates the tribune as a draft.
func (l *loader) communiques() error {
	release := &storage.Communique{
		Slug: seed001Slug, Title: seed001Title, Place: "Paris", Date: quoteDate, Template: "mesures",
		Lede: seed001Lede, Body: seed001Body, PoleIDs: l.ids.poles, MeasureIDs: l.ids.measures,
		QuoteIDs: l.ids.quotes, BoilerplateIDs: l.ids.boilerplates[:1], ContactIDs: l.ids.pressOfficers,
	}
	if err := create(l, "communiqué "+seed001Slug, release); err != nil {
		return err
	}
	if err := l.publish(release); err != nil {
		return err
	}
	tribune := &storage.Communique{
		Slug: tribuneSlug, Title: tribuneTitle, Place: "Paris", Date: tribuneDate, Template: "tribune",
		Lede: tribuneLede, Body: tribuneBody, PoleIDs: l.ids.poles, BoilerplateIDs: l.ids.boilerplates[1:],
	}
	if err := create(l, "communiqué "+tribuneSlug, tribune); err != nil {
		return err
	}
	l.sum.Communiques += 2
	return nil
}

// publish approves c for each co-signing pôle, then publishes it.
func (l *loader) publish(c *storage.Communique) error {
	for _, id := range c.PoleIDs {
		if _, err := l.s.ApproveCommunique(actor, c.ID, id); err != nil {
			return err
		}
	}
	if _, err := l.s.PublishCommunique(actor, c.ID); err != nil {
		return err
	}
	l.sum.Published++
	return nil
}
