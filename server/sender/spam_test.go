package sender_test

import (
	"testing"
	"time"

	"portevoix/server/mailer/mailtest"
	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// TestSpamAssassinScore: a real campaign message of the seed-001 communiqué scores at most
// 1.0 with SpamAssassin's local tests (no network checks).
func TestSpamAssassinScore(t *testing.T) {
	ms := smtptest.Start(t, nil)
	f := newFixture(t, ms)
	c := f.campaign(seed001ID, "Presse Bretagne")
	_, stop := f.run(f.config())
	f.wait(c.ID, storage.CampaignDone, 30*time.Second)
	stop()
	got := ms.Received()
	if len(got) == 0 {
		t.Fatal("no message")
	}
	mailtest.CheckSpamScore(t, got[0].Data)
}
