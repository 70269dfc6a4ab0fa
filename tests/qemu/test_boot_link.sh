#!/bin/bash
# The boot link guarded through a real boot: ghostinit boots a BusyBox worker from a read-write
# NFSv4 root; before switch_root it leaves the network-manager drop-ins and the resident
# guardian. The worker's init then does what ifupdown's networking.service does at shutdown
# (flushes the boot interface and takes it down) and writes to its NFS root: the guardian puts
# the link back, the write reaches the server, and ghostinit's shutdown powers off cleanly.
# (The negative control, the same flush without a guardian hanging the node, is in
# tests/qemu/test_shutdown.sh.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/worker-root.sh
logs=build/test-logs/qemu
ns=$(netns_name bootlink)
netns_add "$ns"
QEMU_NETNS=$ns
work=build/test-root/bootlink-$$
trap 'netns_cleanup; rm -rf "$work"' EXIT
exp=$(realpath -m "$work/root")
check "private copy of the worker root to export" worker_root_copy "$exp"
QEMU_INITRD=$work/initramfs.img
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$ns" "$exp"; then ok "Ganesha exports the root read-write"; else not_ok "Ganesha exports the root read-write"; fi

log=$logs/boot-link.console
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:05:01"
qemu_boot "$log" 240 "root=nfs:10.0.2.2:$exp:vers=4.2 rw panic=-1 worker.ps worker.list=/run/systemd/network \
worker.flush=eth0 worker.write=/var/tmp/after-flush worker.end=ghostinit"
rc=$?
check "QEMU exited by itself (status $rc)" [ "$rc" -ne 124 ]
check "ghostinit left the guardian before switch_root" grep -q 'ghostinit: boot link: eth0 guarded (pid [0-9]*)' "$log"
check "the guardian runs under the real init as @ghostinit-guardian" grep -qE 'WORKER-PS .*@ghostinit-guardian --iface eth0' "$log"
check "the networkd drop-in is in /run" grep -qE 'WORKER-LS /run/systemd/network: .*00-ghostboot-boot.network' "$log"
check "the worker flushed and downed its boot link" grep -q 'WORKER-FLUSHED eth0' "$log"
check "the guardian restored it" grep -qE 'ghostinit: guardian: eth0 lost .*restored' "$log"
check "the worker's write after the flush went through" grep -q 'WORKER-WROTE /var/tmp/after-flush' "$log"
check "and reached the server" grep -q 'written by worker' "$exp/var/tmp/after-flush"
check "ghostinit's shutdown ran with nothing hung" grep -qE 'shutdown: [1-9][0-9]* unmounted, [0-9]+ detached, 0 hung, 0 left' "$log"
check "the machine powered off" grep -q 'reboot: Power down' "$log"
nfs_stop
tap_done
