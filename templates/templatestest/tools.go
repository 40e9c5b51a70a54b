package templatestest

import (
	"fmt"
	"os"
	"testing"
)

// ToolMissing skips a test that needs a tool the machine lacks (a browser, a PDF checker,
// spamassassin), saying which, or fails it when PORTEVOIX_REQUIRE_TOOLS is set: CI installs
// every tool and sets it, so that no check is skipped there without anybody noticing.
func ToolMissing(tb testing.TB, why ...any) {
	tb.Helper()
	msg := fmt.Sprint(why...)
	if ToolsRequired() {
		tb.Fatal(msg + " (PORTEVOIX_REQUIRE_TOOLS is set: this test must run here)")
	}
	tb.Skip(msg)
}

// ToolsRequired reports whether PORTEVOIX_REQUIRE_TOOLS is set: a test that can go on
// without a tool, checking less, must fail instead.
func ToolsRequired() bool {
	return os.Getenv("PORTEVOIX_REQUIRE_TOOLS") != ""
}
