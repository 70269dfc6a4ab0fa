#!/bin/sh
# Extracts the uncompressed ELF vmlinux from an xz-compressed x86 bzImage: the payload starts
# at the first xz stream magic (FD 37 7A 58 5A 00).
set -eu
in=$1 out=$2
offset=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$in" | head -n 1 | cut -d: -f1)
[ -n "$offset" ] || { echo "extract-vmlinux: no xz stream in $in" >&2; exit 1; }
# --single-stream: the bzImage continues after the payload; ignore what follows it.
tail -c +"$((offset + 1))" "$in" | xz -dc --single-stream >"$out.tmp"
head -c 4 "$out.tmp" | grep -q 'ELF' || { echo "extract-vmlinux: result is not ELF" >&2; exit 1; }
mv "$out.tmp" "$out"
