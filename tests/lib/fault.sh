# Fault cases (tests/faults/, make faults): each case ends with one summary line that
# tests/faults/faults.sh collects into the table. Source after tests/lib/{tap,netns,qemu}.sh.
#
#   fault_line CASE OUTCOME SECONDS   prints "# fault: CASE | OUTCOME | SECONDS"
#   fault_user_worker TAG             a namespace with QEMU user networking (the guest's
#                                     10.0.2.2 is its loopback), a private copy of the worker
#                                     root in FAULT_EXPORT (absolute), a private initramfs of
#                                     build/ghostinit, FAULT_WORK removed at exit
#   fault_secs LOG FROM TO            guest seconds between the first lines matching FROM and TO

fault_line() { echo "# fault: $1 | $2 | $3"; }

fault_user_worker() {
	QEMU_NETNS=$(netns_name "$1")
	netns_add "$QEMU_NETNS" || return 1
	QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:fa:17:01"
	FAULT_WORK=$GB_TOP/build/test-faults/$1-$$ # per run: a parallel run must not share it
	trap 'netns_cleanup; rm -rf "$FAULT_WORK"' EXIT
	FAULT_EXPORT=$(realpath -m "$FAULT_WORK/root")
	worker_root_copy "$FAULT_EXPORT" || return 1
	QEMU_INITRD=$FAULT_WORK/initramfs.img
	worker_initramfs "$QEMU_INITRD"
}

fault_secs() {
	awk -F'[][]' -v from="$2" -v to="$3" '$0 ~ from && a == "" { a = $2 } $0 ~ to && a != "" && b == "" { b = $2 }
		END { if (a != "" && b != "") printf "%.2f", b - a }' "$1"
}

# fault_bridge_worker TAG: the master namespace of tests/lib/dhcp.sh (br0 10.77.0.1/24) with
# tap0 for the guest and Ganesha exporting a private worker root (FAULT_EXPORT); dnsmasq is
# left to the case (fault_dnsmasq). Needs tests/lib/{nfs,dhcp,worker-root}.sh.
fault_bridge_worker() {
	FAULT_NS=$(netns_name "$1")
	QEMU_NETNS=$FAULT_NS
	FAULT_WORK=$GB_TOP/build/test-faults/$1-$$
	trap 'netns_cleanup; rm -rf "$FAULT_WORK"' EXIT
	mkdir -p "$FAULT_WORK"
	dhcp_master "$FAULT_NS" || return 1
	ip -n "$FAULT_NS" tuntap add dev tap0 mode tap &&
		ip -n "$FAULT_NS" link set tap0 master br0 &&
		ip -n "$FAULT_NS" link set tap0 up || return 1
	QEMU_NET="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=52:54:00:fa:17:02"
	FAULT_EXPORT=$(realpath -m "$FAULT_WORK/root")
	worker_root_copy "$FAULT_EXPORT" || return 1
	QEMU_INITRD=$FAULT_WORK/initramfs.img
	worker_initramfs "$QEMU_INITRD" || return 1
	nfs_start "$FAULT_NS" "$FAULT_EXPORT"
}

fault_dnsmasq() { dnsmasq_start "$FAULT_NS" "$FAULT_WORK"; }

# fault_guest_sent: true once the guest has sent anything on tap0 (its first DHCPDISCOVER).
fault_guest_sent() {
	[ "$(ip -n "$FAULT_NS" -s -j link show tap0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])')" -gt 0 ]
}

# fault_wait_guest_sends TIMEOUT: waits for fault_guest_sent.
fault_wait_guest_sends() {
	local i
	for i in $(seq 1 $(($1 * 10))); do fault_guest_sent && return 0; sleep 0.1; done
	return 1
}
