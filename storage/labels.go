package storage

// noun is how French messages name a kind of record; the gender drives agreement
// ("citation introuvable (supprimée ?)").
type noun struct {
	name     string
	feminine bool
}

// kindNames names the records of each bucket.
var kindNames = map[string]noun{
	"poles": {"pôle", false}, "people": {"porte-parole", false}, "quotes": {"citation", true},
	"measures": {"mesure", true}, "boilerplates": {"texte «\u202fÀ propos\u202f»", false},
	"contacts": {"contact", false}, "lists": {"liste", true}, "communiques": {"communiqué", false},
	"campaigns": {"campagne", true}, "users": {"utilisateur", false}, "tokens": {"jeton", false},
	"deliveries": {"envoi", false}, "sessions": {"session", true},
}

// KindName is the French name of a bucket's records ("citation" for "quotes"), or kind
// itself when it has none: the audit log's page names the records of each entry.
func KindName(kind string) string {
	if n, ok := kindNames[kind]; ok {
		return n.name
	}
	return kind
}

// agree returns the masculine or the feminine form of an adjective for the noun.
func (n noun) agree(masculine, feminine string) string {
	if n.feminine {
		return feminine
	}
	return masculine
}

// statusLabels names the statuses of each bucket's records in French.
var statusLabels = map[string]map[string]string{
	"quotes": {QuoteDraft: "brouillon", QuotePending: "en attente d’approbation", QuoteApproved: "approuvée",
		QuoteWithdrawn: "retirée"},
	"communiques": {CommuniqueDraft: "brouillon", CommuniqueApproved: "approuvé", CommuniquePublished: "publié",
		CommuniqueWithdrawn: "retiré"},
	"campaigns": {CampaignDraft: "brouillon", CampaignScheduled: "programmée", CampaignSending: "envoi en cours",
		CampaignPaused: "en pause", CampaignDone: "terminée", CampaignCancelled: "annulée"},
	"deliveries": {DeliveryPending: "en attente", DeliverySending: "envoi en cours", DeliverySent: "envoyé",
		DeliveryFailed: "échec", DeliverySkipped: "non envoyé"},
}

// StatusLabel returns the French word for a status of the records in bucket ("quotes",
// "communiques", "campaigns", "deliveries"), for messages and screens: "draft" is
// "brouillon". An unknown status comes back as it is.
func StatusLabel(bucket, status string) string {
	if label, ok := statusLabels[bucket][status]; ok {
		return label
	}
	return status
}
