#!/bin/sh
# Measures BenchmarkPressOfficers200k (what GET /presse/contacts asks the store, over
# 200,000 journalists) before and after, alternated round by round in one run: "before" is
# the storage package of REF (main by default) with this worktree's benchmark file copied
# in, "after" is the worktree. Prints each round, the medians, the ratio of the medians and
# the spread of the per-round ratios, with the load average. Run it under the shared lock:
#   flock /tmp/bench.lock .ci/bench/pressofficers.sh [ROUNDS] [REF]   (from the repository's root)
set -eu
rounds=${1:-7}
ref=${2:-main}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
git archive "$ref" | tar -x -C "$dir"
cp storage/presscontacts_test.go "$dir/storage/"
(cd "$dir" && go test -c -o "$dir/before.test" ./storage)
go test -c -o "$dir/after.test" ./storage
echo "load average before: $(cat /proc/loadavg)"
for i in $(seq "$rounds"); do
	for side in before after; do
		n=100
		[ "$side" = before ] && n=5 # about a second each before the change
		"$dir/$side.test" -test.run '^$' -test.bench '^BenchmarkPressOfficers200k$' -test.benchtime "${n}x" -test.benchmem |
			awk -v side="$side" -v i="$i" '/^BenchmarkPressOfficers200k/ { print "round", i, side, $3, "ns/op", $5, "B/op", $7, "allocs/op" }'
	done
done | tee "$dir/rounds"
echo "load average after: $(cat /proc/loadavg)"
awk '$3 == "before" { b[$2] = $4 } $3 == "after" { a[$2] = $4 } END { for (i in b) print b[i], a[i], b[i] / a[i] }' "$dir/rounds" |
	sort -n -k3 | awk '
	{ before[NR] = $1; after[NR] = $2; ratio[NR] = $3 }
	function median(v, n,   s, i, j, t) {
		for (i = 1; i <= n; i++) s[i] = v[i]
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
		return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
	}
	END {
		mb = median(before, NR); ma = median(after, NR)
		printf "median before %.1f ms, after %.2f ms, ratio of the medians %.0f\n", mb / 1e6, ma / 1e6, mb / ma
		printf "per-round ratios: min %.0f, quartiles %.0f–%.0f, max %.0f\n", ratio[1], ratio[int((NR + 3) / 4)], ratio[int((3 * NR + 3) / 4)], ratio[NR]
	}'
