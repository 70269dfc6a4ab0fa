#!/bin/bash
# Shutdown end to end: the Debian kernel in QEMU with an NFSv4 root at /oldroot served by
# NFS-Ganesha in the test's namespace; the guest (tests/qemu/shutdown-guest.sh) writes data
# without fsync and hands over to ghostinit as systemd-shutdown does (exec /shutdown VERB
# --options as PID 1). Proves: the data reaches the server (SHUTDOWN_CYCLES power-offs, 0 lost);
# QEMU exits through each reset method; with the server dead (frozen) the node still resets within
# ghost.shutdown_timeout and says what it could not unmount; `ghostinit shutdown VERB` from
# another init pivots by itself; the boot-link guardian undoes an ifdown; and the negative
# controls: the naive order (link down, then umount), and ifdown without the guardian, hang
# under the same harness.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/soak.sh

# Four cycles in make check (each ~15 s of a QEMU slot under TCG): the repetition that finds a
# rare loss is the soak's, which runs the same cycles 100 times (make soak).
CYCLES=${SHUTDOWN_CYCLES:-4}
BOOT_LIMIT=$SOAK_BOOT_LIMIT # a hard limit per VM; the bounds asserted below are much tighter
work=build/test-shutdown
logs=build/test-logs/qemu/shutdown
mkdir -p "$logs"
trap 'netns_cleanup; rm -rf "$SOAK_EXPORT"' EXIT
soak_setup shutdown "$work" || { not_ok "guest image, namespace and NFS-Ganesha set up"; exit 1; }
export_dir=$SOAK_EXPORT

# secs_since T0: seconds (2 decimals) from a `date +%s.%N` value to now.
secs_since() { echo "$(date +%s.%N) $1" | awk '{ printf "%.2f", $1 - $2 }'; }
boot() { soak_boot "$@"; }
shutdown_secs() { soak_shutdown_secs "$1"; }

# 1. Data written without fsync right before poweroff is complete on the server (the writer
#    still has its file open at the handover), every cycle, each within its bound.
soak_cycles "$CYCLES" "$logs"
check "$CYCLES power-offs, file written without fsync complete on the server every time ($SOAK_LOST lost)" [ "$SOAK_LOST" -eq 0 ]
check "$CYCLES power-offs, each over within ${SOAK_SHUTDOWN_LIMIT} s of its start ($SOAK_HANGS hangs)" [ "$SOAK_HANGS" -eq 0 ]
echo "# shutdown program start to power down (guest): $(soak_stats $SOAK_TIMES)"

# 2. Every reset method ends the VM (-no-reboot makes QEMU exit), and poweroff powers off.
for method in pci acpi kbd; do
	log=$logs/reset-$method.console
	boot "$log" reboot "ghost.reset=$method st.file=reset-$method"
	log_wait "$log" 'ghostinit: shutdown: .* within' "$BOOT_LIMIT"
	t0=$(date +%s.%N)
	qemu_wait 30
	rc=$?
	took=$(secs_since "$t0")
	check "reset $method: QEMU exited within 30 s of the shutdown start (status $rc, ${took} s host, $(shutdown_secs "$log") s guest)" \
		[ "$rc" -eq 0 ]
	check "reset $method: ghostinit used it and the kernel restarted" \
		grep -q "ghostinit: resetting ($method)" "$log"
	check "reset $method: the kernel restarted the machine" grep -q 'reboot: Restarting system' "$log"
done
log=$logs/data-1.console
check "poweroff: ghostinit powered off (not a reset)" bash -c "grep -q 'ghostinit: powering off' '$log' && ! grep -q 'Restarting system' '$log'"
check "the handover argv (systemd's spelling) gave no warning" bash -c "! grep -q 'shutdown: unknown\|shutdown: --' '$log'"
check "SIGTERM reached the process holding the root" grep -qE 'SIGTERM to [1-9][0-9]* processes, 0 left' "$log"
check "everything under /oldroot unmounted cleanly" grep -q 'shutdown: 2 unmounted, 0 detached, 0 hung, 0 left' "$log"

# 3. The NFS server dies before the shutdown, with data still unwritten: the node still resets
#    within ghost.shutdown_timeout and says what it could not unmount. The server is frozen
#    (SIGSTOP), which is how a crashed or unplugged server looks from the network: no answer.
#    (A killed process on a live host answers with RST instead, and the client gives up on its
#    own sooner or later depending on timing.)
log=$logs/server-gone.console
boot "$log" reboot "st.mode=serverdown st.file=before-kill ghost.shutdown_timeout=8"
if log_wait "$log" '^ST-READY' "$BOOT_LIMIT"; then
	kill -STOP "$NFS_PID"
	log_wait "$log" 'ghostinit: shutdown: .* within' 30
	t0=$(date +%s.%N)
	qemu_wait 60
	rc=$?
	took=$(secs_since "$t0")
	guest=$(shutdown_secs "$log")
	check "server gone: QEMU exited by itself (status $rc, ${took} s host after the shutdown start)" [ "$rc" -eq 0 ]
	check "server gone: reset within ghost.shutdown_timeout=8 (guest ${guest:-?} s)" \
		awk -v s="${guest:-99}" 'BEGIN { exit !(s <= 8.5) }'
	check "server gone: the sync was given up with data the server can no longer take" \
		grep -qE 'shutdown: sync given up .*; [1-9][0-9]* kB still dirty' "$log"
	check "server gone: says what it could not unmount" grep -qE 'not cleanly unmounted: .*/oldroot \(nfs4: ' "$log"
	check "server gone: the kernel restarted the machine" grep -q 'reboot: Restarting system' "$log"
	grep -q 'reboot: Restarting system' "$log" && outcome="reset, unmount failure named" || outcome="FAILED"
	fault_line="# fault: NFS server gone before shutdown | $outcome | ${guest:-?}"
else
	not_ok "server gone: the guest got ready ($log)"
	qemu_wait 1 >/dev/null
	fault_line="# fault: NFS server gone before shutdown | FAILED (guest never ready) | -"
fi
kill -CONT "$NFS_PID" 2>/dev/null
nfs_stop
nfs_start "$QEMU_NETNS" "$export_dir" || not_ok "NFS-Ganesha restarted"

# 4. Another init (BusyBox init, sysvinit, runit) on a real root: `ghostinit shutdown VERB` as
#    a child of PID 1, which pivots into /run/initramfs by itself (the real root then sits at
#    /oldroot with the NFS share at /oldroot/mnt/nfs).
log=$logs/otherinit.console
boot "$log" poweroff "st.mode=otherinit st.file=otherinit"
qemu_wait "$BOOT_LIMIT"
rc=$?
want=$(awk '/^ST-DATA / { print $2 }' "$log" | tr -d '\r')
got=$(md5sum <"$export_dir/otherinit" 2>/dev/null | cut -d' ' -f1)
check "other init: QEMU exited by itself (status $rc)" [ "$rc" -eq 0 ]
check "other init: ran from a switched real root" grep -q '^ST-STAGE2 pid=1' "$log"
check "other init: pivoted and took over with the real root at /oldroot" \
	grep -q 'ghostinit: shutdown: poweroff (reset pci) within 15000 ms; unmounting /oldroot' "$log"
check "other init: no fallback to the real root" bash -c "! grep -q 'cannot move into' '$log'"
check "other init: the NFS share was unmounted cleanly" bash -c "! grep -qE 'not cleanly unmounted: .*/oldroot/mnt/nfs ' '$log'"
check "other init: the data reached the server" [ -n "$want" -a "$want" = "$got" ]
check "other init: powered off" grep -q 'reboot: Power down' "$log"

# 5. The real root takes the boot interface down and flushes it (ifupdown's networking.service
#    stop, with no drop-in to stop it) before its last writes: the guardian puts it back, the
#    writes and the shutdown go through, and the data reaches the server. Without the guardian
#    the same guest hangs before it ever reaches the shutdown (the negative control).
log=$logs/ifdown-guardian.console
boot "$log" poweroff "st.mode=ifdown st.file=ifdown"
qemu_wait "$BOOT_LIMIT"
rc=$?
want=$(awk '/^ST-DATA / { print $2 }' "$log" | tr -d '\r')
got=$(md5sum <"$export_dir/ifdown" 2>/dev/null | cut -d' ' -f1)
check "guardian: QEMU exited by itself after the link was taken down (status $rc)" [ "$rc" -eq 0 ]
check "guardian: link and address were taken away" grep -q '^ST-IFDOWN' "$log"
check "guardian: it restored them and said so" grep -qE 'ghostinit: guardian: eth0 lost (link|address)' "$log"
check "guardian: the shutdown told it and spared it" grep -q 'shutdown: told the link guardian' "$log"
check "guardian: everything unmounted cleanly" grep -q 'shutdown: 2 unmounted, 0 detached, 0 hung, 0 left' "$log"
check "guardian: the data reached the server" [ -n "$want" -a "$want" = "$got" ]
check "guardian: powered off" grep -q 'reboot: Power down' "$log"
log=$logs/ifdown-noguard.console
boot "$log" poweroff "st.mode=ifdown-noguard st.file=ifdown-noguard"
if log_wait "$log" '^ST-IFDOWN' "$BOOT_LIMIT"; then
	qemu_wait 40
	rc=$?
	check "guardian negative control: without it the node hangs after ifdown (QEMU killed: status $rc)" [ "$rc" -eq 124 ]
	check "guardian negative control: it never reached the shutdown" bash -c "! grep -q 'ghostinit: shutdown:' '$log'"
else
	not_ok "guardian negative control: the guest reached ifdown ($log)"
	qemu_wait 1 >/dev/null
fi

# 5b. No guardian, the link down right at the handover: ghostinit's own look at the boot link
#     (from /run/ghostboot/net.env) brings it back before sync and unmount.
log=$logs/linkdown.console
boot "$log" poweroff "st.mode=linkdown st.file=linkdown"
qemu_wait "$BOOT_LIMIT"
rc=$?
want=$(awk '/^ST-DATA / { print $2 }' "$log" | tr -d '\r')
got=$(md5sum <"$export_dir/linkdown" 2>/dev/null | cut -d' ' -f1)
check "link check: QEMU exited by itself (status $rc)" [ "$rc" -eq 0 ]
check "link check: the link was down at the handover" grep -q '^ST-LINKDOWN' "$log"
check "link check: ghostinit brought it back before sync and unmount" \
	grep -q 'shutdown: eth0 was down; brought it back up before sync and unmount' "$log"
check "link check: everything unmounted cleanly" grep -q 'shutdown: 2 unmounted, 0 detached, 0 hung, 0 left' "$log"
check "link check: the data reached the server" [ -n "$want" -a "$want" = "$got" ]

# 6. Negative control: the naive order (link down, then umount) hangs under the same harness,
#    so the checks above do detect the bug they guard against.
log=$logs/naive.console
NAIVE_WAIT=40
boot "$log" poweroff "st.mode=naive st.file=naive"
if log_wait "$log" '^ST-NAIVE link down' "$BOOT_LIMIT"; then
	qemu_wait "$NAIVE_WAIT"
	rc=$?
	check "negative control: naive umount after link down still hung after ${NAIVE_WAIT} s (QEMU killed: status $rc)" \
		[ "$rc" -eq 124 ]
	check "negative control: the umount never returned" bash -c "! grep -q ST-NAIVE-RETURNED '$log'"
else
	not_ok "negative control: the guest reached the naive unmount ($log)"
	qemu_wait 1 >/dev/null
fi
echo "$fault_line" # one case of make faults (tests/faults/faults.mk)
tap_done
