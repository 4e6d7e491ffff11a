#!/usr/bin/env bash
# Runs the SDK-vs-baseline benchmarks and prints, per family, the SDK's time and
# allocations against a hand-written net/http + encoding/json client of the same call.
#
#   bench/run.sh                  # every benchmark, 10 rounds
#   COUNT=5 bench/run.sh Get      # only the per-family Gets, 5 rounds
#   bench/run.sh 'Get//inprocess' # only the Gets over the in-process transport
#   RESULTS=old.txt bench/run.sh  # tabulate the output of an earlier run again
#
# The paired benchmarks (BenchmarkGet, BenchmarkPaired*) run both clients alternately,
# call by call, in one loop, so the machine's noise hits both alike; their sdk/baseline
# ratio is the figure to quote. The others (impl=baseline against impl=sdk) run the
# sides one after the other and are compared by benchstat.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCHSTAT_MODULE=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
benchstat="$(go env GOPATH)/bin/benchstat"
[ -x "$benchstat" ] || GOFLAGS=-buildvcs=false go install "$BENCHSTAT_MODULE"

count=${COUNT:-10}
out=${RESULTS:-bench/results.txt}
if [ -z "${RESULTS:-}" ]; then
  go test -run '^$' -bench "${1:-.}" -benchmem -count "$count" -timeout 60m ./bench/ > "$out"
else
  first=$(grep -m1 -oE '^Benchmark[^[:space:]]+' "$out" || true)
  count=$(grep -cE "^$first[[:space:]]" "$out" || true)
fi
is_paired='^Benchmark(Get|Paired)'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -Ev "$is_paired" "$out" > "$tmp/sides" || true
grep -E "^(goos|goarch|pkg|cpu)|$is_paired" "$out" > "$tmp/paired" || true

if grep -q 'impl=' "$tmp/sides"; then
  echo "Separate runs (impl=baseline against impl=sdk):"
  "$benchstat" -col /impl "$tmp/sides"
  echo
  echo "SDK / baseline (median of $count rounds):"
  "$benchstat" -format csv -col /impl "$tmp/sides" 2>/dev/null | awk -F, '
	/^,baseline/ { next }
	/^,/ { unit = $2; next }
	$1 == "" || $1 == "geomean" { next }
	unit != "" && $2 > 0 {
		name = $1; sub(/-[0-9]+$/, "", name)
		if (unit == "allocs/op") printf "  %-12s %-10s %8.0f -> %8.0f  (%+.0f)\n", name, unit, $2, $4, $4 - $2
		else printf "  %-12s %-10s %8.3f\n", name, unit, $4 / $2
	}'
  echo
fi

grep -qE "$is_paired" "$tmp/paired" || exit 0

echo "Paired call by call: sdk/baseline with its 95% confidence interval (benchstat):"
"$benchstat" "$tmp/paired" | awk '/│ *sdk\/baseline *│/ { p = 1 } p && /^$/ { p = 0; done = 1 } p && !done { print }'
echo

# One row per benchmark: the median of the rounds and, for the time ratio, the lowest and
# highest round. Metric values are gathered as "order name metric value", sorted, then
# reduced per name and metric.
echo "Per family, median of $count rounds (time ratio: lowest-highest round in brackets;"
echo "over loopback the allocations include the test server's, the same for both sides):"
awk -v re="$is_paired" '
	$0 ~ re {
		name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
		if (!(name in order)) order[name] = ++n
		for (i = 3; i < NF; i++) if ($(i + 1) ~ /^(sdk\/baseline|(sdk|baseline|extra)-(allocs|B)\/call|(sdk|baseline)-outliers-%)$/) print order[name], name, $(i + 1), $i
	}' "$out" | sort -k1,1n -k3,3 -k4,4g | awk -v budget_ratio=1.10 -v budget_allocs=8 '
	function flush() {
		if (key == "") return
		lo[key] = v[1]; hi[key] = v[c]
		med[key] = (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
	}
	{
		k = $2 SUBSEP $3
		if (k != key) { flush(); key = k; c = 0 }
		v[++c] = $4
		if (!($2 in seen)) { seen[$2] = 1; names[++n] = $2 }
	}
	END {
		flush()
		printf "  %-14s %-10s %-24s %-22s %-14s %s\n", "benchmark", "transport", "time sdk/baseline", "allocs sdk vs base", "extra bytes", "slow calls left out"
		for (i = 1; i <= n; i++) {
			name = names[i]; fam = name; tr = ""
			if (name ~ /^Get\/family=/) {
				fam = name; sub(/^Get\/family=/, "", fam); sub(/\/.*/, "", fam)
				tr = name; sub(/.*transport=/, "", tr)
			} else {
				sub(/^Paired/, "", fam); fam = "bo " fam; tr = "loopback"
			}
			r = name SUBSEP "sdk/baseline"
			ea = med[name, "extra-allocs/call"]
			line = sprintf("%.3f (%.3f-%.3f)", med[r], lo[r], hi[r])
			allocs = sprintf("%.0f vs %.0f (%+.0f)", med[name, "sdk-allocs/call"], med[name, "baseline-allocs/call"], ea)
			verdict = ""
			if (tr == "inprocess") verdict = (med[r] <= budget_ratio && ea < budget_allocs + 0.5) ? "  within budget" : "  OVER budget (" budget_ratio "x, +" budget_allocs ")"
			printf "  %-14s %-10s %-24s %-22s %-14s %.1f%% / %.1f%%%s\n", fam, tr, line, allocs, sprintf("%+.0f B", med[name, "extra-B/call"]), med[name, "sdk-outliers-%"], med[name, "baseline-outliers-%"], verdict
		}
	}'
