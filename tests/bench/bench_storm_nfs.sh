#!/bin/bash
# The NFS side of a boot storm (this host's kernel has no NFS client, so `make storm` measures
# DHCP and the reports only): STORM_NFS_WORKERS QEMU workers (default 3) booting at once on one
# read-only NFSv4 export under per-node overlays, against one NFS-Ganesha and one ghostwatch,
# and the same boot alone, alternated BENCH_RUNS times in the same run. Per boot, from the
# guest's own clock: "Run /init" -> exec of the worker's init, and ghostinit's NFS mount time
# and attempts; at the end, how many of the nodes ghostwatch saw reach switch_root.
# Under TCG the guests share the host's 2 cores, so the "at once" boots are slower for CPU
# alone; the mount time and the attempts are what the server's load does.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/ghostwatch.sh
runs=${BENCH_RUNS:-3}
workers=${STORM_NFS_WORKERS:-3}
worker_env storm-nfs
mkdir -p "$WORKER_DIR/gw" "$WORKER_DIR/logs"
worker_root_copy "$WORKER_EXPORT" || exit 1
worker_initramfs "$QEMU_INITRD" || exit 1
nfs_start "$QEMU_NETNS" "$WORKER_EXPORT" --ro || exit 1
GW=build/ghostwatch gw_start "$QEMU_NETNS" "$WORKER_DIR/gw" --insecure || { echo "ghostwatch did not start"; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -n | tail -n 1; }

# boot_group LABEL ROUND COUNT: COUNT workers started together (distinct MACs), waited for;
# appends per boot "seconds mount_ms attempts" to LABEL.data (nothing for a boot that failed).
boot_group() {
	local label=$1 round=$2 count=$3 i pids=() log
	for i in $(seq "$count"); do
		log=$WORKER_DIR/logs/$label-$round-$i.console
		QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:5$round:00:0$i"
		qemu_start "$log" "root=nfs4:10.0.2.2:$WORKER_EXPORT ghost.overlay=tmpfs:size=16m panic=-1"
		pids+=("$QEMU_PID")
	done
	for i in "${pids[@]}"; do
		QEMU_PID=$i
		qemu_wait 300 >/dev/null
	done
	for i in $(seq "$count"); do
		log=$WORKER_DIR/logs/$label-$round-$i.console
		awk -F'[][]' '
			/Run \/init as init process/ { start = $2 }
			/ghostinit: root: mounted .* after [0-9]+ attempts?, [0-9]+ ms/ {
				match($0, /after [0-9]+ attempt/); attempts = substr($0, RSTART + 6, RLENGTH - 14)
				match($0, /, [0-9]+ ms/); ms = substr($0, RSTART + 2, RLENGTH - 5) }
			/ghostinit: root: switching to the NFS root, exec/ { exec = $2 }
			END { if (start != "" && exec != "" && ms != "") printf "%.2f %d %d\n", exec - start, ms, attempts }
		' "$log" >>"$WORKER_DIR/$label.data"
		grep -q 'WORKER-INIT-REACHED' "$log" || cp "$log" "build/bench/storm-nfs-failed-$label-$round-$i.console"
	done
}

: >"$WORKER_DIR/alone.data"
: >"$WORKER_DIR/storm.data"
for r in $(seq "$runs"); do
	boot_group alone "$r" 1
	boot_group storm "$r" "$workers"
done
seen=$(build/ghostwatch status --state-dir "$WORKER_DIR/gw/state" --json --once 2>/dev/null |
	grep -o '"stages_ms":{[^}]*"switch-root":[0-9]*' | wc -l)
column() { awk -v c="$2" '{ print $c }' "$WORKER_DIR/$1.data"; }
printf '%-44s %12s %14s %8s\n' "NFSv4 root + overlay, $runs rounds (QEMU TCG)" alone "$workers at once" ratio
a=$(column alone 1 | median) s=$(column storm 1 | median)
printf '%-44s %11ss %13ss %8s\n' "\"Run /init\" -> exec of the worker's init" "$a" "$s" \
	"$(awk -v a="$a" -v b="$s" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "nan" }')"
a=$(column alone 2 | median) s=$(column storm 2 | median)
printf '%-44s %10sms %12sms %8s\n' "NFS mount (median)" "$a" "$s" \
	"$(awk -v a="$a" -v b="$s" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "nan" }')"
printf '%-44s %10sms %12sms\n' "NFS mount (max)" "$(column alone 2 | maxof)" "$(column storm 2 | maxof)"
printf '%-44s %12s %14s\n' "mounts that needed a retry" "$(column alone 3 | awk '$1 > 1' | wc -l)" \
	"$(column storm 3 | awk '$1 > 1' | wc -l)"
total=$((runs + runs * workers))
booted=$(($(wc -l <"$WORKER_DIR/alone.data") + $(wc -l <"$WORKER_DIR/storm.data")))
printf '%-44s %14s\n' "boots that reached the worker's init" "$booted/$total"
# The lone boot of a round shares its MAC with the round's first storm worker: one node each.
printf '%-44s %14s\n' "nodes ghostwatch saw reach switch-root" "$seen/$((runs * workers))"
nfs_stop
[ "$booted" -eq "$total" ] && [ "$seen" -eq $((runs * workers)) ]
