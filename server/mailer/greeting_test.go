package mailer

import (
	"strings"
	"testing"

	"portevoix/storage"
)

// TestGreetingChoices: the campaign's choice of greeting, in both parts; none leaves no
// empty paragraph behind.
func TestGreetingChoices(t *testing.T) {
	for _, tc := range []struct{ how, text, html string }{
		{storage.GreetingName, "Bonjour Hélène,", ">Bonjour Hélène,</p>"},
		{"", "Bonjour Hélène,", ">Bonjour Hélène,</p>"},
		{storage.GreetingFormal, "Madame, Monsieur,", ">Madame, Monsieur,</p>"},
		{storage.GreetingNone, "", ""},
	} {
		t.Run(tc.how, func(t *testing.T) {
			content := testContent(t, 100)
			content.Greeting, content.Embargo = tc.how, ""
			content.PitchHTML, content.PitchText = "<p>Vous trouverez le communiqué ci-dessous.</p>", "Vous trouverez le communiqué ci-dessous."
			c, err := NewCampaign(content)
			if err != nil {
				t.Fatal(err)
			}
			msg, err := c.Build(testRecipient(1))
			if err != nil {
				t.Fatal(err)
			}
			_, parts := MustParse(t, msg)
			text, body := strings.ReplaceAll(strings.TrimSpace(string(parts["text/plain"].body)), "\r\n", "\n"), string(parts["text/html"].body)
			if want := tc.text + "\n\n" + content.PitchText; tc.text != "" && !strings.HasPrefix(text, want) || tc.text == "" && !strings.HasPrefix(text, content.PitchText) {
				t.Errorf("text = %.80q, want it to open with %q", text, tc.text)
			}
			if tc.html != "" && !strings.Contains(body, tc.html) {
				t.Errorf("html lacks %q", tc.html)
			}
			if tc.html == "" && (strings.Contains(body, "Bonjour") || strings.Contains(body, "Madame") || strings.Contains(body, "<p>\r\n</p>")) {
				t.Errorf("html greets, or keeps an empty paragraph:\n%s", body)
			}
		})
	}
}
