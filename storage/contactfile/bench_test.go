package contactfile

import (
	"bytes"
	"fmt"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"portevoix/storage"
)

// benchContacts generates n distinct contacts shaped like a regional press list.
func benchContacts(n int) []storage.Contact {
	firsts := []string{"Élodie", "Jean-Marie", "Chloé", "François", "Anne", "Loïc"}
	lasts := []string{"Lœuvre", "de la Tour", "D’Artagnan", "Martin", "Le Gall", "Bernard"}
	media := []string{"Le Journal de l’Économie; édition Sud", "Ouest-France", "France 3 \"Régions\"", "Le Quotidien du Médecin"}
	regions := [][]string{{"Bretagne"}, {"Provence-Alpes-Côte d’Azur", "Occitanie"}, {"Île-de-France"}}
	tags := [][]string{{"santé", "économie"}, {"industrie"}, {"santé", "recherche", "IA"}}
	kinds := []string{storage.KindJournalist, storage.KindJournalist, storage.KindPressOfficer, storage.KindAgency}
	contacts := make([]storage.Contact, n)
	for i := range contacts {
		contacts[i] = storage.Contact{
			FirstName: firsts[i%len(firsts)], LastName: lasts[i%len(lasts)],
			Email:        fmt.Sprintf("contact.%d@example.org", i),
			Phone:        fmt.Sprintf("+33 6 %02d %02d %02d %02d", i%100, i/100%100, i/10000%100, i%97),
			Organization: media[i%len(media)], Kind: kinds[i%len(kinds)],
			Regions: regions[i%len(regions)], Tags: tags[i%len(tags)],
			Language: "fr", Source: "Fichier presse 2025", LawfulBasis: "intérêt légitime",
		}
	}
	return contacts
}

func benchFile(b *testing.B, n int) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, benchContacts(n)); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchmarkRead(b *testing.B, data []byte, rows int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Read(bytes.NewReader(data), "presse.csv")
		if err != nil || len(res.Rows) != rows || len(res.Errors) != 0 {
			b.Fatalf("err %v, %d rows, errors %v", err, len(res.Rows), res.Errors)
		}
	}
}

// BenchmarkRead50k reads a 50,000-row UTF-8 export (about 8 MB).
func BenchmarkRead50k(b *testing.B) {
	benchmarkRead(b, benchFile(b, 50_000), 50_000)
}

// BenchmarkRead50kWindows1252 reads the same rows saved by French Excel.
func BenchmarkRead50kWindows1252(b *testing.B) {
	data, err := charmap.Windows1252.NewEncoder().Bytes(bytes.TrimPrefix(benchFile(b, 50_000), []byte("\uFEFF")))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkRead(b, data, 50_000)
}

func BenchmarkWriteCSV50k(b *testing.B) {
	contacts := benchContacts(50_000)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, contacts); err != nil {
			b.Fatal(err)
		}
	}
}
