package ui

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

const (
	userKey    = "portevoix.ui.user"
	sessionKey = "portevoix.ui.session"
	csrfField  = "csrf" // the hidden field every form carries
)

// cookieName prefixes a cookie with __Host- over https: the browser then accepts it only
// Secure, for this host alone and for the whole site, so a sibling domain cannot plant one.
func (u *UI) cookieName(name string) string {
	if u.secure {
		return "__Host-" + name
	}
	return name
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site; maxAge 0 keeps it
// for the browser's session, -1 deletes it.
func (u *UI) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: u.cookieName(name), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: u.secure, SameSite: http.SameSiteLaxMode})
}

func (u *UI) cookie(c *gin.Context, name string) string {
	v, err := c.Cookie(u.cookieName(name))
	if err != nil {
		return ""
	}
	return v
}

// requireSession lets signed-in requests through; the others go to /login, which sends
// them back here afterwards.
func (u *UI) requireSession(c *gin.Context) {
	if u.signedIn(c) {
		c.Next()
	}
}

// signedIn records the session and account of the request and reports true, or sends
// the browser to /login (and back afterwards) and reports false.
func (u *UI) signedIn(c *gin.Context) bool {
	secret := u.cookie(c, "pv_session")
	if secret != "" {
		s, user, err := u.Store.SessionUser(secret)
		if err == nil {
			c.Set(sessionKey, s)
			c.Set(userKey, user)
			return true
		}
		u.setCookie(c, "pv_session", "", -1)
	}
	next := c.Request.URL.Path
	if c.Request.Method == http.MethodGet && c.Request.URL.RawQuery != "" {
		next += "?" + c.Request.URL.RawQuery
	}
	redirect(c, "/login?next="+url.QueryEscape(next))
	return false
}

// checkCSRF refuses a state-changing request whose form does not carry the session's
// token: another site can make a browser post a form, but cannot read the token.
func (u *UI) checkCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	if s := currentSession(c); s == nil || !sameToken(formToken(c), s.CSRF) {
		u.forbidCSRF(c)
		return
	}
	c.Next()
}

// formToken reads the CSRF token of a form, urlencoded or multipart (uploads).
func formToken(c *gin.Context) string {
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		if err := c.Request.ParseMultipartForm(maxUpload); err != nil {
			return ""
		}
	}
	return c.PostForm(csrfField)
}

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (u *UI) forbidCSRF(c *gin.Context) {
	u.fail(c, storage.Errorf(storage.EFORBIDDEN, "Le formulaire a expiré ou ne vient pas de Porte-Voix (jeton de sécurité absent ou invalide). Rechargez la page et recommencez."))
}

// require lets the request through when the account's role is at least role; a viewer's
// forged form gets 403.
func (u *UI) require(role string) gin.HandlerFunc {
	rank := map[string]int{storage.RoleViewer: 1, storage.RoleEditor: 2, storage.RoleAdmin: 3}
	return func(c *gin.Context) {
		if user := currentUser(c); user == nil || rank[user.Role] < rank[role] {
			u.fail(c, storage.Errorf(storage.EFORBIDDEN, "Votre rôle ne permet pas cette action (rôle requis\u00a0: %s).", roleLabels[role]))
			return
		}
		c.Next()
	}
}

func currentUser(c *gin.Context) *storage.User {
	v, _ := c.Get(userKey)
	user, _ := v.(*storage.User)
	return user
}

func currentSession(c *gin.Context) *storage.Session {
	v, _ := c.Get(sessionKey)
	s, _ := v.(*storage.Session)
	return s
}

// actor names the signed-in account in the audit log, as the API does.
func actor(c *gin.Context) string {
	if user := currentUser(c); user != nil {
		return user.Email
	}
	return "anonymous"
}

// flash keeps a message for the next page the browser shows (after the redirect).
func (u *UI) flash(c *gin.Context, message string) {
	u.setCookie(c, "pv_flash", url.QueryEscape(message), 0)
}

// takeFlash reads and clears the message left by the previous request.
func (u *UI) takeFlash(c *gin.Context) string {
	v := u.cookie(c, "pv_flash")
	if v == "" {
		return ""
	}
	u.setCookie(c, "pv_flash", "", -1)
	msg, _ := url.QueryUnescape(v)
	return msg
}
