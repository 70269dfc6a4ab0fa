#!/bin/bash
# Fault: no DHCP server when the worker starts asking; dnsmasq appears 30 s after the worker's
# first packet. The worker keeps retrying with its backoff (1 s doubling to 32 s, ±50 %), so it
# must lease within one longest backoff (48 s; 75 s allowed on a loaded host) of the server
# appearing, then boot its NFS root.
# (make faults only: it waits 30 s by design. tests/net/test_dhcp_late.sh is the same fault for
# `ghostinit net-up` in namespaces, without the kernel.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/fault.sh
logs=build/test-logs/faults
check "master namespace, tap, worker root, Ganesha" fault_bridge_worker dhcplate
log=$logs/dhcp-late.console
qemu_start "$log" "root=nfs4:10.77.0.1:$WORKER_EXPORT rw ghost.dhcp_timeout=150 panic=-1"
check "the worker started asking (first packet on its tap)" fault_wait_guest_sends 120
sleep 30
check "dnsmasq started 30 s after the worker's first packet" fault_dnsmasq
t0=$(date +%s.%N)
took=$(log_wait "$log" 'ghostinit: enp0s2: lease ' 75 && echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }')
check "leased ${took:-never} s after the server appeared (bound 75 s: one longest backoff, 48 s, plus a loaded host)" [ -n "$took" ]
qemu_wait 150
rc=$?
check "QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "the DISCOVERs were retried (lease line counts them)" grep -qE 'ghostinit: enp0s2: lease 10\.77\.0\.[0-9]+/24 from 10\.77\.0\.1 in [0-9]+ ms \(([3-9]|[1-9][0-9]+) DISCOVERs' "$log"
check "the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1' "$log"
nfs_stop
outcome="retried, leased ${took:-never} s after dnsmasq appeared, booted"
[ "$tap_failures" -eq 0 ] || outcome="FAILED"
fault_line "DHCP server absent, started after 30 s" "$outcome" "${took:--}"
tap_done
