#!/usr/bin/env bash
# Whole-process PDF benchmark: builds portevoix, loads the demo data into a fresh base,
# then times `portevoix pdf 1 -o FILE` against headless Chromium printing the same
# communiqué's preview page to an A4 PDF, in alternated rounds (ROUNDS, default 21).
# Options go to wholepdf: -fresh-profile gives Chromium a new profile each run; -also BIN
# times another portevoix build (an earlier commit's, say) in the same rounds.
# The build takes the environment's settings: CGO_ENABLED=0 pdf.sh times a static binary.
# Needs chromium (apt-get install chromium). Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/portevoix" ./cmd/portevoix
go build -o "$dir/wholepdf" ./cmd/portevoix/bench/wholepdf
"$dir/portevoix" demo --data "$dir/data" >/dev/null
"$dir/wholepdf" -bin "$dir/portevoix" -data "$dir/data" -rounds "${ROUNDS:-21}" "$@"
