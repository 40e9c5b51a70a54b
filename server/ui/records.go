package ui

import (
	"cmp"
	"slices"
	"strings"

	"portevoix/storage"
)

// all reads every record of a kind that keep accepts (all when keep is nil), a thousand
// at a time: the staff pages show few kinds in full (pôles, speakers, lists).
func all[T any, P storage.RecordPtr[T]](store *storage.Store, keep func(P) bool) ([]T, error) {
	var out []T
	opts := storage.ListOptions{Limit: 1000}
	for {
		page, err := storage.Find[T, P](store, opts, keep)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out, nil
		}
		opts.Cursor = page.Next
	}
}

// names indexes records' display names by id.
func names[T any](list []T, id func(*T) uint64, name func(*T) string) map[uint64]string {
	m := make(map[uint64]string, len(list))
	for i := range list {
		m[id(&list[i])] = name(&list[i])
	}
	return m
}

// poleOptions are the pôles to pick from, by name, after an empty choice labelled none.
func (u *UI) poleOptions(none string) ([]Option, error) {
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		return nil, err
	}
	return poleChoices(poles, none), nil
}

// poleChoices are poleOptions for pôles already read.
func poleChoices(poles []storage.Pole, none string) []Option {
	opts := []Option{{"", none}}
	for _, p := range sortedBy(poles, func(p *storage.Pole) string { return p.Name }) {
		opts = append(opts, Option{idString(p.ID), p.Name})
	}
	return opts
}

// personOptions are the spokespeople to pick from, "Name (Pôle)", short naming the pôles.
func (u *UI) personOptions(none string, short map[uint64]string) ([]Option, error) {
	people, err := all[storage.Person](u.Store, nil)
	if err != nil {
		return nil, err
	}
	opts := []Option{{"", none}}
	for _, p := range sortedBy(people, func(p *storage.Person) string { return p.Name }) {
		opts = append(opts, Option{idString(p.ID), p.Name + " (" + short[p.PoleID] + ")"})
	}
	return opts, nil
}

// poleLabels labels the pôles by id, with poleLabel.
func poleLabels(poles []storage.Pole) map[uint64]string {
	return names(poles, func(p *storage.Pole) uint64 { return p.ID }, poleLabel)
}

// poleLabel is a pôle's short name, or its name when it has none.
func poleLabel(p *storage.Pole) string { return cmp.Or(p.ShortName, p.Name) }

// sortedBy sorts a copy of list by a key, in French alphabetical order (case and accents
// aside, which is close enough for names).
func sortedBy[T any](list []T, key func(*T) string) []T {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b T) int { return strings.Compare(foldKey(key(&a)), foldKey(key(&b))) })
	return out
}

var accents = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "œ", "oe", "æ", "ae")

func foldKey(s string) string { return accents.Replace(strings.ToLower(s)) }
