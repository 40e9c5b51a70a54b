package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"portevoix/server/campaignevents"
	"portevoix/storage"
)

func (s *Server) routeCampaigns(g *gin.RouterGroup) {
	routeCRUD[storage.Campaign](g, s.Store, crud[*storage.Campaign]{
		path:    "/campaigns",
		present: s.presentCampaign,
		filter: func(c *gin.Context) (func(*storage.Campaign) bool, error) {
			status := c.Query("status")
			return func(v *storage.Campaign) bool { return status == "" || v.Status == status }, nil
		},
	})
	g.POST("/campaigns/:id/start", canWrite, s.campaignAction(s.Store.StartCampaign))
	g.POST("/campaigns/:id/pause", canWrite, s.campaignAction(s.Store.PauseCampaign))
	g.POST("/campaigns/:id/cancel", canWrite, s.campaignAction(s.Store.CancelCampaign))
	g.POST("/campaigns/:id/test", canWrite, s.testCampaign)
	g.GET("/campaigns/:id/deliveries", canRead, s.campaignDeliveries)
	g.GET("/campaigns/:id/events", canRead, s.campaignEvents)
}

// CampaignView is a campaign with its deliveries counted by status.
type CampaignView struct {
	storage.Campaign
	Counts storage.Counts `json:"counts"`
	Total  int            `json:"total"`
}

func (s *Server) presentCampaign(v *storage.Campaign) (any, error) {
	counts, err := s.Store.CampaignCounts(v.ID)
	if err != nil {
		return nil, err
	}
	return newCampaignView(*v, counts), nil
}

func newCampaignView(v storage.Campaign, counts storage.Counts) CampaignView {
	total := 0
	for _, n := range counts {
		total += n
	}
	return CampaignView{Campaign: v, Counts: counts, Total: total}
}

// campaignAction runs a status change and wakes the sender.
func (s *Server) campaignAction(do func(actor string, id uint64) (*storage.Campaign, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := idParam(c)
		if err != nil {
			fail(c, err)
			return
		}
		v, err := do(actor(c), id)
		if err != nil {
			fail(c, err)
			return
		}
		if s.Wake != nil {
			s.Wake()
		}
		out, err := s.presentCampaign(v)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, out)
	}
}

func (s *Server) campaignDeliveries(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	opts, err := listOptions(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.Store.Deliveries(id, opts, c.Query("status"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// campaignEvents streams the campaign's progress as server-sent events: a "progress" event
// whenever the counts or the status change, and a last "done" event with the final counts
// when the campaign is done or cancelled, after which the stream ends.
func (s *Server) campaignEvents(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	if _, err := s.Store.CampaignCounts(id); err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	campaignevents.Stream(c, s.Store, id, s.EventInterval, func(v *storage.Campaign) (any, error) {
		counts, err := s.Store.CampaignCounts(id)
		if err != nil {
			return nil, err
		}
		return newCampaignView(*v, counts), nil
	})
}

type testRequest struct {
	Email string `json:"email"`
}

// TestSent answers a test send.
type TestSent struct {
	Email     string `json:"email"`
	MessageID string `json:"message_id"`
}

// testCampaign sends one message of the campaign to a given address, now.
func (s *Server) testCampaign(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req testRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	messageID, err := s.Messages.SendTest(c.Request.Context(), id, req.Email)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, TestSent{Email: req.Email, MessageID: messageID})
}
