#!/bin/bash
# Kernel bench: the custom kernel with the module-free image against Debian's kernel with the
# default image, in the same run: image size, and time from QEMU start to ghostinit's start
# and to the end of its module stage (median of BENCH_RUNS boots each, PVH vmlinux, TCG).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
runs=${BENCH_RUNS:-5}
QEMU_NETNS=$(netns_name bench-kernel)
netns_add "$QEMU_NETNS"
debian_rel=$(cat build/kernel/release)
custom_rel=$(cat build/kernel-custom/release)

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() { # kernel image label -> "start_median modules_median"
	local kernel=$1 image=$2 label=$3 i t_start t_mods
	: >"build/bench/$label.start"
	: >"build/bench/$label.mods"
	for i in $(seq "$runs"); do
		local log=build/bench/$label-$i.console
		QEMU_KERNEL=$kernel QEMU_INITRD=$image qemu_start "$log" "panic=-1 quiet"
		t_start=$(qemu_time_to "$log" 'ghostinit: ghostboot .* starting' 60) && echo "$t_start" >>"build/bench/$label.start"
		t_mods=$(qemu_time_to "$log" 'ghostinit: (modules:|no module list)' 60) && echo "$t_mods" >>"build/bench/$label.mods"
		qemu_wait 60 >/dev/null
	done
	echo "$(median <"build/bench/$label.start") $(median <"build/bench/$label.mods")"
}

mkdir -p build/bench
read -r d_start d_mods < <(measure "build/kernel/boot/vmlinux-$debian_rel" build/initramfs.img debian)
read -r c_start c_mods < <(measure "build/kernel-custom/boot/vmlinux-$custom_rel" build/initramfs-custom.img custom)
d_size=$(stat -c %s build/initramfs.img)
c_size=$(stat -c %s build/initramfs-custom.img)
d_kernel=$(stat -c %s "build/kernel/boot/vmlinuz-$debian_rel")
c_kernel=$(stat -c %s "build/kernel-custom/boot/vmlinuz-$custom_rel")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }
printf '%-34s %14s %14s %8s\n' "median of $runs boots (QEMU TCG)" "Debian kernel" "custom kernel" "ratio"
printf '%-34s %14d %14d %8s\n' "bzImage bytes" "$d_kernel" "$c_kernel" "$(ratio "$c_kernel" "$d_kernel")"
printf '%-34s %14d %14d %8s\n' "initramfs bytes" "$d_size" "$c_size" "$(ratio "$c_size" "$d_size")"
printf '%-34s %14s %14s %8s\n' "QEMU start -> ghostinit start (s)" "$d_start" "$c_start" "$(ratio "$c_start" "$d_start")"
printf '%-34s %14s %14s %8s\n' "QEMU start -> modules done (s)" "$d_mods" "$c_mods" "$(ratio "$c_mods" "$d_mods")"
