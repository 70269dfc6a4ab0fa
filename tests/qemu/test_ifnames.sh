#!/bin/bash
# Predictable interface names with the BusyBox worker root (short boots; the Debian root and
# udev's own answer: tests/qemu/test_ifnames_debian.sh). A virtio NIC on q35 (00:02.0) and an
# e1000e (00:03.0), the boot NIC chosen by BOOTIF=:
#   1. default: ghostinit renames them enp0s2 and enp0s3 before they go up; the lease, the
#      guardian, /run/net-enp0s2.conf and the kernel's own view all say enp0s2; ip=eth0:dhcp
#      (the kernel's name, from an existing command line) still finds the boot NIC
#   2. net.ifnames=0: the kernel's names stay
#   3. ifname=boot0:<mac> (dracut): that name, used by ip=boot0:dhcp
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/nfs.sh
. tests/lib/worker.sh
logs=build/test-logs/qemu
mac=52:54:00:1f:00:02
worker_env ifnames --bridge "$mac" || exit 1
work=$WORKER_DIR
ns=$QEMU_NETNS
exp=$WORKER_EXPORT
check "private copy of the worker root to export" worker_root_copy "$exp"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$ns" "$exp"; then ok "Ganesha serves the root"; else not_ok "Ganesha serves the root"; fi
check "dnsmasq on the bridge" dnsmasq_start "$ns" "$work"
QEMU_NET="$QEMU_NET -device e1000e,mac=52:54:00:1f:00:03"
common="root=nfs4:10.77.0.1:$exp panic=-1 BOOTIF=01-${mac//:/-} worker.list=/run worker.ps"

boot() { # NAME APPEND
	log=$logs/ifnames-$1.console
	qemu_boot "$log" 150 "$common $2"
	rc=$?
	check "$1: QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
	check "$1: the worker's init runs" grep -q 'WORKER-INIT-REACHED pid=1' "$log"
}

boot default "ip=eth0:dhcp"
check "default: eth0 renamed enp0s2 before it went up" grep -q 'ghostinit: eth0 is now enp0s2 (predictable name)' "$log"
check "default: eth1 (e1000e) renamed enp0s3" grep -q 'ghostinit: eth1 is now enp0s3 (predictable name)' "$log"
check "default: ip=eth0 (the kernel's name) found enp0s2" grep -qE 'ghostinit: enp0s2: lease 10\.77\.0\.[0-9]+/24' "$log"
check "default: the guardian watches enp0s2" grep -q 'ghostinit: boot link: enp0s2 guarded' "$log"
check "default: the guardian runs with --iface enp0s2" grep -qE 'WORKER-PS .*@ghostinit-guardian --iface enp0s2' "$log"
check "default: /run/net-enp0s2.conf written" grep -qE 'WORKER-LS /run: .*net-enp0s2\.conf' "$log"
check "default: no /run/net-eth0.conf" bash -c "! grep -qE 'WORKER-LS /run: .*net-eth0\.conf' '$log'"
check "default: no failed rename" bash -c "! grep -q 'cannot rename' '$log'"

boot kernel-names "net.ifnames=0"
check "net.ifnames=0: nothing renamed" bash -c "! grep -q ' is now ' '$log'"
check "net.ifnames=0: the lease is on eth0" grep -qE 'ghostinit: eth0: lease 10\.77\.0\.[0-9]+/24' "$log"
check "net.ifnames=0: /run/net-eth0.conf written" grep -qE 'WORKER-LS /run: .*net-eth0\.conf' "$log"

boot ifname "ifname=boot0:$mac ip=boot0:dhcp"
check "ifname=: eth0 is now boot0" grep -q 'ghostinit: eth0 is now boot0 (ifname=)' "$log"
check "ifname=: the other NIC still gets its predictable name" grep -q 'ghostinit: eth1 is now enp0s3 (predictable name)' "$log"
check "ifname=: ip=boot0 found it, lease on boot0" grep -qE 'ghostinit: boot0: lease 10\.77\.0\.[0-9]+/24' "$log"
check "ifname=: /run/net-boot0.conf written" grep -qE 'WORKER-LS /run: .*net-boot0\.conf' "$log"
nfs_stop
tap_done
