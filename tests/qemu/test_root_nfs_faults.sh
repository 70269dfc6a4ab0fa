#!/bin/bash
# NFS root faults end to end: the server starts 20 s after the worker (it boots when the
# server appears), a wrong export path, a refused client and a silent address (clear error in
# words, the fatal path, a reset within the bound set by ghost.root_timeout and panic=; never a
# kernel panic).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/fault.sh
logs=build/test-logs/qemu
worker_env rootflt --user
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"

# 1. The server appears 20 s after the worker's first mount attempt.
log=$logs/root-nfs-late.console
start=$SECONDS
qemu_start "$log" "root=nfs4:10.0.2.2:$WORKER_EXPORT rw ghost.root_timeout=120 panic=-1"
# 20 s counted from the worker's first failed mount, not from QEMU's start: a loaded host can
# take that long to reach the root stage.
check "late: the worker tried before the server existed" log_wait "$log" 'failed \(attempt 1\)' 120
sleep 20
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT"; then ok "late: Ganesha started 20 s after the first attempt"; else not_ok "late: Ganesha started"; fi
t0=$(date +%s.%N)
late=$(log_wait "$log" 'ghostinit: root: mounted' 120 && echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }')
qemu_wait 200
rc=$?
check "late: QEMU powered off by itself (status $rc, $((SECONDS - start))s)" [ "$rc" -eq 0 ]
check "late: the failures were retried, in words" grep -q 'ghostinit: root: mount 10.0.2.2:.* failed (attempt [0-9]*): server not answering; retrying in [0-9]* ms' "$log"
check "late: mounted after several attempts" grep -qE 'ghostinit: root: mounted 10.0.2.2:.* after ([3-9]|[1-9][0-9]+) attempts' "$log"
check "late: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
grep -q 'WORKER-INIT-REACHED pid=1' "$log" && outcome="retried, mounted ${late:-?} s after the server appeared, booted" || outcome=FAILED
fault_line "NFS server absent, started after 20 s" "$outcome" "${late:--}"

# fatal_case NAME APPEND WORDS VERSION: the mount must fail with WORDS, then a bounded reset.
fatal_case() {
	local name=$1 append=$2 words=$3 version=$4 rc start=$SECONDS
	log=$logs/root-nfs-$name.console
	qemu_boot "$log" 150 "$append ghost.root_timeout=4 panic=1"
	rc=$?
	local took=$((SECONDS - start))
	check "$name: QEMU exited by itself (status $rc, ${took}s)" [ "$rc" -eq 0 ]
	check "$name: the error says '$words'" grep -qF "over NFSv$version: $words" "$log"
	check "$name: the machine was reset" grep -q 'reboot: Restarting system' "$log"
	check "$name: no kernel panic" bash -c "! grep -q 'Kernel panic' '$log'"
	check "$name: the real init never ran" bash -c "! grep -q WORKER-INIT-REACHED '$log'"
}

# 2. A wrong export path, NFSv4 and NFSv3.
nfs_stop
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT" --v3; then ok "Ganesha restarted with NFSv3"; else not_ok "Ganesha restarted with NFSv3"; fi
fatal_case wrong-path-v4 "root=nfs4:10.0.2.2:/no/such/export" "export not found" 4.2
grep -q 'reboot: Restarting system' "$log" && grep -qF 'export not found' "$log" && outcome="named ('export not found'), fatal path, reset" || outcome=FAILED
fault_line "wrong export path (NFSv4)" "$outcome" "$(fault_secs "$log" 'ghostboot .* starting' 'reboot: Restarting')"
fatal_case wrong-path-v3 "root=nfs:10.0.2.2:/no/such/export:port=2049,mountport=20048" "access denied by the server" 3

# 3. A client the export refuses (only 10.255.0.1 may mount; QEMU's NAT comes from 127.0.0.1).
nfs_stop
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT" --v3 --clients 10.255.0.1; then ok "Ganesha restarted for one other client"; else not_ok "Ganesha restarted for one other client"; fi
fatal_case refused-v4 "root=nfs4:10.0.2.2:$WORKER_EXPORT" "export not found (or not exported to this client)" 4.2
fatal_case refused-v3 "root=nfs:10.0.2.2:$WORKER_EXPORT:port=2049,mountport=20048" "access denied by the server (client not allowed" 3

# 4. An address where nothing answers: each mount(2) runs in a child killed at the deadline,
#    so the stage ends at ghost.root_timeout (4 s), not at the kernel's own RPC timeouts.
fatal_case silent-server "root=nfs4:10.0.2.99:/export" "server not answering" 4.2
ms=$(grep -aoE 'server not answering \([0-9]+ attempts in [0-9]+ ms' "$log" | grep -oE '[0-9]+ ms' | tr -dc 0-9)
check "silent-server: the root stage ended at its deadline (${ms:-?} ms for 4000)" bash -c "[ -n '$ms' ] && [ '$ms' -le 4600 ]"
nfs_stop
tap_done
