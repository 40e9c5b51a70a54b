package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Settings tells a client how the server is set up, so the UI can say, for example, that
// e-mails are only written to the outbox folder.
type Settings struct {
	MailMode  string   `json:"mail_mode"` // "smtp" or "outbox"
	MailInfo  string   `json:"mail_info"` // where messages go, in French
	From      string   `json:"from"`      // sender of campaign messages
	BaseURL   string   `json:"base_url"`  // public address used in links
	Templates []string `json:"templates"` // communiqué templates
}

func (s *Server) routeSettings(g *gin.RouterGroup) {
	g.GET("/settings", canRead, func(c *gin.Context) {
		c.JSON(http.StatusOK, Settings{MailMode: s.Mail.Mode, MailInfo: s.Mail.Info, From: s.Messages.From, BaseURL: s.BaseURL, Templates: templateNames()})
	})
}
