#!/bin/bash
# heavy: one Debian boot with systemd under TCG, 4–8 minutes
# systemd's shutdown through ghostinit on a real Debian root: a private read-write copy of the
# cached Debian root (tests/lib/debian-root.sh) exported over NFSv4, booted by ghostinit
# without overlay. A oneshot unit writes 8 MiB of random bytes into the NFS root without fsync,
# prints their checksum, then runs `systemctl <verb>`. The test checks that the watchdog unit
# ghostinit left in /run asked the guardian to arm first thing in shutdown, that systemd handed
# over to /run/initramfs/shutdown (ghostinit's shutdown lines, nothing hung), that QEMU exited
# within a bound, and that the file is complete on the server.
#
# One Debian boot takes 2-3 min under TCG: make check boots once, with `reboot` (the verb
# diskless nodes use most; QEMU's -no-reboot ends it). Both verbs, one boot each:
#   SHUTDOWN_SYSTEMD_VERBS="poweroff reboot" tests/qemu/test_shutdown_systemd.sh
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/debian-root.sh
logs=build/test-logs/qemu
verbs=${SHUTDOWN_SYSTEMD_VERBS:-reboot}
BOOT_BOUND=600 # seconds from QEMU start to exit, shutdown included (372 s measured with 3 TCG guests on 2 cores)
worker_env sdshut --user
QEMU_MEM=256

# The test's unit in the private root: replaces the cached root's power-off-when-reached one.
write_and_stop_unit() {
	cat <<'UNIT'
[Unit]
Description=ghostboot test: write a file without fsync, then shut down with the verb asked
After=multi-user.target

[Service]
Type=oneshot
StandardOutput=tty
TTYPath=/dev/console
ExecStart=/bin/sh -c 'verb=$(sed -n "s/.*sdtest.verb=\\([a-z]*\\).*/\\1/p" /proc/cmdline); \
 f=/var/tmp/unsynced-$verb; head -c 8388608 /dev/urandom >$f; \
 echo "SD-WROTE $f $(sha256sum <$f | cut -c1-64)"; \
 echo "SD-WATCHDOG-UNIT $(systemctl is-active ghostboot-watchdog.service)"; \
 systemctl --no-block $verb'
UNIT
}

if ! debian_root_prepare; then
	not_ok "Debian root prepared with debootstrap (see $DEBIAN_ROOT.log)"
	exit 1
fi
root=$WORKER_EXPORT
check "a private read-write copy of the Debian root" debian_root_copy "$DEBIAN_ROOT" "$root"
write_and_stop_unit >"$root/etc/systemd/system/ghostboot-sdtest.service"
ln -s ../ghostboot-sdtest.service "$root/etc/systemd/system/multi-user.target.wants/ghostboot-sdtest.service"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$QEMU_NETNS" "$root"; then ok "Ganesha exports the Debian root read-write"; else not_ok "Ganesha exports the Debian root"; fi

for verb in $verbs; do
	log=$logs/shutdown-systemd-$verb.console
	start=$SECONDS
	qemu_boot "$log" "$BOOT_BOUND" "root=nfs4:10.0.2.2:$root rw panic=-1 sdtest.verb=$verb"
	rc=$?
	took=$((SECONDS - start))
	check "$verb: QEMU exited by itself within ${BOOT_BOUND}s (status $rc, ${took}s)" [ "$rc" -ne 124 ]
	check "$verb: the unit wrote its file under systemd" grep -q "SD-WROTE /var/tmp/unsynced-$verb " "$log"
	check "$verb: the watchdog unit was active" grep -q 'SD-WATCHDOG-UNIT active' "$log"
	check "$verb: its stop asked the guardian to arm the watchdog" \
		grep -qE 'ghostinit: guardian: shutdown begins; (watchdog armed|no watchdog to arm)' "$log"
	check "$verb: systemd handed over to /run/initramfs/shutdown" grep -qE 'ghostinit: shutdown: [a-z]+ \(reset' "$log"
	# The arm request came from the unit, before ghostinit's shutdown ran (the first line).
	first_arm=$(grep -n 'guardian: shutdown begins' "$log" | head -1 | cut -d: -f1)
	handover=$(grep -nE 'ghostinit: shutdown: [a-z]+ \(reset' "$log" | head -1 | cut -d: -f1)
	check "$verb: armed when systemd's shutdown began, before the handover" [ "${first_arm:-999999}" -lt "${handover:-0}" ]
	check "$verb: ghostinit's sequence ended with nothing hung or left" \
		grep -qE 'ghostinit: shutdown: [1-9][0-9]* unmounted, [0-9]+ detached, 0 hung, 0 left' "$log"
	case $verb in
	reboot) check "$verb: the machine reset" grep -q 'reboot: Restarting system' "$log" ;;
	poweroff) check "$verb: the machine powered off" grep -q 'reboot: Power down' "$log" ;;
	esac
	want=$(grep -a "SD-WROTE /var/tmp/unsynced-$verb " "$log" | head -1 | awk '{ print $3 }' | tr -d '\r')
	got=$(sha256sum <"$root/var/tmp/unsynced-$verb" 2>/dev/null | cut -c1-64)
	check "$verb: the unsynced 8 MiB are complete on the server ($(stat -c %s "$root/var/tmp/unsynced-$verb" 2>/dev/null) bytes)" \
		[ -n "$want" -a "$want" = "$got" ]
done
nfs_stop
tap_done
