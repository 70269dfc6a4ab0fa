#!/bin/bash
# A worker whose kernel cannot power off (no ACPI: the office PCs this project started from) is
# told to power off. The kernel would turn that power-off into a halt ("reboot: System halted",
# the machine on for good): ghostinit sees it coming and resets instead, and says so. The
# guest is tests/qemu/shutdown-guest.sh (an NFSv4 root at /oldroot served by NFS-Ganesha in
# the test's namespace, data written without fsync), with an i6300esb watchdog and its driver.
# Cases: a PC without ACPI tables (QEMU's pc,acpi=off), through systemd's handover (/shutdown
# poweroff as PID 1) and through another init (`ghostinit shutdown poweroff`, which pivots);
# q35 with acpi=off on the kernel command line; and halt on the PC without ACPI with the
# boot-link guardian running, which stays a halt (the admin asked for it) although the guardian
# armed the watchdog when the shutdown began. Prints the request → reset times (guest clock, from the
# handover mark to the kernel's restart line).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/soak.sh

BOOT_LIMIT=$SOAK_BOOT_LIMIT
HALT_WAIT=40 # seconds a halted machine must still be there (longer than the guardian's 25 s watchdog)
work=build/test-poweroff-impossible
logs=build/test-logs/qemu/poweroff-impossible
mkdir -p "$logs"
trap 'netns_cleanup; rm -rf "$SOAK_EXPORT"' EXIT
soak_setup poffimp "$work" || { not_ok "guest image, namespace and NFS-Ganesha set up"; exit 1; }
export_dir=$SOAK_EXPORT
# The same image with the watchdog's driver: the shutdown arms it under its final action.
busybox=()
grep -q -- '--busybox PATH' initramfs/mkimage.sh && busybox=(--busybox /bin/busybox)
check "an image with the i6300esb watchdog driver" initramfs/mkimage.sh --output "$work/initramfs-wd.img" \
	--agent "$SOAK_AGENT" "${busybox[@]}" --file tests/qemu/shutdown-guest.sh:/shutdown-guest \
	--add-module watchdog --add-module i6300esb
QEMU_INITRD=$work/initramfs-wd.img

# request_to_reset LOG: guest seconds from the handover mark to the kernel's last line.
request_to_reset() {
	awk -F'[][]' '/ST-HANDOVER/ && a == "" { a = $2 } /reboot: / { b = $2 }
		END { if (a != "" && b != "") printf "%.2f", b - a }' "$1"
}
TIMES=""

# poweroff_case NAME MACHINE MODE WHY [CMDLINE]: a power-off that cannot be becomes a reset.
poweroff_case() {
	local name=$1 machine=$2 mode=$3 why=$4 extra=${5:-} log rc want got took
	log=$logs/$name.console
	QEMU_MACHINE=$machine soak_boot "$log" poweroff "st.mode=$mode st.file=$name $extra" -device i6300esb
	qemu_wait "$BOOT_LIMIT"
	rc=$?
	took=$(request_to_reset "$log")
	[ -n "$took" ] && TIMES="$TIMES $took"
	want=$(awk '/^ST-DATA / { print $2 }' "$log" | tr -d '\r')
	got=$(md5sum <"$export_dir/$name" 2>/dev/null | cut -d' ' -f1)
	check "$name: QEMU exited by itself (status $rc; request → reset ${took:-?} s guest)" [ "$rc" -eq 0 ]
	check "$name: ghostinit said why on the console" \
		grep -q "ghostinit: shutdown: poweroff impossible here ($why): reset instead" "$log"
	check "$name: ... as its last line before the reset" bash -c \
		"grep 'ghostinit: ' '$log' | grep -v 'watchdog\|resetting (' | tail -1 | grep -q 'poweroff impossible here ($why): reset instead'"
	check "$name: the kernel restarted the machine (not 'System halted')" \
		bash -c "grep -q 'reboot: Restarting system' '$log' && ! grep -q 'reboot: System halted' '$log'"
	check "$name: the watchdog was armed under the reset" grep -qE 'ghostinit: watchdog (armed \([0-9]+ s\)|held).* under the reboot' "$log"
	# (Under another init, its own /dev and /run stay busy and are detached: not our case.)
	check "$name: the NFS share unmounted cleanly, nothing hung" bash -c "grep -qE 'shutdown: [1-9] unmounted, [0-9]+ detached, 0 hung, 0 left' '$log' && ! grep -q 'not cleanly unmounted: .*(nfs4' '$log'"
	check "$name: the data reached the server" [ -n "$want" -a "$want" = "$got" ]
}

# 1. A PC without ACPI tables, systemd's way: /shutdown poweroff as PID 1 after the pivot.
poweroff_case noacpi-systemd "pc,acpi=off" good "no ACPI"
# 2. The same PC, another init: `ghostinit shutdown poweroff` as a child of PID 1 (pivots itself).
poweroff_case noacpi-otherinit "pc,acpi=off" otherinit "no ACPI"
check "noacpi-otherinit: pivoted (unmounting /oldroot)" \
	grep -q 'ghostinit: shutdown: reboot (reset pci) within 15000 ms; unmounting /oldroot' "$logs/noacpi-otherinit.console"
# 3. ACPI in the machine, switched off on the kernel command line.
poweroff_case acpioff-cmdline q35 good "acpi=off" "acpi=off"

# 4. halt on the PC without ACPI stays a halt, even with the boot-link guardian running: it
#    arms the watchdog (25 s) when the shutdown begins, and the halt has it disarmed. The
#    watchdog core is loaded with stop_on_reboot=0: otherwise the kernel itself stops
#    i6300esb at reboot(2) and the case would prove nothing.
log=$logs/noacpi-halt.console
QEMU_MACHINE="pc,acpi=off" soak_boot "$log" halt "st.mode=guardhalt st.file=noacpi-halt st.wdparam=stop_on_reboot=0" -device i6300esb
if log_wait "$log" 'reboot: System halted' "$BOOT_LIMIT"; then
	ok "halt: the kernel halted the machine"
	check "halt: the guardian had armed the watchdog when the shutdown began" \
		grep -q 'ghostinit: guardian: shutdown begins; watchdog armed' "$log"
	check "halt: ... and disarmed it for the halt" grep -q 'ghostinit: guardian: the machine halts; watchdog disarmed' "$log"
	check "halt: ghostinit said so" grep -q 'ghostinit: watchdog disarmed: the machine stays halted' "$log"
	qemu_wait "$HALT_WAIT"
	rc=$?
	check "halt: still there ${HALT_WAIT} s later, past the watchdog's 25 s (QEMU killed: status $rc)" [ "$rc" -eq 124 ]
	check "halt: no reset" bash -c "! grep -qE 'Restarting system' '$log'"
else
	not_ok "halt: the kernel halted the machine ($log)"
	qemu_wait 1 >/dev/null
fi
nfs_stop
echo "# poweroff impossible, request → reset (guest s): $(soak_stats $TIMES)"
echo "# fault: poweroff without ACPI | $(grep -q 'reboot: Restarting system' "$logs/noacpi-systemd.console" && echo "reset instead, said why" || echo FAILED) | $(request_to_reset "$logs/noacpi-systemd.console")"
tap_done
