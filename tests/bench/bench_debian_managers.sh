#!/bin/bash
# Debian-root bench: time to multi-user.target of the real Debian root over NFSv4 (read-write,
# QEMU TCG, a tap on a bridge with dnsmasq: the managers really ask for a lease), with the boot
# NIC configured as an admin has it by each network manager:
#   - ifupdown: `allow-hotplug enp0s2` + `iface enp0s2 inet dhcp` ($DEBIAN_ROOT-ifupdown)
#   - systemd-networkd: /etc/systemd/network/20-wired.network, DHCP=yes ($DEBIAN_ROOT-networkd)
#   - NetworkManager: Debian's package and configuration ($DEBIAN_ROOT-nm)
# each booted through ghostboot's image and through the BusyBox floor of bench_root.sh (a
# script carrying ghostboot's very modules: insmod, udhcpc, mount, switch_root; here it also
# gives the NIC the name the admin's configuration uses, as a hand-written initramfs would, and
# mounts read-write), in the same run, alternated. Median of BENCH_RUNS (default 3: each boot
# is 1-2 minutes under TCG). Measured: the guest's uptime when a unit ordered after
# multi-user.target starts (kernel start -> multi-user, the guest clock), and QEMU start ->
# that line (the host clock). QEMU is stopped there: the bench is about the boot.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/dhcp.sh
. tests/lib/worker-root.sh
. tests/lib/debian-root.sh
. tests/lib/busybox-anchor.sh
runs=${BENCH_RUNS:-3}
managers=${BENCH_MANAGERS:-ifupdown networkd nm}
work=$(realpath -m build/bench/debian-managers-$$)
trap 'netns_cleanup; rm -rf "$work"' EXIT
mkdir -p "$work/roots"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }

# The roots: a private copy of each variant, configured for enp0s2, with the unit that says
# multi-user was reached.
root_for() { # manager dir
	local m=$1 d=$2 style=$1
	[ "$m" = ifupdown ] && style=ifupdown-allow-hotplug
	debian_manager_root_prepare "$m" && debian_root_copy "$DEBIAN_ROOT-$m" "$d" &&
		debian_admin_network "$d" "$style" enp0s2 || return 1
	printf '#!/bin/sh\necho "BENCH-MULTI-USER uptime=$(cut -d" " -f1 /proc/uptime)"\n' |
		debian_test_unit "$d" ghostboot-bench "ghostboot bench: multi-user.target reached"
}
for m in $managers; do
	root_for "$m" "$work/roots/$m" || { echo "cannot prepare the $m root (see $DEBIAN_ROOT-$m.apt.log)"; exit 1; }
done

# The images: ghostboot's, and the BusyBox floor made from the same files (as bench_root.sh).
gb_img=$work/ghostboot.img
worker_initramfs "$gb_img" || exit 1
bb_img=$work/busybox.img
busybox_anchor_image "$gb_img" "$bb_img" rw || { echo "cannot build the BusyBox anchor image"; exit 1; }

ns=$(netns_name bench-deb)
dhcp_master "$ns" || exit 1
ip -n "$ns" tuntap add dev tap0 mode tap && ip -n "$ns" link set tap0 master br0 && ip -n "$ns" link set tap0 up || exit 1
QEMU_NETNS=$ns
QEMU_MEM=256
mac=52:54:00:ce:02:03
QEMU_NET="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$mac,addr=0x2"
dnsmasq_start "$ns" "$work" "--dhcp-host=$mac,10.77.0.44" || { echo "dnsmasq did not start"; exit 1; }
nfs_start "$ns" "$work/roots" || exit 1

# boot_once LABEL IMAGE APPEND N: appends the guest uptime at multi-user to LABEL.up and QEMU
# start -> that line to LABEL.host; QEMU is stopped there.
boot_once() {
	local label=$1 image=$2 append=$3 n=$4 t log=$work/$1-$4.console
	QEMU_INITRD=$image qemu_start "$log" "$append panic=-1"
	t=$(qemu_time_to "$log" 'BENCH-MULTI-USER uptime=' 400)
	kill "$QEMU_PID" 2>/dev/null
	qemu_wait 30 >/dev/null
	if [ -n "$t" ]; then
		echo "$t" >>"$work/$label.host"
		grep -aoE 'BENCH-MULTI-USER uptime=[0-9.]+' "$log" | head -1 | cut -d= -f2 >>"$work/$label.up"
	else
		cp "$log" "build/bench/debian-managers-failed-$label-$n.console"
	fi
}

for m in $managers; do : >"$work/gb-$m.up"; : >"$work/gb-$m.host"; : >"$work/bb-$m.up"; : >"$work/bb-$m.host"; done
for r in $(seq "$runs"); do
	for m in $managers; do
		boot_once "gb-$m" "$gb_img" "root=nfs4:10.77.0.1:$work/roots/$m rw BOOTIF=01-${mac//:/-}" "$r"
		boot_once "bb-$m" "$bb_img" "bb.root=10.77.0.1:$work/roots/$m bb.ifname=enp0s2" "$r"
	done
done
row() { printf '%-44s %10s %10s %8s %10s %10s %8s %7s\n' "$@"; }
echo "Debian root (NFSv4 rw) to multi-user.target, median of $runs (QEMU TCG)"
row "" "gb guest" "bb guest" "gb/bb" "gb host" "bb host" "gb/bb" "boots"
status=0
for m in $managers; do
	gu=$(median <"$work/gb-$m.up")
	bu=$(median <"$work/bb-$m.up")
	gh=$(median <"$work/gb-$m.host")
	bh=$(median <"$work/bb-$m.host")
	n="$(wc -l <"$work/gb-$m.up")+$(wc -l <"$work/bb-$m.up")/$((2 * runs))"
	row "$m: kernel start / QEMU start -> multi-user (s)" "$gu" "$bu" "$(ratio "$gu" "$bu")" "$gh" "$bh" "$(ratio "$gh" "$bh")" "$n"
	[ "$(wc -l <"$work/gb-$m.up")" -eq "$runs" ] && [ "$(wc -l <"$work/bb-$m.up")" -eq "$runs" ] || status=1
done
echo "gb = ghostboot's image; bb = the BusyBox floor (bench_root.sh's script; renames the NIC, mounts rw)"
for m in $managers; do
	echo "samples $m: ghostboot $(tr '\n' ' ' <"$work/gb-$m.up")/ busybox $(tr '\n' ' ' <"$work/bb-$m.up")"
done
nfs_stop
exit $status
