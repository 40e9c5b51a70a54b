package ui

import (
	"github.com/gin-gonic/gin"

	"portevoix/server/campaignevents"
	"portevoix/storage"
)

// campaignEvents streams a send's progress to its page as server-sent events, with the
// session's cookie (no API token): a "progress" event whenever the counts or the status
// change, and a last "done" event once the send is finished or cancelled.
func (u *UI) campaignEvents(c *gin.Context) {
	if _, ok := u.loadCampaign(c); !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	campaignevents.Stream(c, u.Store, id(c), u.EventInterval, func(v *storage.Campaign) (any, error) {
		return u.progress(v)
	})
}
