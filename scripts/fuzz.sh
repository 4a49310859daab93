#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (Bazel here uses g++) and runs each on a copy
# of its seed corpus (fuzz/corpus/<target>/) for a while (fuzz/README.md).
#   scripts/fuzz.sh [seconds per target, default 60] [target ...]
#   FUZZ_JOBS=2  compile jobs (default 2)
#   FUZZ_SEED=N  libFuzzer's -seed (default: random). CI's smoke fixes it, so a crash it reports
#                is found again by the same command; longer runs explore with random seeds.
# Prints the executions of each target and the total, and exits non-zero when a target does not
# build or finds a crash (its input is kept and the path printed). Objects are cached in
# ~/.cache/payouts-gateway-fuzz/ by content (a source is recompiled when it or a header it read
# changed), so a fresh clone in CI reuses them.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
shift || true
if [[ ! "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: scripts/fuzz.sh [seconds per target] [target ...]" >&2
  exit 2
fi
targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in fuzz/*_fuzzer.cc; do targets+=("$(basename "$f" .cc)"); done
fi

bash scripts/setup.sh || exit 1
CXX=${CXX:-clang++-14}
command -v "$CXX" >/dev/null || CXX=clang++
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-14/bin/llvm-symbolizer}

build="$HOME/.cache/payouts-gateway-fuzz"
mkdir -p "$build/obj" "$build/gen"
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
cxxflags=(-std=c++17 -O1 -g -fno-omit-frame-pointer "${sanitize[@]}" -I. -I"$build/gen"
  -Wno-deprecated-declarations
  $(pkg-config --cflags protobuf absl_status absl_strings yaml-cpp libssl))
libs=($(pkg-config --libs protobuf yaml-cpp libssl libcrypto absl_status absl_statusor \
  absl_synchronization absl_strings absl_str_format absl_time absl_hash) -lboost_json -lboost_url -lpthread)

# Protobuf messages, generated the way bazel/grpc_cc.bzl does (messages only: no stubs needed).
for proto in $(find proto -name '*.proto' | sort); do
  copy="$build/gen/$proto"
  if ! cmp -s "$proto" "$copy"; then
    /usr/bin/protoc -I. --cpp_out="$build/gen" "$proto" || exit 1
    mkdir -p "$(dirname "$copy")" && cp "$proto" "$copy"
  fi
done

# Project sources a target needs: the .cc of every project header it includes, transitively,
# plus the generated messages. Printed as paths relative to the checkout or $build/gen.
sources_of() {
  python3 - "$build/gen" "$@" <<'EOF'
import os, re, sys
gen, todo = sys.argv[1], sys.argv[2:]
seen, out = set(), []
while todo:
    path = todo.pop()
    if path in seen:
        continue
    seen.add(path)
    full = path if os.path.exists(path) else os.path.join(gen, path)
    if not os.path.exists(full):
        continue  # a system header
    if full.endswith(".cc"):
        out.append(full)
    for include in re.findall(r'^#include "([^"]+)"', open(full).read(), re.M):
        todo.append(include)
        todo.append(include[:-2] + ".cc")
        # Headers implemented in more than one file.
        todo.extend({"providers/fintoc/fintoc_messages.h": ["providers/fintoc/fintoc_errors.cc"]}
                    .get(include, []))
print("\n".join(sorted(out)))
EOF
}

# Compiles one source into $build/obj unless the object was built from the same flags and the
# same contents of the source and of every header it read last time (-MMD), whatever the
# checkout. Coverage instrumentation only for project code, not generated code.
stamp_of() {  # the flags and the contents of every file in a .d
  { echo "${cxxflags[*]}"; sed -e 's/^[^:]*://' -e 's/\\$//' "$1" | tr ' ' '\n' | sed '/^$/d' |
    xargs cat 2>/dev/null; } | sha256sum | cut -c1-64
}
compile() {
  local src=$1 obj dep
  obj="$build/obj/$(echo "$src" | sed "s|^$build/gen/|gen/|; s|/|__|g").o"
  dep="${obj%.o}.d"
  if [[ -f "$obj" && -f "$dep" && -f "$obj.stamp" && "$(stamp_of "$dep")" == "$(cat "$obj.stamp")" ]]; then
    echo "$obj"
    return 0
  fi
  local cover=(-fsanitize=fuzzer-no-link)
  [[ "$src" == "$build/gen/"* ]] && cover=()
  [[ "$src" == fuzz/* ]] && cover=(-fsanitize=fuzzer)
  # Into temporary names first: another checkout may be compiling the same file.
  if ! "$CXX" "${cxxflags[@]}" "${cover[@]}" -MMD -MF "$dep.$$" -c "$src" -o "$obj.$$" >&2; then
    rm -f "$obj.$$" "$dep.$$"
    return 1
  fi
  mv "$dep.$$" "$dep" && mv "$obj.$$" "$obj" && stamp_of "$dep" >"$obj.stamp"
  echo "$obj"
}
export -f compile stamp_of
export CXX build

start=$(date +%s)
failed=()
declare -A binaries=()
all_sources=$(for t in "${targets[@]}"; do sources_of "fuzz/$t.cc"; done | sort -u)
jobs=${FUZZ_JOBS:-2}
# Objects first, in parallel (each once even when several targets use it).
if ! printf '%s\n' $all_sources | xargs -P "$jobs" -I{} bash -c \
    "$(declare -p cxxflags); compile {} >/dev/null"; then
  echo "fuzz: some sources did not compile" >&2
fi
for t in "${targets[@]}"; do
  objs=()
  ok=1
  for src in $(sources_of "fuzz/$t.cc"); do
    obj=$(compile "$src") || { ok=0; break; }
    objs+=("$obj")
  done
  # Linked again only when an object is newer than the binary (objects keep their time
  # while their contents do not change).
  relink=1
  if ((ok)) && [[ -x "$build/$t" && "$(cat "$build/$t.objs" 2>/dev/null)" == "${objs[*]}" ]]; then
    relink=0
    for obj in "${objs[@]}"; do [[ "$obj" -nt "$build/$t" ]] && relink=1; done
  fi
  link() {
    "$CXX" -fsanitize=fuzzer "${sanitize[@]}" "${objs[@]}" "${libs[@]}" -o "$build/$t.$$" &&
      mv "$build/$t.$$" "$build/$t"
  }
  if ((ok)) && { ((relink == 0)) || link; }; then
    echo "${objs[*]}" >"$build/$t.objs"
    binaries[$t]="$build/$t"
  else
    echo "fuzz: $t did not build" >&2
    failed+=("$t(build)")
  fi
done
echo "fuzz: built ${#binaries[@]} targets in $(($(date +%s) - start)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
crashes="$build/crashes"
total=0
for t in "${targets[@]}"; do
  [[ -n "${binaries[$t]:-}" ]] || continue
  corpus="$work/$t"
  mkdir -p "$corpus" "$crashes"
  [[ -d "fuzz/corpus/$t" ]] && cp -r "fuzz/corpus/$t/." "$corpus/"
  dict=()
  [[ -f "fuzz/$t.dict" ]] && dict=(-dict="fuzz/$t.dict")
  log="$work/$t.log"
  seed=()
  [[ -n "${FUZZ_SEED:-}" ]] && seed=(-seed="$FUZZ_SEED")
  "${binaries[$t]}" "$corpus" "${dict[@]}" "${seed[@]}" -max_total_time="$seconds" -timeout=60 \
    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$crashes/$t-" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  runs=${runs:-0}
  total=$((total + runs))
  if ((rc != 0)); then
    failed+=("$t")
    echo "fuzz: $t FAILED after $runs executions (exit $rc):" >&2
    grep -E "ERROR|FUZZ_CHECK|SUMMARY|Test unit written|runtime error|recv:" "$log" | head -20 >&2
  else
    printf 'fuzz: %-24s %12d executions, 0 crashes\n' "$t" "$runs"
  fi
done
echo "fuzz: total $total executions in ${seconds}s per target; failed: ${failed[*]:-none}"
((${#failed[@]} == 0))
