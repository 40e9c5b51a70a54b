package ui

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
)

// communiqueApprovalPage records a co-signer's approval: which pôle, how, and what changed since
// that pôle last approved.
type communiqueApprovalPage struct {
	ID       uint64
	Title    string
	Form     *Form
	Poles    []Option // the co-signers still to approve
	Past     string   // the chosen pôle's earlier approval, "" when none
	Since    int      // its revision
	Revision int
	Changes  []fieldChange
	Blocking []string // picked quotes their speakers have not approved
	Problem  string   // why the approval was refused (a quote not approved, say)
}

func (u *UI) approveCommuniqueForm(c *gin.Context) {
	form := newForm(c.Request.URL.Query())
	if form.Get("via") == "" {
		form.Values.Set("via", storage.ApprovalAsMember)
	}
	u.showApproveCommunique(c, http.StatusOK, form)
}

func (u *UI) showApproveCommunique(c *gin.Context, status int, form *Form) {
	u.showApproval(c, status, form, "")
}

func (u *UI) showApproval(c *gin.Context, status int, form *Form, problem string) {
	v, ok := u.communique(c)
	if !ok {
		return
	}
	poles, err := u.poleNames()
	if err != nil {
		u.fail(c, err)
		return
	}
	p := &communiqueApprovalPage{ID: v.ID, Title: v.Title, Form: form, Revision: v.Revision, Problem: problem}
	for _, id := range v.PoleIDs {
		if !approvedBy(v, id) {
			p.Poles = append(p.Poles, Option{idString(id), poles[id]})
		}
	}
	if form.Get("pole_id") == "" && len(p.Poles) > 0 {
		form.Values.Set("pole_id", p.Poles[0].Value)
	}
	if err := u.sinceApproval(v, form.ID("pole_id"), p); err != nil {
		u.fail(c, err)
		return
	}
	u.render(c, status, "communique_approve", page{Title: "Approbation — " + v.Title, Section: "communiques", Data: p})
}

// sinceApproval fills what changed since the pôle's approval that an edit cleared, and
// the quotes that block any approval.
func (u *UI) sinceApproval(v *storage.Communique, poleID uint64, p *communiqueApprovalPage) error {
	for _, row := range approvalRows(v, nil) {
		if row.PoleID == poleID && row.Past != "" {
			p.Past, p.Since = row.Past, row.Revision
		}
	}
	if p.Since != 0 {
		revs, err := u.Store.Revisions(v.ID)
		if err != nil {
			return err
		}
		if p.Changes, err = u.compareRevisions(revs, p.Since, v.Revision); err != nil {
			return err
		}
	}
	form := newForm(communiqueValues(v))
	quotes, err := u.quotePicker(form)
	if err != nil {
		return err
	}
	for _, q := range quotes.Picked {
		if q.Blocked != "" {
			p.Blocking = append(p.Blocking, q.Label+" — "+q.Detail)
		}
	}
	return nil
}

func (u *UI) approveCommunique(c *gin.Context) {
	form := newForm(postForm(c))
	a := storage.Approval{PoleID: form.ID("pole_id"), Via: form.Get("via"), Approver: form.Get("approver")}
	if !slices.Contains([]string{storage.ApprovalAsMember, storage.ApprovalByEmail, storage.ApprovalInPerson}, a.Via) {
		form.Errors["via"] = "choisissez comment le pôle a donné son accord"
		u.showApproveCommunique(c, http.StatusUnprocessableEntity, form)
		return
	}
	v, err := u.Store.RecordApproval(actor(c), id(c), a)
	if storage.ErrorCode(err) == storage.ECONFLICT {
		u.showApproval(c, http.StatusConflict, form, err.Error())
		return
	}
	if err != nil {
		if !form.Invalid(err) {
			u.fail(c, err)
			return
		}
		foldIndexedErrors(form)
		u.showApproveCommunique(c, server.StatusOf(err), form)
		return
	}
	message := "Approbation enregistrée."
	if v.Status == storage.CommuniqueApproved {
		message = "Approbation enregistrée\u00a0: tous les pôles signataires ont approuvé, le communiqué peut être publié."
	}
	u.flash(c, message)
	redirect(c, communiqueURL(v.ID, "#approbations"))
}

// publishPage confirms a publication, saying whether an embargo holds it back.
type publishPage struct {
	ID      uint64
	Title   string
	Embargo string
	URL     string
}

func (u *UI) publishForm(c *gin.Context) {
	v, ok := u.communique(c)
	if !ok {
		return
	}
	p := publishPage{ID: v.ID, Title: v.Title, Embargo: frenchTime(v.EmbargoUntil), URL: u.publicURL(v)}
	u.render(c, http.StatusOK, "communique_publish", page{Title: "Publier — " + v.Title, Section: "communiques", Data: p})
}

func (u *UI) publishCommunique(c *gin.Context) {
	v, err := u.Store.PublishCommunique(actor(c), id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	message := "Communiqué publié\u00a0: " + u.publicURL(v)
	if v.EmbargoUntil != nil && v.EmbargoUntil.After(u.Now()) {
		message += " (visible après l’embargo, le " + frenchTime(v.EmbargoUntil) + ")"
	}
	u.flash(c, message)
	redirect(c, communiqueURL(v.ID, ""))
}

func (u *UI) publicURL(v *storage.Communique) string {
	return u.BaseURL + "/presse/" + v.Slug
}

// withdrawPage asks why a published communiqué is withdrawn.
type withdrawPage struct {
	ID    uint64
	Title string
	Form  *Form
}

func (u *UI) withdrawForm(c *gin.Context) {
	u.showWithdraw(c, http.StatusOK, newForm(nil))
}

func (u *UI) showWithdraw(c *gin.Context, status int, form *Form) {
	v, ok := u.communique(c)
	if !ok {
		return
	}
	u.render(c, status, "communique_withdraw", page{Title: "Retirer — " + v.Title, Section: "communiques",
		Data: withdrawPage{ID: v.ID, Title: v.Title, Form: form}})
}

func (u *UI) withdrawCommunique(c *gin.Context) {
	form := newForm(postForm(c))
	v, err := u.Store.WithdrawCommunique(actor(c), id(c), form.Values.Get("reason"))
	if err != nil {
		if !form.Invalid(err) {
			u.fail(c, err)
			return
		}
		u.showWithdraw(c, server.StatusOf(err), form)
		return
	}
	if u.Wake != nil {
		u.Wake() // its campaigns may have been cancelled
	}
	u.flash(c, "Communiqué retiré de la salle de presse.")
	redirect(c, communiqueURL(v.ID, ""))
}
