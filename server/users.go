package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

func (s *Server) routeMe(g *gin.RouterGroup) {
	g.GET("/me", func(c *gin.Context) { c.JSON(http.StatusOK, currentUser(c)) })
}

func (s *Server) routeUsers(g *gin.RouterGroup) {
	g.GET("/users", isAdmin, s.listUsers)
	g.POST("/users", isAdmin, s.createUser)
	g.GET("/users/:id", isAdmin, s.getUser)
	g.PUT("/users/:id", isAdmin, s.updateUser)
	g.DELETE("/users/:id", isAdmin, s.deleteUser)
	g.POST("/users/:id/disable", isAdmin, s.setUserDisabled(true))
	g.POST("/users/:id/enable", isAdmin, s.setUserDisabled(false))
	g.POST("/tokens", isAdmin, s.createToken)
	g.DELETE("/tokens/:id", isAdmin, s.deleteToken)
	g.GET("/audit", isAdmin, s.auditLog)
}

func (s *Server) listUsers(c *gin.Context) {
	opts, err := listOptions(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.Store.Users(opts)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (s *Server) createUser(c *gin.Context) {
	var n storage.NewUser
	if err := decode(c, &n); err != nil {
		fail(c, err)
		return
	}
	u, err := s.Store.CreateUser(actor(c), n)
	if err != nil {
		fail(c, err)
		return
	}
	created(c, u)
}

func (s *Server) getUser(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	u, err := s.Store.UserByID(id)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, u)
	c.JSON(http.StatusOK, u)
}

func (s *Server) updateUser(c *gin.Context) {
	id, ifVersion, err := target(c)
	if err != nil {
		fail(c, err)
		return
	}
	var n storage.NewUser
	if err := decode(c, &n); err != nil {
		fail(c, err)
		return
	}
	u, err := s.Store.UpdateUser(actor(c), id, ifVersion, n)
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, u)
	c.JSON(http.StatusOK, u)
}

func (s *Server) deleteUser(c *gin.Context) {
	id, ifVersion, err := target(c)
	if err != nil {
		fail(c, err)
		return
	}
	if u := currentUser(c); u.ID == id {
		fail(c, storage.Errorf(storage.ECONFLICT, "Vous ne pouvez pas supprimer votre propre compte."))
		return
	}
	if err := s.Store.DeleteUser(actor(c), id, ifVersion); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// setUserDisabled disables an account (it can no longer sign in nor use its tokens, and
// its sessions end) or enables it again. An admin cannot disable their own account.
func (s *Server) setUserDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := idParam(c)
		if err != nil {
			fail(c, err)
			return
		}
		if disabled && currentUser(c).ID == id {
			fail(c, storage.Errorf(storage.ECONFLICT, "Vous ne pouvez pas désactiver votre propre compte."))
			return
		}
		u, err := s.Store.SetUserDisabled(actor(c), id, disabled)
		if err != nil {
			fail(c, err)
			return
		}
		setETag(c, u)
		c.JSON(http.StatusOK, u)
	}
}

type tokenRequest struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// NewToken is the answer to a token creation: the secret is shown only this once.
type NewToken struct {
	storage.Token
	Secret string `json:"token"`
}

func (s *Server) createToken(c *gin.Context) {
	var req tokenRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	secret, t, err := s.Store.CreateToken(actor(c), req.Email, req.Name)
	if err != nil {
		fail(c, err)
		return
	}
	created(c, NewToken{Token: *t, Secret: secret})
}

func (s *Server) deleteToken(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.Store.DeleteToken(actor(c), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) auditLog(c *gin.Context) {
	opts, err := listOptions(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.Store.AuditLog(opts)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}
