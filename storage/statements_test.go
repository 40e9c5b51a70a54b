package storage_test

import (
	"testing"

	"portevoix/storage"
)

// statement is a valid public statement by someone outside the pôles.
func statement() *storage.Quote {
	return &storage.Quote{Kind: storage.QuoteStatement, Text: "Il est essentiel que nous tirions les leçons des derniers mois.",
		Speaker: "Agnès Pannier-Runacher", SpeakerTitle: "ministre déléguée chargée de l’Industrie",
		Source: "bilan du Contrat stratégique de filière", Date: "2020-10-07", SourceURL: "https://www.example.org/bilan-csf"}
}

func TestQuoteKindsValidate(t *testing.T) {
	s := MustOpen(t)
	pole := MustCreate(t, s, &storage.Pole{Name: "Eurobiomed"})
	person := MustCreate(t, s, &storage.Person{Name: "Michaël Danon", PoleID: pole.ID})
	for _, tc := range []struct {
		name   string
		change func(q *storage.Quote)
		fields []string // the fields refused, none for a valid quote
	}{
		{"OK", func(*storage.Quote) {}, nil},
		{"ErrNoSource", func(q *storage.Quote) { q.Source, q.SourceURL, q.Date = "", "", "" }, []string{"date", "source", "source_url"}},
		{"ErrNoSpeaker", func(q *storage.Quote) { q.Speaker = "" }, []string{"speaker"}},
		{"ErrNotAWebAddress", func(q *storage.Quote) { q.SourceURL = "javascript:alert(1)" }, []string{"source_url"}},
		{"ErrSpokesperson", func(q *storage.Quote) { q.PersonID = person.ID }, []string{"person_id"}},
		{"ErrApprovedAtCreation", func(q *storage.Quote) { q.Status = storage.QuoteApproved }, []string{"status"}},
		{"ErrUnknownKind", func(q *storage.Quote) { q.Kind = "rumeur" }, []string{"kind"}},
		{"ErrSourceOnASpokespersonQuote", func(q *storage.Quote) { q.Kind, q.PersonID = "", person.ID }, []string{"speaker", "speaker_title", "source_url"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := statement()
			tc.change(q)
			err := storage.Create(s, "test", q)
			if tc.fields == nil {
				if err != nil || q.Kind != storage.QuoteStatement || q.Status != storage.QuoteDraft {
					t.Fatalf("%v, %+v", err, q)
				}
				return
			}
			var got []string
			if e, ok := err.(*storage.Error); ok && e.Code == storage.EINVALID {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			}
			if len(got) != len(tc.fields) {
				t.Fatalf("refused %v (%v), want %v", got, err, tc.fields)
			}
			for i := range got {
				if got[i] != tc.fields[i] {
					t.Fatalf("refused %v, want %v", got, tc.fields)
				}
			}
		})
	}
	q := MustCreate(t, s, &storage.Quote{PersonID: person.ID, Text: "Sans type"})
	if q.Kind != storage.QuoteSpokesperson {
		t.Errorf("a quote without kind is a spokesperson's: %q", q.Kind)
	}
}

// A statement needs no approval to be published (and refuses one); a spokesperson's
// quote still does; a withdrawn statement blocks publication.
func TestStatementsNeedNoApproval(t *testing.T) {
	f := newFixture(t)
	st := MustCreate(t, f.s, statement())
	if _, err := f.s.ApproveQuote("test", st.ID, ""); storage.ErrorCode(err) != storage.ECONFLICT {
		t.Fatalf("approve a statement: %v, want ECONFLICT", err)
	}
	c, _ := storage.Get[storage.Communique](f.s, f.communique.ID)
	c.QuoteIDs = []uint64{st.ID, f.quote.ID}
	must(t, storage.Update(f.s, "test", c))
	for _, p := range []uint64{f.poleA.ID, f.poleB.ID} {
		if _, err := f.s.ApproveCommunique("test", c.ID, p); storage.ErrorCode(err) != storage.ECONFLICT {
			t.Fatalf("the spokesperson's quote is not approved yet: %v, want ECONFLICT", err)
		}
	}
	f.approveAll(t)
	b, err := f.s.CommuniqueBundle(c.ID)
	must(t, err)
	if q := b.Quotes[0]; q.Quote.Speaker != "Agnès Pannier-Runacher" || q.Person.ID != 0 || q.Pole.ID != 0 {
		t.Fatalf("bundle quote: %+v", q)
	}

	st.Status = storage.QuoteWithdrawn
	must(t, storage.Update(f.s, "test", st))
	if _, err := f.s.PublishCommunique("test", c.ID); storage.ErrorCode(err) != storage.ECONFLICT {
		t.Fatalf("publish with a withdrawn statement: %v, want ECONFLICT", err)
	}
	st.Status = storage.QuoteDraft
	must(t, storage.Update(f.s, "test", st))
	if _, err := f.s.PublishCommunique("test", c.ID); err != nil {
		t.Fatal(err)
	}
}
