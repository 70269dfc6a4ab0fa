#!/bin/bash
# Cluster bench: one worker PXE-booting on the master's bridge (netboot/cluster/up.sh, BusyBox
# root), through iPXE (ghostboot's default) and through pxelinux (the classic anchor), in the
# same run: wall time from QEMU's start to switch_root (1 s resolution, up.sh's clock), the
# kernel's own time to switch_root, and their difference (firmware, PXE, DHCP and TFTP of
# the kernel and image). Medians of BENCH_RUNS runs each.
set -u
cd "$(dirname "$0")/../.."
runs=${BENCH_RUNS:-3}
out=$(realpath -m build/bench/cluster)
mkdir -p "$out"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() { # boot-method -> "wall kernel firmware+pxe" medians
	local boot=$1 i log wall kern
	: >"$out/$boot.wall"
	: >"$out/$boot.kernel"
	: >"$out/$boot.pxe"
	for i in $(seq "$runs"); do
		CLUSTER_OUT=$out/$boot-$i timeout 300 netboot/cluster/up.sh --once --root busybox --workers 1 --boot "$boot" \
			--timeout 200 >"$out/$boot-$i.log" 2>&1 || { echo "# $boot run $i failed: $out/$boot-$i.log"; continue; }
		log=$out/$boot-$i/demo/w1.console
		wall=$(sed -n 's/.*switch_root after \([0-9]*\) s.*/\1/p' "$out/$boot-$i.log")
		kern=$(sed -n 's/^\[ *\([0-9.]*\)\] ghostinit: root: switching.*/\1/p' "$log" | head -1)
		[ -n "$wall" ] && [ -n "$kern" ] || continue
		echo "$wall" >>"$out/$boot.wall"
		echo "$kern" | awk '{ printf "%.2f\n", $1 }' >>"$out/$boot.kernel"
		echo "$wall $kern" | awk '{ printf "%.2f\n", $1 - $2 }' >>"$out/$boot.pxe"
	done
	echo "$(median <"$out/$boot.wall") $(median <"$out/$boot.kernel") $(median <"$out/$boot.pxe")"
}

read -r iw ik ip <<<"$(measure ipxe)"
read -r pw pk pp <<<"$(measure pxelinux)"
echo "cluster: QEMU start -> switch_root, 1 worker on the bridge, TCG, median of $runs"
printf '  %-10s wall %5s s   kernel %6s s   firmware+PXE+TFTP %6s s\n' iPXE "$iw" "$ik" "$ip" pxelinux "$pw" "$pk" "$pp"
echo "$iw $pw" | awk '$1 > 0 && $2 > 0 { printf "  ratio iPXE / pxelinux (wall): %.2f\n", $1 / $2 }'
[ "$iw" != nan ] && [ "$pw" != nan ]
