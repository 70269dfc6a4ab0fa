# A real Debian root for the end-to-end test: netboot/cluster/debian-base.sh (the cluster's
# base too: debootstrap --variant=minbase, cached) with systemd and udev, and the test's unit on
# top. Made once, outside the tree (it is ~250 MB). Source it.
#
#   debian_root_prepare   builds $DEBIAN_ROOT when its inputs changed (needs Debian's archive)
#   DEBIAN_ROOT           default /var/cache/ghostboot/debian-root; its log: $DEBIAN_ROOT.log
#
# The root prints DEBIAN-MULTI-USER-REACHED on the console once multi-user.target is reached,
# then powers off; /etc/machine-id is empty (the overlay writes one per node).

GB_TOP=${GB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DEBIAN_ROOT=${DEBIAN_ROOT:-/var/cache/ghostboot/debian-root}
DEBIAN_PACKAGES=systemd,systemd-sysv,udev

debian_root_configure() { # dir
	local d=$1
	cat >"$d/etc/systemd/system/ghostboot-reached.service" <<'UNIT'
[Unit]
Description=ghostboot test: say that multi-user.target was reached, then power off
After=multi-user.target

[Service]
Type=oneshot
StandardOutput=tty
TTYPath=/dev/console
ExecStart=/bin/sh -c 'echo "DEBIAN-MULTI-USER-REACHED pid1=$(cat /proc/1/comm) root=$(findmnt -n -o FSTYPE /)"'
ExecStart=/bin/systemctl --no-block poweroff

[Install]
WantedBy=multi-user.target
UNIT
	mkdir -p "$d/etc/systemd/system/multi-user.target.wants"
	ln -sf ../ghostboot-reached.service "$d/etc/systemd/system/multi-user.target.wants/ghostboot-reached.service"
	# Nothing may take the boot link down: there is no ifupdown or networkd in minbase, the NIC
	# stays as ghostinit left it.
	systemctl --root="$d" set-default multi-user.target >/dev/null 2>&1 || true
}

# Tests run side by side (tests/run.sh): one prepares the root, the others wait for it.
debian_root_prepare() {
	mkdir -p "$(dirname "$DEBIAN_ROOT")"
	(
		flock -w 1200 9 || { echo "debian root: lock not obtained in 20 min" >&2; exit 1; }
		debian_root_prepare_locked
	) 9>"$DEBIAN_ROOT.lock"
}

debian_root_prepare_locked() {
	local tmp=$DEBIAN_ROOT.tmp key
	key=$( { echo "$DEBIAN_PACKAGES"; cat "$GB_TOP/netboot/cluster/debian-base.sh"; declare -f debian_root_configure; } |
		sha256sum | cut -d' ' -f1)
	if [ "$(cat "$DEBIAN_ROOT.stamp" 2>/dev/null)" = "$key" ] && [ -x "$DEBIAN_ROOT/lib/systemd/systemd" ]; then
		return 0
	fi
	"$GB_TOP/netboot/cluster/debian-base.sh" "$tmp" "$DEBIAN_PACKAGES" >"$DEBIAN_ROOT.log" 2>&1 || return 1
	debian_root_configure "$tmp" || return 1
	rm -rf "$DEBIAN_ROOT"
	mv "$tmp" "$DEBIAN_ROOT" && echo "$key" >"$DEBIAN_ROOT.stamp"
}

# itools_image OUT: Debian's initramfs-tools image (BOOT=nfs, MODULES=netboot) for the test
# kernel, the anchor of `make bench`. Built in a chroot made from the Debian root (cached beside
# it, with initramfs-tools installed by apt inside), with the kernel's modules and config copied
# in: the host's /boot and /lib/modules are never touched.
ITOOLS_CHROOT=${ITOOLS_CHROOT:-$(dirname "$DEBIAN_ROOT")/itools-chroot}
itools_image() {
	local out=$1 c=$ITOOLS_CHROOT rel kernel_tree
	kernel_tree=$GB_TOP/build/kernel
	rel=$(cat "$kernel_tree/release") || return 1
	debian_root_prepare || return 1
	if [ ! -x "$c/usr/sbin/mkinitramfs" ]; then
		rm -rf "$c" && cp -a "$DEBIAN_ROOT" "$c" || return 1
		rm -f "$c/etc/systemd/system/multi-user.target.wants/ghostboot-reached.service"
		cp /etc/resolv.conf "$c/etc/resolv.conf" 2>/dev/null
		mount -t proc proc "$c/proc" || return 1
		chroot "$c" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			initramfs-tools klibc-utils busybox zstd >"$c.apt.log" 2>&1
		local rc=$?
		umount "$c/proc"
		[ "$rc" -eq 0 ] || return 1
	fi
	if [ ! -d "$c/lib/modules/$rel" ]; then
		mkdir -p "$c/lib/modules" "$c/boot"
		cp -a "$kernel_tree/lib/modules/$rel" "$c/lib/modules/" || return 1
		cp "$kernel_tree/boot/config-$rel" "$c/boot/" || return 1
	fi
	rm -rf "$c/etc/ghostbench"
	cp -a "$c/etc/initramfs-tools" "$c/etc/ghostbench" || return 1
	sed -i 's/^MODULES=.*/MODULES=netboot/' "$c/etc/ghostbench/initramfs.conf"
	echo "BOOT=nfs" >>"$c/etc/ghostbench/initramfs.conf"
	mount -t proc proc "$c/proc" || return 1
	chroot "$c" mkinitramfs -d /etc/ghostbench -o /tmp/itools.img "$rel" >"$c.mkinitramfs.log" 2>&1
	local rc=$?
	umount "$c/proc"
	[ "$rc" -eq 0 ] && mkdir -p "$(dirname "$out")" && mv "$c/tmp/itools.img" "$out"
}

# debian_variant_prepare NAME CHECK PACKAGE...: $DEBIAN_ROOT-NAME, the Debian root plus
# PACKAGEs installed by apt in a chroot (without recommends), built once; CHECK is a file of the
# root (e.g. /usr/sbin/NetworkManager) whose presence means the variant is complete; it is
# rebuilt when the base root or the package list changed. The apt log is
# $DEBIAN_ROOT-NAME.apt.log. Tests run side by side: one builds, the others wait.
debian_variant_prepare() {
	local check=$2 out=$DEBIAN_ROOT-$1 key
	shift 2
	debian_root_prepare || return 1
	key="$(cat "$DEBIAN_ROOT.stamp") $*" # a new base root or another package list: rebuilt
	(
		flock -w 1200 9 || exit 1
		[ -e "$out$check" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$key" ] && exit 0
		rm -rf "$out.tmp" && cp -a "$DEBIAN_ROOT" "$out.tmp" || exit 1
		cp /etc/resolv.conf "$out.tmp/etc/resolv.conf"
		mount -t proc proc "$out.tmp/proc" || exit 1
		chroot "$out.tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "$@" >"$out.apt.log" 2>&1 &&
			chroot "$out.tmp" apt-get clean # the .debs: each test copies the root
		rc=$?
		umount "$out.tmp/proc"
		[ "$rc" -eq 0 ] || exit 1
		rm -f "$out.tmp/etc/resolv.conf"
		rm -rf "$out" && mv "$out.tmp" "$out" && echo "$key" >"$out.stamp"
	) 9>"$out.lock"
}

# debian_root_copy FROM TO: a private read-write copy of a prepared root, without the default
# unit that powers off at multi-user.target (the test brings its own).
debian_root_copy() {
	cp -a "$1" "$2" || return 1
	rm -f "$2/etc/systemd/system/multi-user.target.wants/ghostboot-reached.service"
}

# debian_test_unit ROOT NAME DESCRIPTION [ARG...]: the test's own step, a oneshot unit started
# after multi-user.target with its output on the console; its script, read from stdin, is
# installed as /usr/local/sbin/NAME and run with the ARGs.
debian_test_unit() {
	local root=$1 name=$2 description=$3
	shift 3
	cat >"$root/usr/local/sbin/$name" && chmod 755 "$root/usr/local/sbin/$name" || return 1
	cat >"$root/etc/systemd/system/$name.service" <<UNIT || return 1
[Unit]
Description=$description
After=multi-user.target

[Service]
Type=oneshot
StandardOutput=tty
TTYPath=/dev/console
ExecStart=/usr/local/sbin/$name${*:+ $*}
UNIT
	mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
	ln -sf "../$name.service" "$root/etc/systemd/system/multi-user.target.wants/$name.service"
}

# debian_admin_network ROOT MANAGER IFNAME: what an admin (or Debian's installer) configures for
# the boot NIC, DHCP under its predictable name: ifupdown-auto / ifupdown-allow-hotplug write
# /etc/network/interfaces with that stanza, networkd a 20-wired.network and the enabled
# service; nm needs nothing (NetworkManager's own default is the automatic wired connection).
debian_admin_network() {
	local root=$1 manager=$2 i=$3
	case $manager in
	ifupdown-*)
		printf 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n\n# The primary network interface\n%s %s\niface %s inet dhcp\n' \
			"${manager#ifupdown-}" "$i" "$i" >"$root/etc/network/interfaces" ;;
	networkd)
		mkdir -p "$root/etc/systemd/network" &&
			printf '[Match]\nName=%s\n\n[Network]\nDHCP=yes\n' "$i" >"$root/etc/systemd/network/20-wired.network" &&
			systemctl --root="$root" enable systemd-networkd.service >/dev/null 2>&1 ;;
	nm) ;;
	*) return 1 ;;
	esac
}

# debian_shutdown_seconds LOG: from systemd's start of the shutdown (the guardian is told) to
# ghostinit's power-off, on the guest's clock.
debian_shutdown_seconds() {
	local t0 t1
	t0=$(grep -a 'guardian: shutdown begins' "$1" | head -1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	t1=$(grep -a 'ghostinit: shutdown: poweroff after' "$1" | head -1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }'
}

# debian_manager_root_prepare ifupdown|networkd|nm: $DEBIAN_ROOT-<manager>, the Debian root with
# that network manager as Debian installs it (the variants the Compat tests and bench share).
debian_manager_root_prepare() {
	case $1 in
	ifupdown) debian_variant_prepare ifupdown /sbin/dhclient ifupdown isc-dhcp-client ;;
	networkd) debian_variant_prepare networkd /usr/bin/ip dbus iproute2 ;;
	nm) debian_variant_prepare nm /usr/bin/ip network-manager iproute2 ;;
	*) return 1 ;;
	esac
}
