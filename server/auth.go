package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

const userKey = "portevoix.user"

var roleRank = map[string]int{storage.RoleViewer: 1, storage.RoleEditor: 2, storage.RoleAdmin: 3}

// authenticate requires a valid "Authorization: Bearer TOKEN".
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		header := c.GetHeader("Authorization")
		token, ok := strings.CutPrefix(header, "Bearer ")
		if !ok || token == "" {
			c.Header("WWW-Authenticate", `Bearer realm="portevoix"`)
			fail(c, storage.Errorf(storage.EUNAUTHORIZED, "Authentification requise : en-tête « Authorization: Bearer JETON » manquant."))
			return
		}
		u, err := s.Store.UserByToken(strings.TrimSpace(token))
		if err != nil {
			c.Header("WWW-Authenticate", `Bearer realm="portevoix", error="invalid_token"`)
			fail(c, err)
			return
		}
		c.Set(userKey, u)
		c.Next()
	}
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
			fail(c, storage.Errorf(storage.EFORBIDDEN, "Votre rôle ne permet pas cette action (rôle requis : %s).", roleLabel[role]))
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
