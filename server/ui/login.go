package ui

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/server/ratelimit"
	"portevoix/storage"
	"portevoix/templates/typo"
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
		if token, err = randomToken(32); err != nil {
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
	keys := loginKeys(c, form.Get("email"))
	if wait := u.loginWait(keys); wait > 0 {
		c.Header("Retry-After", ratelimit.Seconds(wait))
		u.showLogin(c, http.StatusTooManyRequests, loginPage{Form: form, Next: next, Error: u.retryMessage(wait)})
		return
	}
	user, err := u.Store.Authenticate(form.Get("email"), c.PostForm("password"))
	var refused *storage.Error
	if errors.As(err, &refused) && refused.Code == storage.EUNAUTHORIZED {
		u.loginFailed(keys)
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
	u.logins.Reset(keys[1])
	u.setCookie(c, "pv_login", "", -1)
	u.setCookie(c, "pv_session", secret, int(storage.SessionMax.Seconds()))
	redirect(c, next)
}

// Failed sign-ins allowed in a row per client address and per account, then one attempt
// per loginInterval: enough for a few mistyped passwords, far too few to guess one.
const (
	loginBurst    = 5
	loginInterval = time.Minute
)

// loginKeys are the limiter keys of a sign-in: the client's address, then the account.
func loginKeys(c *gin.Context, email string) []string {
	return []string{server.ClientKey(c), "account:" + strings.ToLower(strings.TrimSpace(email))}
}

// loginWait is how long the longest-waiting of keys must still wait, 0 when none must.
func (u *UI) loginWait(keys []string) time.Duration {
	var wait time.Duration
	for _, key := range keys {
		wait = max(wait, u.logins.Wait(key))
	}
	return wait
}

// loginFailed counts a refused sign-in against every key, and logs when one must wait.
func (u *UI) loginFailed(keys []string) {
	for _, key := range keys {
		u.logins.Fail(key)
	}
	if wait := u.loginWait(keys); wait > 0 {
		u.Log.Warn("too many failed sign-ins", "client", keys[0], "account", keys[1], "wait", wait)
	}
}

// retryMessage says in French when signing in may be tried again: "réessayez dans
// 2 minutes (à 10 h 32)", minutes rounded up.
func (u *UI) retryMessage(wait time.Duration) string {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	unit := "minutes"
	if minutes == 1 {
		unit = "minute"
	}
	at := u.Now().Add(wait + time.Minute - 1).Truncate(time.Minute)
	return fmt.Sprintf("Trop de tentatives de connexion infructueuses\u00a0: réessayez dans %d\u00a0%s (à %s).", minutes, unit, typo.Clock(at))
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

// randomToken is size random bytes, URL-safe (32 for a token: 256 bits).
func randomToken(size int) (string, error) {
	raw := make([]byte, size)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}
