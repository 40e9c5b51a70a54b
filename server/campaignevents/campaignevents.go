// Package campaignevents streams a campaign's progress as server-sent events, for the API
// and for the staff pages alike.
package campaignevents

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// Stream writes campaign id's progress to c as server-sent events, checking every interval:
// a "progress" event whenever view's answer changes, and a last "done" event once the
// campaign is done or cancelled, after which the stream ends. The caller has checked that
// the campaign exists and set its own Cache-Control; the stream also ends when the client
// goes away or the campaign can no longer be read.
func Stream(c *gin.Context, store *storage.Store, id uint64, every time.Duration, view func(*storage.Campaign) (any, error)) {
	c.Header("Content-Type", "text/event-stream")
	c.Header("X-Accel-Buffering", "no")
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	var last []byte
	for {
		v, err := storage.Get[storage.Campaign](store, id)
		if err != nil {
			return
		}
		p, err := view(v)
		if err != nil {
			return
		}
		data, _ := json.Marshal(p)
		if v.Status == storage.CampaignDone || v.Status == storage.CampaignCancelled {
			send(c, "done", data)
			return
		}
		if string(data) != string(last) {
			send(c, "progress", data)
			last = data
		}
		select {
		case <-c.Request.Context().Done():
			return
		case <-ticker.C:
		}
	}
}

// send writes one event and flushes it so the page sees it now.
func send(c *gin.Context, event string, data []byte) {
	fmt.Fprintf(c.Writer, "event: %s\ndata: %s\n\n", event, data)
	c.Writer.Flush()
}
