package contactfile

import (
	"bytes"
	"testing"
	"time"

	"portevoix/storage"
)

// BenchmarkImport50k imports a 50,000-row CSV export into a fresh store: reading,
// validation, upsert by email and the suppression check, in one transaction.
func BenchmarkImport50k(b *testing.B) {
	data := benchFile(b, 50_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := storage.Open(b.TempDir(), time.Second)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		report, err := Import(s, "bench", bytes.NewReader(data), "presse.csv", false)
		b.StopTimer()
		if err != nil || report.Created != 50_000 || len(report.Errors) != 0 {
			b.Fatalf("err %v, created %d, errors %v", err, report.Created, report.Errors)
		}
		s.Close()
	}
}
