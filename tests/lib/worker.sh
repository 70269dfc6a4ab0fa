# One QEMU worker per test: a network namespace of the test's own and a private work folder (a
# parallel run must share neither the export nor the image), both removed at exit with every
# process the test started. Sources tests/lib/{netns,qemu,worker-root,dhcp}.sh; source it after
# tests/lib/tap.sh.
#
#   worker_env TAG [--user [MAC] | --bridge MAC]
#       QEMU_NETNS   the namespace, gb-TAG-PID
#       WORKER_DIR   build/test-root/TAG-PID, absolute, made empty
#       WORKER_EXPORT, QEMU_INITRD   WORKER_DIR/root and WORKER_DIR/initramfs.img: only named,
#                    the test fills them (worker_root_copy, worker_initramfs) and checks each
#       --user       QEMU_NET is QEMU's user networking (the guest's NIC with MAC if given): the
#                    guest's 10.0.2.2 is the namespace's loopback, where the test's servers listen
#       --bridge MAC the namespace is dhcp_master's (br0 10.77.0.1/24) and QEMU_NET a tap0 in
#                    that bridge for a guest NIC with MAC
GB_TOP=${GB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$GB_TOP/tests/lib/netns.sh"
. "$GB_TOP/tests/lib/qemu.sh"
. "$GB_TOP/tests/lib/worker-root.sh"
. "$GB_TOP/tests/lib/dhcp.sh"
WORKER_DIR=
WORKER_EXPORT=

worker_env() {
	local tag=$1
	QEMU_NETNS=$(netns_name "$tag")
	WORKER_DIR=$(realpath -m "$GB_TOP/build/test-root/$tag-$$")
	trap 'netns_cleanup; rm -rf "$WORKER_DIR"' EXIT
	rm -rf "$WORKER_DIR"
	mkdir -p "$WORKER_DIR" || return 1
	WORKER_EXPORT=$WORKER_DIR/root
	QEMU_INITRD=$WORKER_DIR/initramfs.img
	case ${2:-} in
	--user)
		netns_add "$QEMU_NETNS" || return 1
		QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0${3:+,mac=$3}" ;;
	--bridge)
		dhcp_master "$QEMU_NETNS" || return 1
		ip -n "$QEMU_NETNS" tuntap add dev tap0 mode tap &&
			ip -n "$QEMU_NETNS" link set tap0 master br0 &&
			ip -n "$QEMU_NETNS" link set tap0 up || return 1
		QEMU_NET="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$3" ;;
	*)
		netns_add "$QEMU_NETNS" ;;
	esac
}
