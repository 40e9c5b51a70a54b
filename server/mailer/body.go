package mailer

import (
	"html"
	"strings"
	"unicode/utf8"

	"portevoix/storage"
)

// Styles are inline: Gmail and others drop <style> blocks. The body, the tables and their
// cells set background and text colours together (the communiqué's elements inherit them),
// so that a client in dark mode that inverts one inverts both, and none shows white text
// on a white it assumed.
const (
	colourPage   = "#f3f2ef"
	colourPaper  = "#ffffff"
	styleFont    = "font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;"
	styleBody    = "margin:0;padding:0;width:100%;background-color:" + colourPage + ";" + styleFont
	styleOuter   = "width:100%;background-color:" + colourPage + ";border-collapse:collapse;"
	styleColumn  = "width:100%;max-width:600px;background-color:" + colourPaper + ";border-collapse:collapse;" + styleFont
	styleCell    = "padding:24px;background-color:" + colourPaper + ";" + styleFont + "font-size:15px;line-height:1.5;"
	styleOnline  = "padding:12px 24px 0;background-color:" + colourPaper + ";text-align:right;" + styleFont + "font-size:12px;line-height:1.4;"
	styleLink    = "color:#1d4f91;text-decoration:underline;"
	stylePara    = "margin:0 0 12px;" + styleFont + "font-size:15px;line-height:1.5;"
	styleEmbargo = "margin:0 0 16px;padding:8px 12px;border:2px solid #b00020;background-color:" + colourPaper + ";color:#b00020;font-weight:bold;font-family:Arial,Helvetica,sans-serif;font-size:15px;"
	styleRule    = "border:0;border-top:1px solid #cccccc;margin:24px 0;"
	// styleFooterRule follows the communiqué's cell, whose padding already spaces it.
	styleFooterRule = "border:0;border-top:1px solid #cccccc;margin:0 0 16px;"
	styleFooter     = "padding:0 24px 24px;background-color:" + colourPaper + ";" + styleSmall
	styleSmall      = "font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:1.4;color:#555555;"
	// stylePreheader hides the preheader everywhere but in the inbox's preview line.
	stylePreheader = "display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;"
)

// preheaderLength bounds the preheader: inbox lists show 40 to 140 characters of it.
const preheaderLength = 120

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
	return "<p style=\"" + stylePara + "\">" + html.EscapeString(text) + "</p>"
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
	if c.WebURL != "" {
		b.WriteString("Voir en ligne\u00a0: " + c.WebURL + "\n\n")
	}
	b.WriteString("-- \n" + footerMarker + "\n")
	return b.String()
}

// htmlBody is a complete HTML document around the trusted pitch and communiqué fragments:
// one centred column at most 600 pixels wide, laid out with tables as mail clients need.
func htmlBody(c Content, greetingMarker, footerMarker string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<meta name=\"color-scheme\" content=\"light\">\n<meta name=\"supported-color-schemes\" content=\"light\">\n")
	b.WriteString("<title>" + html.EscapeString(subject(c)) + "</title>\n</head>\n")
	b.WriteString("<body style=\"" + styleBody + "\" bgcolor=\"" + colourPage + "\">\n")
	if p := preheader(c.Preheader); p != "" {
		b.WriteString("<div style=\"" + stylePreheader + "\">" + html.EscapeString(p) + "</div>\n")
	}
	b.WriteString(table("100%", colourPage, styleOuter) + "<tr><td align=\"center\" style=\"padding:16px 8px;\">\n")
	b.WriteString(table("600", colourPaper, styleColumn))
	if c.WebURL != "" {
		b.WriteString("<tr><td style=\"" + styleOnline + "\"><a href=\"" + html.EscapeString(c.WebURL) + "\" style=\"" + styleLink + "\">Voir en ligne</a></td></tr>\n")
	}
	b.WriteString("<tr><td style=\"" + styleCell + "\">\n")
	if c.Embargo != "" {
		b.WriteString("<p style=\"" + styleEmbargo + "\">" + html.EscapeString(embargoNotice(c.Embargo)) + "</p>\n")
	}
	b.WriteString(greetingMarker + "\n")
	if t := strings.TrimSpace(c.PitchHTML); t != "" {
		b.WriteString(t + "\n")
	}
	b.WriteString("<hr style=\"" + styleRule + "\">\n")
	b.WriteString(strings.TrimSpace(c.BodyHTML) + "\n")
	b.WriteString("</td></tr>\n<tr><td style=\"" + styleFooter + "\">\n")
	b.WriteString("<hr style=\"" + styleFooterRule + "\">\n" + footerMarker + "\n</td></tr>\n")
	b.WriteString("</table>\n</td></tr></table>\n</body>\n</html>\n")
	return b.String()
}

// table opens a layout table: role="presentation" so screen readers read its cells as
// text, and the width and background also as attributes, for Outlook's Word engine.
func table(width, background, style string) string {
	return "<table role=\"presentation\" width=\"" + width + "\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" bgcolor=\"" +
		background + "\" style=\"" + style + "\">\n"
}

// preheader is the start of text, cut at a word within preheaderLength characters.
func preheader(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= preheaderLength {
		return text
	}
	cut := []rune(text)[:preheaderLength]
	if i := strings.LastIndexByte(string(cut), ' '); i > 0 {
		return string(cut)[:i] + "…"
	}
	return string(cut) + "…"
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
	return "<p style=\"margin:0 0 8px;" + styleSmall + "\">" + html.EscapeString(reason) + "<br>\n" + html.EscapeString(origin) + "</p>\n" +
		"<p style=\"margin:0;" + styleSmall + "\">Pour ne plus recevoir nos envois\u00a0: <a href=\"" + html.EscapeString(unsubscribe) +
		"\" style=\"color:#555555;\">se désabonner</a>.</p>"
}
