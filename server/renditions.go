package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// renditionBudget bounds the bytes the public pages keep rendered: past it the cache starts
// over, so that a crawler walking every PDF of a large newsroom cannot hold them all in memory.
const renditionBudget = 64 << 20

// rendition is a public answer rendered once, with the validators of conditional requests.
type rendition struct {
	body     []byte
	etag     string    // strong: a hash of body, so it changes with the templates too
	modified time.Time // when what the answer shows last changed
}

func newRendition(body []byte, modified time.Time) *rendition {
	sum := sha256.Sum256(body)
	return &rendition{body: body, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`, modified: modified}
}

// xmlRendition renders v as an indented XML document, last changed at modified.
func xmlRendition(v any, modified time.Time) (*rendition, error) {
	out, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return newRendition(append([]byte(xml.Header), out...), modified), nil
}

// renditions keeps rendered public answers by key. A key names everything an answer is
// made of (communiqué ids and revisions, page number), so an entry never goes stale: a
// publication or an embargo's end gives new keys.
type renditions struct {
	budget int // bytes of bodies kept at most

	mu    sync.Mutex
	byKey map[string]*rendition
	size  int
}

// get returns the rendition at key, calling render on first use. Two requests missing the
// same key at once may both render it; both answers are the same bytes.
func (r *renditions) get(key string, render func() (*rendition, error)) (*rendition, error) {
	r.mu.Lock()
	v := r.byKey[key]
	r.mu.Unlock()
	if v != nil {
		return v, nil
	}
	v, err := render()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old := r.byKey[key]; old != nil {
		return old, nil
	}
	if r.byKey == nil || r.size+len(v.body) > r.budget {
		r.byKey, r.size = map[string]*rendition{}, 0
	}
	r.byKey[key], r.size = v, r.size+len(v.body)
	return v, nil
}

// communiquesKey names a list of communiqués by their ids and revisions.
func communiquesKey(list []*storage.Communique) string {
	var b strings.Builder
	for _, v := range list {
		b.WriteString(strconv.FormatUint(v.ID, 10))
		b.WriteByte('.')
		b.WriteString(strconv.Itoa(v.Revision))
		b.WriteByte(' ')
	}
	return b.String()
}

// serveRendition answers with r, or 304 Not Modified when the client's copy is current.
// http.ServeContent weighs If-None-Match before If-Modified-Since, as RFC 9110 says, and
// handles HEAD and ranges.
func serveRendition(c *gin.Context, contentType string, r *rendition) {
	// Revalidate every time: a 304 costs little, and a new communiqué shows at once.
	writeRendition(c, contentType, "no-cache", r)
}

// writeRendition is serveRendition with its own Cache-Control.
func writeRendition(c *gin.Context, contentType, cacheControl string, r *rendition) {
	h := c.Writer.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", r.etag)
	h.Set("Cache-Control", cacheControl)
	http.ServeContent(c.Writer, c.Request, "", r.modified, bytes.NewReader(r.body))
}
