package templatestest

import (
	"time"

	"portevoix/storage"
	"portevoix/templates"
)

// Seed000 returns the input of the collective op-ed (seeds/000_9fc579e2a9f84107.txt) for
// the "tribune" template: the seed's paragraphs verbatim (double spaces, «Start-up
// nation», the footnote with its URL), signed by the seven pôles it names, with its
// "À propos" boilerplate. The seed has no title: the title here is ours. Dated
// 1 March 2017 in Paris, no embargo, no quotes, no contacts.
func Seed000(now time.Time) templates.Input {
	pole := func(id uint64, name string, regions ...string) storage.Pole {
		return storage.Pole{Meta: meta(id, now), Name: name, ShortName: name, Regions: regions}
	}
	in := templates.Input{
		Poles: []storage.Pole{
			pole(1, "Alsace Biovalley", "Grand Est"),
			pole(2, "Atlanpole Biotherapies", "Pays de la Loire"),
			pole(3, "Cancer-Bio-Santé", "Occitanie"),
			pole(4, "Eurobiomed", "Occitanie", "Provence-Alpes-Côte d'Azur"),
			pole(5, "Lyonbiopôle", "Auvergne-Rhône-Alpes"),
			pole(6, "Medicen Paris Region", "Île-de-France"),
			pole(7, "Nutrition-Santé-Longévité", "Hauts-de-France"),
		},
		Boilerplates: []storage.Boilerplate{{
			Meta:  meta(2, now),
			Title: "À propos des pôles de compétitivité Santé en France",
			Text:  seed000About,
		}},
		Now: now,
	}
	in.Communique = storage.Communique{
		Meta:           meta(2, now),
		Slug:           "tribune-poles-sante",
		Title:          "La santé n'est pas seulement un coût : un enjeu de compétitivité et de souveraineté",
		Place:          "Paris",
		Date:           "2017-03-01",
		Body:           seed000Body,
		BoilerplateIDs: []uint64{2},
		Template:       "tribune",
		Status:         storage.CommuniqueDraft,
	}
	for _, p := range in.Poles {
		in.Communique.PoleIDs = append(in.Communique.PoleIDs, p.ID)
	}
	return in
}

const seed000Body = `La  réalité quotidienne au sein de nos pôles de compétitivité nous force à  faire le constat que la santé, ses industries et l’ensemble de ses  acteurs ne sont pas suffisamment perçus par l’Etat comme un élément clef  de compétitivité, d’innovation et de croissance. Dans le même temps, le  caractère stratégique de notre indépendance sanitaire ne semble pas  être mesuré à sa juste importance. Nous le regrettons.

Les  industries de santé sont un des secteurs industriels les plus  dynamiques et innovants au monde. En France, elles constituent un  secteur riche en savoir-faire d’excellence, en entreprises innovantes et  en valeur ajoutée. Deuxième filière industrielle française en matière de R&D, avec 11 % du PIB national pour un chiffre d’affaires annuel  moyen de 65 milliards d’euros\*, elles contribuent non seulement à  l’essor économique du pays, mais aussi à son rayonnement international  (3ème secteur exportateur). Ces industries doivent  impérativement rester compétitives et pour cela la France a l’obligation  d’innover en permanence. Ces innovations sont pour l’essentiel  développées par des TPE/PME françaises très largement accompagnées par  les pôles de compétitivité et qui participent à l’ambition française de «Start-up nation». Ces entreprises recrutent nos diplômés français,  font briller la France à l’international et sont les pourvoyeurs des  solutions de santé de demain.

En  12 ans, les pôles compétitivité en santé dans leur capacité à fédérer  les forces industrielles et académiques autour de l’innovation ont fait  la preuve de leur efficacité. Ils soutiennent la mutation structurelle  des industries de santé par leurs actions à destination des entreprises innovantes, favorisent les approches pluridisciplinaires qui rendent  possible l’intégration de nouvelles technologies et répondent à de  nouveaux enjeux de santé.

Cet  aspect économique majeur est combiné à d’autres éléments spécifiques à  notre domaine d’activité : Penser aujourd’hui la santé de demain afin de  garantir à la population française un accès à des soins toujours plus  performants. Le travail de mise en relation et de collaboration entre le  monde académique, le monde hospitalier, les start-ups, les PME et les  grands groupes a permis, et permettra demain, de mettre sur le marché et  de rendre accessible au plus grand nombre les innovations en santé. De plus, le marché de la santé représente un débouché important pour  d’autres technologies développées en France, comme le digital, le  spatial, l’intelligence artificielle, les nanotechnologies… ou encore  les nouveaux matériaux. Ces secteurs ont besoin de ce marché et de son  dynamisme pour poursuivre leur croissance.

Parallèlement,  assurer son indépendance sanitaire consiste pour la France et pour l’Europe à continuer de maîtriser sa politique de santé publique. Dans  cette optique, le réseau industriel doit être structuré et innovant. Les  pôles de compétitivité en santé ont pris toute leur part dans le  développement et la consolidation de ce réseau de plus en plus  efficient. L’indépendance sanitaire signifie, non seulement, l’accès à  certaines innovations développées sur le territoire national, mais aussi  le maintien de capacités de R&D fortes et d’une partie de la  production industrielle (pharmaceutique, biotechnologique, medtech…) en  France afin de pallier au maximum les ruptures d’approvisionnement. Les  pôles de compétitivité en santé, en accompagnant les entreprises dans la  production et la mise sur le marché de nouvelles solutions, jouent ce  rôle de catalyseur et de développeur de l’écosystème national. Les  projets labellisés par les pôles ont ainsi permis la mise sur le marché  de 400 nouveaux produits ou services depuis leur création.

A  l’heure actuelle, la place des pôles de compétitivité est réinterrogée.  Régulièrement évaluées, ces structures, utiles et performantes,  porteuses d’innovation sur le territoire national, visibles et très bien  identifiées au niveau mondial, sont aussi modestes économiquement et  légères en termes d’organisation. Extrêmement agiles, elles ont une réelle capacité à travailler ensemble. Les membres de nos réseaux  reconnaissent et comprennent l’intérêt des pôles et de leurs actions -  apporter de la stabilité au paysage et des clefs de lecture des enjeux -  ce qui leur permet d’être focalisés sur leurs objectifs spécifiques  tout en participant à une vision collective de l’innovation en santé. La constance et la structuration dans l’action ne sont-elles pas un moyen  simple et efficace de favoriser l’innovation ?

Nous  voulons continuer à porter cette vision des industries innovantes de la  santé dans un paysage complexe et en mouvement et être force de  proposition auprès de l’Etat, des Régions et de l’ensemble des pouvoirs  publics. La santé ce n’est pas seulement un coût, c’est aussi un secteur  économique à forte valeur ajoutée, qui participe de la compétitivité et  de l’attractivité de notre pays, en même temps qu’un enjeu de souveraineté.

\*Sources chiffres clés : www.imfis.fr  / du  commerce extérieur en 2015. Source Douanes (Le Kiosque) / Coe-Rexecode  Industries de santé, état des lieux et principaux enjeux, février 2016
`

const seed000About = "Les  sept pôles de compétitivité en santé français - Alsace Biovalley,  Atlanpole Biotherapies, Cancer-Bio-Santé, Eurobiomed, Lyonbiopôle,  Medicen Paris Region et Nutrition-Santé-Longévité - regroupent  1 300 adhérents, dont 1 000 PME. De grandes entreprises, des  institutions académiques, des collectivités territoriales, des hôpitaux  et établissements de soins renforcent cet écosystème unique et  dynamique. Les projets labellisés par les pôles représentent près de 5  milliards d’euros. Près de 1 000 adhérents, dont 748 PME, ont participé  ou participent à ces projets. Les projets achevés ont permis la mise sur  le marché de 400 produits ou services. Ces entreprises sont créatrices  de nombreux emplois qualifiés directs, car à fort potentiel de  croissance et à des centaines d’emplois indirects."
