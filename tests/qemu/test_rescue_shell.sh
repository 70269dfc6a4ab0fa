#!/bin/bash
# The rescue shell is enough to bring a node's root up by hand: on the fatal path (rd.shell,
# no root given) the image's small BusyBox loads the NFS modules from the load list, configures
# enp0s2 with ip, mounts the export of NFS-Ganesha (in the test's namespace, QEMU user network:
# 10.0.2.2) with a plain `mount -t nfs4` (BusyBox adds addr=), reads and writes a file, and
# unmounts; leaving the shell resets the machine.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/nfs.sh
logs=build/test-logs/qemu
export_dir=build/test-rescue/export-$$ # on ext4 (Ganesha's VFS FSAL), per run
trap 'netns_cleanup; rm -rf "$export_dir"' EXIT
mkdir -p "$export_dir" "$logs"
echo RESCUE-NFS-OK >"$export_dir/hello"
QEMU_NETNS=$(netns_name rescue)
netns_add "$QEMU_NETNS"
nfs_start "$QEMU_NETNS" "$export_dir" || { not_ok "NFS-Ganesha started"; tap_done; exit 1; }
export_path=$(realpath "$export_dir")

log=$logs/rescue-shell.console
fifo=$(mktemp -u)
mkfifo "$fifo"
ip netns exec "$QEMU_NETNS" qemu-system-x86_64 -machine q35 -cpu max -accel "$QEMU_TCG" \
	-m "$QEMU_MEM" -nographic -no-reboot -serial mon:stdio -nic user,model=virtio-net-pci \
	-kernel "$QEMU_KERNEL" -initrd "$QEMU_INITRD" -append "console=ttyS0 no_timer_check rd.shell panic=-1" \
	<"$fifo" >"$log" 2>&1 &
QEMU_PID=$!
track_pid "$QEMU_PID"
exec 3>"$fifo"
rm -f "$fifo"
if log_wait "$log" 'rd.shell: starting a shell' 120; then
	sleep 1
	cat >&3 <<EOF
while read -r group path needs; do insmod "\$path" 2>/dev/null; done </etc/ghostboot/modules
echo "R-LSMOD \$(lsmod | grep -c '^nfsv4 ')"
ip link set lo up; ip link set enp0s2 up; ip addr add 10.0.2.15/24 dev enp0s2
echo "R-ADDR \$(ip -4 addr show dev enp0s2 | grep -c 'inet 10.0.2.15/24')"
mkdir -p /mnt; mount -t nfs4 -o vers=4.2 10.0.2.2:$export_path /mnt && echo "R-MOUNT \$(cat /mnt/hello)"
echo "R-FIND \$(find /mnt -name hello | wc -l)"
echo written-by-rescue >/mnt/from-rescue; sync; umount /mnt && echo "R-UMOUNT \$(grep -c ' /mnt ' /proc/mounts)"
exit
EOF
fi
qemu_wait 120
rc=$?
exec 3>&-
check "rd.shell opened the rescue shell" grep -q 'rd.shell: starting a shell' "$log"
check "insmod of the load list loaded nfsv4 (lsmod)" grep -q 'R-LSMOD 1' "$log"
check "ip configured enp0s2" grep -q 'R-ADDR 1' "$log"
check "mount -t nfs4 mounted the export and cat read it" grep -q 'R-MOUNT RESCUE-NFS-OK' "$log"
check "find saw the file" grep -q 'R-FIND 1' "$log"
check "the file written from the shell reached the server" grep -qx 'written-by-rescue' "$export_dir/from-rescue"
check "umount left nothing mounted" grep -q 'R-UMOUNT 0' "$log"
check "leaving the shell reset the machine (status $rc)" grep -q 'reboot: Restarting system' "$log"
tap_done
