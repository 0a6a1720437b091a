#!/usr/bin/env bash
# Compares `qsync validate` with `cue vet` of the same generated tree and
# schema, side by side: wall time and peak RSS, for 100, 1,000 and 10,000
# auth records. Needs GNU time (/usr/bin/time); installs the cue command at
# the CUE version go.mod names.
set -euo pipefail
cd "$(dirname "$0")/.."
cuever=$(go list -m -f '{{.Version}}' cuelang.org/go)
GOFLAGS= go install "cuelang.org/go/cmd/cue@$cuever"
cue="$(go env GOPATH)/bin/cue"
go build -o /tmp/qsync-bench ./cmd/qsync
printf '%-8s %-22s %-22s %s\n' records "qsync validate" "cue vet $cuever" "ratio (wall, rss)"
for n in ${SIZES:-100 1000 10000}; do
  dir=$(mktemp -d)
  go run ./bench/gentree -auth "$n" -cue-vet -schema schema "$dir"
  # qsync reads the same desired.cue; check.cue and cue.mod only serve
  # cue vet (they import the schema that qsync embeds).
  mkdir "$dir/qsync" && cp "$dir/desired.cue" "$dir/qsync/"
  q=$( { /usr/bin/time -f '%e %M' /tmp/qsync-bench validate "$dir/qsync" >/dev/null; } 2>&1 | tail -1)
  c=$( { (cd "$dir" && CUE_REGISTRY=none /usr/bin/time -f '%e %M' "$cue" vet -c .); } 2>&1 | tail -1)
  set -- $q $c
  printf '%-8s %6ss %8s KB       %6ss %8s KB       %.2fx, %.2fx\n' "$n" "$1" "$2" "$3" "$4" \
    "$(echo "$1 / $3" | bc -l)" "$(echo "$2 / $4" | bc -l)"
  rm -rf "$dir"
done
