#!/usr/bin/env bash
# Every shared library a shipped binary links directly must come from a package the runtime
# stage of deploy/Dockerfile installs (or from bookworm-slim itself): a library missing from
# the image fails at the pod's start, not in CI.
set -euo pipefail
dockerfile=$1
shift
in_slim_base="libc6 libstdc++6 libgcc-s1 zlib1g"  # present in debian:bookworm-slim
# The packages the Dockerfile's apt-get install lines name (indented, one per line).
installed=" $(sed -n 's/^[[:space:]]\{6\}\([a-z0-9][a-z0-9.+-]*\).*/\1/p' "$dockerfile" | tr '\n' ' ') "

declare -A path_of=()  # soname -> resolved path, over all binaries
for binary in "$@"; do
  resolved=$(ldd "$binary")
  for soname in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    [[ $soname == ld-linux* ]] && continue  # the dynamic loader: libc6
    path=$(awk -v so="$soname" '$1 == so && $2 == "=>" {print $3; exit}' <<<"$resolved")
    path_of[$soname]=${path:-missing}
  done
done

failures=0
for soname in "${!path_of[@]}"; do
  path=${path_of[$soname]}
  if [[ $path == missing ]]; then
    echo "FAIL: $soname is needed but not found on this machine" >&2
    failures=$((failures + 1))
    continue
  fi
  package=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null ||
    dpkg -S "/usr$path" 2>/dev/null || true)
  package=${package%%:*}
  if [[ -z $package ]]; then
    echo "FAIL: no Debian package owns $path ($soname)" >&2
    failures=$((failures + 1))
  elif [[ " $in_slim_base " != *" $package "* && $installed != *" $package "* ]]; then
    echo "FAIL: $soname comes from $package, which $dockerfile does not install" >&2
    failures=$((failures + 1))
  fi
done
echo "${#path_of[@]} libraries checked against: $installed; $failures missing"
((${#path_of[@]} > 10)) && ((failures == 0))
