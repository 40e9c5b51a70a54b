package mailer

import "time"

// RetryWindow is how long a delivery is retried after its first attempt.
const RetryWindow = 24 * time.Hour

// maxBackoff caps the wait between two attempts, so that a delivery is still retried
// several times during the last hours of its window.
const maxBackoff = RetryWindow / 8

// Backoff is the wait after the attempt-th failed attempt (counted from 1): minWait
// (PORTEVOIX_RETRY_MIN, one minute when zero), doubled at each attempt, at most 3 h.
// With one minute: 1, 2, 4 … 128 min, then every 3 h until GiveUp.
func Backoff(attempt int, minWait time.Duration) time.Duration {
	if minWait <= 0 {
		minWait = time.Minute
	}
	d := minWait
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// GiveUp reports whether a delivery first attempted at firstAttempt has been retried long
// enough: a temporary failure then becomes final.
func GiveUp(firstAttempt, now time.Time) bool {
	return now.Sub(firstAttempt) >= RetryWindow
}
