#!/bin/bash
# `make run`: one diskless worker, end to end, on this machine. In a network namespace made for
# it: NFS-Ganesha exports a small BusyBox worker root read-only, ghostwatch listens for reports;
# QEMU boots the Debian kernel with build/initramfs.img, ghostinit gets a lease from QEMU's
# user network (the namespace's loopback is the worker's 10.0.2.2), mounts the root under a
# tmpfs overlay, switches to the worker's init, which powers off. The console is shown live,
# then what ghostwatch saw. Everything is torn down at the end (or on Ctrl-C).
set -u
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/worker-root.sh
GW=build/ghostwatch
. tests/lib/ghostwatch.sh

timeout=${RUN_TIMEOUT:-240}
run=build/run
ns=$(netns_name run)
netns_add "$ns"
QEMU_NETNS=$ns
trap 'netns_cleanup; rm -rf "$run/root"' EXIT
mkdir -p "$run/gw"
export_dir=$(realpath -m "$run/root")
key=$run/cluster.key
log=$run/worker.console

say() { printf '\033[1mrun:\033[0m %s\n' "$*"; }
say "preparing: a BusyBox worker root, NFS-Ganesha and ghostwatch in namespace $ns"
worker_root_copy "$export_dir" || { say "cannot build the worker root"; exit 1; }
gw_key "$key"
QEMU_INITRD=$run/initramfs.img
worker_initramfs "$QEMU_INITRD" --file "$key:/etc/ghostboot/cluster.key" || exit 1
nfs_start "$ns" "$export_dir" --ro || { say "NFS-Ganesha did not start (build/nfs/$ns/)"; exit 1; }
gw_start "$ns" "$run/gw" --key "$key" || { say "ghostwatch did not start ($run/gw/serve.log)"; exit 1; }

append=${RUN_APPEND:-"root=nfs:10.0.2.2:$export_dir:vers=4.2 ghost.overlay=tmpfs ghost.key=/etc/ghostboot/cluster.key panic=5 worker.write=/var/tmp/hello worker.sleep=2"}
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:00:01"
say "booting the worker (QEMU without KVM: about 10 s to its init); console in $log"
say "kernel command line: console=ttyS0 $append"
qemu_start "$log" "$append"
tail -n +1 -f "$log" --pid="$QEMU_PID" &
tailer=$!
qemu_wait "$timeout"
rc=$?
sleep 0.3
kill "$tailer" 2>/dev/null
wait "$tailer" 2>/dev/null
echo
if [ "$rc" -eq 124 ]; then
	say "the worker did not finish within ${timeout}s; stopped it"
else
	say "the worker is down and QEMU exited"
fi
sleep 1
say "what the master saw (ghostwatch status):"
ip netns exec "$ns" "$GW" status --once --state-dir "$run/gw/state"
[ "$rc" -ne 124 ]
