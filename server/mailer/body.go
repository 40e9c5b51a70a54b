package mailer

import (
	"html"
	"strings"

	"portevoix/storage"
)

// Styles are inline: many mail clients drop <style> blocks.
const (
	styleBody    = "margin:0;padding:0;background:#ffffff;"
	styleWrap    = "max-width:640px;margin:0 auto;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;"
	styleEmbargo = "margin:0 0 16px;padding:8px 12px;border:2px solid #b00020;color:#b00020;font-weight:bold;"
	styleRule    = "border:0;border-top:1px solid #cccccc;margin:24px 0;"
	styleFooter  = "font-size:12px;line-height:1.4;color:#555555;"
)

// embargoNotice is the warning put at the top of an embargoed message.
func embargoNotice(embargo string) string {
	return "Sous embargo jusqu’au " + embargo + "\u00a0: merci de ne rien publier avant cette date."
}

// greeting opens the message as the campaign chose: with the recipient's first name
// (formally when it is unknown), formally, or not at all ("").
func greeting(how, firstName string) string {
	switch {
	case how == storage.GreetingNone:
		return ""
	case how == storage.GreetingFormal || firstName == "":
		return "Madame, Monsieur,"
	}
	return "Bonjour " + firstName + ","
}

// htmlGreeting is the greeting as a paragraph, or nothing when there is none.
func htmlGreeting(text string) string {
	if text == "" {
		return ""
	}
	return "<p>" + html.EscapeString(text) + "</p>"
}

// textBody is the plain-text alternative; each marker stands on a line of its own so that
// quoted-printable leaves it intact.
func textBody(c Content, greetingMarker, footerMarker string) string {
	var b strings.Builder
	if c.Embargo != "" {
		b.WriteString(embargoNotice(c.Embargo) + "\n\n")
	}
	b.WriteString(greetingMarker + "\n\n")
	if t := strings.TrimSpace(c.PitchText); t != "" {
		b.WriteString(t + "\n\n")
	}
	b.WriteString("————————————————————\n\n")
	b.WriteString(strings.TrimSpace(c.BodyText) + "\n\n")
	b.WriteString("-- \n" + footerMarker + "\n")
	return b.String()
}

// htmlBody is a complete HTML document around the trusted pitch and communiqué fragments.
func htmlBody(c Content, greetingMarker, footerMarker string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>" + html.EscapeString(subject(c)) + "</title>\n</head>\n")
	b.WriteString("<body style=\"" + styleBody + "\">\n<div style=\"" + styleWrap + "\">\n")
	if c.Embargo != "" {
		b.WriteString("<p style=\"" + styleEmbargo + "\">" + html.EscapeString(embargoNotice(c.Embargo)) + "</p>\n")
	}
	b.WriteString(greetingMarker + "\n")
	if t := strings.TrimSpace(c.PitchHTML); t != "" {
		b.WriteString("<div>\n" + t + "\n</div>\n")
	}
	b.WriteString("<hr style=\"" + styleRule + "\">\n")
	b.WriteString("<div>\n" + strings.TrimSpace(c.BodyHTML) + "\n</div>\n")
	b.WriteString("<hr style=\"" + styleRule + "\">\n")
	b.WriteString("<div style=\"" + styleFooter + "\">\n" + footerMarker + "\n</div>\n")
	b.WriteString("</div>\n</body>\n</html>\n")
	return b.String()
}

// why says why the recipient gets the message and where the address came from, as GDPR
// Art. 14 asks when the data was not collected from the person.
func (c *Campaign) why(source string) (reason, origin string) {
	reason = "Vous recevez ce communiqué en tant que contact presse de " + c.org +
		" (liste «\u202f" + c.list + "\u202f»)."
	source = strings.TrimRight(strings.Join(strings.Fields(source), " "), ".")
	if source == "" {
		return reason, "Votre adresse figure dans notre fichier de contacts presse."
	}
	return reason, "Votre adresse provient de\u00a0: " + source + "."
}

func (c *Campaign) textFooter(source, unsubscribe string) string {
	reason, origin := c.why(source)
	return reason + "\n" + origin + "\nPour ne plus recevoir nos envois\u00a0: " + unsubscribe
}

func (c *Campaign) htmlFooter(source, unsubscribe string) string {
	reason, origin := c.why(source)
	return "<p style=\"margin:0 0 8px;\">" + html.EscapeString(reason) + "<br>\n" + html.EscapeString(origin) + "</p>\n" +
		"<p style=\"margin:0;\">Pour ne plus recevoir nos envois\u00a0: <a href=\"" + html.EscapeString(unsubscribe) +
		"\" style=\"color:#555555;\">se désabonner</a>.</p>"
}
