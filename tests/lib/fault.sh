# Fault cases (tests/faults/, make faults): each case ends with one summary line that
# tests/faults/faults.sh collects into the table. Source after tests/lib/{tap,worker}.sh.
#
#   fault_line CASE OUTCOME SECONDS   prints "# fault: CASE | OUTCOME | SECONDS"
#   fault_user_worker TAG             worker_env TAG --user (tests/lib/worker.sh) with the worker
#                                     root copied to WORKER_EXPORT and a private initramfs of
#                                     build/ghostinit
#   fault_secs LOG FROM TO            guest seconds between the first lines matching FROM and TO

fault_line() { echo "# fault: $1 | $2 | $3"; }

fault_user_worker() {
	worker_env "$1" --user 52:54:00:fa:17:01 && worker_root_copy "$WORKER_EXPORT" &&
		worker_initramfs "$QEMU_INITRD"
}

fault_secs() {
	awk -F'[][]' -v from="$2" -v to="$3" '$0 ~ from && a == "" { a = $2 } $0 ~ to && a != "" && b == "" { b = $2 }
		END { if (a != "" && b != "") printf "%.2f", b - a }' "$1"
}

# fault_bridge_worker TAG: worker_env TAG --bridge (the master namespace of tests/lib/dhcp.sh,
# br0 10.77.0.1/24, with tap0 for the guest) and Ganesha exporting a private worker root
# (WORKER_EXPORT); dnsmasq is left to the case (fault_dnsmasq). Needs tests/lib/nfs.sh.
fault_bridge_worker() {
	worker_env "$1" --bridge 52:54:00:fa:17:02 && worker_root_copy "$WORKER_EXPORT" &&
		worker_initramfs "$QEMU_INITRD" && nfs_start "$QEMU_NETNS" "$WORKER_EXPORT"
}

fault_dnsmasq() { dnsmasq_start "$QEMU_NETNS" "$WORKER_DIR"; }

# fault_guest_sent: true once the guest has sent anything on tap0 (its first DHCPDISCOVER).
fault_guest_sent() {
	[ "$(ip -n "$QEMU_NETNS" -s -j link show tap0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])')" -gt 0 ]
}

# fault_wait_guest_sends TIMEOUT: waits for fault_guest_sent.
fault_wait_guest_sends() {
	local i
	for i in $(seq 1 $(($1 * 10))); do fault_guest_sent && return 0; sleep 0.1; done
	return 1
}
