package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// messageIDs reads who got which Message-ID from what the server received.
func messageIDs(t *testing.T, box *smtptest.Server) map[string][]string {
	t.Helper()
	ids := map[string][]string{}
	for _, m := range box.Received() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatalf("message to %s: %v", m.To, err)
		}
		ids[m.To] = append(ids[m.To], msg.Header.Get("Message-ID"))
	}
	return ids
}

// TestImportSendKillResume is the distribution issue's "done when": a French Excel export
// imported, a regional list, the demo communiqué sent through a local SMTP server, the
// server killed halfway (SIGKILL: no clean shutdown) and started again; every journalist is
// mailed, duplicates are at most the messages in flight (one per connection), with the same
// Message-ID, and the deliveries report says who got it.
func TestImportSendKillResume(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	// The server takes 20 ms a message, slowly enough that the campaign can be killed halfway.
	box := smtptest.Start(t, func(s *smtptest.Server) { s.Delay = 20 * time.Millisecond })
	const journalists, conns = 120, 2

	runCLI(t, "", "demo", "--data", dir)
	csv := "Prénom;Nom;Courriel;Média;Région;Thématiques\r\n"
	for i := 0; i < journalists; i++ {
		csv += fmt.Sprintf("Zoé%d;Lefèvre;zoe%d@example.org;\"La Dépêche; Tarn\";Occitanie;santé\r\n", i, i)
	}
	file := filepath.Join(t.TempDir(), "presse.csv")
	data, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(csv))
	os.WriteFile(file, data, 0o600)
	if out, _, code := runCLI(t, "", "import", "contacts", file, "--data", dir); code != 0 || !strings.Contains(out, fmt.Sprintf("%d créé", journalists)) {
		t.Fatalf("import: %d %s", code, out)
	}
	runCLI(t, "a long enough password\n", "user", "add", "--data", dir, "--email", "e@example.org", "--name", "E", "--role", "editor", "--password-stdin")
	token, _, _ := runCLI(t, "", "token", "create", "--data", dir, "--email", "e@example.org")
	token = strings.TrimSpace(token)

	env := []string{"PORTEVOIX_SMTP=smtp://" + box.Addr + "?starttls=false", fmt.Sprintf("PORTEVOIX_SMTP_CONNS=%d", conns), "PORTEVOIX_RETRY_MIN=1s"}
	srv := startServerEnv(t, bin, dir, env)
	call := func(method, path string, body any, out any) {
		t.Helper()
		data, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, srv.url+"/api/v1"+path, bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		if out != nil {
			json.Unmarshal(raw, out)
		}
	}
	var list, campaign struct{ ID uint64 }
	call("POST", "/lists", map[string]any{"name": "Presse Occitanie santé", "regions": []string{"Occitanie"}, "tags": []string{"santé"}, "kinds": []string{"journalist"}}, &list)
	var recipients storage.Page[storage.Contact]
	call("GET", fmt.Sprintf("/lists/%d/recipients?limit=1000", list.ID), nil, &recipients)
	want := len(recipients.Items)
	if want < journalists {
		t.Fatalf("the list resolves to %d recipients, want at least the %d imported", want, journalists)
	}
	call("POST", "/campaigns", map[string]any{"communique_id": 1, "list_ids": []uint64{list.ID}, "subject": "Souveraineté sanitaire : 7 mesures", "pitch": "Bonjour, voici notre communiqué."}, &campaign)
	call("POST", fmt.Sprintf("/campaigns/%d/start", campaign.ID), nil, nil)

	// Sending that never starts must fail the test, not hang it.
	if !waitUntil(2*time.Minute, func() bool { return box.Count() >= want/3 }) {
		t.Fatalf("only %d of %d messages sent after two minutes: sending did not start\n%s", box.Count(), want, srv.stderr)
	}
	srv.cmd.Process.Kill() // like kill -9: nothing is flushed, nothing is recorded
	srv.cmd.Wait()
	before := box.Count()
	if before >= want {
		t.Fatalf("the campaign finished before the kill (%d messages): slow the mailbox down", before)
	}

	srv = startServerEnv(t, bin, dir, env)
	var view struct {
		Status string
		Counts map[string]int
	}
	deadline := time.Now().Add(2 * time.Minute)
	for view.Status != "done" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		call("GET", fmt.Sprintf("/campaigns/%d", campaign.ID), nil, &view)
	}
	if view.Status != "done" || view.Counts["sent"] != want {
		t.Fatalf("after restart: %+v, want %d sent", view, want)
	}
	received := messageIDs(t, box)
	duplicates := 0
	for _, r := range recipients.Items {
		ids := received[r.Email]
		if len(ids) == 0 {
			t.Errorf("%s was never mailed", r.Email)
		}
		for _, id := range ids[1:] {
			duplicates++
			if id != ids[0] {
				t.Errorf("%s got two different Message-IDs: %v", r.Email, ids)
			}
		}
	}
	if duplicates > conns {
		t.Errorf("%d duplicates, more than the %d messages that can be in flight (one per connection)", duplicates, conns)
	}
	var deliveries storage.Page[storage.Delivery]
	call("GET", fmt.Sprintf("/campaigns/%d/deliveries?limit=1000", campaign.ID), nil, &deliveries)
	for _, d := range deliveries.Items {
		if d.Status != storage.DeliverySent || d.MessageID == "" || d.At == nil {
			t.Errorf("delivery report: %+v", d)
		}
	}
	t.Logf("%d recipients, %d messages before the kill, %d duplicates", want, before, duplicates)
}
