#!/usr/bin/env bash
# Installs the pinned models and test photos listed in
# models/assets.lock into the asset cache. Idempotent: files already present
# with the right checksum are left alone, so a second run costs well under a second.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lock="$here/assets.lock"
dest="${ROUTER_ASSETS:-$here/../.cache/assets}"
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

file_ok() { [ -f "$dest/$1" ] && [ "$(sha256sum "$dest/$1" | cut -d' ' -f1)" = "$2" ]; }

declare -A tarball_sum=()
declare -A tarball_missing=()
while read -r kind a b c d e; do
  case "$kind" in
    tarball) tarball_sum[$a]=$b ;;
    file) file_ok "$c" "$d" || tarball_missing[$a]=1 ;;
  esac
done < <(grep -v '^#' "$lock")

[ ${#tarball_missing[@]} -eq 0 ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pkg in "${!tarball_missing[@]}"; do
  echo "assets: fetching $pkg" >&2
  (cd "$work" && npm pack --silent "$pkg" > "$work/packed.txt" 2> "$work/npm.err") || {
    cat "$work/npm.err" >&2; echo "assets: 'npm pack $pkg' failed; is the npm registry reachable?" >&2; exit 1; }
  tgz="$work/$(tail -n1 "$work/packed.txt")"
  sum=$(sha256sum "$tgz" | cut -d' ' -f1)
  if [ "$sum" != "${tarball_sum[$pkg]}" ]; then
    echo "assets: checksum mismatch for $pkg: got $sum, expected ${tarball_sum[$pkg]} (models/assets.lock)" >&2
    exit 1
  fi
  mkdir -p "$work/x" && rm -rf "$work/x/package" && tar xzf "$tgz" -C "$work/x"
  while read -r kind name inner target want; do
    [ "$kind" = file ] && [ "$name" = "$pkg" ] || continue
    mkdir -p "$(dirname "$dest/$target")"
    cp "$work/x/$inner" "$dest/$target.tmp"
    got=$(sha256sum "$dest/$target.tmp" | cut -d' ' -f1)
    if [ "$got" != "$want" ]; then
      rm -f "$dest/$target.tmp"
      echo "assets: checksum mismatch for $target from $pkg: got $got, expected $want" >&2
      exit 1
    fi
    mv "$dest/$target.tmp" "$dest/$target"
  done < <(grep -v '^#' "$lock")
  rm -f "$tgz"
done
echo "assets: ready in $dest" >&2
