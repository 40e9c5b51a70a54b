package server

import (
	"net/http"
	"strconv"
	"strings"

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
		setETag(c, v)
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
		setETag(c, v)
		r.answer(c, http.StatusOK, v)
	})
	g.PUT(path+"/:id", canWrite, func(c *gin.Context) { replace(c, store, r) })
	g.PATCH(path+"/:id", canWrite, func(c *gin.Context) { patch(c, store, r) })
	g.DELETE(path+"/:id", canWrite, func(c *gin.Context) {
		id, ifVersion, err := target(c)
		if err != nil {
			fail(c, err)
			return
		}
		if err := storage.DeleteIf[T, P](store, actor(c), id, ifVersion); err != nil {
			fail(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	})
}

// replace stores the body as the whole record (PUT).
func replace[T any, P storage.RecordPtr[T]](c *gin.Context, store *storage.Store, r crud[P]) {
	id, ifVersion, err := target(c)
	if err != nil {
		fail(c, err)
		return
	}
	var v P = new(T)
	if err := decode(c, v); err != nil {
		fail(c, err)
		return
	}
	storage.SetID(v, id)
	if err := r.checked(v); err != nil {
		fail(c, err)
		return
	}
	if err := storage.UpdateIf(store, actor(c), v, ifVersion); err != nil {
		fail(c, err)
		return
	}
	setETag(c, v)
	r.answer(c, http.StatusOK, v)
}

// patch merges the body into the stored record (PATCH). The merge happens inside the write
// transaction, so two patches of different fields never undo each other; the body is read
// before it, so that a slow client does not hold the write lock.
func patch[T any, P storage.RecordPtr[T]](c *gin.Context, store *storage.Store, r crud[P]) {
	id, ifVersion, err := target(c)
	var data []byte
	if err == nil {
		data, err = readBody(c)
	}
	if err != nil {
		fail(c, err)
		return
	}
	v, err := storage.Patch(store, actor(c), id, ifVersion, func(v P) error {
		if err := decodeObject(data, v); err != nil {
			return err
		}
		return r.checked(v)
	})
	if err != nil {
		fail(c, err)
		return
	}
	setETag(c, v)
	r.answer(c, http.StatusOK, v)
}

// target reads the id of the record a write is for, and the version its If-Match header
// expects (0 without one, or with "*").
func target(c *gin.Context) (id, ifVersion uint64, err error) {
	if id, err = idParam(c); err != nil {
		return 0, 0, err
	}
	ifVersion, err = ifMatch(c.GetHeader("If-Match"))
	return id, ifVersion, err
}

// ifMatch reads an If-Match header: one strong ETag as setETag writes it. Anything else
// (a weak tag, a list, garbage) matches no version: 412.
func ifMatch(header string) (uint64, error) {
	header = strings.TrimSpace(header)
	if header == "" || header == "*" {
		return 0, nil
	}
	if len(header) > 2 && header[0] == '"' && header[len(header)-1] == '"' {
		if n, err := strconv.ParseUint(header[1:len(header)-1], 10, 64); err == nil && n > 0 {
			return n, nil
		}
	}
	return 0, storage.Errorf(storage.EPRECONDITION, "En-tête If-Match invalide : renvoyez tel quel l’ETag reçu avec la fiche, par exemple « \"3\" ».")
}

// setETag sends the record's version as a strong ETag, for If-Match on the next write.
func setETag(c *gin.Context, v storage.Versioned) {
	c.Header("ETag", `"`+strconv.FormatUint(storage.VersionOf(v), 10)+`"`)
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
