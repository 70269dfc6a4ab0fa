#!/bin/bash
# The watchdog armed when shutdown begins ends even a frozen shutdown in a reset. Two BusyBox
# workers boot from the same NFSv4 root through ghostinit with an i6300esb watchdog (QEMU's
# action: reset; with -no-reboot QEMU then exits). Both load the driver, then "begin shutdown"
# and freeze forever (no ghostinit shutdown ever runs). The first begins shutdown as systemd
# would: it runs the ExecStop= of the ghostboot-watchdog.service ghostinit left in /run (with
# the test's short timeout instead of systemd's budget): the guardian arms the watchdog and the
# VM is reset within the timeout. The second (negative control) skips that command: it is still
# hung well past the same bound.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
logs=build/test-logs/qemu
worker_env watchdog
WD_TIMEOUT=10 # seconds armed; the bound below adds room for a loaded host
WD_BOUND=30
rel=$(cat build/kernel/release)

# The worker's init: driver, then shutdown begins (or not), then the freeze.
freezing_init() {
	cat <<EOS
#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc; mount -t sysfs sysfs /sys
insmod /wd/watchdog.ko && insmod /wd/i6300esb.ko
echo "WD-DEVICE \$(ls /dev/watchdog 2>&1)"
case " \$(cat /proc/cmdline) " in
*" wd.arm "*)
	cmd=\$(sed -n 's/^ExecStop=//p' /run/systemd/system/ghostboot-watchdog.service)
	echo "WD-UNIT-STOP \$cmd"
	\${cmd% *} $WD_TIMEOUT ;;
esac
echo "WD-FROZEN"
while :; do sleep 1000; done
EOS
}

check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
freezing_init >"$WORKER_EXPORT/sbin/init"
mkdir -p "$WORKER_EXPORT/wd"
check "the watchdog driver copied into the root" cp build/kernel/lib/modules/"$rel"/kernel/drivers/watchdog/{watchdog,i6300esb}.ko "$WORKER_EXPORT/wd/"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT" --ro; then ok "Ganesha exports the root"; else not_ok "Ganesha exports the root"; fi

# Both VMs side by side: the same host load for the VM that must reset and the one that must not.
append="root=nfs:10.0.2.2:$WORKER_EXPORT:vers=4.2 ro panic=-1"
armed_log=$logs/watchdog-armed.console
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:07:01"
qemu_start "$armed_log" "$append wd.arm" -device i6300esb
armed_pid=$QEMU_PID
hung_log=$logs/watchdog-unarmed.console
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:07:02"
qemu_start "$hung_log" "$append" -device i6300esb
hung_pid=$QEMU_PID

check "the armed worker froze after shutdown began" log_wait "$armed_log" 'WD-FROZEN' 200
t_frozen=$(now_cs)
check "the unarmed worker froze too" log_wait "$hung_log" 'WD-FROZEN' 200
t_hung=$(now_cs)
check "the i6300esb driver gave the worker /dev/watchdog" grep -q "WD-DEVICE /dev/watchdog" "$armed_log"
check "the worker ran the unit's ExecStop (guardian --arm)" grep -q 'WD-UNIT-STOP /run/initramfs/shutdown guardian --arm [0-9]*' "$armed_log"
check "the guardian armed the watchdog" grep -q "guardian: shutdown begins; watchdog armed, resets in $WD_TIMEOUT s" "$armed_log"

QEMU_PID=$armed_pid
qemu_wait "$WD_BOUND"
rc=$?
took=$(echo "$(now_cs) $t_frozen" | awk '{ printf "%.1f", $1 - $2 }')
check "the armed VM was reset within ${WD_BOUND}s of the freeze (status $rc, ${took}s)" [ "$rc" -ne 124 ]
check "by the watchdog, not by a reboot or power off of its own" \
	bash -c "! grep -qE 'reboot: (Restarting system|Power down)' '$armed_log'"

# The control: the same bound counted from its own freeze; it must still be running.
left=$(echo "$t_hung $WD_BOUND" | awk '{ printf "%d", $1 + $2 + 1 }')
while [ "$(date +%s)" -lt "$left" ] && kill -0 "$hung_pid" 2>/dev/null; do sleep 1; done
check "without the arming the VM is still hung ${WD_BOUND}s after its freeze" kill -0 "$hung_pid"
check "and its guardian never armed anything" bash -c "! grep -q 'watchdog armed' '$hung_log'"
QEMU_PID=$hung_pid
qemu_wait 0
nfs_stop
tap_done
