package mailtest

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"portevoix/templates/templatestest"
)

// spamScore reads SpamAssassin's verdict from the message it returns in test mode.
var spamScore = regexp.MustCompile(`X-Spam-Status: (?:Yes|No), score=(-?[0-9.]+)`)

// CheckSpamScore runs SpamAssassin's local tests (no network checks) on the message msg and
// fails tb if it scores more than 1.0. Without spamassassin it skips tb, or fails it under
// PORTEVOIX_REQUIRE_TOOLS.
func CheckSpamScore(tb testing.TB, msg []byte) {
	tb.Helper()
	path, err := exec.LookPath("spamassassin")
	if err != nil {
		templatestest.ToolMissing(tb, "spamassassin absent: install the Debian package spamassassin to run this test")
	}
	cmd := exec.Command(path, "-L", "-t")
	cmd.Env = append(os.Environ(), "HOME="+tb.TempDir()) // it writes user preferences there
	cmd.Stdin = bytes.NewReader(msg)
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("spamassassin: %v", err)
	}
	m := spamScore.FindSubmatch(out)
	if m == nil {
		tb.Fatalf("no X-Spam-Status in spamassassin's output:\n%s", out)
	}
	score, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("SpamAssassin score %.1f", score)
	if score > 1.0 {
		_, report, _ := bytes.Cut(out, []byte("Content analysis details"))
		tb.Errorf("SpamAssassin score %.1f, want at most 1.0; report:\n%s", score, report)
	}
}
