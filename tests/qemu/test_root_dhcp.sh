#!/bin/bash
# The root from DHCP end to end: dnsmasq on a bridge in this test's namespace sends a root-path
# (option 17) and a host name; the worker (QEMU on a tap in that bridge) boots with root=dhcp,
# and with no root= at all under an overlay, whose /etc/hostname then carries the DHCP name.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
logs=build/test-logs/qemu
mac=52:54:00:aa:00:07
worker_env rootdhcp --bridge "$mac" || exit 1 # WORKER_DIR is absolute: dnsmasq changes directory
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT"; then ok "Ganesha serves the root"; else not_ok "Ganesha serves the root"; fi
if dnsmasq_start "$QEMU_NETNS" "$WORKER_DIR" "--dhcp-option=17,10.77.0.1:$WORKER_EXPORT,vers=4.1" "--dhcp-host=$mac,worker-7"; then
	ok "dnsmasq sends a root-path and a host name"
else
	not_ok "dnsmasq sends a root-path and a host name"
fi

log=$logs/root-dhcp.console
rm -f "$WORKER_EXPORT/tmp/dhcp"
qemu_boot "$log" 150 "root=dhcp rw panic=-1 worker.write=/tmp/dhcp"
rc=$?
check "root=dhcp: QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "root=dhcp: the root came from the DHCP root-path" grep -q "ghostinit: root: NFSv4.1 10.77.0.1:$WORKER_EXPORT (from DHCP root-path)" "$log"
check "root=dhcp: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "root=dhcp: / is nfs4 4.1 from 10.77.0.1" grep -qE "WORKER-ROOT 10.77.0.1:$WORKER_EXPORT nfs4 rw,.*vers=4.1" "$log"
check "root=dhcp: the worker's file is in the export" grep -q 'written by worker' "$WORKER_EXPORT/tmp/dhcp"

log=$logs/root-dhcp-bare.console
qemu_boot "$log" 150 "ghost.overlay=tmpfs panic=-1"
rc=$?
check "no root=: QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "no root=: the DHCP root-path was used" grep -q "ghostinit: root: NFSv4.1 10.77.0.1:$WORKER_EXPORT (from DHCP root-path)" "$log"
check "no root=: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "no root=: the overlay's /etc/hostname is the DHCP name" grep -q 'WORKER-HOSTNAME worker-7' "$log"
check "no root=: the export has no hostname file" test ! -e "$WORKER_EXPORT/etc/hostname"
nfs_stop
tap_done
