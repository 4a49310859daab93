#!/usr/bin/env bash
# Where the gateway's CPU goes in one bench scenario, and its counts per payout.
#
#   scripts/profile.sh SCENARIO [LOADGEN FLAGS]   # default flags: --concurrency=32 --duration=8s
#   PROFILE_LABEL=after scripts/profile.sh 1      # names the image docs/perf/scenario1-after.svg
#   PROFILE_PASSES=perf|allocs|both (default both)
#
# Pass 1 runs `scripts/run.sh --bench --scenario=N` and attaches to the gateway process only:
# `perf record -e cpu-clock --call-graph dwarf` (Debian's libraries have no frame pointers,
# so DWARF unwinding, 8 KiB of stack per sample, 499 Hz), `perf stat -e context-switches`,
# and scripts/gateway_counts.py (CreatePayout RPCs, store operations, CPU, per-thread context
# switches from /metrics and /proc). Then scripts/flamegraph.py folds the stacks, renders
# docs/perf/scenarioN-LABEL.svg and prints the subsystem tables (BENCHMARKS.md).
# Pass 2 runs the scenario again with an LD_PRELOAD malloc counter in the gateway only
# (scripts/alloc_counter.c) for allocations per payout: a separate run, so that the counter's
# cost does not show in the profile. Everything else lands in var/profile/scenarioN-LABEL/.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: scripts/profile.sh SCENARIO [LOADGEN FLAGS]}
shift
flags=("$@")
((${#flags[@]})) || flags=(--concurrency=32 --duration=8s)
label=${PROFILE_LABEL:-before}
passes=${PROFILE_PASSES:-both}
out=var/profile/scenario$scenario-$label
mkdir -p "$out" docs/perf
svg=docs/perf/scenario$scenario-$label.svg

# Starts run.sh --bench in the background, waits for the gateway's pid, runs "$@" with
# GATEWAY_PID set alongside, then waits for the run. $1 is the loadgen output file.
with_gateway() {
  local log=$1
  shift
  rm -f var/gateway.pid
  bash scripts/run.sh --bench --scenario="$scenario" "${flags[@]}" >"$log" 2>&1 &
  local run=$!
  for _ in $(seq 1 6000); do
    [[ -s var/gateway.pid ]] && break
    kill -0 "$run" 2>/dev/null || { tail -n 30 "$log" >&2; return 1; }
    sleep 0.1
  done
  GATEWAY_PID=$(cat var/gateway.pid)
  export GATEWAY_PID
  # Attach once it serves: perf lists the threads when it attaches and follows the ones
  # created after, but misses those created while it attaches (its first try saw only main).
  for _ in $(seq 1 200); do
    [[ -s var/gateway.port ]] && break
    sleep 0.05
  done
  "$@"
  # The loadgen exits 1 when a scenario's target is not met: the profile still counts.
  wait "$run" || echo "profile: the run exited with $? (see $log)"
}

perf_pass() {
  perf record -e cpu-clock -F 499 --call-graph dwarf,8192 -p "$GATEWAY_PID" \
    -o "$out/perf.data" 2>"$out/perf-record.log" &
  local record=$!
  perf stat -x, -e context-switches,cpu-migrations,task-clock -p "$GATEWAY_PID" \
    -o "$out/perf-stat.csv" 2>/dev/null &
  local stat=$!
  python3 scripts/gateway_counts.py "$GATEWAY_PID" var/gateway.admin_port "$out/counts.json"
  wait "$record" "$stat"
}

allocs_pass() {
  python3 scripts/gateway_counts.py "$GATEWAY_PID" var/gateway.admin_port \
    "$out/alloc-counts.json" "$out/allocs.txt"
}

if [[ $passes == both || $passes == perf ]]; then
  echo "profile: scenario $scenario, pass 1 (perf), loadgen output in $out/loadgen.txt"
  with_gateway "$out/loadgen.txt" perf_pass
  echo "profile: folding $(du -h "$out/perf.data" | cut -f1) of samples"
  perf script --no-inline -F comm,tid,period,ip,sym,dso -i "$out/perf.data" 2>/dev/null >"$out/perf-script.txt"
  python3 scripts/flamegraph.py <"$out/perf-script.txt" --svg "$svg" --folded "$out/stacks.folded" \
      --counts "$out/counts.json" \
      --title "gateway CPU, scenario $scenario ($label): scripts/profile.sh $scenario ${flags[*]}" \
      >"$out/report.md"
  python3 - "$out" >>"$out/report.md" <<'PY'
import csv, json, sys
out = sys.argv[1]
d = json.load(open(f"{out}/counts.json"))["delta"]
p = d["payouts"] or 1
stat = {row[2]: float(row[0]) for row in csv.reader(open(f"{out}/perf-stat.csv"))
        if len(row) > 2 and row[0].replace(".", "").isdigit()}
print("\n| count per payout (pass 1) | value |\n|---|---|")
print(f"| payouts (CreatePayout RPCs) | {d['payouts']:.0f} |")
print(f"| gateway CPU per payout (/proc) | {d['cpu_seconds'] * 1e6 / p:.0f} us |")
if "context-switches" in stat:
    print(f"| context switches per payout (perf stat, all threads) | {stat['context-switches'] / p:.2f} |")
print(f"| voluntary switches per payout (threads alive at the end) | {d['voluntary_switches'] / p:.2f} |")
print(f"| involuntary switches per payout | {d['involuntary_switches'] / p:.2f} |")
print(f"| store operations per payout | {d['store_operations'] / p:.2f} |")
for k, v in sorted(d.items()):
    if k.startswith("store:") and v:
        print(f"| &nbsp; {k[6:]} | {v / p:.2f} |")
PY
fi
if [[ $passes == both || $passes == allocs ]]; then
  gcc -O2 -shared -fPIC -o "$out/alloc_counter.so" scripts/alloc_counter.c -lpthread
  echo "profile: scenario $scenario, pass 2 (allocations), loadgen output in $out/loadgen-allocs.txt"
  rm -f "$out/allocs.txt"
  ALLOC_COUNTER_OUT=$PWD/$out/allocs.txt BENCH_GATEWAY_PRELOAD=$PWD/$out/alloc_counter.so \
    with_gateway "$out/loadgen-allocs.txt" allocs_pass
  python3 - "$out" >>"$out/report.md" <<'PY'
import json, sys
d = json.load(open(f"{sys.argv[1]}/alloc-counts.json"))["delta"]
p = d["payouts"] or 1
print("\n| count per payout (pass 2, malloc counter preloaded) | value |\n|---|---|")
print(f"| allocations per payout (malloc, calloc, realloc, aligned; new goes through malloc) | {d['allocs'] / p:.0f} |")
print(f"| frees per payout | {d['frees'] / p:.0f} |")
print(f"| bytes allocated per payout | {d['alloc_bytes'] / p:.0f} |")
for name in ("256B-4KiB", "4-64KiB", "64KiB+"):
    print(f"| &nbsp; allocations of {name}: count, bytes per payout | "
          f"{d[f'allocs {name}'] / p:.1f}, {d[f'alloc_bytes {name}'] / p:.0f} |")
print(f"| gateway CPU per payout in this pass | {d['cpu_seconds'] * 1e6 / p:.0f} us |")
PY
fi
echo "profile: $svg, $out/report.md"
cat "$out/report.md"
