package mailer

import (
	"crypto/tls"
	"net"
	"net/url"
	"strconv"
	"time"

	"portevoix/storage"
)

// Config says how to reach the SMTP server.
type Config struct {
	Host      string
	Port      string
	TLS       bool          // implicit TLS from the first byte (smtps://)
	StartTLS  bool          // upgrade with STARTTLS when the server offers it
	Username  string        // AUTH PLAIN when not empty
	Password  string        //
	Conns     int           // connections in the pool; 4 when zero (PORTEVOIX_SMTP_CONNS)
	Timeout   time.Duration // bound on each command and on writing a message; 30 s when zero
	LocalName string        // name given in EHLO; "localhost" when empty
	TLSConfig *tls.Config   // nil: system roots; ServerName defaults to Host
}

// ParseSMTPURL reads PORTEVOIX_SMTP: smtp://[user:pass@]host[:port][?starttls=false]
// (port 25 by default; STARTTLS when offered unless starttls=false) or
// smtps://[user:pass@]host[:port] (implicit TLS, port 465 by default). The optional
// "timeout" parameter is a Go duration ("30s"). Errors are *storage.Error with code
// EINVALID and a French message.
func ParseSMTPURL(s string) (Config, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Config{}, storage.Errorf(storage.EINVALID, "Adresse du serveur SMTP illisible (attendu : smtp://utilisateur:mot-de-passe@hôte:port).")
	}
	cfg := Config{Host: u.Hostname(), Port: u.Port(), StartTLS: true}
	switch u.Scheme {
	case "smtp":
		cfg.Port = orDefault(cfg.Port, "25")
	case "smtps":
		cfg.TLS, cfg.Port = true, orDefault(cfg.Port, "465")
	default:
		return Config{}, storage.Errorf(storage.EINVALID, "Adresse du serveur SMTP : le schéma doit être smtp:// ou smtps://, pas « %s ».", u.Scheme)
	}
	if cfg.Host == "" {
		return Config{}, storage.Errorf(storage.EINVALID, "Adresse du serveur SMTP : nom d’hôte manquant.")
	}
	if p, err := strconv.Atoi(cfg.Port); err != nil || p < 1 || p > 65535 {
		return Config{}, storage.Errorf(storage.EINVALID, "Adresse du serveur SMTP : port « %s » invalide.", cfg.Port)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	return cfg, parseQuery(u.Query(), &cfg)
}

// parseQuery reads the URL's parameters, refusing unknown ones so that a typo is not
// silently ignored.
func parseQuery(q url.Values, cfg *Config) error {
	for key, values := range q {
		v := values[len(values)-1]
		switch key {
		case "starttls":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return storage.Errorf(storage.EINVALID, "Adresse du serveur SMTP : starttls vaut true ou false, pas « %s ».", v)
			}
			cfg.StartTLS = b
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return storage.Errorf(storage.EINVALID, "Adresse du serveur SMTP : délai « %s » invalide (exemple : 30s).", v)
			}
			cfg.Timeout = d
		default:
			return storage.Errorf(storage.EINVALID, "Adresse du serveur SMTP : paramètre « %s » inconnu (connus : starttls, timeout).", key)
		}
	}
	return nil
}

func orDefault(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if c.Conns <= 0 {
		c.Conns = 4
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	c.LocalName = orDefault(c.LocalName, "localhost")
	if c.TLSConfig == nil {
		c.TLSConfig = &tls.Config{}
	}
	if c.TLSConfig.ServerName == "" {
		c.TLSConfig = c.TLSConfig.Clone()
		c.TLSConfig.ServerName = c.Host
	}
	return c
}

// addr is host:port for dialling.
func (c Config) addr() string { return net.JoinHostPort(c.Host, c.Port) }

// loopback reports whether the server is on this machine, where AUTH without TLS
// exposes nothing.
func (c Config) loopback() bool {
	if c.Host == "localhost" {
		return true
	}
	ip := net.ParseIP(c.Host)
	return ip != nil && ip.IsLoopback()
}
