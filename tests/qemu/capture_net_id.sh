#!/bin/bash
# Captures the net_id unit-test fixtures from real kernels: boots the BusyBox worker root under
# QEMU with the NIC layouts below and copies what sysfs says about each interface into
# tests/unit/fixtures/net_id/<layout>/ (tests/qemu/net-id-capture.sh does it in the guest).
# Run by hand when a layout is added; the unit tests only read the result.
#   q35: virtio-net (00:02.0), e1000e (00:03.0), a multi-function pair of e1000e (00:05.0/1),
#        an e1000e with ACPI index 1 (00:06.0), virtio-net behind a PCIe root port with a
#        hot-plug slot (slot 7)
#   pc:  virtio-net in an ACPI hot-plug slot (00:03.0), an e1000e with ACPI index 3 (00:04.0)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/dhcp.sh
. tests/lib/worker-root.sh
work=$(realpath -m build/test-root/capture-net-id-$$)
trap 'netns_cleanup; rm -rf "$work"' EXIT
mkdir -p "$work"
ns=$(netns_name netidcap)
dhcp_master "$ns" || exit 1
ip -n "$ns" tuntap add dev tap0 mode tap && ip -n "$ns" link set tap0 master br0 && ip -n "$ns" link set tap0 up || exit 1
QEMU_NETNS=$ns
exp=$work/root
check "worker root copy" worker_root_copy "$exp"
install -m 0755 tests/qemu/net-id-capture.sh "$exp/capture.sh"
mkdir -p "$exp/fixtures"
QEMU_INITRD=$work/initramfs.img
check "initramfs" worker_initramfs "$QEMU_INITRD"
check "Ganesha" nfs_start "$ns" "$exp"
check "dnsmasq" dnsmasq_start "$ns" "$work"
mac=52:54:00:ce:00:01
boot="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no"
capture() { # NAME MACHINE DEVICES...
	local name=$1 machine=$2
	shift 2
	QEMU_NET="$boot $*"
	qemu_start "build/test-logs/qemu/capture-net-id-$name.console" \
		"root=nfs4:10.77.0.1:$exp rw init=/capture.sh net.ifnames=0 BOOTIF=01-${mac//:/-} net_id.capture=$name panic=-1" \
		-machine "$machine"
	qemu_wait 150
	check "$name: captured" grep -q "NETID-CAPTURE-DONE $name" "build/test-logs/qemu/capture-net-id-$name.console"
	rm -rf "tests/unit/fixtures/net_id/$name"
	cp -a "$exp/fixtures/$name" "tests/unit/fixtures/net_id/$name"
}
capture q35 q35 "-device virtio-net-pci,netdev=n0,mac=$mac,addr=0x2" \
	"-device e1000e,addr=0x3,mac=52:54:00:ce:00:03" \
	"-device e1000e,addr=0x5.0,multifunction=on,mac=52:54:00:ce:00:50 -device e1000e,addr=0x5.1,mac=52:54:00:ce:00:51" \
	"-device e1000e,addr=0x6,acpi-index=1,mac=52:54:00:ce:00:06" \
	"-device pcie-root-port,id=rp7,slot=7,chassis=7,addr=0x7 -device virtio-net-pci,bus=rp7,mac=52:54:00:ce:00:07,netdev=n1 -netdev hubport,id=n1,hubid=1"
capture pc pc "-device virtio-net-pci,netdev=n0,mac=$mac,addr=0x3" \
	"-device e1000e,addr=0x4,acpi-index=3,mac=52:54:00:ce:00:04"
nfs_stop
tap_done
