#!/bin/bash
# Kernel issue end to end: the custom kernel built by `make kernel` (allnoconfig + the
# fragments of kernel-config/, everything built in) boots the module-free image in QEMU.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
logs=build/test-logs/qemu
custom=build/kernel-custom
release=$(cat "$custom/release")
image=build/initramfs-custom.img

listing=$(zstd -dc "$image" | cpio -t --quiet)
check "the custom kernel's image carries no module" bash -c "! grep -q '\.ko\$' <<<\"\$0\"" "$listing"
check "and no module load list" bash -c "! grep -qx 'etc/ghostboot/modules' <<<\"\$0\"" "$listing"
check "ghostinit is its /init" grep -qx 'init' <<<"$listing"
check "the custom kernel has no module support at all" grep -qx '# CONFIG_MODULES is not set' "$custom/boot/config-$release"

QEMU_NETNS=$(netns_name kernel)
netns_add "$QEMU_NETNS"
QEMU_KERNEL=$custom/boot/vmlinux-$release
QEMU_INITRD=$image
log=$logs/custom-kernel.console
qemu_boot "$log" 120 "panic=1"
rc=$?
check "QEMU exited by itself (status $rc)" [ "$rc" -ne 124 ]
check "the custom kernel started ghostinit" grep -q 'ghostinit: ghostboot .* starting' "$log"
check "ghostinit saw an image without modules" grep -q 'no module list: this image carries no modules' "$log"
check "the fatal path reset the machine" grep -q 'reboot: Restarting system' "$log"
tap_done
