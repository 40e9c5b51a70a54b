package ui

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// campaignEvents streams a send's progress to its page as server-sent events, with the
// session's cookie (no API token): a "progress" event whenever the counts or the status
// change, and a last "done" event once the send is finished or cancelled.
func (u *UI) campaignEvents(c *gin.Context) {
	if _, err := storage.Get[storage.Campaign](u.Store, id(c)); err != nil {
		u.fail(c, err)
		return
	}
	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-store")
	c.Header("X-Accel-Buffering", "no")
	ticker := time.NewTicker(u.EventInterval)
	defer ticker.Stop()
	var last []byte
	for {
		v, err := storage.Get[storage.Campaign](u.Store, id(c))
		if err != nil {
			return
		}
		p, err := u.progress(v)
		if err != nil {
			return
		}
		data, _ := json.Marshal(p)
		if v.Status == storage.CampaignDone || v.Status == storage.CampaignCancelled {
			fmt.Fprintf(c.Writer, "event: done\ndata: %s\n\n", data)
			c.Writer.Flush()
			return
		}
		if string(data) != string(last) {
			fmt.Fprintf(c.Writer, "event: progress\ndata: %s\n\n", data)
			c.Writer.Flush()
			last = data
		}
		select {
		case <-c.Request.Context().Done():
			return
		case <-ticker.C:
		}
	}
}
