package storage

import "time"

// Meta is what every stored record carries. IDs come from the bucket's sequence,
// so they sort by creation.
type Meta struct {
	ID        uint64    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// UpdatedBy made the last write (a user's email, "cli", "system"): a write refused as
	// stale says who changed the record in the meantime.
	UpdatedBy string `json:"updated_by,omitempty"`
	// Version counts the record's writes from 1; the API shows it as the ETag that
	// If-Match sends back. Records stored before versions existed read as version 1.
	Version uint64 `json:"version"`
}

func (m *Meta) meta() *Meta { return m }

// Pole is a competitiveness cluster (pôle de compétitivité).
type Pole struct {
	Meta
	Name        string   `json:"name"`
	ShortName   string   `json:"short_name"`
	Regions     []string `json:"regions"`
	Website     string   `json:"website"`
	Description string   `json:"description"`
	// LogoType is "image/png" or "image/jpeg" when a logo was uploaded; the bytes live in
	// the logos bucket so that listing pôles stays cheap.
	LogoType string `json:"logo_type,omitempty"`
}

// Person is a spokesperson of a pôle.
type Person struct {
	Meta
	Name   string `json:"name"`
	Title  string `json:"title"`
	PoleID uint64 `json:"pole_id"`
}

// Quote statuses.
const (
	QuoteDraft     = "draft"
	QuotePending   = "pending"
	QuoteApproved  = "approved"
	QuoteWithdrawn = "withdrawn"
)

// Quote kinds.
const (
	// QuoteSpokesperson is said by a spokesperson of a pôle for a communiqué: publishable
	// only once the speaker approved it.
	QuoteSpokesperson = "spokesperson"
	// QuoteStatement is a public statement by someone outside the pôles (a minister, a
	// sector committee): it needs no approval, but it carries its source and is shown as
	// a quotation of that source.
	QuoteStatement = "statement"
)

// Quote is something a spokesperson said, publishable only once approved, or a public
// statement quoted from its source.
type Quote struct {
	Meta
	Kind       string     `json:"kind"`      // QuoteSpokesperson (default) or QuoteStatement
	PersonID   uint64     `json:"person_id"` // the spokesperson; 0 for a statement
	Text       string     `json:"text"`
	Date       string     `json:"date"` // YYYY-MM-DD, may be empty; required for a statement
	Tags       []string   `json:"tags"`
	Source     string     `json:"source"` // where it was said; required for a statement
	Status     string     `json:"status"`
	ApprovedBy string     `json:"approved_by,omitempty"` // email of the user who recorded the approval
	ApprovedAt *time.Time `json:"approved_at,omitempty"`
	// ApprovedVia is how the speaker approved: ApprovalByEmail, ApprovalInPerson, or ""
	// when not said (approvals recorded through the API).
	ApprovedVia string `json:"approved_via,omitempty"`
	// A statement's speaker, outside the pôles, and the address of its source.
	Speaker      string `json:"speaker,omitempty"`
	SpeakerTitle string `json:"speaker_title,omitempty"`
	SourceURL    string `json:"source_url,omitempty"`
}

// How a speaker approved a quote.
const (
	ApprovalByEmail  = "email"     // « par courriel »
	ApprovalInPerson = "in_person" // « de vive voix »
)

// IsStatement reports whether the quote is a public statement rather than a
// spokesperson's quote.
func (v *Quote) IsStatement() bool { return v.Kind == QuoteStatement }

// Measure is one of the network's policy asks, under an axis (champ d'action).
type Measure struct {
	Meta
	Axis  string   `json:"axis"`
	Text  string   `json:"text"`
	Title string   `json:"title"`
	Tags  []string `json:"tags"`
	Rank  int      `json:"rank"`
}

// Boilerplate is a reusable paragraph such as "À propos des Pôles Santé en Réseau".
type Boilerplate struct {
	Meta
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Contact kinds.
const (
	KindJournalist   = "journalist"
	KindPressOfficer = "press_officer"
	KindAgency       = "agency"
	KindOther        = "other"
)

// Contact is a press contact: a journalist, a pôle's press officer, an agency.
type Contact struct {
	Meta
	FirstName    string     `json:"first_name"`
	LastName     string     `json:"last_name"`
	Email        string     `json:"email"`
	Phone        string     `json:"phone"`
	Organization string     `json:"organization"`
	Kind         string     `json:"kind"`
	Regions      []string   `json:"regions"`
	Tags         []string   `json:"tags"`
	PoleID       uint64     `json:"pole_id,omitempty"`
	Language     string     `json:"language"`
	Source       string     `json:"source"`
	LawfulBasis  string     `json:"lawful_basis"`
	OptedOut     bool       `json:"opted_out"`
	OptedOutAt   *time.Time `json:"opted_out_at,omitempty"`
	Bounced      bool       `json:"bounced"`
}

// List is a set of recipients: a rule (regions, tags, kinds) and/or explicit members.
type List struct {
	Meta
	Name      string   `json:"name"`
	Regions   []string `json:"regions"`
	Tags      []string `json:"tags"`
	Kinds     []string `json:"kinds"`
	MemberIDs []uint64 `json:"member_ids"`
}

// User roles, from least to most powerful.
const (
	RoleViewer = "viewer"
	RoleEditor = "editor"
	RoleAdmin  = "admin"
)

// User is a staff account.
type User struct {
	Meta
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	// Disabled accounts can neither sign in nor use their tokens; their records and audit
	// entries stay.
	Disabled bool `json:"disabled,omitempty"`
}

// Token is an API token; only the SHA-256 of the secret is stored.
type Token struct {
	Meta
	UserID uint64 `json:"user_id"`
	Name   string `json:"name"`
}

// AuditEntry records who changed what, and when.
type AuditEntry struct {
	ID       uint64    `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"` // user email, or "cli"/"system"
	Action   string    `json:"action"`
	Kind     string    `json:"kind"`
	RecordID uint64    `json:"record_id"`
	Detail   string    `json:"detail,omitempty"`
}

// Communiqué statuses.
const (
	CommuniqueDraft     = "draft"
	CommuniqueApproved  = "approved"
	CommuniquePublished = "published"
	// CommuniqueWithdrawn is a published communiqué taken off the newsroom (a correction,
	// a mistake); the staff keep it, with its publication snapshot, in their records.
	CommuniqueWithdrawn = "withdrawn"
)

// Communique is a joint press release, composed from the other records by a template.
type Communique struct {
	Meta
	Slug           string     `json:"slug"`
	Title          string     `json:"title"`
	Subtitle       string     `json:"subtitle"`
	Place          string     `json:"place"`
	Date           string     `json:"date"` // YYYY-MM-DD
	EmbargoUntil   *time.Time `json:"embargo_until,omitempty"`
	Lede           string     `json:"lede"`
	Body           string     `json:"body"` // Markdown
	PoleIDs        []uint64   `json:"pole_ids"`
	MeasureIDs     []uint64   `json:"measure_ids"`
	QuoteIDs       []uint64   `json:"quote_ids"`
	BoilerplateIDs []uint64   `json:"boilerplate_ids"`
	ContactIDs     []uint64   `json:"contact_ids"`
	Template       string     `json:"template"` // "mesures", "tribune", …
	Status         string     `json:"status"`
	Approvals      []Approval `json:"approvals"`
	// PastApprovals are the approvals an edit cleared, the latest of each pôle: each names
	// the revision approved, so its pôle sees what changed since.
	PastApprovals []Approval `json:"past_approvals,omitempty"`
	PublishedAt   *time.Time `json:"published_at,omitempty"`
	Revision      int        `json:"revision"`
	// Set by WithdrawCommunique only; the reason is for the staff, the public sees none.
	WithdrawnAt      *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnBy      string     `json:"withdrawn_by,omitempty"`
	WithdrawalReason string     `json:"withdrawal_reason,omitempty"`
}

// Approval records that a co-signing pôle approved the current text.
type Approval struct {
	PoleID uint64    `json:"pole_id"`
	By     string    `json:"by"` // the account that recorded it
	At     time.Time `json:"at"`
	// Revision is the revision of the communiqué that was approved.
	Revision int `json:"revision,omitempty"`
	// Via is how: ApprovalAsMember (the account belongs to the pôle), ApprovalByEmail or
	// ApprovalInPerson (recorded on the pôle's behalf), "" through the API.
	Via string `json:"via,omitempty"`
	// Approver names who gave the pôle's approval when it was recorded on its behalf.
	Approver string `json:"approver,omitempty"`
}

// ApprovalAsMember: the account recording a pôle's approval belongs to that pôle.
const ApprovalAsMember = "member"

// Campaign statuses.
const (
	CampaignDraft     = "draft"
	CampaignScheduled = "scheduled"
	CampaignSending   = "sending"
	CampaignPaused    = "paused"
	CampaignDone      = "done"
	CampaignCancelled = "cancelled"
)

// Campaign sends one communiqué to the recipients of some lists.
type Campaign struct {
	Meta
	CommuniqueID uint64     `json:"communique_id"`
	ListIDs      []uint64   `json:"list_ids"`
	Subject      string     `json:"subject"`
	Pitch        string     `json:"pitch"`    // Markdown, shown above the communiqué
	Greeting     string     `json:"greeting"` // GreetingName, GreetingFormal or GreetingNone
	ScheduledAt  *time.Time `json:"scheduled_at,omitempty"`
	Status       string     `json:"status"`
	StartedAt    *time.Time `json:"started_at,omitempty"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
}

// How a campaign's messages greet their recipient.
const (
	GreetingName   = "name"   // « Bonjour Prénom, » (« Madame, Monsieur, » when the first name is unknown)
	GreetingFormal = "formal" // « Madame, Monsieur, »
	GreetingNone   = "none"   // no greeting: the pitch opens the message
)

// Delivery statuses.
const (
	DeliveryPending = "pending"
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliverySkipped = "skipped"
)

// Delivery is one recipient of a campaign; fixed when the campaign starts.
type Delivery struct {
	ID            uint64     `json:"id"`
	CampaignID    uint64     `json:"campaign_id"`
	ContactID     uint64     `json:"contact_id"`
	Email         string     `json:"email"`
	Name          string     `json:"name"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error,omitempty"`
	MessageID     string     `json:"message_id"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	FirstAttempt  *time.Time `json:"first_attempt_at,omitempty"` // retries stop 24 h after it
	At            *time.Time `json:"at,omitempty"`               // time of the last status change
}
