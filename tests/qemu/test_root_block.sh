#!/bin/bash
# Block roots end to end: an ext4 image (mkfs.ext4 -L/-U) holding the BusyBox worker root on a
# QEMU virtio disk, found by LABEL= and by UUID= through libblkid; ro/rw, the kernel's
# arguments reaching the real init, the copy of ghostinit kept for shutdown, a tmpfs overlay
# over the block root, and the bounded fatal paths (missing device, missing init).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
logs=build/test-logs/qemu
worker_env rootblk

uuid=3f6c1a52-8e0b-4d8e-9a47-5b1e2c3d4f60
img=$WORKER_DIR/root.img
check "ext4 image with the worker root" worker_root_ext4 "$img" ghost-root "$uuid"
check "initramfs with virtio_blk and ext4" worker_initramfs "$QEMU_INITRD" \
	--add-module virtio_blk:fs --add-module ext4:fs
disk=(-drive "file=$img,if=virtio,format=raw")

boot() { # name timeout append: boots, leaves the console in $log and QEMU's status in $rc
	log=$logs/root-block-$1.console
	local start=$SECONDS
	qemu_boot "$log" "$2" "$3" "${disk[@]}"
	rc=$?
	elapsed=$((SECONDS - start))
}

# 1. LABEL=, rw, with a bare word the kernel passes on to init.
boot label 120 "root=LABEL=ghost-root rw panic=-1 worker-arg-check"
check "LABEL: QEMU powered off by itself (status $rc, ${elapsed}s)" [ "$rc" -eq 0 ]
check "LABEL: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "LABEL: root is /dev/vda, ext4, read-write" grep -qE 'WORKER-ROOT /dev/vda ext4 rw' "$log"
check "LABEL: the kernel's arguments reached the real init" grep -q 'WORKER-ARGS .*worker-arg-check' "$log"
check "LABEL: /dev /proc /sys /run moved into the new root" grep -qE 'WORKER-MOUNTS .*/dev:devtmpfs .*/run:tmpfs' "$log"
check "LABEL: ghostinit kept at /run/initramfs/shutdown" grep -q 'WORKER-SHUTDOWN-COPY present' "$log"
check "LABEL: the worker powered off" grep -q 'reboot: Power down' "$log"
check "LABEL: ghostinit said how it found the root" grep -q 'ghostinit: root: mounted /dev/vda (ext4)' "$log"

# 2. UUID=, read-only by default (the kernel's rule), rootfstype= given.
boot uuid 120 "root=UUID=$uuid rootfstype=ext4 panic=-1"
check "UUID: QEMU powered off by itself (status $rc, ${elapsed}s)" [ "$rc" -eq 0 ]
check "UUID: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "UUID: root mounted read-only without rw" grep -qE 'WORKER-ROOT /dev/vda ext4 ro' "$log"

# 3. A tmpfs overlay over the block root: writes land in RAM, never on the disk.
boot overlay 120 "root=LABEL=ghost-root ghost.overlay=tmpfs:size=16m panic=-1 worker.write=/etc/node-file worker.list=/etc"
check "overlay: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "overlay: / is an overlay" grep -qE 'WORKER-ROOT overlay overlay rw' "$log"
check "overlay: the worker wrote a file" grep -q 'WORKER-WROTE /etc/node-file' "$log"
check "overlay: a per-node machine-id was written" grep -qE 'WORKER-MACHINE-ID [0-9a-f]{32}' "$log"
check "overlay: nothing landed on the disk" bash -c "! debugfs -R 'ls -l /etc' '$img' 2>/dev/null | grep -q node-file"
check "overlay: the image's machine-id is still empty" bash -c "[ -z \"\$(debugfs -R 'cat /etc/machine-id' '$img' 2>/dev/null)\" ]"

# 4. No such device: the fatal path after ghost.root_timeout, never a kernel panic.
boot missing 120 "root=LABEL=no-such-label ghost.root_timeout=3 panic=1"
check "missing device: QEMU exited by itself (status $rc, ${elapsed}s)" [ "$rc" -ne 124 ]
check "missing device: the reason is named" grep -q 'ghostinit: fatal: root: no device LABEL=no-such-label appeared within' "$log"
check "missing device: the machine was reset" grep -q 'reboot: Restarting system' "$log"
check "missing device: no kernel panic" bash -c "! grep -q 'Kernel panic' '$log'"

# 5. init= that does not exist: refused before anything is destroyed.
boot noinit 120 "root=LABEL=ghost-root init=/sbin/no-such-init panic=1"
check "missing init: refused before switch_root" grep -q 'ghostinit: fatal: root: cannot switch to the new root: init is not an executable file in the new root (/sbin/no-such-init' "$log"
check "missing init: the machine was reset" grep -q 'reboot: Restarting system' "$log"
check "missing init: no kernel panic" bash -c "! grep -q 'Kernel panic' '$log'"
tap_done
