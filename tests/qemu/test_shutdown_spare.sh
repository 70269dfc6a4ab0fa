#!/bin/bash
# The kill round spares '@' processes only when they are root's, as systemd does: otherwise
# any user could keep a process alive to the end (and the NFS root busy) by naming it '@…'.
# The guest (tests/qemu/shutdown-guest.sh, st.mode=atspare: an NFSv4 root at /oldroot from
# NFS-Ganesha in the test's namespace) starts two '@' processes, root's in / and a user's
# (uid 1000) working in the NFS root, then hands over to ghostinit as systemd does. Root's is
# spared and named; the user's is signalled, so the NFS root unmounts cleanly. (Before the
# fix the user's was spared too, and the root stayed busy: it was detached.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/soak.sh

work=build/test-shutdown-spare
logs=build/test-logs/qemu/shutdown-spare
mkdir -p "$logs"
trap 'netns_cleanup; rm -rf "$SOAK_EXPORT"' EXIT
soak_setup spare "$work" || { not_ok "guest image, namespace and NFS-Ganesha set up"; exit 1; }

log=$logs/atspare.console
soak_boot "$log" poweroff "st.mode=atspare st.file=atspare"
qemu_wait "$SOAK_BOOT_LIMIT"
rc=$?
root_pid=$(sed -n 's/^ST-AT pid=\([0-9]*\) uid=0 argv=@rootd .*/\1/p' "$log" | tr -d '\r')
user_pid=$(sed -n 's/^ST-AT pid=\([0-9]*\) uid=1000 argv=@userd .*/\1/p' "$log" | tr -d '\r')
check "QEMU exited by itself (status $rc)" [ "$rc" -eq 0 ]
check "root's '@rootd' and uid 1000's '@userd' ran at the handover (pids ${root_pid:-?}, ${user_pid:-?})" \
	[ -n "$root_pid" -a -n "$user_pid" ]
check "root's '@' process spared, and said so" grep -q "ghostinit: shutdown: sparing pid $root_pid (root's" "$log"
check "the user's '@' process not spared" bash -c "! grep -q 'sparing pid ${user_pid:-x} ' '$log'"
check "so the NFS root it worked in unmounted cleanly" grep -q 'shutdown: 2 unmounted, 0 detached, 0 hung, 0 left' "$log"
check "and the machine powered off" grep -q 'reboot: Power down' "$log"
nfs_stop
echo "# fault: a user's process named '@…' at shutdown | $(grep -q 'shutdown: 2 unmounted, 0 detached, 0 hung, 0 left' "$log" && echo "signalled, NFS root unmounted cleanly" || echo FAILED) | $(soak_shutdown_secs "$log")"
tap_done
