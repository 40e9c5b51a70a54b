package mailer

import "testing"

// BenchmarkBuild measures one personalised message with a 100 kB PDF attached.
func BenchmarkBuild(b *testing.B) {
	c := MustCampaign(b, 100_000)
	r := testRecipient(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Build(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppend is BenchmarkBuild reusing one buffer, as a worker does.
func BenchmarkAppend(b *testing.B) {
	c := MustCampaign(b, 100_000)
	r := testRecipient(1)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = c.Append(buf[:0], r); err != nil {
			b.Fatal(err)
		}
	}
}
