package sender_test

import (
	"bytes"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"portevoix/templates/templatestest"

	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// spamScore reads SpamAssassin's verdict from the message it returns in test mode.
var spamScore = regexp.MustCompile(`X-Spam-Status: (?:Yes|No), score=(-?[0-9.]+)`)

// TestSpamAssassinScore: a real campaign message of the seed-001 communiqué scores at most
// 1.0 with SpamAssassin's local tests (no network checks).
func TestSpamAssassinScore(t *testing.T) {
	path, err := exec.LookPath("spamassassin")
	if err != nil {
		templatestest.ToolMissing(t, "spamassassin not installed (Debian package spamassassin): the score is not checked")
	}
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
	cmd := exec.Command(path, "-L", "-t")
	cmd.Stdin = bytes.NewReader(got[0].Data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("spamassassin: %v", err)
	}
	m := spamScore.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no X-Spam-Status in spamassassin's output:\n%s", out)
	}
	score, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SpamAssassin score %.1f", score)
	if score > 1.0 {
		i := bytes.Index(out, []byte("Content analysis details"))
		t.Errorf("SpamAssassin score %.1f, want at most 1.0; report:\n%s", score, out[max(i, 0):min(max(i, 0)+3000, len(out))])
	}
}
