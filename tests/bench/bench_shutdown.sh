#!/bin/bash
# Shutdown bench: guest time from the handover (the moment the old init hands the machine
# over, a kernel-log mark) to the kernel's last "reboot:" line, median of BENCH_RUNS, QEMU TCG,
# NFSv4 root at /oldroot with 4 MiB written without fsync (tests/qemu/shutdown-guest.sh).
# ghostinit against the anchor measured in the same run: BusyBox init's own end (TERM, 1 s,
# KILL, sync, umount, reboot -f), with the NFS server healthy and with it dead (frozen by
# SIGSTOP: no answer, as a crashed server) before the handover.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
runs=${BENCH_RUNS:-5}
HUNG_CAP=${BENCH_HUNG_CAP:-60} # seconds after the handover before a run counts as hung
work=build/bench/shutdown
mkdir -p "$work"
make -s build/ghostinit >/dev/null || exit 1
initramfs/mkimage.sh --output "$work/initramfs.img" --agent build/ghostinit \
	--file tests/qemu/shutdown-guest.sh:/shutdown-guest || exit 1
QEMU_NETNS=$(netns_name bench-shutdown)
netns_add "$QEMU_NETNS" || exit 1
QEMU_NET="-nic user,model=virtio-net-pci"
QEMU_INITRD=$work/initramfs.img
export_dir=$work/export-$$
mkdir -p "$export_dir/scratch"
trap 'netns_cleanup; rm -rf "$export_dir"' EXIT
nfs_start "$QEMU_NETNS" "$export_dir" || exit 1

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# one MODE N: sets T to the guest seconds from ST-HANDOVER to "reboot:", or "hung". Runs in
# this shell (never in $(...)): it starts and stops processes that must stay tracked here.
T=
one() {
	local mode=$1 n=$2 log=$work/$1-$2.console
	qemu_start "$log" "rdinit=/bin/sh st.export=$(realpath "$export_dir") st.verb=reboot st.mode=$mode st.file=$mode-$n -- /shutdown-guest"
	case $mode in
	*serverdown)
		# Frozen, as a crashed or unplugged server looks from the network: no answer.
		if log_wait "$log" '^ST-READY' 120; then kill -STOP "$NFS_PID"; fi ;;
	esac
	log_wait "$log" 'ST-HANDOVER' 120
	if ! qemu_wait "$HUNG_CAP"; then
		T=hung
	else
		T=$(awk -F'[][]' '/ST-HANDOVER/ && a == "" { a = $2 } /reboot: / { b = $2 }
			END { if (a != "" && b != "") printf "%.2f\n", b - a; else print "hung" }' "$log")
	fi
	case $mode in
	*serverdown)
		kill -CONT "$NFS_PID" 2>/dev/null
		nfs_stop
		nfs_start "$QEMU_NETNS" "$export_dir" >/dev/null || exit 1 ;;
	esac
}

declare -A result
for mode in good busybox serverdown busybox-serverdown; do
	: >"$work/$mode.times"
	hung=0
	# A hung anchor costs HUNG_CAP each time: once shows it.
	n=$runs
	[ "$mode" = busybox-serverdown ] && n=1
	for i in $(seq "$n"); do
		one "$mode" "$i"
		if [ "$T" = hung ]; then hung=$((hung + 1)); else echo "$T" >>"$work/$mode.times"; fi
	done
	if [ "$hung" -gt 0 ]; then
		result[$mode]="hung>${HUNG_CAP}s ($hung/$n)"
	else
		result[$mode]=$(median <"$work/$mode.times")
	fi
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
printf '%-44s %16s %22s %8s\n' "handover to reset, guest s (median of $runs)" "ghostinit" "BusyBox init's end" "ratio"
printf '%-44s %16s %22s %8s\n' "NFS server healthy" "${result[good]}" "${result[busybox]}" "$(ratio "${result[good]}" "${result[busybox]}")"
printf '%-44s %16s %22s %8s\n' "NFS server dead (ghost.shutdown_timeout=15)" "${result[serverdown]}" "${result[busybox-serverdown]}" "-"
