package storage

import (
	"time"

	"portevoix/templates/typo"
)

// Versioned is what carries a Meta: every record, and accounts.
type Versioned interface{ meta() *Meta }

// VersionOf returns the version of a record as read or written: the value its ETag carries.
func VersionOf(v Versioned) uint64 { return v.meta().Version }

// stamp records a write of the record by actor at now, one version up: a new record,
// at version 0 until then, becomes version 1.
func (m *Meta) stamp(now time.Time, actor string) {
	m.UpdatedAt, m.UpdatedBy = now, actor
	m.Version++
}

// settle gives version 1 to a record stored before versions existed, so that its next
// write moves it to version 2 and its ETag changes.
func (m *Meta) settle() {
	if m.Version == 0 {
		m.Version = 1
	}
}

// checkVersion refuses with EPRECONDITION a write that expects version want (0: any) of
// a record kind that is now at another version, saying who changed it and when.
func checkVersion(m *Meta, kind string, want uint64) error {
	if want == 0 || m.Version == want {
		return nil
	}
	by := ""
	if m.UpdatedBy != "" {
		by = " par " + m.UpdatedBy
	}
	return Errorf(EPRECONDITION, "Modification refusée : la fiche %s n° %d a été modifiée entre-temps%s, le %s à %s. "+
		"Rechargez-la pour voir ce changement avant d’enregistrer le vôtre.",
		kindNames[kind].name, m.ID, by, typo.Date(m.UpdatedAt), typo.Clock(m.UpdatedAt))
}
