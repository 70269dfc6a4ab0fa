#!/bin/bash
# mkroot.sh DIR SSH_PUBKEY: the shared Debian root of the cluster's workers, made with debootstrap
# from Debian's archive: systemd, an sshd that lets the master in with SSH_PUBKEY, Open MPI and
# the demo's MPI program (mpi_ring.c). Made to be exported read-only: machine-id empty and host
# name unset (ghostinit writes both into each node's overlay), no network configuration (the
# boot interface is ghostinit's), journal in RAM. Rebuilt only when its inputs change.
# GB_MIRROR: the Debian mirror (default: the one apt uses here, else deb.debian.org).
# GB_CACHE: where the bare debootstrap is kept (default /var/cache/ghostboot).
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 DIR SSH_PUBKEY" >&2; exit 2; }
dir=$(realpath -m "$1") pub=$2
[ -r "$pub" ] || { echo "mkroot: cannot read $pub" >&2; exit 1; }
suite=bookworm
pkgs=systemd-sysv,openssh-server,openmpi-bin,iproute2,procps
mirror=${GB_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
mirror=${mirror:-http://deb.debian.org/debian}
key=$( { echo "$suite $pkgs"; cat "$pub" "$0" "$here/mpi_ring.c"; } | sha256sum | cut -d' ' -f1)
if [ -f "$dir/etc/ghostboot-root" ] && [ "$(cat "$dir/etc/ghostboot-root")" = "$key" ]; then
	exit 0
fi
for tool in debootstrap mpicc; do
	command -v "$tool" >/dev/null || { echo "mkroot: $tool is missing (make deps)" >&2; exit 1; }
done
tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$(dirname "$dir")"
# The debootstrap itself (minutes) is kept per suite and package list in GB_CACHE, shared by
# every checkout on this machine; what follows (keys, units, the MPI program) is quick.
cache=${GB_CACHE:-/var/cache/ghostboot}/cluster-debootstrap-$(echo "$suite $pkgs" | sha256sum | cut -c1-16)
if [ ! -x "$cache/lib/systemd/systemd" ]; then
	echo "mkroot: debootstrap $suite ($pkgs) from $mirror: a few minutes"
	rm -rf "$cache.tmp"
	mkdir -p "$(dirname "$cache")"
	if ! debootstrap --variant=minbase --include="$pkgs" "$suite" "$cache.tmp" "$mirror" >"$dir.debootstrap.log" 2>&1; then
		echo "mkroot: debootstrap failed; see $dir.debootstrap.log" >&2
		exit 1
	fi
	rm -rf "$cache" && mv "$cache.tmp" "$cache"
fi
cp -a "$cache" "$tmp" || exit 1

# Per-node identity comes from the overlay; an empty machine-id is what systemd expects then.
: >"$tmp/etc/machine-id"
rm -f "$tmp/var/lib/dbus/machine-id" "$tmp/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$tmp/etc/hosts"
# The root is mounted by ghostinit: nothing for systemd to mount or remount.
: >"$tmp/etc/fstab"

install -d -m 0700 "$tmp/root/.ssh"
install -m 0600 "$pub" "$tmp/root/.ssh/authorized_keys"
mkdir -p "$tmp/etc/ssh/sshd_config.d"
printf 'PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n' >"$tmp/etc/ssh/sshd_config.d/ghostboot.conf"

mkdir -p "$tmp/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=8M\n' >"$tmp/etc/systemd/journald.conf.d/ghostboot.conf"
# Nothing that writes periodically or waits for hardware a diskless node has not got.
for unit in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer \
	e2scrub_reap.service getty@tty1.service serial-getty@ttyS0.service systemd-timesyncd.service; do
	ln -sf /dev/null "$tmp/etc/systemd/system/$unit"
done
# One line on the console when the node can take jobs: what tests and the demo wait for.
cat >"$tmp/etc/systemd/system/ghostboot-ready.service" <<'EOF'
[Unit]
Description=ghostboot: tell the console this node is ready
After=ssh.service multi-user.target
Wants=ssh.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "GHOSTBOOT-NODE-READY $(hostname) $(cat /proc/uptime)" >/dev/console'

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/ghostboot-ready.service "$tmp/etc/systemd/system/multi-user.target.wants/ghostboot-ready.service"

# Same Debian release as this master, so the master's mpicc builds for the image's libmpi.
mkdir -p "$tmp/usr/local/bin"
mpicc -O2 -o "$tmp/usr/local/bin/mpi_ring" "$here/mpi_ring.c" || exit 1

rm -rf "$tmp"/var/cache/apt/*.bin "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*_Packages
echo "$key" >"$tmp/etc/ghostboot-root"
rm -rf "$dir"
mv "$tmp" "$dir"
echo "mkroot: $dir ready ($(du -sm "$dir" | cut -f1) MB)"
