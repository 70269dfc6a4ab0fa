#!/bin/bash
# A real Debian root over NFS: debootstrap minbase + systemd (cached outside the tree, built on
# the first run), exported read-only by Ganesha, booted by ghostinit under a tmpfs overlay; the
# test passes when systemd, as PID 1 on the NFS root, reaches multi-user.target.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
. tests/lib/worker-root.sh
. tests/lib/debian-root.sh
logs=build/test-logs/qemu
work=$(realpath -m build/test-root/debian-$$)
trap 'netns_cleanup; rm -rf "$work"' EXIT
mkdir -p "$work"
ns=$(netns_name rootdeb)
netns_add "$ns"
QEMU_NETNS=$ns
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0"
QEMU_MEM=256 # systemd and udev need more than the BusyBox worker
if ! debian_root_prepare; then
	not_ok "Debian root prepared with debootstrap (see $DEBIAN_ROOT.log)"
	exit 1
fi
ok "Debian root prepared (cached in $DEBIAN_ROOT)"
QEMU_INITRD=$work/initramfs.img
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$ns" "$DEBIAN_ROOT" --ro; then ok "Ganesha exports the Debian root read-only"; else not_ok "Ganesha exports the Debian root"; fi
log=$logs/root-debian.console
start=$SECONDS
qemu_boot "$log" 400 "root=nfs4:10.0.2.2:$(realpath "$DEBIAN_ROOT") ghost.overlay=tmpfs panic=-1"
rc=$?
took=$((SECONDS - start))
check "QEMU exited by itself (status $rc, ${took}s)" [ "$rc" -ne 124 ]
check "ghostinit handed over to systemd" grep -q 'ghostinit: root: switching to the NFS root, exec /sbin/init' "$log"
check "systemd reached multi-user.target on the NFS root" grep -q 'DEBIAN-MULTI-USER-REACHED pid1=systemd root=overlay' "$log"
check "no kernel panic" bash -c "! grep -q 'Kernel panic' '$log'"
check "the export's machine-id is still empty" test ! -s "$DEBIAN_ROOT/etc/machine-id"
nfs_stop
tap_done
