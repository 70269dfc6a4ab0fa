#!/bin/bash
# Builds the rescue shell's BusyBox into $1 (build/busybox): static musl, from Debian's busybox
# source package, `make allnoconfig` plus the symbols of initramfs/busybox-rescue.config.
# Cached under $GHOSTBOOT_CACHE keyed by the source version, this script and the config.
set -eu
out=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
config=$here/../initramfs/busybox-rescue.config
cache_root=${GHOSTBOOT_CACHE:-/var/cache/ghostboot}
. "$here/debian-source.sh"

debsrc_ensure
version=$(debsrc_version busybox)
key="busybox_${version#*:}-$(cat "$0" "$here/debian-source.sh" "$config" | sha256sum | cut -c1-12)"
cached=$cache_root/busybox/$key

if [ -f "$out/.key" ] && [ "$(cat "$out/.key")" = "$key" ]; then
	exit 0
fi
if [ ! -f "$cached/.key" ]; then
	echo "deps: building the rescue BusyBox $version (static musl, allnoconfig + $(basename "$config"))"
	work=$(mktemp -d "${TMPDIR:-/tmp}/ghostboot-busybox.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	debsrc_unpack busybox "$version" busybox "$work"
	debsrc_kernel_headers "$work/include"
	wanted=$work/wanted.config
	grep '^CONFIG_' "$config" >"$wanted"
	echo "CONFIG_EXTRA_CFLAGS=\"-I$work/include\"" >>"$wanted"
	cd "$work/busybox"
	# BusyBox's allnoconfig ignores KCONFIG_ALLCONFIG: write our values over its all-off
	# .config (it lists every symbol), then let oldconfig resolve the dependencies.
	make -s allnoconfig >"$work/config.log" 2>&1 || { cat "$work/config.log" >&2; exit 1; }
	awk -F= 'NR == FNR { want[$1] = $0; next }
		{ name = $1; if (sub(/^# /, "", name)) sub(/ is not set$/, "", name) }
		name in want { print want[name]; delete want[name]; next }
		{ print }
		END { for (n in want) print want[n] }' "$wanted" .config >.config.new
	mv .config.new .config
	yes "" | SOURCE_DATE_EPOCH=0 make -s oldconfig >>"$work/config.log" 2>&1 || { cat "$work/config.log" >&2; exit 1; }
	# Kconfig silently drops a symbol it does not know or whose dependencies are off.
	missing=$(grep -vxFf .config <(grep '^CONFIG_' "$config") || true)
	[ -z "$missing" ] || { echo "deps: BusyBox $version did not take:" $missing >&2; exit 1; }
	# A build tag instead of the build time in the banner, and no time in the config header:
	# the same source and config give the same binary on every machine.
	SOURCE_DATE_EPOCH=0 make -s -j"$(nproc)" CC=musl-gcc BB_EXTRA_VERSION="ghostboot rescue" \
		busybox >"$work/build.log" 2>&1 ||
		{ tail -n 30 "$work/build.log" >&2; exit 1; }
	mkdir -p "$work/out"
	install -m 0755 busybox "$work/out/busybox"
	echo "$key" >"$work/out/.key"
	mkdir -p "$(dirname "$cached")"
	rm -rf "$cached.tmp"; cp -a "$work/out" "$cached.tmp"; rm -rf "$cached"; mv "$cached.tmp" "$cached"
fi
rm -rf "$out"; mkdir -p "$(dirname "$out")"; cp -a "$cached" "$out"
