package ui

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// loginPage is the sign-in form. Token is the form's CSRF token, the same as the pv_login
// cookie's: before signing in there is no session to hold one.
type loginPage struct {
	Form  *Form
	Token string
	Next  string
	Error string
}

func (u *UI) loginForm(c *gin.Context) {
	next := safeNext(c.Query("next"))
	if secret := u.cookie(c, "pv_session"); secret != "" {
		if _, _, err := u.Store.SessionUser(secret); err == nil {
			redirect(c, next)
			return
		}
	}
	u.showLogin(c, http.StatusOK, loginPage{Form: newForm(nil), Next: next})
}

// showLogin renders the form with the browser's login token, or a fresh one: keeping it
// lets two sign-in tabs both work.
func (u *UI) showLogin(c *gin.Context, status int, p loginPage) {
	token := u.cookie(c, "pv_login")
	if len(token) != 43 { // not one of ours
		var err error
		if token, err = randomToken(); err != nil {
			u.fail(c, err)
			return
		}
	}
	p.Token = token
	u.setCookie(c, "pv_login", p.Token, 3600)
	u.render(c, status, "login", page{Title: "Connexion", Data: p})
}

func (u *UI) login(c *gin.Context) {
	if !sameToken(c.PostForm(csrfField), u.cookie(c, "pv_login")) {
		u.forbidCSRF(c)
		return
	}
	form := newForm(c.Request.PostForm)
	next := safeNext(c.PostForm("next"))
	user, err := u.Store.Authenticate(form.Get("email"), c.PostForm("password"))
	var refused *storage.Error
	if errors.As(err, &refused) && refused.Code == storage.EUNAUTHORIZED {
		u.showLogin(c, http.StatusUnauthorized, loginPage{Form: form, Next: next, Error: refused.Message})
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	secret, _, err := u.Store.CreateSession(user.ID, c.Request.UserAgent())
	if err != nil {
		u.fail(c, err)
		return
	}
	if _, err := u.Store.SweepSessions(); err != nil {
		u.Log.Error("sweep sessions", "err", err) // only housekeeping: the sign-in goes on
	}
	u.setCookie(c, "pv_login", "", -1)
	u.setCookie(c, "pv_session", secret, int(storage.SessionMax.Seconds()))
	redirect(c, next)
}

func (u *UI) logout(c *gin.Context) {
	if err := u.Store.EndSession(u.cookie(c, "pv_session")); err != nil {
		u.fail(c, err)
		return
	}
	u.setCookie(c, "pv_session", "", -1)
	u.flash(c, "Vous êtes déconnecté.")
	redirect(c, "/login")
}

// safeNext keeps a return address only when it is one of the staff pages of this site,
// so that the sign-in form cannot send anyone elsewhere.
func safeNext(next string) string {
	p, err := url.Parse(next)
	if err != nil || p.Scheme != "" || p.Host != "" || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) ||
		(p.Path != "/app" && !strings.HasPrefix(p.Path, "/app/")) {
		return "/app"
	}
	return next
}

// randomToken is 256 random bits, URL-safe.
func randomToken() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}
