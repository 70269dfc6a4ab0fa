#!/bin/bash
# Powering a worker on by Wake-on-LAN, end to end: the worker's QEMU starts paused (-S: the PC
# is off) on the cluster bridge; the harness (tests/lib/wol_watch.py) stands in for its NIC and
# resumes it when the bridge carries a magic packet for its MAC — the only simulated part.
# `ghostwatch wake` sends the packet as the master would; the worker then PXE-boots as any node:
# DHCP, its NFS root, its init. A packet for another MAC leaves it off.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/ghostwatch.sh
logs=build/test-logs/qemu
mac=52:54:00:ce:03:01
worker_env wake --bridge "$mac" || exit 1
ns=$QEMU_NETNS
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$ns" "$WORKER_EXPORT"; then ok "Ganesha exports the root"; else not_ok "Ganesha exports the root"; fi
check "dnsmasq on the bridge (a fixed address for the worker)" dnsmasq_start "$ns" "$WORKER_DIR" "--dhcp-host=$mac,10.77.0.42"

qmp=$WORKER_DIR/qmp.sock watch=$WORKER_DIR/wol-watch.log
ip netns exec "$ns" python3 tests/lib/wol_watch.py br0 "$mac=$qmp" >"$watch" 2>&1 &
track_pid $!
check "the harness watches the bridge" log_wait "$watch" "^WATCHING br0" 10
log=$logs/wake.console
rm -f "$log"
qemu_start "$log" "root=nfs4:10.77.0.1:$WORKER_EXPORT ro panic=-1 BOOTIF=01-${mac//:/-}" -S \
	-qmp "unix:$qmp,server=on,wait=off"
sleep 3
check "the worker is off: nothing on its console" [ ! -s "$log" ]

check "ghostwatch wake for another MAC" ip netns exec "$ns" "$GW" wake --broadcast 10.77.0.255 52:54:00:ce:03:99
check "... the harness saw that packet" log_wait "$watch" "^WAKE 52:54:00:ce:03:99 unknown" 10
sleep 2
check "... and the worker stays off" [ ! -s "$log" ]

check "ghostwatch wake MAC, to the cluster's broadcast address" \
	ip netns exec "$ns" "$GW" wake --broadcast 10.77.0.255 --interface br0 "$mac"
check "the harness saw the magic packet and powered the worker on" log_wait "$watch" "^WAKE $mac resumed" 10
check "the worker booted its root and reached its init" log_wait "$log" "WORKER-INIT-REACHED" 240
qemu_wait 240
rc=$?
check "... and powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "ghostwatch wake 'nonsense': exit 2" bash -c '"$0" wake nonsense; [ $? -eq 2 ]' "$GW"
nfs_stop
tap_done
