#!/bin/bash
# The root from DHCP end to end: dnsmasq on a bridge in this test's namespace sends a root-path
# (option 17) and a host name; the worker (QEMU on a tap in that bridge) boots with root=dhcp,
# and with no root= at all under an overlay, whose /etc/hostname then carries the DHCP name.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/dhcp.sh
. tests/lib/worker-root.sh
logs=build/test-logs/qemu
work=$(realpath -m build/test-root/dhcp-$$) # per run; absolute: dnsmasq changes directory
trap 'netns_cleanup; rm -rf "$work"' EXIT
mkdir -p "$work"
ns=$(netns_name rootdhcp)
dhcp_master "$ns" || exit 1
ip -n "$ns" tuntap add dev tap0 mode tap &&
	ip -n "$ns" link set tap0 master br0 &&
	ip -n "$ns" link set tap0 up || exit 1
QEMU_NETNS=$ns
mac=52:54:00:aa:00:07
QEMU_NET="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$mac"
exp=$(realpath -m "$work/root")
check "private copy of the worker root to export" worker_root_copy "$exp"
QEMU_INITRD=$work/initramfs.img
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$ns" "$exp"; then ok "Ganesha serves the root"; else not_ok "Ganesha serves the root"; fi
if dnsmasq_start "$ns" "$work" "--dhcp-option=17,10.77.0.1:$exp,vers=4.1" "--dhcp-host=$mac,worker-7"; then
	ok "dnsmasq sends a root-path and a host name"
else
	not_ok "dnsmasq sends a root-path and a host name"
fi

log=$logs/root-dhcp.console
rm -f "$exp/tmp/dhcp"
qemu_boot "$log" 150 "root=dhcp rw panic=-1 worker.write=/tmp/dhcp"
rc=$?
check "root=dhcp: QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "root=dhcp: the root came from the DHCP root-path" grep -q "ghostinit: root: NFSv4.1 10.77.0.1:$exp (from DHCP root-path)" "$log"
check "root=dhcp: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "root=dhcp: / is nfs4 4.1 from 10.77.0.1" grep -qE "WORKER-ROOT 10.77.0.1:$exp nfs4 rw,.*vers=4.1" "$log"
check "root=dhcp: the worker's file is in the export" grep -q 'written by worker' "$exp/tmp/dhcp"

log=$logs/root-dhcp-bare.console
qemu_boot "$log" 150 "ghost.overlay=tmpfs panic=-1"
rc=$?
check "no root=: QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "no root=: the DHCP root-path was used" grep -q "ghostinit: root: NFSv4.1 10.77.0.1:$exp (from DHCP root-path)" "$log"
check "no root=: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "no root=: the overlay's /etc/hostname is the DHCP name" grep -q 'WORKER-HOSTNAME worker-7' "$log"
check "no root=: the export has no hostname file" test ! -e "$exp/etc/hostname"
nfs_stop
tap_done
