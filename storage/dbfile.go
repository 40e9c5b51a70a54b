package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
)

// ErrDamaged is returned when the base file is empty, truncated or not a base at all.
var ErrDamaged = errors.New("base endommagée")

// bbolt's meta page, read here without bbolt's internals: after the 16-byte page header
// come magic, version and page size (uint32 each), then at meta offset 40 the high-water
// page id, and at 56 an FNV-64a checksum of the 56 bytes before it. bbolt writes them in
// the machine's byte order.
const (
	pageHeaderSize = 16
	metaSize       = 64
	metaMagic      = 0xED0CDAED
	metaVersion    = 2
	minPageSize    = 512
)

// CheckFile checks that path is a complete bbolt file before it is mapped: both meta pages
// are read and the file must hold every page the newest valid one counts. It returns an
// fs.ErrNotExist error when there is no file, and ErrDamaged, with a French message that
// says to restore a backup, when the file cannot be a whole base.
func CheckFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	pages, pageSize, err := readMeta(f)
	if err == nil {
		var info os.FileInfo
		if info, err = f.Stat(); err == nil && uint64(info.Size()) < pages*uint64(pageSize) {
			err = fmt.Errorf("fichier tronqué à %d octets sur %d", info.Size(), pages*uint64(pageSize))
		}
	}
	if err != nil {
		return fmt.Errorf("%w : %s (%v). Porte-Voix ne l’ouvre pas, pour ne rien perdre de plus : "+
			"restaurez une sauvegarde (portevoix backup) à sa place", ErrDamaged, path, err)
	}
	return nil
}

// readMeta returns the page count and page size from the newest valid meta page of f.
func readMeta(f *os.File) (pages uint64, pageSize uint32, err error) {
	first := make([]byte, pageHeaderSize+metaSize)
	if _, err := io.ReadFull(f, first); err != nil {
		return 0, 0, errors.New("fichier vide ou trop court")
	}
	var best *meta
	if m, ok := parseMeta(first); ok {
		best = &m
	}
	// The second meta page sits one page further; the first one, even damaged, says where.
	size := binary.NativeEndian.Uint32(first[pageHeaderSize+8:])
	if best != nil {
		size = best.pageSize
	}
	if size < minPageSize {
		size = uint32(os.Getpagesize())
	}
	second := make([]byte, len(first))
	if _, err := f.ReadAt(second, int64(size)); err == nil {
		if m, ok := parseMeta(second); ok && (best == nil || m.txid > best.txid) {
			best = &m
		}
	}
	if best == nil {
		return 0, 0, errors.New("aucune page d’en-tête valide")
	}
	return best.pages, best.pageSize, nil
}

type meta struct {
	pageSize    uint32
	pages, txid uint64
}

// parseMeta decodes a meta page and says whether its marker, version and checksum hold.
func parseMeta(page []byte) (meta, bool) {
	b := page[pageHeaderSize:]
	e := binary.NativeEndian
	h := fnv.New64a()
	h.Write(b[:56])
	m := meta{pageSize: e.Uint32(b[8:]), pages: e.Uint64(b[40:]), txid: e.Uint64(b[48:])}
	ok := e.Uint32(b) == metaMagic && e.Uint32(b[4:]) == metaVersion && e.Uint64(b[56:]) == h.Sum64() && m.pageSize >= minPageSize
	return m, ok
}

// Health reports whether the base file the store holds open is still the one at its path.
// When the data folder or the file is removed or replaced while the server runs, every
// later write would go to a file nobody will open again: the server refuses writes then.
func (s *Store) Health() error {
	info, err := os.Stat(s.Path())
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s.unavailable("le fichier de la base ou son dossier a été supprimé ou déplacé")
	case err != nil:
		return s.unavailable("le fichier de la base est devenu illisible")
	case !os.SameFile(info, s.file):
		return s.unavailable("le fichier de la base a été remplacé par un autre")
	}
	return nil
}

// unavailable is the French EUNAVAILABLE error for a base that can no longer be written.
func (s *Store) unavailable(why string) *Error {
	return Errorf(EUNAVAILABLE, "Enregistrement impossible : %s pendant que le serveur tournait. "+
		"Rien de ce qui est envoyé maintenant ne serait conservé : arrêtez Porte-Voix, remettez la base en place "+
		"(ou restaurez une sauvegarde), puis relancez-le.", why)
}
