package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed static
var staticFiles embed.FS

// staticFile is one embedded file served under a URL carrying its content's hash, so
// browsers may keep it for good.
type staticFile struct {
	data []byte
	typ  string
}

var staticTypes = map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}

// prepareStatic hashes each file of static/ into its URL: /static/app.3f2a…e1.css.
func (u *UI) prepareStatic() {
	u.static = map[string]staticFile{}
	entries, _ := staticFiles.ReadDir("static") // embedded: cannot fail
	u.assets = map[string]string{}
	for _, e := range entries {
		data, _ := staticFiles.ReadFile("static/" + e.Name())
		u.addStatic(e.Name(), data, staticTypes[path.Ext(e.Name())])
	}
}

// addStatic serves data under a URL made of name and its hash, and returns that URL; the
// pages find it in u.assets by name.
func (u *UI) addStatic(name string, data []byte, typ string) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	url := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
	u.static[url] = staticFile{data: data, typ: typ}
	u.assets[name] = url
	return url
}

func (u *UI) serveStatic(c *gin.Context) {
	f := u.static[c.FullPath()]
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(200, f.typ, f.data)
}
