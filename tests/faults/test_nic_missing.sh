#!/bin/bash
# Fault: the NIC's driver left out of the image (virtio_net dropped from the module list) on a
# machine whose only NIC is virtio. The node must say so in words on the console, take the
# fatal path and reset within the bound panic= sets; never a kernel panic, never a hang.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/fault.sh
logs=build/test-logs/faults
worker_env nicmissing --user
grep -v '^net virtio_net ' initramfs/modules.default >"$WORKER_DIR/modules"
check "an image whose module list lacks virtio_net" worker_initramfs "$QEMU_INITRD" --modules "$WORKER_DIR/modules"
check "the image really has no virtio_net" bash -c "! zstd -dc '$QEMU_INITRD' | cpio --quiet -t | grep -q virtio_net"

log=$logs/nic-missing.console
start=$SECONDS
qemu_boot "$log" 150 "root=nfs4:10.0.2.2:/export ghost.carrier_timeout=3 panic=2"
rc=$?
check "QEMU exited by itself (status $rc, $((SECONDS - start)) s)" [ "$rc" -eq 0 ]
check "the console says no usable link, with the links seen" grep -q 'ghostinit: fatal: no usable link: no Ethernet link among the links seen: lo' "$log"
check "the console names the NIC left without a driver" grep -q 'ghostinit: virtio network device virtio0 (vendor 0x1af4, device 0x0001) has no driver' "$log"
check "the fatal path announced its bounded wait" grep -q 'resetting in 2 s' "$log"
check "the machine was reset" grep -q 'reboot: Restarting system' "$log"
check "no kernel panic" bash -c "! grep -q 'Kernel panic' '$log'"
outcome="named, fatal path, reset"
[ "$tap_failures" -eq 0 ] || outcome="FAILED"
fault_line "NIC driver left out of the image" "$outcome" "$(fault_secs "$log" 'ghostboot .* starting' 'reboot: Restarting')"
tap_done
