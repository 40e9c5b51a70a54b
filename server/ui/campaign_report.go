package ui

import (
	"encoding/csv"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// outcome is a delivery's state as the report shows it: "retrying" stands apart from
// "pending" (a temporary refusal, another try due later).
func outcome(d *storage.Delivery) string {
	if d.Status == storage.DeliveryPending && d.Attempts > 0 {
		return "retrying"
	}
	if d.Status == storage.DeliverySending {
		return storage.DeliveryPending
	}
	return d.Status
}

// deliveryLabels names a delivery's status, or its report outcome ("retrying"), in French.
var deliveryLabels = map[string]string{
	storage.DeliveryPending: "en attente", storage.DeliverySending: "en cours d’envoi", storage.DeliverySent: "envoyé",
	storage.DeliveryFailed: "échec", storage.DeliverySkipped: "non envoyé", "retrying": "nouvel essai prévu",
}

// outcomeOptions are the report's status filter.
var outcomeOptions = []Option{{"", "Tous"}, {storage.DeliverySent, "Envoyés"}, {storage.DeliveryFailed, "Échecs"},
	{"retrying", "Nouvel essai prévu"}, {storage.DeliveryPending, "En attente"}, {storage.DeliverySkipped, "Non envoyés"}}

// reportRow is one journalist's outcome.
type reportRow struct {
	ContactID uint64
	Name      string
	Email     string
	Regions   []string
	Outcome   string
	Label     string
	Why       string // the error, explained in French
	Attempts  int
	At        string
}

type reportPage struct {
	Campaign *storage.Campaign
	Progress progress
	Form     *Form
	Statuses []Option
	Regions  []Option
	Rows     []reportRow
	Chart    chart
	CSV      string // the export's address, with the filters
	// Retriable says what a retry would send again: "2 envois en échec ou en attente".
	Retriable string
}

// noRegion groups the contacts without a region in the chart and the filter.
const noRegion = "Sans région"

// reportRows lists the send's deliveries with their contacts' regions.
func (u *UI) reportRows(v *storage.Campaign) ([]reportRow, error) {
	deliveries, err := u.Store.CampaignDeliveries(v.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(deliveries))
	for i, d := range deliveries {
		ids[i] = d.ContactID
	}
	contacts, err := u.Store.ContactsByID(ids)
	if err != nil {
		return nil, err
	}
	rows := make([]reportRow, len(deliveries))
	for i, d := range deliveries {
		o := outcome(&d)
		rows[i] = reportRow{ContactID: d.ContactID, Name: d.Name, Email: d.Email, Regions: contacts[d.ContactID].Regions,
			Outcome: o, Label: deliveryLabels[o], Why: explainError(d.LastError), Attempts: d.Attempts, At: frenchTime(d.At)}
		if o == "retrying" && d.NextAttemptAt != nil {
			rows[i].Label += " (" + frenchTime(d.NextAttemptAt) + ")"
		}
		if rows[i].Name == "" {
			rows[i].Name = d.Email
		}
		if len(rows[i].Regions) == 0 {
			rows[i].Regions = []string{noRegion}
		}
	}
	return rows, nil
}

// filterRows keeps the rows with that outcome and region ("" for any).
func filterRows(rows []reportRow, status, region string) []reportRow {
	var out []reportRow
	for _, r := range rows {
		if (status == "" || r.Outcome == status) && (region == "" || slices.Contains(r.Regions, region)) {
			out = append(out, r)
		}
	}
	return out
}

// reportRegions are the regions of a report's rows, to filter by, after « Toutes ».
func reportRegions(rows []reportRow) []Option {
	var regions []string
	for _, r := range rows {
		for _, g := range r.Regions {
			if !slices.Contains(regions, g) {
				regions = append(regions, g)
			}
		}
	}
	slices.SortFunc(regions, func(a, b string) int { return strings.Compare(foldKey(a), foldKey(b)) })
	out := []Option{{"", "Toutes"}}
	for _, g := range regions {
		out = append(out, Option{g, g})
	}
	return out
}

// report loads the campaign of the :id parameter and its report's rows, or shows the error
// page.
func (u *UI) report(c *gin.Context) (*storage.Campaign, []reportRow, bool) {
	v, ok := u.loadCampaign(c)
	if !ok {
		return nil, nil, false
	}
	rows, err := u.reportRows(v)
	if err != nil {
		u.fail(c, err)
		return nil, nil, false
	}
	return v, rows, true
}

func (u *UI) campaignReport(c *gin.Context) {
	v, rows, ok := u.report(c)
	if !ok {
		return
	}
	p := reportPage{Campaign: v, Form: newForm(c.Request.URL.Query()), Statuses: outcomeOptions, Regions: reportRegions(rows), Chart: regionChart(rows)}
	var err error
	if p.Progress, err = u.progress(v); err != nil {
		u.fail(c, err)
		return
	}
	p.Retriable = plural(p.Progress.Failed+p.Progress.Retrying, "envoi en échec ou en attente", "envois en échec ou en attente")
	p.Rows = filterRows(rows, p.Form.Get("status"), p.Form.Get("region"))
	p.CSV = "/app/campaigns/" + idString(v.ID) + "/report.csv"
	if q := c.Request.URL.RawQuery; q != "" {
		p.CSV += "?" + q
	}
	u.render(c, http.StatusOK, "campaign_report", page{Title: "Rapport d’envoi — " + campaignTitle(v), Section: "campaigns", Data: p})
}

// campaignReportCSV exports the report, with its filters, for Excel: UTF-8 with a byte
// order mark, semicolons.
func (u *UI) campaignReportCSV(c *gin.Context) {
	v, rows, ok := u.report(c)
	if !ok {
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="rapport-envoi-`+idString(v.ID)+`.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	c.Writer.WriteString("\uFEFF")
	w := csv.NewWriter(c.Writer)
	w.Comma, w.UseCRLF = ';', true
	w.Write([]string{"Nom", "Adresse", "Régions", "Résultat", "Erreur", "Tentatives", "Date"})
	for _, r := range filterRows(rows, c.Query("status"), c.Query("region")) {
		w.Write(cells(r.Name, r.Email, strings.Join(r.Regions, ", "), r.Label, r.Why, strconv.Itoa(r.Attempts), r.At))
	}
	w.Flush()
}

// cells keeps a spreadsheet from taking a cell for a formula (=, +, -, @ first).
func cells(values ...string) []string {
	for i, v := range values {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			values[i] = "'" + v
		}
	}
	return values
}

func (u *UI) retryCampaign(c *gin.Context) {
	n, err := u.Store.RetryFailed(actor(c), id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	u.wake()
	u.flash(c, "Nouvel essai lancé pour "+recipientsLabel(n)+".")
	redirect(c, "/app/campaigns/"+c.Param("id"))
}

var replyCode = regexp.MustCompile(`répondu (\d{3})(?: (\d\.\d{1,3}\.\d{1,3}))?`)

// explainError puts an SMTP server's answer, often in English, in French words before it.
func explainError(last string) string {
	m := replyCode.FindStringSubmatch(last)
	if m == nil {
		return last
	}
	code, enhanced := m[1], m[2]
	var why string
	switch {
	case strings.HasPrefix(enhanced, "5.1."):
		why = "Adresse inexistante chez son fournisseur"
	case code == "552" || enhanced == "5.2.2" || enhanced == "4.2.2":
		why = "Boîte de réception pleine"
	case strings.HasPrefix(enhanced, "5.7.") || code == "554":
		why = "Message refusé par le serveur du destinataire (filtrage ou politique)"
	case code[0] == '4':
		why = "Refus temporaire\u00a0: le serveur du destinataire demande de réessayer plus tard"
	default:
		why = "Message refusé par le serveur du destinataire"
	}
	return why + " (" + last + ")."
}
