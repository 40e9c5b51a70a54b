package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"portevoix/server/mailer"
)

// mailConfig is the delivery configuration read from the environment.
type mailConfig struct {
	smtp     *mailer.Config // nil: write .eml files to the outbox
	from     string
	baseURL  string
	conns    int
	rate     float64
	retryMin time.Duration
}

func readMailConfig(env *environment, addr string) (mailConfig, error) {
	c := mailConfig{from: env.getenv("PORTEVOIX_FROM"), baseURL: env.getenv("PORTEVOIX_BASE_URL"), conns: 4, retryMin: time.Minute}
	if c.from == "" {
		c.from = "Pôles Santé en réseau <communication@example.org>"
	}
	if c.baseURL == "" {
		c.baseURL = "http://" + addr
	}
	if v := env.getenv("PORTEVOIX_SMTP"); v != "" {
		cfg, err := mailer.ParseSMTPURL(v)
		if err != nil {
			return c, fmt.Errorf("PORTEVOIX_SMTP : %w", err)
		}
		c.smtp = &cfg
	}
	if v := env.getenv("PORTEVOIX_SMTP_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return c, fmt.Errorf("PORTEVOIX_SMTP_CONNS : un nombre de connexions de 1 à 100 est attendu, pas « %s »", v)
		}
		c.conns = n
	}
	if v := env.getenv("PORTEVOIX_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0 {
			return c, fmt.Errorf("PORTEVOIX_RATE : un nombre de messages par seconde est attendu (0 pour ne pas limiter), pas « %s »", v)
		}
		c.rate = r
	}
	if v := env.getenv("PORTEVOIX_RETRY_MIN"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("PORTEVOIX_RETRY_MIN : une durée comme 1m ou 30s est attendue, pas « %s »", v)
		}
		c.retryMin = d
	}
	return c, nil
}

// transport is the SMTP pool, or the outbox folder when no SMTP server is configured,
// so that nothing is ever sent by accident.
// It also says, in French for the staff, where messages go.
func (c mailConfig) transport(dataDir string) (mailer.Sender, string, string, error) {
	if c.smtp == nil {
		dir := filepath.Join(dataDir, "outbox")
		o, err := mailer.NewOutbox(dir)
		return o, "outbox", "Aucun serveur SMTP configuré (PORTEVOIX_SMTP) : les e-mails ne partent pas, ils sont écrits en fichiers .eml dans " + dir + ".", err
	}
	cfg := *c.smtp
	cfg.Conns = c.conns
	return mailer.NewSMTP(cfg), "smtp", "Les e-mails partent par le serveur SMTP " + cfg.Host + ".", nil
}
