#!/bin/bash
# The NFS server stalls after the root is mounted (NFS-Ganesha frozen with SIGSTOP, which is
# how a crashed or unplugged server looks from the network: no answer, hard mounts wait for
# ever): the root stage must take the fatal path within its bounds, never hang. The server is
# frozen the moment the worker reports a stage (tests/qemu/stall_on_report.py), so the stall
# falls exactly between two steps (the worker waits for the ack of that report, which never
# comes, while the server is frozen):
#   root-mounted: right after the mount: the overlay mount (its lower is the NFS root), or for a
#                 plain root the checks before switch_root
#   switch-root:  after the checks, just before the handover (the moved filesystems' mount
#                 points and the initramfs's deletion touch the new root)
# Each case, plain root and overlay: the fatal message in words, the reset after panic=1, no
# kernel panic, the real init never ran; the guest-clock seconds from the stalled step to the
# fatal line are the bound measured. WORKER_AGENT=PATH boots another ghostinit (the negative
# control: a build before the fix hangs, and QEMU is killed at STALL_LIMIT); STALL_CASES="NAME
# ..." runs only those cases.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/fault.sh
logs=build/test-logs/qemu
STALL_LIMIT=${STALL_LIMIT:-150}
worker_env rootstall --user
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
check "a private initramfs of ${WORKER_AGENT:-build/ghostinit}" worker_initramfs "$QEMU_INITRD"

# stall_case NAME STAGE-NUMBER FROM-REGEX APPEND EXPECTED-FATAL-TEXT WHEN (for the fault table)
stall_case() {
	local name=$1 stage=$2 from=$3 append=$4 want=$5 when=$6 rc start=$SECONDS listener secs reset
	local stall=$WORKER_DIR/stall-$name.log log=$logs/root-stalled-$name.console outcome=FAILED
	case " ${STALL_CASES:-$name} " in *" $name "*) ;; *) return ;; esac
	if ! nfs_start "$QEMU_NETNS" "$WORKER_EXPORT"; then
		not_ok "$name: Ganesha started"
		return
	fi
	ip netns exec "$QEMU_NETNS" python3 tests/qemu/stall_on_report.py "$NFS_PID" "$stage" >"$stall" 2>&1 &
	listener=$!
	track_pid "$listener"
	log_wait "$stall" listening 10
	# ghost.protocol=1: the listener speaks the report protocol v1 (no nonce), which is all
	# this test needs from it; v2 is tests/net/test_ghostwatch_replay.sh's and test_boot_link's.
	qemu_boot "$log" "$STALL_LIMIT" "root=nfs4:10.0.2.2:$WORKER_EXPORT $append panic=1 ghost.protocol=1"
	rc=$?
	check "$name: the server was frozen at the worker's report" grep -q '^stopped' "$stall"
	check "$name: QEMU ended by itself (status $rc, $((SECONDS - start)) s; 124: killed at ${STALL_LIMIT} s)" [ "$rc" -eq 0 ]
	check "$name: the fatal path says '$want'" grep -qF "$want" "$log"
	check "$name: the master got the fatal report, the same words ($(sed -n 's/^fatal report: //p' "$stall" | head -n1))" \
		grep -qF "fatal report: $want" "$stall"
	check "$name: the machine was reset" grep -q 'reboot: Restarting system' "$log"
	check "$name: no kernel panic" bash -c "! grep -q 'Kernel panic' '$log'"
	check "$name: the real init never ran" bash -c "! grep -q WORKER-INIT-REACHED '$log'"
	secs=$(fault_secs "$log" "$from" 'ghostinit: fatal: ')
	reset=$(fault_secs "$log" "$from" 'reboot: Restarting system')
	echo "# $name: stalled step to the fatal line ${secs:-?} s, to the reset ${reset:-?} s (guest clock)"
	grep -qF "$want" "$log" && grep -q 'reboot: Restarting system' "$log" && outcome="fatal path in words, reset"
	fault_line "NFS server stalled $when" "$outcome" "${secs:--}"
	kill -CONT "$NFS_PID" 2>/dev/null
	nfs_stop
	kill "$listener" 2>/dev/null
	wait "$listener" 2>/dev/null
}

overlay="ro ghost.overlay=tmpfs"
stall_case overlay-mount 4 'root: mounted' "$overlay" \
	"root: overlay mount: no answer from the server in 10 s" "right after the mount (overlay root)"
stall_case plain-check 4 'root: mounted' "rw" \
	'root: init check: no answer from the server in 10 s' "right after the mount (plain root)"
stall_case overlay-handover 6 'root: switching to' "$overlay" \
	'root: switch_root: no answer from the server in 10 s' "before the handover (overlay root)"
stall_case plain-handover 6 'root: switching to' "rw" \
	'root: switch_root: no answer from the server in 10 s' "before the handover (plain root)"
tap_done
