#!/usr/bin/env bash
# Runs the SDK-vs-baseline benchmarks and prints benchstat's comparison and the
# SDK/baseline ratios. Both sides run in the same process, interleaved, against the same
# loopback server, so the ratios hold on a noisy machine where absolute times do not.
#
#   bench/run.sh                 # 10 rounds
#   COUNT=20 bench/run.sh Get    # more rounds, only benchmarks matching "Get"
set -euo pipefail
cd "$(dirname "$0")/.."

BENCHSTAT_MODULE=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
benchstat="$(go env GOPATH)/bin/benchstat"
[ -x "$benchstat" ] || GOFLAGS=-buildvcs=false go install "$BENCHSTAT_MODULE"

out=bench/results.txt
go test -run '^$' -bench "${1:-.}" -benchmem -count "${COUNT:-10}" ./bench/ | tee "$out" >/dev/null
paired=$(mktemp)
grep -v '^BenchmarkPaired' "$out" > "$paired.sides"
grep -E '^(goos|goarch|pkg|cpu|BenchmarkPaired)' "$out" > "$paired" || true
"$benchstat" -col /impl "$paired.sides"

# The paired benchmarks alternate both sides call by call in one loop; their sdk/baseline
# metric is the steadiest figure on a noisy machine.
if grep -q '^BenchmarkPaired' "$paired"; then
  echo
  echo "Paired, call by call (sdk/baseline is the ratio of mean times):"
  "$benchstat" "$paired" | awk '/│ *sdk\/baseline/ { p = 1 } p { print } p && /^geomean/ { exit }'
fi
rm -f "$paired" "$paired.sides"

echo
echo "SDK / baseline (median of ${COUNT:-10} rounds):"
grep -v '^BenchmarkPaired' "$out" | "$benchstat" -format csv -col /impl /dev/stdin 2>/dev/null | awk -F, '
	/^,baseline/ { next }
	/^,/ { unit = $2; next }
	$1 == "" || $1 == "geomean" { next }
	unit != "" && $2 > 0 {
		name = $1; sub(/-[0-9]+$/, "", name)
		if (unit == "allocs/op") printf "  %-12s %-10s %8.0f -> %8.0f  (%+.0f)\n", name, unit, $2, $4, $4 - $2
		else printf "  %-12s %-10s %8.3f\n", name, unit, $4 / $2
	}'
