package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// filterFunc reads a listing's query parameters into a record filter (nil keeps all).
type filterFunc[P any] func(c *gin.Context) (func(P) bool, error)

// crud describes one record type's routes: an optional listing filter and an optional check
// that needs more than storage knows (a template name, say) before create and update.
type crud[P any] struct {
	path   string
	filter filterFunc[P]
	// find replaces the generic listing when a record type has a faster one.
	find    func(c *gin.Context, opts storage.ListOptions) (any, error)
	check   func(P) error
	present func(P) (any, error) // the single-record answer; the record itself when nil
}

// routeCRUD registers list, create, read, replace, patch and delete for one record type.
func routeCRUD[T any, P storage.RecordPtr[T]](g *gin.RouterGroup, store *storage.Store, r crud[P]) {
	path, filter := r.path, r.filter
	g.GET(path, canRead, func(c *gin.Context) {
		opts, err := listOptions(c)
		if err != nil {
			fail(c, err)
			return
		}
		if r.find != nil {
			page, err := r.find(c, opts)
			if err != nil {
				fail(c, err)
				return
			}
			c.JSON(http.StatusOK, page)
			return
		}
		var keep func(P) bool
		if filter != nil {
			if keep, err = filter(c); err != nil {
				fail(c, err)
				return
			}
		}
		page, err := storage.Find[T, P](store, opts, keep)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, page)
	})
	g.POST(path, canWrite, func(c *gin.Context) {
		var v P = new(T)
		if err := decode(c, v); err != nil {
			fail(c, err)
			return
		}
		if err := r.checked(v); err != nil {
			fail(c, err)
			return
		}
		if err := storage.Create(store, actor(c), v); err != nil {
			fail(c, err)
			return
		}
		r.answer(c, http.StatusCreated, v)
	})
	g.GET(path+"/:id", canRead, func(c *gin.Context) {
		id, err := idParam(c)
		if err != nil {
			fail(c, err)
			return
		}
		v, err := storage.Get[T, P](store, id)
		if err != nil {
			fail(c, err)
			return
		}
		r.answer(c, http.StatusOK, v)
	})
	g.PUT(path+"/:id", canWrite, func(c *gin.Context) { update(c, store, r, false) })
	g.PATCH(path+"/:id", canWrite, func(c *gin.Context) { update(c, store, r, true) })
	g.DELETE(path+"/:id", canWrite, func(c *gin.Context) {
		id, err := idParam(c)
		if err != nil {
			fail(c, err)
			return
		}
		if err := storage.Delete[T, P](store, actor(c), id); err != nil {
			fail(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	})
}

// update replaces a record (PUT) or merges the body into the stored one (PATCH).
func update[T any, P storage.RecordPtr[T]](c *gin.Context, store *storage.Store, r crud[P], merge bool) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var v P = new(T)
	if merge {
		if v, err = storage.Get[T, P](store, id); err != nil {
			fail(c, err)
			return
		}
	}
	if err := decode(c, v); err != nil {
		fail(c, err)
		return
	}
	storage.SetID(v, id)
	if err := r.checked(v); err != nil {
		fail(c, err)
		return
	}
	if err := storage.Update(store, actor(c), v); err != nil {
		fail(c, err)
		return
	}
	r.answer(c, http.StatusOK, v)
}

func (r crud[P]) checked(v P) error {
	if r.check == nil {
		return nil
	}
	return r.check(v)
}

func (r crud[P]) answer(c *gin.Context, status int, v P) {
	if r.present == nil {
		c.JSON(status, v)
		return
	}
	out, err := r.present(v)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, out)
}
