#!/bin/bash
# rd.break end to end: with rd.break=pre-mount, rd.break=mount and rd.break=pre-pivot the BusyBox
# shell opens at each point in order, sees the state of that point (nothing mounted / the root
# mounted at /newroot / ghostinit kept in /run/initramfs), and the boot continues to the
# worker's init when each shell exits. Uses a block root (no network needed).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
logs=build/test-logs/qemu
worker_env rootbrk
img=$WORKER_DIR/root.img
check "ext4 image with the worker root" worker_root_ext4 "$img" brk-root 7d1e2f30-4a5b-4c6d-8e9f-0a1b2c3d4e5f
check "initramfs with virtio_blk and ext4" worker_initramfs "$QEMU_INITRD" --add-module virtio_blk:fs --add-module ext4:fs

log=$logs/root-break.console
fifo=$(mktemp -u)
mkfifo "$fifo"
ip netns exec "$QEMU_NETNS" qemu-system-x86_64 -machine q35 -cpu max -accel "$QEMU_TCG" \
	-m "$QEMU_MEM" -nographic -no-reboot -serial mon:stdio -nic none -kernel "$QEMU_KERNEL" \
	-initrd "$QEMU_INITRD" -drive "file=$img,if=virtio,format=raw" \
	-append "console=ttyS0 root=LABEL=brk-root rw rd.break=pre-mount rd.break=mount rd.break=pre-pivot panic=-1" \
	<"$fifo" >"$log" 2>&1 &
QEMU_PID=$!
track_pid "$QEMU_PID"
exec 3>"$fifo"
rm -f "$fifo"
# answer POINT COMMANDS: waits for the shell of that point, runs the commands, leaves it.
answer() {
	local waited=0
	while [ "$(grep -c "rd.break=$1: starting a shell" "$log" 2>/dev/null)" -lt 1 ] && [ $waited -lt 1200 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	sleep 1
	printf '%s\nexit\n' "$2" >&3
}
answer pre-mount 'echo "BRK1 mounted=$(grep -c " /newroot " /proc/mounts)"'
answer mount 'echo "BRK2 mounted=$(grep -c " /newroot " /proc/mounts) init=$(ls /newroot/sbin/init)"'
answer pre-pivot 'echo "BRK3 keep=$(ls /run/initramfs/shutdown)"'
qemu_wait 120
rc=$?
exec 3>&-
check "QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
check "pre-mount: the shell opened before the root was mounted" grep -q 'BRK1 mounted=0' "$log"
check "mount: the shell saw the root mounted at /newroot" grep -q 'BRK2 mounted=1 init=/newroot/sbin/init' "$log"
check "pre-pivot: the shell saw ghostinit kept for shutdown" grep -q 'BRK3 keep=/run/initramfs/shutdown' "$log"
check "the points came in order" bash -c "grep -aoE 'rd.break=(pre-mount|mount|pre-pivot): starting' '$log' | tr '\n' ' ' | grep -q 'pre-mount: starting rd.break=mount: starting rd.break=pre-pivot: starting'"
check "the boot continued to the worker's init" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
tap_done
