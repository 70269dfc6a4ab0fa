#!/bin/bash
# Root bench: time from the kernel's "Run /init" to the worker's own init over an NFS root
# (host-side clock, median of BENCH_RUNS boots, QEMU TCG, PVH vmlinux, user networking), and the
# image size, in the same run against the same server, for:
#   - ghostboot's image (NFSv4.2), as a node of a cluster loads it: the base and the part for its
#     NIC (here virtio; initramfs/mkimage.sh --nic-parts, chosen by iPXE from the NIC's PCI ID),
#     one after the other in one initrd;
#   - ghostboot's whole image (every NIC family: pxelinux, a NIC no part claims);
#   - Debian's initramfs-tools image for the same kernel (mkinitramfs BOOT=nfs MODULES=netboot,
#     built by tests/lib/debian-root.sh in a cached chroot; klibc's nfsmount speaks NFSv3 only
#     and asks rpcbind for the ports, so the server keeps rpcbind up);
#   - a BusyBox script image carrying ghostboot's very modules (insmod in the same order,
#     udhcpc, busybox mount, switch_root): the floor a hand-written initramfs reaches.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/worker-root.sh
. tests/lib/debian-root.sh
. tests/lib/busybox-anchor.sh
. tests/lib/ghostwatch.sh
runs=${BENCH_RUNS:-5}
work=build/bench/root-$$
trap 'netns_cleanup; rm -rf "$work"' EXIT
mkdir -p "$work"
ns=$(netns_name bench-root)
netns_add "$ns"
QEMU_NETNS=$ns
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0"
QEMU_MEM=256 # initramfs-tools' image unpacks to ~96 MB
exp=$(realpath -m "$work/root")
worker_root_copy "$exp" || exit 1
nfs_start "$ns" "$exp" --ro --v3 --keep-rpcbind || exit 1
# A cluster has a master: ghostinit's reports are acked by ghostwatch (user networking delivers
# 10.0.2.2:7468 to the namespace's loopback), as they would be on a real cluster. Without it
# each boot would wait its 200 ms report budget out.
mkdir -p "$work/gw"
GW=build/ghostwatch gw_start "$ns" "$work/gw" --insecure || { echo "ghostwatch did not start"; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b > 0) printf "%.*f", d, a / b; else print "nan" }'; }

# The ghostboot image, and the BusyBox anchor made from the same files: its /init is a script.
gb_img=$work/ghostboot.img
worker_initramfs "$gb_img" --nic-parts "$gb_img.nic" || exit 1
# What iPXE hands the kernel for a virtio node: base, padding to 4 bytes, the part.
gbn_img=$work/ghostboot-node.img
{ cat "$gb_img.nic/base.img"; head -c $(((4 - $(stat -c %s "$gb_img.nic/base.img") % 4) % 4)) /dev/zero
	cat "$gb_img.nic/virtio.img"; } >"$gbn_img"
gbn_s=$(($(stat -c %s "$gb_img.nic/base.img") + $(stat -c %s "$gb_img.nic/virtio.img")))
bb_img=$work/busybox.img
busybox_anchor_image "$gb_img" "$bb_img" ro || { echo "cannot build the BusyBox anchor image"; exit 1; }
it_img=$work/initramfs-tools.img
itools_image "$it_img" || { echo "cannot build the initramfs-tools image"; exit 1; }

# boot_once LABEL IMAGE APPEND N: one boot; appends "Run /init" -> worker init seconds to
# LABEL.t, QEMU start -> worker init (the kernel's unpacking of the image included) to
# LABEL.total and, for ghostboot, its own root-stage milliseconds to LABEL.stage.
boot_once() {
	local label=$1 image=$2 append=$3 n=$4 t0 t1 log=$work/$1-$4.console
	QEMU_INITRD=$image qemu_start "$log" "$append panic=-1"
	t0=$(qemu_time_to "$log" 'Run /init as init process' 90)
	t1=$(qemu_time_to "$log" 'WORKER-INIT-REACHED' 120)
	qemu_wait 60 >/dev/null
	if [ -n "$t0" ] && [ -n "$t1" ]; then
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }' >>"$work/$label.t"
		echo "$t1" >>"$work/$label.total"
	else
		cp "$log" "build/bench/root-failed-$label-$n.console"
	fi
	grep -aoE '\(([0-9]+) ms in the root stage\)' "$log" | tr -dc '0-9\n' >>"$work/$label.stage"
}

: >"$work/gb.t"
: >"$work/gbn.t"
: >"$work/gbn.total"
: >"$work/gbn.stage"
: >"$work/bb.t"
: >"$work/it.t"
: >"$work/gb.stage"
: >"$work/gb.total"
: >"$work/bb.total"
: >"$work/it.total"
: >"$work/bb.stage"
: >"$work/it.stage"
# Alternate the two so that host load hits both alike.
for r in $(seq "$runs"); do
	boot_once gbn "$gbn_img" "root=nfs4:10.0.2.2:$exp" "$r"
	boot_once gb "$gb_img" "root=nfs4:10.0.2.2:$exp" "$r"
	boot_once bb "$bb_img" "bb.root=10.0.2.2:$exp" "$r"
	boot_once it "$it_img" "root=/dev/nfs nfsroot=10.0.2.2:$exp ip=dhcp ro" "$r"
done
gb_t=$(median <"$work/gb.t")
gbn_t=$(median <"$work/gbn.t")
gbn_all=$(median <"$work/gbn.total")
gbn_n=$(wc -l <"$work/gbn.t")
bb_t=$(median <"$work/bb.t")
it_t=$(median <"$work/it.t")
gb_all=$(median <"$work/gb.total")
bb_all=$(median <"$work/bb.total")
it_all=$(median <"$work/it.total")
gb_n=$(wc -l <"$work/gb.t")
bb_n=$(wc -l <"$work/bb.t")
it_n=$(wc -l <"$work/it.t")
gb_stage=$(median <"$work/gb.stage")
gb_s=$(stat -c %s "$gb_img")
bb_s=$(stat -c %s "$bb_img")
it_s=$(stat -c %s "$it_img")
row() { printf '%-40s %11s %11s %15s %11s %10s %10s %9s\n' "$@"; }
row "NFS root, median of $runs (QEMU TCG)" "gb node" "gb whole" initramfs-tools "BusyBox sh" "node/itools" "whole/itools" "gb/bb"
row "\"Run /init\" -> the worker's init (s)" "$gbn_t" "$gb_t" "$it_t" "$bb_t" \
	"$(ratio "$gbn_t" "$it_t")" "$(ratio "$gb_t" "$it_t")" "$(ratio "$gb_t" "$bb_t")"
row "QEMU start -> the worker's init (s)" "$gbn_all" "$gb_all" "$it_all" "$bb_all" \
	"$(ratio "$gbn_all" "$it_all")" "$(ratio "$gb_all" "$it_all")" "$(ratio "$gb_all" "$bb_all")"
row "image size (bytes)" "$gbn_s" "$gb_s" "$it_s" "$bb_s" \
	"$(ratio "$gbn_s" "$it_s" 4)" "$(ratio "$gb_s" "$it_s" 4)" "$(ratio "$gb_s" "$bb_s")"
row "boots that reached the worker's init" "$gbn_n/$runs" "$gb_n/$runs" "$it_n/$runs" "$bb_n/$runs"
printf '%-40s %9sms\n' "ghostinit's root stage (parse -> exec)" "$gb_stage"
echo "gb node = base.img + virtio.img of --nic-parts (what iPXE loads for a virtio NIC; sizes of"
echo "the two files); gb whole = every NIC family in one archive."
echo "goal: time <= 0.2 x initramfs-tools, image <= 1/15 (0.0667) of its size (a node's image)"
echo "samples ghostboot node:  $(tr '\n' ' ' <"$work/gbn.t")"
echo "samples ghostboot:       $(tr '\n' ' ' <"$work/gb.t")"
echo "samples initramfs-tools: $(tr '\n' ' ' <"$work/it.t")"
echo "samples busybox:         $(tr '\n' ' ' <"$work/bb.t")"
nfs_stop
[ "$gbn_n" -eq "$runs" ] && [ "$gb_n" -eq "$runs" ] && [ "$bb_n" -eq "$runs" ] && [ "$it_n" -eq "$runs" ]
