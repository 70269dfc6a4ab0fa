#!/bin/bash
# Powering a worker on by Wake-on-LAN, end to end: the worker's QEMU starts paused (-S: the PC
# is off) on the cluster bridge; the harness (tests/lib/wol_watch.py) stands in for its NIC and
# resumes it when the bridge carries a magic packet for its MAC — the only simulated part.
# `ghostwatch power on w1` sends the packet as the master would, finding w1's MAC and the
# cluster's broadcast address and interface in the power list generate.sh writes from a cluster
# file; the worker then boots as any node: DHCP, its NFS root, its init. A packet for another
# MAC (`ghostwatch wake MAC`, and `power on w2`) leaves it off.
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

# The cluster file of this bridge: w1 is the worker, w2 a node that is not there.
cat >"$WORKER_DIR/cluster" <<EOF
interface  br0
subnet     10.77.0.0/24
master     10.77.0.1
kernel     $QEMU_KERNEL
initramfs  $QEMU_INITRD
root       $WORKER_EXPORT
node w1 $mac 10.77.0.42
node w2 52:54:00:ce:03:99 10.77.0.43
EOF
check "generate.sh writes the power list (w1, w2: wol)" bash -c \
	"netboot/cluster/generate.sh '$WORKER_DIR/cluster' '$WORKER_DIR/gen' >/dev/null && grep -qx 'w1 $mac 10.77.0.42 wol 10.77.0.255 br0' '$WORKER_DIR/gen/power'"
check "... and arms the nodes' NIC on their command line (ghost.wol=g)" grep -q ' ghost.wol=g$' "$WORKER_DIR/gen/cmdline"
power() { ip netns exec "$ns" "$GW" power "$@" --power-list "$WORKER_DIR/gen/power" --state-dir "$WORKER_DIR/state"; }

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

check "ghostwatch power on w2 (another node)" power on w2
check "... the harness saw its packet, sent to the cluster's broadcast out of br0" bash -c \
	"for i in \$(seq 50); do [ \$(grep -c '^WAKE 52:54:00:ce:03:99 unknown' '$watch') -ge 2 ] && exit 0; sleep 0.2; done; exit 1"
check "... and the worker stays off" [ ! -s "$log" ]
check "ghostwatch power on w9 (not in the power list): exit 2" bash -c "$(declare -f power); ns=$ns GW=$GW WORKER_DIR=$WORKER_DIR; power on w9; [ \$? -eq 2 ]"

check "ghostwatch power on w1" power on w1
check "the harness saw the magic packet and powered the worker on" log_wait "$watch" "^WAKE $mac resumed" 10
check "the worker booted its root and reached its init" log_wait "$log" "WORKER-INIT-REACHED" 240
qemu_wait 240
rc=$?
check "... and powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "ghostwatch wake 'nonsense': exit 2" bash -c '"$0" wake nonsense; [ $? -eq 2 ]' "$GW"
nfs_stop
tap_done
