#!/bin/bash
# Installs Postfix if absent and configures it as a discarding relay on loopback, for the
# sending benchmarks: it accepts any recipient from 127.0.0.1 on PORT (10025 by default),
# queues each message as it would for real (queue files, cleanup, qmgr), then hands it to
# the discard transport instead of delivering it. No DNS lookups. Needs root.
# Usage: .ci/bench/postfix-setup.sh [PORT]
set -eu
port=${1:-10025}

if ! command -v postfix >/dev/null 2>&1 || ! command -v smtp-source >/dev/null 2>&1; then
	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	echo "postfix postfix/mailname string localhost.localdomain" | debconf-set-selections
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null
fi
PATH=$PATH:/usr/sbin

[ -f /etc/postfix/main.cf ] || cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf 2>/dev/null || touch /etc/postfix/main.cf
postconf -e \
	"myhostname = localhost.localdomain" \
	"mydomain = localdomain" \
	"inet_interfaces = loopback-only" \
	"inet_protocols = ipv4" \
	"mynetworks = 127.0.0.0/8" \
	"mydestination =" \
	"relay_domains =" \
	"smtpd_relay_restrictions = permit_mynetworks, reject" \
	"smtpd_recipient_restrictions = permit_mynetworks, reject" \
	"default_transport = discard" \
	"relay_transport = discard" \
	"local_transport = discard" \
	"virtual_transport = discard" \
	"smtp_dns_support_level = disabled" \
	"smtp_host_lookup = native" \
	"lmtp_host_lookup = native" \
	"smtpd_peername_lookup = no" \
	"message_size_limit = 0" \
	"mailbox_size_limit = 0" \
	"smtputf8_enable = no" \
	"compatibility_level = 3.6" \
	"alias_maps =" "alias_database ="

# One smtpd listening on 127.0.0.1:PORT instead of port 25, not chrooted (containers).
postconf -M# smtp/inet 2>/dev/null || true
postconf -M "127.0.0.1:$port/inet = 127.0.0.1:$port inet n - n - - smtpd"
# Debian's master.cf chroots the other services; a container may lack what that needs.
postconf -F '*/*/chroot = n'

postfix check
if postfix status >/dev/null 2>&1; then postfix reload; else postfix start; fi
# Wait for the listener.
for _ in $(seq 50); do
	if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "postfix: discarding on 127.0.0.1:$port"; exit 0; fi
	sleep 0.1
done
echo "postfix did not open 127.0.0.1:$port" >&2
exit 1
