package storage

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// storedUser adds the password hash, which never leaves the storage package.
type storedUser struct {
	User
	PasswordHash string `json:"password_hash"`
}

// storedToken adds the token's hash, which never leaves the storage package.
type storedToken struct {
	Token
	Hash []byte `json:"hash"`
}

// NewUser is what an admin gives to create an account.
type NewUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

func (n *NewUser) validate(passwordRequired bool) error {
	var p Problems
	p.email("email", &n.Email)
	p.line("name", &n.Name, true, 200)
	p.oneOf("role", n.Role, RoleAdmin, RoleEditor, RoleViewer)
	if (passwordRequired || n.Password != "") && len([]rune(n.Password)) < MinPasswordLength {
		p.Add("password", "au moins 10 caractères")
	}
	if len(n.Password) > 72 {
		p.Add("password", "72 octets au plus")
	}
	return p.Err()
}

// CreateUser adds an account. Returns EINVALID, or ECONFLICT when the email is taken.
func (s *Store) CreateUser(actor string, n NewUser) (*User, error) {
	if err := n.validate(true); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(n.Password), s.PasswordCost)
	if err != nil {
		return nil, err
	}
	u := storedUser{User: User{Email: n.Email, Name: n.Name, Role: n.Role}, PasswordHash: string(hash)}
	err = s.db.Update(func(tx *bolt.Tx) error {
		ix := index(tx, "user_email")
		key := []byte(NormalizeEmail(n.Email))
		if ix.Get(key) != nil {
			return emailTaken()
		}
		id, _ := tx.Bucket([]byte("users")).NextSequence()
		now := s.Now().UTC()
		u.ID, u.CreatedAt = id, now
		if err := putUser(tx, &u, now, actor); err != nil {
			return err
		}
		if err := ix.Put(key, itob(id)); err != nil {
			return err
		}
		return audit(tx, now, actor, "create", "users", id)
	})
	if err != nil {
		return nil, err
	}
	return &u.User, nil
}

func emailTaken() error {
	return &Error{Code: ECONFLICT, Message: "Cette adresse e-mail est déjà utilisée.", Fields: []FieldError{{Field: "email", Message: "adresse déjà utilisée"}}}
}

// UpdateUser changes an account's name, role, email and (when given) password, which ends
// the account's sessions, when the account is at version ifVersion (any version when 0).
// Returns EINVALID, ENOTFOUND, EPRECONDITION, or ECONFLICT for a taken email or the last
// admin's role.
func (s *Store) UpdateUser(actor string, id, ifVersion uint64, n NewUser) (*User, error) {
	if err := n.validate(false); err != nil {
		return nil, err
	}
	var u storedUser
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := loadUser(tx, id, &u); err != nil {
			return err
		}
		if err := checkVersion(&u.Meta, "users", ifVersion); err != nil {
			return err
		}
		if n.Role != RoleAdmin {
			if err := keepAnAdmin(tx, &u, "retirer le rôle administrateur à"); err != nil {
				return err
			}
		}
		ix := index(tx, "user_email")
		newKey := []byte(NormalizeEmail(n.Email))
		if owner := ix.Get(newKey); owner != nil && btoi(owner) != id {
			return emailTaken()
		}
		if err := ix.Delete([]byte(NormalizeEmail(u.Email))); err != nil {
			return err
		}
		if n.Password != "" {
			hash, err := bcrypt.GenerateFromPassword([]byte(n.Password), s.PasswordCost)
			if err != nil {
				return err
			}
			u.PasswordHash = string(hash)
			if err := endSessionsOf(tx, id); err != nil { // whoever knew the old one is signed out
				return err
			}
		}
		u.Email, u.Name, u.Role = n.Email, n.Name, n.Role
		if err := putUser(tx, &u, s.Now().UTC(), actor); err != nil {
			return err
		}
		if err := ix.Put(newKey, itob(id)); err != nil {
			return err
		}
		return audit(tx, u.UpdatedAt, actor, "update", "users", id)
	})
	if err != nil {
		return nil, err
	}
	return &u.User, nil
}

// DeleteUser removes an account, its tokens and its sessions, when it is at version
// ifVersion (any version when 0). Returns ENOTFOUND, EPRECONDITION, or ECONFLICT for the
// last admin.
func (s *Store) DeleteUser(actor string, id, ifVersion uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		var u storedUser
		if err := loadUser(tx, id, &u); err != nil {
			return err
		}
		if err := checkVersion(&u.Meta, "users", ifVersion); err != nil {
			return err
		}
		if err := keepAnAdmin(tx, &u, "supprimer"); err != nil {
			return err
		}
		if err := deleteTokensOf(tx, id); err != nil {
			return err
		}
		if err := endSessionsOf(tx, id); err != nil {
			return err
		}
		if err := index(tx, "user_email").Delete([]byte(NormalizeEmail(u.Email))); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("users")).Delete(itob(id)); err != nil {
			return err
		}
		return audit(tx, s.Now().UTC(), actor, "delete", "users", id)
	})
}

// Users lists the accounts in creation order.
func (s *Store) Users(opts ListOptions) (Page[User], error) {
	opts, from, err := opts.Normalized()
	if err != nil {
		return Page[User]{}, err
	}
	page := Page[User]{Items: []User{}}
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte("users")).Cursor()
		for k, data := c.Seek(itob(from)); k != nil; k, data = c.Next() {
			if len(page.Items) == opts.Limit {
				page.Next = itoa(btoi(k))
				return nil
			}
			var u storedUser
			if err := json.Unmarshal(data, &u); err != nil {
				return err
			}
			u.settle()
			page.Items = append(page.Items, u.User)
		}
		return nil
	})
	return page, err
}

// UserCount says how many accounts exist (serve explains how to create the first one).
func (s *Store) UserCount() int {
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket([]byte("users")).Stats().KeyN
		return nil
	})
	return n
}

// UserByID returns an account, or ENOTFOUND.
func (s *Store) UserByID(id uint64) (*User, error) {
	var u storedUser
	err := s.db.View(func(tx *bolt.Tx) error { return loadUser(tx, id, &u) })
	return &u.User, err
}

// Authenticate checks an email and password. Returns EUNAUTHORIZED, saying nothing about
// which of the two was wrong.
func (s *Store) Authenticate(email, password string) (*User, error) {
	var u storedUser
	err := s.db.View(func(tx *bolt.Tx) error {
		id := index(tx, "user_email").Get([]byte(NormalizeEmail(email)))
		if id == nil {
			return errBadLogin
		}
		return loadUser(tx, btoi(id), &u)
	})
	if err != nil {
		// Hash anyway so response time does not reveal which emails exist.
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, errBadLogin
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil, errBadLogin
	}
	if u.Disabled {
		return nil, errDisabled // said only to whoever knows the password
	}
	return &u.User, nil
}

var errDisabled = Errorf(EUNAUTHORIZED, "Ce compte est désactivé\u00a0: demandez à un administrateur de le réactiver.")

// SetUserDisabled disables an account (it can no longer sign in or use its tokens, and its
// sessions end) or enables it again. Returns ENOTFOUND.
func (s *Store) SetUserDisabled(actor string, id uint64, disabled bool) (*User, error) {
	var u storedUser
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := loadUser(tx, id, &u); err != nil {
			return err
		}
		if disabled {
			if err := keepAnAdmin(tx, &u, "désactiver"); err != nil {
				return err
			}
		}
		u.Disabled = disabled
		if err := putUser(tx, &u, s.Now().UTC(), actor); err != nil {
			return err
		}
		action := "enable"
		if disabled {
			action = "disable"
			if err := endSessionsOf(tx, id); err != nil {
				return err
			}
		}
		return audit(tx, u.UpdatedAt, actor, action, "users", id)
	})
	return &u.User, err
}

var (
	errBadLogin = Errorf(EUNAUTHORIZED, "Adresse e-mail ou mot de passe incorrect.")
	dummyHash   = []byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z3S5DjuhNFd0UZ0nM3tE5iZy")
)

// CreateToken makes an API token for the account with that email and returns the secret,
// which is shown once and stored only as a hash. Returns EINVALID or ENOTFOUND.
func (s *Store) CreateToken(actor, email, name string) (string, *Token, error) {
	var p Problems
	p.line("name", &name, false, 100)
	if err := p.Err(); err != nil {
		return "", nil, err
	}
	raw, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	secret := "pv_" + raw
	sum := sha256.Sum256([]byte(secret))
	t := storedToken{Token: Token{Name: name}, Hash: sum[:]}
	err = s.db.Update(func(tx *bolt.Tx) error {
		uid := index(tx, "user_email").Get([]byte(NormalizeEmail(email)))
		if uid == nil {
			return Errorf(ENOTFOUND, "Aucun utilisateur avec l’adresse %s.", strings.TrimSpace(email))
		}
		id, _ := tx.Bucket([]byte("tokens")).NextSequence()
		now := s.Now().UTC()
		t.ID, t.UserID, t.CreatedAt = id, btoi(uid), now
		t.stamp(now, actor)
		data, err := json.Marshal(t)
		if err != nil {
			return err
		}
		if err := tx.Bucket([]byte("tokens")).Put(itob(id), data); err != nil {
			return err
		}
		if err := index(tx, "token_hash").Put(sum[:], itob(id)); err != nil {
			return err
		}
		return audit(tx, now, actor, "create", "tokens", id)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, &t.Token, nil
}

// UserByToken returns the account owning an API token secret. Returns EUNAUTHORIZED.
func (s *Store) UserByToken(secret string) (*User, error) {
	sum := sha256.Sum256([]byte(secret))
	var u storedUser
	err := s.db.View(func(tx *bolt.Tx) error {
		id := index(tx, "token_hash").Get(sum[:])
		if id == nil {
			return errBadToken
		}
		var t storedToken
		data := tx.Bucket([]byte("tokens")).Get(id)
		if data == nil || json.Unmarshal(data, &t) != nil {
			return errBadToken
		}
		// The index lookup found it by hash; compare the stored hash in constant time anyway.
		if subtle.ConstantTimeCompare(t.Hash, sum[:]) != 1 {
			return errBadToken
		}
		return loadUser(tx, t.UserID, &u)
	})
	if err != nil || u.Disabled {
		return nil, errBadToken
	}
	return &u.User, nil
}

var errBadToken = Errorf(EUNAUTHORIZED, "Jeton d’accès invalide ou révoqué.")

// DeleteToken revokes a token. Returns ENOTFOUND.
func (s *Store) DeleteToken(actor string, id uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := deleteToken(tx, id); err != nil {
			return err
		}
		return audit(tx, s.Now().UTC(), actor, "delete", "tokens", id)
	})
}

func deleteToken(tx *bolt.Tx, id uint64) error {
	var t storedToken
	data := tx.Bucket([]byte("tokens")).Get(itob(id))
	if data == nil {
		return notFound("tokens", id)
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return err
	}
	if err := index(tx, "token_hash").Delete(t.Hash); err != nil {
		return err
	}
	return tx.Bucket([]byte("tokens")).Delete(itob(id))
}

func deleteTokensOf(tx *bolt.Tx, userID uint64) error {
	var ids []uint64
	err := tx.Bucket([]byte("tokens")).ForEach(func(k, v []byte) error {
		var t storedToken
		if err := json.Unmarshal(v, &t); err != nil {
			return err
		}
		if t.UserID == userID {
			ids = append(ids, t.ID)
		}
		return nil
	})
	for _, id := range ids {
		if err == nil {
			err = deleteToken(tx, id)
		}
	}
	return err
}

func loadUser(tx *bolt.Tx, id uint64, u *storedUser) error {
	data := tx.Bucket([]byte("users")).Get(itob(id))
	if data == nil {
		return notFound("users", id)
	}
	if err := json.Unmarshal(data, u); err != nil {
		return err
	}
	u.settle()
	return nil
}

// putUser stamps the account as written by actor at now, one version up, and stores it.
func putUser(tx *bolt.Tx, u *storedUser, now time.Time, actor string) error {
	u.stamp(now, actor)
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return tx.Bucket([]byte("users")).Put(itob(u.ID), data)
}

// keepAnAdmin refuses (ECONFLICT) to take the admin role from u when no other account
// holds it: nobody could manage the accounts any more. what names the change refused.
func keepAnAdmin(tx *bolt.Tx, u *storedUser, what string) error {
	if u.Role != RoleAdmin || otherAdmin(tx, u.ID) {
		return nil
	}
	return Errorf(ECONFLICT, "Impossible de %s %s : c’est le dernier compte administrateur. "+
		"Donnez d’abord ce rôle à un autre compte.", what, u.Email)
}

// otherAdmin reports whether an enabled account other than id has the admin role.
func otherAdmin(tx *bolt.Tx, id uint64) bool {
	found := false
	_ = tx.Bucket([]byte("users")).ForEach(func(k, data []byte) error {
		var u User
		if btoi(k) != id && json.Unmarshal(data, &u) == nil && u.Role == RoleAdmin && !u.Disabled {
			found = true
		}
		return nil
	})
	return found
}

// ChangePassword sets a new password for an account after checking its current one (a
// user changing their own), and ends the account's sessions. Returns EINVALID (naming
// "current_password" or "password") or ENOTFOUND.
func (s *Store) ChangePassword(actor string, id uint64, current, password string) error {
	u, err := s.UserByID(id)
	if err != nil {
		return err
	}
	if _, err := s.Authenticate(u.Email, current); err != nil {
		return &Error{Code: EINVALID, Message: "Le mot de passe actuel est incorrect.",
			Fields: []FieldError{{Field: "current_password", Message: "mot de passe incorrect"}}}
	}
	if password == "" {
		return (&Problems{{Field: "password", Message: "champ obligatoire"}}).Err()
	}
	_, err = s.UpdateUser(actor, id, 0, NewUser{Email: u.Email, Name: u.Name, Role: u.Role, Password: password})
	return err
}
