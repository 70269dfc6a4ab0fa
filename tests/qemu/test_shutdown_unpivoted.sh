#!/bin/bash
# /shutdown run as PID 1 without the pivot: a hand-written init on a real root execs
# `/run/initramfs/shutdown poweroff` itself (not through systemd-shutdown, which pivots first).
# Before, ghostinit stood in the real root with nothing at /oldroot, unmounted nothing and
# reported "0 unmounted … in 0 passes", a clean end that did not happen. Now it sees where it
# stands and moves into /run/initramfs itself, then unmounts the real root's NFS share (at
# /oldroot/mnt/nfs) cleanly. The guest is tests/qemu/shutdown-guest.sh, st.mode=selfexec (an
# NFSv4 share from NFS-Ganesha in the test's namespace, written without fsync).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/soak.sh

work=build/test-shutdown-unpivoted
logs=build/test-logs/qemu/shutdown-unpivoted
mkdir -p "$logs"
trap 'netns_cleanup; rm -rf "$SOAK_EXPORT"' EXIT
soak_setup unpiv "$work" || { not_ok "guest image, namespace and NFS-Ganesha set up"; exit 1; }

log=$logs/selfexec.console
soak_boot "$log" poweroff "st.mode=selfexec st.file=selfexec"
qemu_wait "$SOAK_BOOT_LIMIT"
rc=$?
want=$(awk '/^ST-DATA / { print $2 }' "$log" | tr -d '\r')
got=$(md5sum <"$SOAK_EXPORT/selfexec" 2>/dev/null | cut -d' ' -f1)
check "QEMU exited by itself (status $rc)" [ "$rc" -eq 0 ]
check "PID 1 ran from a switched real root" grep -q '^ST-STAGE2 pid=1' "$log"
check "ghostinit saw nobody had pivoted, and said so" \
	grep -q 'ghostinit: shutdown: PID 1 in the real root, nothing at /oldroot: moving into /run/initramfs myself' "$log"
check "it moved in and took over with the real root at /oldroot" \
	bash -c "grep -q 'ghostinit: shutdown: poweroff (reset pci) within 15000 ms; unmounting /oldroot' '$log' && ! grep -q 'cannot move into' '$log'"
check "it unmounted something (not '0 unmounted … in 0 passes')" grep -qE 'shutdown: [1-9][0-9]* unmounted, [0-9]+ detached, 0 hung' "$log"
check "the NFS share was unmounted cleanly" bash -c "! grep -q 'not cleanly unmounted: .*/oldroot/mnt/nfs ' '$log'"
check "the data reached the server" [ -n "$want" -a "$want" = "$got" ]
check "powered off" grep -q 'reboot: Power down' "$log"
nfs_stop
echo "# fault: /shutdown exec'd as PID 1 without the pivot | $(grep -q 'moving into /run/initramfs myself' "$log" && grep -qE 'shutdown: [1-9][0-9]* unmounted' "$log" && echo "pivoted itself, share unmounted" || echo FAILED) | $(soak_shutdown_secs "$log")"
tap_done
