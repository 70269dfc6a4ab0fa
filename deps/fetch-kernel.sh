#!/bin/sh
# Unpacks Debian's current linux-image-amd64 kernel (never installed on the host) into $1
# (build/kernel): the default worker kernel, its modules with a generated modules.dep, and the
# uncompressed ELF vmlinux that QEMU boots through PVH (skips ~5 s of decompression under TCG).
set -eu
dest=$(realpath -m "$1")
cache_root=${GHOSTBOOT_CACHE:-/var/cache/ghostboot}

# linux-image-amd64 is a metapackage: the real kernel is its linux-image-<release> dependency.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
if [ -z "$pkg" ]; then
	apt-get update -q >/dev/null
	pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
fi
[ -n "$pkg" ] || { echo "deps: cannot find the package behind linux-image-amd64" >&2; exit 1; }
ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
release=${pkg#linux-image-}
key="${pkg}_${ver}"

if [ -f "$dest/.key" ] && [ "$(cat "$dest/.key")" = "$key" ]; then
	exit 0
fi
debdir="$cache_root/kernel"
mkdir -p "$debdir"
deb=$(ls "$debdir/${pkg}_"*".deb" 2>/dev/null | grep -F "_$(echo "$ver" | sed 's/:/%3a/')_" | head -n 1 || true)
if [ -z "$deb" ]; then
	echo "deps: downloading $pkg $ver"
	(cd "$debdir" && chown _apt . 2>/dev/null; apt-get download -q "$pkg=$ver" >/dev/null 2>&1) ||
		{ echo "deps: apt-get download $pkg failed" >&2; exit 1; }
	deb=$(ls -t "$debdir/${pkg}_"*.deb | head -n 1)
fi

rm -rf "$dest.tmp"; mkdir -p "$dest.tmp"
dpkg-deb -x "$deb" "$dest.tmp"
# Debian's package ships no modules.dep: generate it (and softdeps) from the tree itself.
depmod -b "$dest.tmp" -F "$dest.tmp/boot/System.map-$release" "$release"
"$(dirname "$0")/extract-vmlinux.sh" "$dest.tmp/boot/vmlinuz-$release" "$dest.tmp/boot/vmlinux-$release"
echo "$release" >"$dest.tmp/release"
echo "$key" >"$dest.tmp/.key"
rm -rf "$dest"; mv "$dest.tmp" "$dest"
echo "deps: kernel $release unpacked in $dest"
