package storage

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage/region"
)

// regions cleans a list of regions like words, then replaces each by its canonical name
// (region.Canonical), so that lists, contacts and pôles compare equal however a region
// was typed. An unknown region is refused with the list of valid names.
func (p *Problems) regions(field string, values *[]string) {
	p.words(field, values)
	out := (*values)[:0]
	for _, v := range *values {
		name, ok := region.Canonical(v)
		if !ok {
			p.Add(field, UnknownRegion(v))
			continue
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	*values = out
}

// UnknownRegion is the French message refusing region s, listing the valid names.
func UnknownRegion(s string) string {
	return "région inconnue «\u202f" + s + "\u202f»\u202f; régions possibles\u00a0: " + region.List()
}

// migrateRegions (schema 3) writes the regions of every contact, list and pôle in their
// canonical form. A stored region outside the vocabulary is kept as it is, so nothing
// typed is lost, and logged: it matches no list (see compileRules), and the API refuses
// it at the record's next edit, so that someone corrects it.
func migrateRegions(tx *bolt.Tx, now time.Time) error {
	kinds := []func() regional{
		func() regional { return &Contact{} }, func() regional { return &List{} }, func() regional { return &Pole{} },
	}
	for _, kind := range kinds {
		if err := migrateRegionsOf(tx, kind, now); err != nil {
			return fmt.Errorf("%s: %w", kind().Bucket(), err)
		}
	}
	return nil
}

// regional is a record that names regions.
type regional interface {
	Record
	regionList() *[]string
}

func (v *Contact) regionList() *[]string { return &v.Regions }
func (v *List) regionList() *[]string    { return &v.Regions }
func (v *Pole) regionList() *[]string    { return &v.Regions }

// migrateRegionsOf canonicalises the regions of each record in kind's bucket.
func migrateRegionsOf(tx *bolt.Tx, kind func() regional, now time.Time) error {
	b := tx.Bucket([]byte(kind().Bucket()))
	var ids [][]byte
	if err := b.ForEach(func(k, _ []byte) error { ids = append(ids, k); return nil }); err != nil {
		return err
	}
	for _, k := range ids { // writes wait until the walk ends: bbolt forbids them during ForEach
		v := kind()
		if err := json.Unmarshal(b.Get(k), v); err != nil {
			return err
		}
		regions := v.regionList()
		fixed, unknown := canonicalRegions(*regions)
		for _, u := range unknown {
			slog.Warn("schema 3: unknown region kept as typed; it matches no list until corrected", "kind", v.Bucket(), "id", btoi(k), "region", u)
		}
		if slices.Equal(fixed, *regions) {
			continue
		}
		*regions = fixed
		if err := put(tx, v, now, "system"); err != nil {
			return err
		}
	}
	return nil
}

// canonicalRegions returns the regions in canonical form, without repeats, the unknown
// ones kept verbatim at their place and also returned apart.
func canonicalRegions(regions []string) (fixed, unknown []string) {
	if regions == nil {
		return nil, nil
	}
	fixed = make([]string, 0, len(regions))
	for _, r := range regions {
		name, ok := region.Canonical(r)
		if !ok {
			name = r
			unknown = append(unknown, r)
		}
		if !slices.Contains(fixed, name) {
			fixed = append(fixed, name)
		}
	}
	return fixed, unknown
}

// knownRegions drops the regions outside the vocabulary, which only a base from before
// schema 3 may hold: they match nothing.
func knownRegions(regions []string) []string {
	out := make([]string, 0, len(regions))
	for _, r := range regions {
		if name, ok := region.Canonical(r); ok && name == r {
			out = append(out, r)
		}
	}
	return out
}

// canonicalRegion puts the filter's region in canonical form, so that « PACA » finds the
// contacts of Provence-Alpes-Côte d’Azur; an unknown region is EINVALID.
func (f *ContactFilter) canonicalRegion() error {
	if f.Region == "" {
		return nil
	}
	name, ok := region.Canonical(f.Region)
	if !ok {
		var p Problems
		p.Add("region", UnknownRegion(f.Region))
		return p.Err()
	}
	f.Region = name
	return nil
}
