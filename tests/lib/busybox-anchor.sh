# The BusyBox anchor of the boot benchmarks (tests/bench/bench_root.sh, bench_debian_managers.sh):
# what a hand-written netboot initramfs does, in the same order as ghostinit, made from the
# files of the ghostboot image it is measured against (same kernel modules) plus the full
# BusyBox of busybox-static (udhcpc and an NFS-capable mount). Source it.
#
#   busybox_anchor_image GHOSTBOOT_IMG OUT ro|rw
#     OUT boots with bb.root=SERVER:PATH (mounted NFSv4.2 with that mode) and optionally
#     bb.ifname=NAME (the NIC renamed first, as udev would: default eth0).

busybox_anchor_image() {
	local gb_img=$1 out=$2 mode=$3 tree
	tree=$(mktemp -d "$(dirname "$out")/busybox-tree.XXXXXX") || return 1
	(cd "$tree" && zstd -dc - | cpio -idm --quiet) <"$gb_img" || return 1
	rm -f "$tree/init"
	find "$tree/bin" "$tree/sbin" -type l -delete
	install -m 0755 /bin/busybox "$tree/bin/busybox" || return 1
	local applet
	for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$tree/bin/$applet"; done
	sed "s/@MODE@/$mode/" >"$tree/init" <<'EOS'
#!/bin/sh
# BusyBox anchor: what a hand-written netboot initramfs does, in the same order as ghostinit.
export PATH=/bin:/sbin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mkdir -p /run && mount -t tmpfs -o mode=755 tmpfs /run
while read -r group path _; do insmod "$path" 2>/dev/null; done </etc/ghostboot/modules
ifname=eth0
for a in $(cat /proc/cmdline); do case $a in bb.root=*) root=${a#bb.root=} ;; bb.ifname=*) ifname=${a#bb.ifname=} ;; esac; done
[ "$ifname" = eth0 ] || ip link set eth0 name "$ifname"
ip link set lo up; ip link set "$ifname" up
udhcpc -i "$ifname" -n -q -t 10 -T 1 -s /bin/udhcpc.script
mkdir -p /newroot
mount -t nfs4 -o @MODE@,vers=4.2 "$root" /newroot || { echo "BB-MOUNT-FAILED"; poweroff -f; }
exec switch_root /newroot /sbin/init
EOS
	cat >"$tree/bin/udhcpc.script" <<'EOS'
#!/bin/sh
case "$1" in
bound | renew)
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface" ;;
esac
exit 0
EOS
	chmod 0755 "$tree/init" "$tree/bin/udhcpc.script"
	(cd "$tree" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) |
		zstd -19 -T1 -q -f -o "$out" || return 1
	rm -rf "$tree"
}
