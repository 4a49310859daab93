#!/usr/bin/env bash
# No include from a lower layer into a higher one (the layers: the root BUILD.bazel and
# docs/build.md). Bazel's visibility refuses such a dependency; this also catches an
# include that compiles only through some other target's dependencies.
# Prints each offending include; exits 1 when there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

# The folders a layer may include from (its own folder is always allowed).
allowed_for() {
  case "$1" in
    vocabulary/*) echo "proto vocabulary" ;;
    metrics/*) echo "proto vocabulary metrics" ;;
    net/*) echo "proto vocabulary net" ;;
    idempotency/*) echo "proto vocabulary metrics idempotency" ;;
    reconciliation/*) echo "proto vocabulary reconciliation" ;;
    providers/*) echo "proto vocabulary metrics net providers" ;;
    gateway/*) echo "proto vocabulary metrics net providers idempotency reconciliation gateway config" ;;
    sandbox/*) echo "proto vocabulary net sandbox" ;;
    *) echo "*" ;;  # tests/, bench/, fuzz/, deploy/: the top may include anything
  esac
}

bad=0
while IFS= read -r file; do
  allowed=$(allowed_for "$file")
  [[ "$allowed" == "*" ]] && continue
  while IFS= read -r included; do
    top=${included%%/*}
    case "$top" in
      proto | vocabulary | metrics | net | idempotency | reconciliation | providers | gateway \
        | sandbox | config | tests | bench | fuzz | deploy) ;;
      *) continue ;;  # a library header
    esac
    if [[ " $allowed " != *" $top "* ]]; then
      echo "$file: includes $included (a higher layer)"
      bad=1
    fi
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
done < <(git ls-files '*.h' '*.cc')
if [[ $bad == 0 ]]; then echo "check_layers: no include from a lower layer into a higher one"; fi
exit $bad
