#!/bin/bash
# `make run`: boots one diskless worker in QEMU (the Debian kernel and build/initramfs.img)
# inside a network namespace made for it, shows its console as it boots, and tears everything
# down when the worker resets or after RUN_TIMEOUT seconds. The worker's network is QEMU's user
# networking: the namespace's loopback is the worker's 10.0.2.2.
set -u
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh

timeout=${RUN_TIMEOUT:-180}
append=${RUN_APPEND:-"ip=dhcp panic=5"}
log=build/run/worker.console
QEMU_NETNS=$(netns_name run)
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:01"
netns_add "$QEMU_NETNS"
mkdir -p build/run
echo "run: booting one worker (QEMU, no KVM: ~5-10 s to ghostinit); console: $log"
echo "run: kernel command line: console=ttyS0 $append"
qemu_start "$log" "$append"
tail -n +1 -f "$log" --pid="$QEMU_PID" &
tailer=$!
qemu_wait "$timeout"
rc=$?
sleep 0.3
kill "$tailer" 2>/dev/null
wait "$tailer" 2>/dev/null
if [ "$rc" -eq 124 ]; then
	echo "run: the worker did not reset within ${timeout}s; stopped it"
	exit 1
fi
echo "run: the worker reset and QEMU exited; its console is in $log"
