#!/bin/bash
# Fault: the master (ghostwatch) absent. The same worker boots twice in this run, with
# ghostwatch listening and with nothing there: the boot must not be delayed by more than 200 ms.
# Measured on the guest's own clock: ghostinit's account of its ack waits ("reports: ... ms
# waiting for acks"), and the time from ghostinit's start to the switch to the real root.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/ghostwatch.sh
. tests/lib/fault.sh
logs=build/test-logs/faults
check "worker root, image and namespace" fault_user_worker noclmaster
check "Ganesha serves the root" nfs_start "$QEMU_NETNS" "$WORKER_EXPORT"
append="root=nfs4:10.0.2.2:$WORKER_EXPORT rw panic=-1"

# boot_with NAME: one boot; prints "<ms waiting for acks> <s from start to switch_root>".
boot_with() {
	local log=$logs/master-$1.console
	qemu_boot "$log" 150 "$append"
	check "$1: QEMU powered off by itself (status $?)" grep -q 'WORKER-DONE' "$log"
	echo "$(sed -n 's/.*ghostinit: reports: .* \([0-9]*\) ms waiting for acks.*/\1/p' "$log" | tr -d '\r')" \
		"$(fault_secs "$log" 'ghostboot .* starting' 'root: switching')" >"$WORKER_DIR/$1"
}
check "ghostwatch listens where the DHCP server is" gw_start "$QEMU_NETNS" "$WORKER_DIR" --insecure
boot_with present
read -r wait_present boot_present <"$WORKER_DIR/present"
kill -TERM "$GW_PID"
wait "$GW_PID" 2>/dev/null
boot_with absent
read -r wait_absent boot_absent <"$WORKER_DIR/absent"
echo "# ack waits: ${wait_present:-?} ms with the master, ${wait_absent:-?} ms without;" \
	"start to switch_root: ${boot_present:-?} s with, ${boot_absent:-?} s without (guest clock, one boot each)"
check "present: the ack waits were measured (${wait_present:-?} ms)" [ -n "$wait_present" ]
check "absent: the boot waited at most 200 ms for acks (${wait_absent:-?} ms)" \
	bash -c "[ -n '$wait_absent' ] && [ '$wait_absent' -le 200 ]"
check "absent: the delay against the present master is at most 200 ms ($((${wait_absent:-999} - ${wait_present:-0})) ms)" \
	[ $((${wait_absent:-999} - ${wait_present:-0})) -le 200 ]
check "absent: the worker's init still runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1' "$logs/master-absent.console"
nfs_stop
outcome="booted, $((${wait_absent:-999} - ${wait_present:-0})) ms later than with the master"
[ "$tap_failures" -eq 0 ] || outcome="FAILED"
fault_line "master (ghostwatch) absent" "$outcome" "$(awk -v w="${wait_absent:-0}" 'BEGIN { printf "%.2f", w / 1000 }')"
tap_done
