#!/bin/bash
# Kernel bench: the custom kernel (make kernel) with its module-free image against Debian's
# kernel with the default image, in the same run, against the same NFS server: kernel and
# image sizes, time from QEMU start to ghostinit's start and to the worker's real init over
# NFSv4 (median of BENCH_RUNS boots each; PVH vmlinux, TCG, host clock).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/worker-root.sh
runs=${BENCH_RUNS:-5}
ns=$(netns_name bench-kernel)
netns_add "$ns"
QEMU_NETNS=$ns
work=build/bench/kernel-$$
trap 'netns_cleanup; rm -rf "$work"' EXIT
mkdir -p "$work"
exp=$(realpath -m "$work/root")
worker_root_copy "$exp" || exit 1
nfs_start "$ns" "$exp" --ro || { echo "bench: NFS server did not start"; exit 1; }
debian_rel=$(cat build/kernel/release)
custom_rel=$(cat build/kernel-custom/release)
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:07:02"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() { # kernel image label -> "ghostinit_start real_init"
	local kernel=$1 image=$2 label=$3 i t
	: >"$work/$label.start"
	: >"$work/$label.init"
	for i in $(seq "$runs"); do
		local log=$work/$label-$i.console
		QEMU_KERNEL=$kernel QEMU_INITRD=$image qemu_start "$log" \
			"quiet panic=-1 root=nfs:10.0.2.2:$exp:vers=4.2 ghost.overlay=tmpfs"
		t=$(qemu_time_to "$log" 'ghostinit: ghostboot .* starting' 90) && echo "$t" >>"$work/$label.start"
		t=$(qemu_time_to "$log" 'WORKER-INIT-REACHED' 120) && echo "$t" >>"$work/$label.init"
		qemu_wait 60 >/dev/null
	done
	echo "$(median <"$work/$label.start") $(median <"$work/$label.init")"
}

worker_initramfs "$work/debian.img" --kernel-tree build/kernel || exit 1
worker_initramfs "$work/custom.img" --kernel-tree build/kernel-custom || exit 1
read -r d_start d_init < <(measure "build/kernel/boot/vmlinux-$debian_rel" "$work/debian.img" debian)
read -r c_start c_init < <(measure "build/kernel-custom/boot/vmlinux-$custom_rel" "$work/custom.img" custom)
d_size=$(stat -c %s "$work/debian.img")
c_size=$(stat -c %s "$work/custom.img")
d_kernel=$(stat -c %s "build/kernel/boot/vmlinuz-$debian_rel")
c_kernel=$(stat -c %s "build/kernel-custom/boot/vmlinuz-$custom_rel")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }
printf '%-38s %14s %14s %8s\n' "median of $runs boots (QEMU TCG, NFSv4)" "Debian kernel" "custom kernel" "ratio"
printf '%-38s %14d %14d %8s\n' "bzImage bytes" "$d_kernel" "$c_kernel" "$(ratio "$c_kernel" "$d_kernel")"
printf '%-38s %14d %14d %8s\n' "initramfs bytes (with BusyBox)" "$d_size" "$c_size" "$(ratio "$c_size" "$d_size")"
printf '%-38s %14s %14s %8s\n' "QEMU start -> ghostinit start (s)" "$d_start" "$c_start" "$(ratio "$c_start" "$d_start")"
printf '%-38s %14s %14s %8s\n' "QEMU start -> the worker's init (s)" "$d_init" "$c_init" "$(ratio "$c_init" "$d_init")"
