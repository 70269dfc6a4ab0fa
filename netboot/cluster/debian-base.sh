#!/bin/bash
# debian-base.sh DIR PACKAGES: DIR becomes the base of a Debian root for diskless workers, what
# the cluster's root (mkroot.sh) and the tests' (tests/lib/debian-root.sh) share: debootstrap
# --variant=minbase of this master's release with PACKAGES (comma-separated), made ready to be
# exported to many nodes: machine-id empty and host name unset (ghostinit writes both into each
# node's overlay), nothing in fstab (ghostinit mounts the root), no getty waiting on a console
# and no e2scrub_reap (it stalls ~100 s under TCG and has no LVM to scrub). The caller adds its
# own configuration on top.
# GB_MIRROR: the Debian mirror (default: the one apt uses here, else deb.debian.org).
# GB_CACHE: where the bare debootstrap is kept (default /var/cache/ghostboot).
set -u
[ $# -eq 2 ] || { echo "usage: $0 DIR PACKAGES" >&2; exit 2; }
dir=$(realpath -m "$1") pkgs=$2
suite=bookworm
mirror=${GB_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
mirror=${mirror:-http://deb.debian.org/debian}
command -v debootstrap >/dev/null || { echo "debian-base: debootstrap is missing (make deps)" >&2; exit 1; }

# The debootstrap itself (minutes) is kept per suite and package list in GB_CACHE, shared by
# every checkout on this machine and by the tests running side by side: one makes it, the
# others wait on the lock.
cache=${GB_CACHE:-/var/cache/ghostboot}/debootstrap-$(echo "$suite $pkgs" | sha256sum | cut -c1-16)
mkdir -p "$(dirname "$cache")"
(
	flock -w 1200 9 || { echo "debian-base: $cache.lock not obtained in 20 min" >&2; exit 1; }
	[ ! -x "$cache/lib/systemd/systemd" ] || exit 0 # made (every root here boots systemd)
	echo "debian-base: debootstrap $suite ($pkgs) from $mirror: a few minutes"
	rm -rf "$cache.tmp"
	if ! debootstrap --variant=minbase --include="$pkgs" "$suite" "$cache.tmp" "$mirror" >"$cache.log" 2>&1; then
		echo "debian-base: debootstrap failed; see $cache.log" >&2
		exit 1
	fi
	rm -rf "$cache" && mv "$cache.tmp" "$cache"
) 9>"$cache.lock" || exit 1
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
cp -a "$cache" "$dir" || exit 1

: >"$dir/etc/machine-id"
rm -f "$dir/var/lib/dbus/machine-id" "$dir/etc/hostname"
echo "# the root is mounted by ghostinit" >"$dir/etc/fstab"
for unit in getty@tty1.service serial-getty@ttyS0.service e2scrub_reap.service; do
	ln -sf /dev/null "$dir/etc/systemd/system/$unit"
done
