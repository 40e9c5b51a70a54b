#!/bin/sh
# Measures sending like for like, each comparison alternated round by round in one run,
# and reports medians, the ratio of the medians and the spread of the per-round ratios:
#  1. the whole sender (a 10,000-recipient campaign of the seed-001 communiqué with its PDF,
#     bbolt commits included) against the project's own SMTP pool sending the same messages
#     prebuilt, both over 16 connections to a bare in-process sink (smtptest.Sink);
#  2. through a Postfix on loopback that queues and discards (set up by postfix-setup.sh,
#     which installs it with apt-get): Postfix's own load generator smtp-source sending
#     2,000 messages of the campaign message's size over 4 sessions (its own message, -l,
#     and the campaign's first message itself, -F), the sender sending a 2,000-journalist
#     campaign over 4 connections, and the pool sending them prebuilt.
# These benchmarks are not part of `go test` in CI. Needs root for Postfix.
# Usage: .ci/bench/send.sh [ROUNDS] [PORT]   (from the repository's root; 7 rounds, port 10025)
set -eu
rounds=${1:-7}
port=${2:-10025}
here=$(dirname "$0")
"$here/postfix-setup.sh" "$port"
bin=$(mktemp -d)/sender.test
go test -c -o "$bin" ./server/sender/
cd server/sender
echo "load average before: $(cat /proc/loadavg)"
"$bin" -test.run '^$' -test.bench '^BenchmarkSendPaired$' -test.benchtime "${rounds}x" -test.v
PORTEVOIX_BENCH_POSTFIX=127.0.0.1:$port "$bin" -test.run '^$' -test.bench '^BenchmarkPostfixPaired$' -test.benchtime "${rounds}x" -test.v
echo "load average after: $(cat /proc/loadavg)"
rm -f "$bin"
