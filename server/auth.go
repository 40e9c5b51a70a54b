package server

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/server/ratelimit"
	"portevoix/storage"
)

const userKey = "portevoix.user"

var roleRank = map[string]int{storage.RoleViewer: 1, storage.RoleEditor: 2, storage.RoleAdmin: 3}

// authenticate requires a valid "Authorization: Bearer TOKEN", the scheme in any case
// (RFC 9110). A client address that presented too many bad credentials waits before it may
// try again, whatever it presents, so that guessing tokens gets nowhere.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		client := ClientKey(c)
		if s.tooManyFailures(c, client) {
			return
		}
		header := c.GetHeader("Authorization")
		token, ok := bearerToken(header)
		if !ok {
			if header != "" {
				s.authFailed(client)
			}
			c.Header("WWW-Authenticate", `Bearer realm="portevoix"`)
			fail(c, storage.Errorf(storage.EUNAUTHORIZED, "Authentification requise\u00a0: envoyez l’en-tête «\u202fAuthorization: Bearer JETON\u202f»."))
			return
		}
		u, err := s.Store.UserByToken(token)
		if err != nil {
			if storage.ErrorCode(err) == storage.EUNAUTHORIZED {
				s.authFailed(client)
			}
			c.Header("WWW-Authenticate", `Bearer realm="portevoix", error="invalid_token"`)
			fail(c, err)
			return
		}
		c.Set(userKey, u)
		c.Next()
	}
}

// tooManyFailures answers 429 when client must wait before trying to authenticate again.
func (s *Server) tooManyFailures(c *gin.Context, client string) bool {
	wait := s.AuthLimit.Wait(client)
	if wait <= 0 {
		return false
	}
	c.Header("Retry-After", ratelimit.Seconds(wait))
	fail(c, storage.Errorf(codeTooMany, "Trop d’échecs d’authentification depuis votre adresse\u00a0: réessayez dans %s.", inSeconds(wait)))
	return true
}

// authFailed counts a refused credential, and logs when it makes client wait.
func (s *Server) authFailed(client string) {
	s.AuthLimit.Fail(client)
	if wait := s.AuthLimit.Wait(client); wait > 0 {
		s.Log.Warn("too many failed authentications", "client", client, "wait", wait)
	}
}

// inSeconds says a wait in French: "1 seconde", "42 secondes".
func inSeconds(wait time.Duration) string {
	n := ratelimit.Seconds(wait)
	if n == "1" {
		return "1\u00a0seconde"
	}
	return n + "\u00a0secondes"
}

// bearerToken reads the token of an "Authorization: Bearer TOKEN" header.
func bearerToken(header string) (string, bool) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	return token, strings.EqualFold(scheme, "Bearer") && token != ""
}

// ClientKey is the limiter key of the request's client: its TCP peer address, since
// forwarding headers can be forged; an IPv6 client is keyed by its /64, which one host
// usually holds whole.
func ClientKey(c *gin.Context) string {
	ip := net.ParseIP(c.RemoteIP())
	if ip.To4() == nil && ip != nil {
		ip = ip.Mask(net.CIDRMask(64, 128))
	}
	return "ip:" + ip.String()
}

// currentUser is the authenticated account of this request.
func currentUser(c *gin.Context) *storage.User {
	u, _ := c.Get(userKey)
	user, _ := u.(*storage.User)
	return user
}

// actor names the current user in the audit log.
func actor(c *gin.Context) string {
	if u := currentUser(c); u != nil {
		return u.Email
	}
	return "anonymous"
}

// require lets the request through when the user's role is at least role:
// viewers read, editors write, admins also manage accounts.
func require(role string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil || roleRank[u.Role] < roleRank[role] {
			fail(c, storage.Errorf(storage.EFORBIDDEN, "Votre rôle ne permet pas cette action (rôle requis\u00a0: %s).", roleLabel[role]))
			return
		}
		c.Next()
	}
}

var roleLabel = map[string]string{storage.RoleViewer: "lecteur", storage.RoleEditor: "rédacteur", storage.RoleAdmin: "administrateur"}

var (
	canRead  = require(storage.RoleViewer)
	canWrite = require(storage.RoleEditor)
	isAdmin  = require(storage.RoleAdmin)
)

func created(c *gin.Context, v any) { c.JSON(http.StatusCreated, v) }
