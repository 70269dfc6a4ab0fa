#!/bin/bash
# ghost.wol=g through a real boot and power-off: office PCs without a BMC come back only by a
# magic packet, and some drivers leave Wake-on-LAN off unless it is set before power-off.
# A BusyBox worker boots from NFS and powers off through ghostinit's shutdown program; on an
# Intel NIC (QEMU's e1000e, driver e1000e) the NIC is then set to wake on the magic packet and
# the driver, asked again, says so; on virtio-net, which has no Wake-on-LAN, the shutdown says
# so and powers off all the same. (What the master hears, "poweroff, wake-on-lan armed" in the
# reset report, is checked by tests/unit/test_shutdown.c.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
logs=build/test-logs/qemu
worker_env wol
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
# QEMU's e1000e has no Wake-on-LAN (its driver reports none); its RTL8139C+ (driver 8139cp)
# has, as the office PCs' Realtek NICs do: the image carries that driver too.
check "a private initramfs of build/ghostinit, with the 8139cp driver" worker_initramfs "$QEMU_INITRD" --add-module 8139cp:net
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT"; then ok "Ganesha exports the root"; else not_ok "Ganesha exports the root"; fi

# boot LOG NIC ARGS: one boot that ends in ghostinit's power-off; QEMU must exit by itself.
boot() {
	local log=$1 nic=$2 rc
	shift 2
	QEMU_NET="-netdev user,id=n0 -device $nic,netdev=n0,addr=0x2"
	qemu_boot "$log" 240 "root=nfs:10.0.2.2:$WORKER_EXPORT:vers=4.2 ro panic=-1 $* worker.end=ghostinit"
	rc=$?
	check "$nic: QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
}

log=$logs/wol-rtl8139.console
boot "$log" rtl8139 ghost.wol=g
check "rtl8139: the shutdown set the boot NIC to wake on the magic packet, and the driver says so ($(grep -a 'wakes on' "$log" | tr -d '\r'))" \
	grep -aqE 'ghostinit: shutdown: enp0s2 wakes on: g \(Wake-on-LAN armed; the driver supports [a-z]*g' "$log"
check "rtl8139: ... after the last unmount, right before the power-off" \
	bash -c 'grep -aE "ghostinit: shutdown: ([0-9]+ unmounted|enp0s2 wakes on|poweroff after)" "$0" | tr -d "\r" |
		sed -E "s/.*shutdown: //; s/ .*//" | paste -sd " " | grep -qx "[0-9]* enp0s2 poweroff"' "$log"

log=$logs/wol-virtio.console
boot "$log" virtio-net-pci ghost.wol=g
check "virtio: no Wake-on-LAN in the driver, said on the console ($(grep -a 'Wake-on-LAN' "$log" | tr -d '\r'))" \
	grep -aq 'ghostinit: shutdown: cannot set Wake-on-LAN g on enp0s2: Not supported' "$log"

# Without ghost.wol= nothing is touched: tests/unit/test_shutdown.c (test_wake_on_lan), and
# every other QEMU test's shutdown, which never says "Wake-on-LAN".
nfs_stop
tap_done
