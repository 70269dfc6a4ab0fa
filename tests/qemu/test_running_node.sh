#!/bin/bash
# A running node survives what is not its end: ghostinit boots a BusyBox worker from an NFSv4
# root with the heartbeat daemon (ghost.heartbeat=2, no panic= on the command line). The
# worker's init then
#   1. sends the heartbeat daemon SIGSEGV (what a crash, or an admin's kill for a core dump,
#      looks like): the daemon dies as any process does and the node keeps running. Before the
#      fix the daemon still had PID 1's reset-on-crash handler: `reboot: Restarting system`.
#   2. crashes the kernel (sysrq c): ghostinit set /proc/sys/kernel/panic at boot (the
#      command line left it 0), so the panic resets the node after 10 s instead of hanging
#      for good.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/worker-root.sh
logs=build/test-logs/qemu
ns=$(netns_name running)
netns_add "$ns"
QEMU_NETNS=$ns
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0"
work=build/test-root/running-$$
trap 'netns_cleanup; rm -rf "$work"' EXIT
exp=$(realpath -m "$work/root")
PANIC_BOUND=30 # seconds from the panic to QEMU's exit (10 s set, the rest for a loaded host)

running_init() {
	cat <<'EOS'
#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc
echo "RN-PANIC $(cat /proc/sys/kernel/panic)"
hb=
for p in /proc/[0-9]*; do
	case "$(tr "\0" " " <"$p/cmdline" 2>/dev/null)" in "@init "*) hb=${p#/proc/} ;; esac
done
echo "RN-HEARTBEAT pid=$hb"
if [ -n "$hb" ]; then
	kill -SEGV "$hb"
	sleep 5
	if grep -q '^State:.*Z' "/proc/$hb/status" 2>/dev/null || [ ! -e "/proc/$hb" ]; then
		echo "RN-HEARTBEAT-DIED"
	fi
fi
echo "RN-ALIVE after the daemon's crash"
echo c >/proc/sysrq-trigger
sleep 1000
EOS
}

check "private copy of the worker root to export" worker_root_copy "$exp"
running_init >"$exp/sbin/init"
QEMU_INITRD=$work/initramfs.img
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$ns" "$exp" --ro; then ok "Ganesha exports the root"; else not_ok "Ganesha exports the root"; fi

log=$logs/running-node.console
qemu_start "$log" "root=nfs:10.0.2.2:$exp:vers=4.2 ro ghost.heartbeat=2"
check "the worker's init found the heartbeat daemon" log_wait "$log" 'RN-HEARTBEAT pid=[0-9]+' 200
check "ghostinit set the kernel's panic timeout at boot" grep -q 'ghostinit: kernel panic timeout: 10 s' "$log"
check "the real system sees it (/proc/sys/kernel/panic = 10)" grep -q 'RN-PANIC 10' "$log"
if log_wait "$log" 'RN-ALIVE|reboot: Restarting system' 30; then
	check "SIGSEGV to the heartbeat daemon: the node kept running" grep -q 'RN-ALIVE' "$log"
	check "... the daemon died of it" grep -q 'RN-HEARTBEAT-DIED' "$log"
	check "... and did not reset the machine" bash -c "! grep -qE 'ghostinit: crashed, resetting|reboot: Restarting system' '$log'"
else
	not_ok "SIGSEGV to the heartbeat daemon: the node kept running ($log)"
fi
if log_wait "$log" 'Kernel panic' 30; then
	t0=$(now_cs)
	qemu_wait "$PANIC_BOUND"
	rc=$?
	took=$(echo "$(now_cs) $t0" | awk '{ printf "%.1f", $1 - $2 }')
	check "a kernel panic resets the node by itself (status $rc, ${took} s host)" [ "$rc" -eq 0 ]
	check "... after the 10 s ghostinit set" grep -q 'Rebooting in 10 seconds' "$log"
else
	not_ok "the kernel panicked on sysrq c ($log)"
	took=-
fi
echo "# fault: heartbeat daemon killed by SIGSEGV on a running node | $(grep -q RN-ALIVE "$log" && ! grep -q 'reboot: Restarting' "$log" && echo "daemon died, node kept running" || echo FAILED) | -"
echo "# fault: kernel panic of the real system (no panic= given) | $(grep -q 'Rebooting in 10 seconds' "$log" && echo "reset after the 10 s ghostinit set" || echo FAILED) | ${took:-?}"
qemu_wait 1 >/dev/null
nfs_stop
tap_done
