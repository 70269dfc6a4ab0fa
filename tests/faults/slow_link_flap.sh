#!/bin/bash
# Fault: the link flapping during DHCP. As soon as the worker sends its first packet, the
# host side of its link (tap0) goes down and up every second, 8 times, while dnsmasq serves:
# the worker's DISCOVERs and the server's answers are lost while it is down. The worker must
# still lease and boot its NFS root, within its DHCP timeout.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/fault.sh
logs=build/test-logs/faults
check "master namespace, tap, worker root, Ganesha" fault_bridge_worker linkflap
log=$logs/link-flap.console
qemu_start "$log" "root=nfs4:10.77.0.1:$WORKER_EXPORT rw ghost.dhcp_timeout=90 panic=-1"
check "the worker started asking (first packet on its tap)" fault_wait_guest_sends 120
ip -n "$QEMU_NETNS" link set tap0 down
t0=$(date +%s.%N)
check "dnsmasq serves" fault_dnsmasq
flaps=0 lease_during=0
for i in 1 2 3 4 5 6 7 8; do
	ip -n "$QEMU_NETNS" link set tap0 down
	sleep 1
	ip -n "$QEMU_NETNS" link set tap0 up
	flaps=$((flaps + 1))
	grep -q 'ghostinit: enp0s2: lease ' "$log" && break
	sleep 1
done
echo "# $flaps flaps of tap0 (1 s down each) before the lease or the end of the series"
took=$(log_wait "$log" 'ghostinit: enp0s2: lease ' 90 && echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }')
check "leased ${took:-never} s after the flapping began" [ -n "$took" ]
check "the link went down at least twice during DHCP ($flaps)" [ "$flaps" -ge 2 ]
qemu_wait 150
rc=$?
check "QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1' "$log"
nfs_stop
outcome="leased after $flaps flaps, booted"
[ "$tap_failures" -eq 0 ] || outcome="FAILED"
fault_line "link flapping during DHCP" "$outcome" "${took:--}"
tap_done
