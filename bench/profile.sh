#!/usr/bin/env bash
# Shows where a family's Get allocates more than its hand-written twin: it records every
# allocation of BenchmarkGet over the in-process transport, splits the profile into the
# SDK's calls and the baseline's, and prints their difference per function, per call.
#
#   bench/profile.sh                  # every family
#   bench/profile.sh accountuser      # one family
#   CALLS=20000 bench/profile.sh      # fewer calls (default 50000)
set -euo pipefail
cd "$(dirname "$0")/.."

calls=${CALLS:-50000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go test -c -o "$dir/bench.test" ./bench/
for f in ${*:-backoffice clientuser extensionuser accountuser iotuser}; do
  # Every allocation is recorded (-memprofilerate 1), except tiny ones (under 16 bytes,
  # pointer-free) that the runtime packs into a block already profiled; so the profile
  # may show fewer extra allocations than BenchmarkGet's extra-allocs/call.
  "$dir/bench.test" -test.run '^$' -test.bench "^BenchmarkGet\$/^family=$f\$/^transport=inprocess\$" \
    -test.benchtime "${calls}x" -test.memprofilerate 1 -test.memprofile "$dir/$f.mem" >/dev/null
  # Each side's calls run under its own function, sdkSide or baselineSide.
  for side in sdk baseline; do
    go tool pprof -sample_index=alloc_objects -focus "bench\\.${side}Side\$" -proto "$dir/bench.test" "$dir/$f.mem" \
      > "$dir/$f.$side.pb.gz" 2>/dev/null
  done
  # The in-process transport allocates once per call: its count is the number of calls.
  n=$(go tool pprof -sample_index=alloc_objects -top -nodecount 200 "$dir/bench.test" "$dir/$f.sdk.pb.gz" 2>/dev/null |
    awk '/bench\.\(\*canned\)\.RoundTrip$/ { print $1 }')
  echo "== $f: allocations per Get, SDK minus baseline (over $n calls of each)"
  go tool pprof -sample_index=alloc_objects -diff_base "$dir/$f.baseline.pb.gz" -top -nodecount 1000 -nodefraction 0 \
    "$dir/bench.test" "$dir/$f.sdk.pb.gz" 2>/dev/null |
    awk -v n="$n" '
      # short drops type arguments, which for a struct shape run to hundreds of characters.
      function short(s,   out, d, i, c) {
        for (i = 1; i <= length(s); i++) {
          c = substr(s, i, 1)
          if (c == "[") { if (d++ == 0) out = out "[T]" } else if (c == "]") d--; else if (d == 0) out = out c
        }
        return out
      }
      /^ *flat/ { printf "  %10s %10s   %s\n", "flat/call", "cum/call", "function"; p = 1; next }
      p && NF >= 6 {
        name = $6; for (i = 7; i <= NF; i++) name = name " " $i
        gsub(/github\.com\/usersdk\/usersdk-go\//, "", name); name = short(name)
        total += $1
        if ($1 / n >= 0.05 || $1 / n <= -0.05) printf "  %+10.2f %+10.2f   %s\n", $1 / n, $4 / n, name
      }
      END { printf "  %+10.2f %10s   total in the profile\n", total / n, "" }'
  echo
done
