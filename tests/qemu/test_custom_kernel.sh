#!/bin/bash
# Kernel issue end to end: the custom kernel built by `make kernel` (allnoconfig + the
# fragments of kernel-config/, everything built in, no module support) boots an image without
# any module over NFS (under an overlay), hands over to the worker's init, reports to
# ghostwatch with AF_ALG HMAC, and powers off cleanly through ghostinit's shutdown.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/ghostwatch.sh
logs=build/test-logs/qemu
custom=build/kernel-custom
release=$(cat "$custom/release")

listing=$(zstd -dc build/initramfs-custom.img | cpio -t --quiet)
check "the custom kernel's image carries no module" bash -c "! grep -q '\.ko\$' <<<\"\$0\"" "$listing"
check "and no module load list" bash -c "! grep -qx 'etc/ghostboot/modules' <<<\"\$0\"" "$listing"
check "ghostinit is its /init" grep -qx 'init' <<<"$listing"
check "the custom kernel has no module support at all" grep -qx '# CONFIG_MODULES is not set' "$custom/boot/config-$release"

worker_env kernel
mkdir -p "$WORKER_DIR/gw"
key=$WORKER_DIR/cluster.key
gw_key "$key"
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
check "a module-free image of build/ghostinit with the cluster key" \
	worker_initramfs "$QEMU_INITRD" --kernel-tree "$custom" --file "$key:/etc/ghostboot/cluster.key"
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT" --ro; then ok "Ganesha exports the root read-only"; else not_ok "Ganesha exports the root read-only"; fi
if gw_start "$QEMU_NETNS" "$WORKER_DIR/gw" --key "$key"; then ok "ghostwatch listens"; else not_ok "ghostwatch listens"; fi

QEMU_KERNEL=$custom/boot/vmlinux-$release
log=$logs/custom-kernel-nfs.console
qemu_boot "$log" 180 "root=nfs:10.0.2.2:$WORKER_EXPORT:vers=4.2 ghost.overlay=tmpfs ghost.key=/etc/ghostboot/cluster.key \
panic=-1 worker.write=/var/tmp/proof worker.end=ghostinit" \
	-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:00:07:01
rc=$?
check "QEMU exited by itself (status $rc)" [ "$rc" -ne 124 ]
check "ghostinit saw an image without modules" grep -q 'no module list: this image carries no modules' "$log"
check "the built-in virtio NIC got a DHCP lease" grep -qE 'ghostinit: enp0s2: lease 10\.0\.2\.15/24' "$log"
check "the NFS root was mounted by the built-in NFS client" grep -q 'ghostinit: root: mounted 10.0.2.2:' "$log"
check "under the built-in overlayfs" grep -q 'WORKER-ROOT overlay overlay rw' "$log"
check "the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "the worker wrote into its overlay" grep -q 'WORKER-WROTE /var/tmp/proof' "$log"
# From another init (here the worker's shell, PID 1, still running from the root), the root
# itself stays busy and is detached; what matters is that nothing hung and the NFS mount went.
check "ghostinit's shutdown ran from /run/initramfs with nothing hung" grep -qE 'shutdown: [1-9][0-9]* unmounted, [0-9]+ detached, 0 hung, 0 left' "$log"
check "the NFS root was unmounted, not left behind" bash -c "! grep -E 'not cleanly unmounted' '$log' | grep -q nfs"
check "and powered the machine off" grep -q 'reboot: Power down' "$log"
check "no kernel panic" bash -c "! grep -q 'Kernel panic' '$log'"
sleep 2.5 # the status is read from ghostwatch's state files, rewritten at least every 2 s
status=$(ip netns exec "$QEMU_NETNS" "$GW" status --json --state-dir "$WORKER_DIR/gw/state")
echo "$status" | sed 's/^/# /'
check "ghostwatch saw the node boot with AF_ALG-signed reports" grep -q '"52:54:00:00:07:01"' <<<"$status"
check "and saw it go down through the shutdown stages" grep -qE '"state": *"down"' <<<"$status"
check "no report was refused" bash -c '[ "$(gw_metric "$0" ghostwatch_rejected_total 2>/dev/null || echo 0)" = "" ] || ! grep -q "rejected_total{reason=\"bad_hmac\"} [1-9]" "$0/state/metrics.prom" 2>/dev/null' "$WORKER_DIR/gw"
nfs_stop
tap_done
