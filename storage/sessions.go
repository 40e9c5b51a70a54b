package storage

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Session lifetimes: a session ends after SessionIdle without a request, and SessionMax
// after it began, whatever happens.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
)

// sessionTouch is how stale SeenAt may get before a request writes it again, so that a
// page with many requests does not write the base each time.
const sessionTouch = time.Minute

// Session is a signed-in browser of the staff pages. The secret in its cookie is stored
// only as a SHA-256 hash, which is the session's key; ID names it in listings.
type Session struct {
	ID        uint64    `json:"id"`
	UserID    uint64    `json:"user_id"`
	CSRF      string    `json:"csrf"` // the token every form of this session carries
	UserAgent string    `json:"user_agent"`
	CreatedAt time.Time `json:"created_at"`
	SeenAt    time.Time `json:"seen_at"`
	Hash      []byte    `json:"-"` // the key
}

// Expired reports whether s has ended by itself at now (idle or too old).
func (s *Session) Expired(now time.Time) bool {
	return now.Sub(s.SeenAt) >= SessionIdle || now.Sub(s.CreatedAt) >= SessionMax
}

// randomToken is 256 random bits, URL-safe.
func randomToken() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// CreateSession starts a session for an account and returns the secret for its cookie,
// shown only this once. Returns ENOTFOUND when the account does not exist.
func (s *Store) CreateSession(userID uint64, userAgent string) (string, *Session, error) {
	secret, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256([]byte(secret))
	now := s.Now().UTC()
	v := &Session{UserID: userID, CSRF: csrf, UserAgent: truncate(userAgent, 200), CreatedAt: now, SeenAt: now, Hash: sum[:]}
	err = s.db.Update(func(tx *bolt.Tx) error {
		var u storedUser
		if err := loadUser(tx, userID, &u); err != nil {
			return err
		}
		b := tx.Bucket([]byte("sessions"))
		v.ID, _ = b.NextSequence()
		return putSession(tx, v)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, v, nil
}

// SessionUser returns the session of a cookie secret and its account, and records that it
// was used. An unknown, ended or expired session returns EUNAUTHORIZED; an expired one is
// deleted then.
func (s *Store) SessionUser(secret string) (*Session, *User, error) {
	sum := sha256.Sum256([]byte(secret))
	now := s.Now().UTC()
	var v Session
	var u storedUser
	touch := false
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket([]byte("sessions")).Get(sum[:])
		if data == nil || json.Unmarshal(data, &v) != nil {
			return errNoSession
		}
		v.Hash = sum[:]
		touch = v.Expired(now) || now.Sub(v.SeenAt) >= sessionTouch
		return loadUser(tx, v.UserID, &u)
	})
	if err != nil || u.Disabled {
		return nil, nil, errNoSession
	}
	if touch {
		if err := s.touchSession(&v, now); err != nil {
			return nil, nil, err
		}
	}
	return &v, &u.User, nil
}

var errNoSession = Errorf(EUNAUTHORIZED, "Session terminée\u00a0: veuillez vous reconnecter.")

// touchSession deletes an expired session or moves its SeenAt to now.
func (s *Store) touchSession(v *Session, now time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("sessions"))
		if b.Get(v.Hash) == nil {
			return errNoSession // ended meanwhile
		}
		if v.Expired(now) {
			if err := b.Delete(v.Hash); err != nil {
				return err
			}
			return errNoSession
		}
		v.SeenAt = now
		return putSession(tx, v)
	})
}

// EndSession deletes the session of a cookie secret (signing out); an unknown one is not
// an error.
func (s *Store) EndSession(secret string) error {
	sum := sha256.Sum256([]byte(secret))
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("sessions")).Delete(sum[:]) })
}

// Sessions lists the sessions that have not expired, the most recently used first, for
// admins. Expired ones are left for the next sign-in to sweep.
func (s *Store) Sessions() ([]Session, error) {
	now := s.Now().UTC()
	var list []Session
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("sessions")).ForEach(func(_, data []byte) error {
			var v Session
			if err := json.Unmarshal(data, &v); err != nil {
				return err
			}
			if !v.Expired(now) {
				list = append(list, v)
			}
			return nil
		})
	})
	slices.SortFunc(list, func(a, b Session) int { return b.SeenAt.Compare(a.SeenAt) })
	return list, err
}

// RevokeSession ends the session with that ID (an admin's action, audited). Returns
// ENOTFOUND.
func (s *Store) RevokeSession(actor string, id uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		n, err := deleteSessions(tx, func(v *Session) bool { return v.ID == id })
		if err != nil {
			return err
		}
		if n == 0 {
			return Errorf(ENOTFOUND, "Introuvable\u00a0: session n° %d (déjà terminée\u202f?).", id)
		}
		return audit(tx, s.Now().UTC(), actor, "revoke", "sessions", id)
	})
}

// SweepSessions deletes the expired sessions and says how many there were.
func (s *Store) SweepSessions() (int, error) {
	now := s.Now().UTC()
	var n int
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		n, err = deleteSessions(tx, func(v *Session) bool { return v.Expired(now) })
		return err
	})
	return n, err
}

// endSessionsOf deletes every session of an account: its password changed, or it was
// deleted. Sessions are few (staff browsers), so a scan costs less than an index to keep.
func endSessionsOf(tx *bolt.Tx, userID uint64) error {
	_, err := deleteSessions(tx, func(v *Session) bool { return v.UserID == userID })
	return err
}

// deleteSessions deletes the sessions for which match is true and says how many.
func deleteSessions(tx *bolt.Tx, match func(*Session) bool) (int, error) {
	b := tx.Bucket([]byte("sessions"))
	var keys [][]byte
	err := b.ForEach(func(k, data []byte) error {
		var v Session
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		if match(&v) {
			keys = append(keys, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range keys {
		if err == nil {
			err = b.Delete(k)
		}
	}
	return len(keys), err
}

func putSession(tx *bolt.Tx, v *Session) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket([]byte("sessions")).Put(v.Hash, data)
}

// truncate cuts s to at most max runes.
func truncate(s string, max int) string {
	if r := []rune(s); len(r) > max {
		return string(r[:max])
	}
	return s
}
