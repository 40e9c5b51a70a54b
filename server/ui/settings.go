package ui

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

func (u *UI) routeSettings(g *gin.RouterGroup) {
	g.GET("/settings", u.settings)
	g.POST("/settings/test", u.require(storage.RoleEditor), u.sendTrial)
}

// settingsPage says where e-mail goes, who sends it and the public address.
type settingsPage struct {
	MailInfo string
	From     string
	BaseURL  string
	CanSend  bool
	Me       string
	Error    string
}

func (u *UI) settings(c *gin.Context) { u.showSettings(c, http.StatusOK, "") }

func (u *UI) showSettings(c *gin.Context, status int, problem string) {
	p := settingsPage{MailInfo: u.MailInfo, BaseURL: u.BaseURL, Me: currentUser(c).Email, Error: problem}
	if u.Messages != nil && u.Messages.Sender != nil {
		p.From, p.CanSend = u.Messages.From, true
	}
	u.render(c, status, "settings", page{Title: "Réglages", Section: "settings", Data: p})
}

// sendTrial sends a message to the signed-in account's own address.
func (u *UI) sendTrial(c *gin.Context) {
	if u.Messages == nil || u.Messages.Sender == nil {
		u.fail(c, storage.Errorf(storage.ECONFLICT, "L’envoi d’e-mails n’est pas configuré sur ce serveur."))
		return
	}
	email := currentUser(c).Email
	if _, err := u.Messages.SendTrial(c.Request.Context(), email); err != nil {
		if storage.ErrorCode(err) != storage.ECONFLICT {
			u.Log.Error("trial message", "err", err)
		}
		u.showSettings(c, http.StatusBadGateway, "Le message d’essai n’a pas pu partir. Vérifiez le serveur d’envoi (PORTEVOIX_SMTP) et réessayez.")
		return
	}
	u.flash(c, "Message d’essai envoyé à "+email+".")
	redirect(c, "/app/settings")
}
