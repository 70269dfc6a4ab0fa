#!/bin/bash
# heavy: packs the images again (make size, determinism), 70-100 s: the longest of the build suite
# The build itself: size budgets, a deterministic image, the module load list resolved at build
# time (dependencies before users, softdeps honoured, no duplicates), builder options, and a
# `make deps` that is silent when everything is there.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
agent=build/ghostinit

out=$(initramfs/size.sh "$agent" build/initramfs.img build/kernel 2>&1)
echo "$out" | sed 's/^/# /'
check "make size: every size within its budget" bash -c "! grep -q OVER <<<\"\$0\"" "$out"
check "make size: ghostinit row present" grep -q 'ghostinit (static, stripped)' <<<"$out"
check "make size: the rescue BusyBox's own row present" grep -q 'rescue BusyBox in the image' <<<"$out"
check "make size: a node's image (base + its NIC part) for each of the 4 parts" \
	[ "$(grep -c "a node's image: base + " <<<"$out")" = 4 ]

initramfs/mkimage.sh --output "$tmp/a.img" --agent "$agent" --kernel-tree build/kernel
sleep 1.1 # a different wall clock must not change the archive
initramfs/mkimage.sh --output "$tmp/b.img" --agent "$agent" --kernel-tree build/kernel
check "two builds of the image are identical" cmp -s "$tmp/a.img" "$tmp/b.img"

# The rescue shell: the small BusyBox of deps/build-busybox.sh by default, with its own applets.
rescue=build/busybox/busybox
mkdir "$tmp/a"
(cd "$tmp/a" && zstd -dc ../a.img | cpio --quiet -id 'bin/*')
check "the default image carries the rescue BusyBox" cmp -s "$rescue" "$tmp/a/bin/busybox"
check "its applets are linked, and only its own" bash -c \
	'[ "$(ls "$1/bin" | grep -vx busybox)" = "$("$0" --list | LC_ALL=C sort)" ]' "$rescue" "$tmp/a"
rescue_applets="sh ash ls cat cp mv rm mkdir rmdir ln chmod chown touch df du find grep head tail
	wc sed more vi hexdump mount umount ip ping ps kill top free dmesg insmod rmmod lsmod sync
	reboot poweroff sleep echo printf test [ mknod chroot cpio stat uname env true false cut sort
	tr xargs dd which"
check "the rescue BusyBox has every applet the rescue shell promises" bash -c \
	'l=$("$0" --list); for a in $1; do grep -qxF "$a" <<<"$l" || { echo "# missing $a"; exit 1; }; done' \
	"$rescue" "$rescue_applets"
check "its shell does arithmetic, tests and pipes" bash -c \
	'[ "$("$0" sh -c "[ 6 -gt 5 ] && echo \$((6*7)) | tr 4 x")" = x2 ]' "$rescue"
initramfs/mkimage.sh --output "$tmp/full.img" --agent "$agent" --kernel-tree build/kernel --busybox /bin/busybox
files=$(zstd -dc "$tmp/full.img" | cpio -t --quiet)
check "--busybox /bin/busybox: Debian's full BusyBox with its applets (udhcpc)" bash -c \
	'grep -qx bin/udhcpc <<<"$0" && zstd -dc "$1" | cpio --quiet -i --to-stdout bin/busybox | cmp -s - /bin/busybox' \
	"$files" "$tmp/full.img"
cp "$rescue" "$tmp/rescue-bb" # under another name BusyBox would not answer --list
initramfs/mkimage.sh --output "$tmp/renamed.img" --agent "$agent" --no-modules --busybox "$tmp/rescue-bb"
check "--busybox with a file not named busybox still links its applets" bash -c \
	'zstd -dc "$0" | cpio -t --quiet | grep -qx bin/sh' "$tmp/renamed.img"
check "a binary that lists no sh applet is refused" bash -c \
	'! initramfs/mkimage.sh --output "$0/y.img" --agent "$1" --no-modules --busybox /bin/true 2>/dev/null' "$tmp" "$agent"
msg=$(initramfs/mkimage.sh --output "$tmp/x.img" --agent "$agent" --no-modules --busybox "$tmp/none" 2>&1)
rc=$?
check "a missing --busybox is refused by name" bash -c '[ "$0" -ne 0 ] && grep -q "no BusyBox at $2" <<<"$1"' "$rc" "$msg" "$tmp/none"

list=$(zstd -dc "$tmp/a.img" | cpio --quiet -i --to-stdout etc/ghostboot/modules)
# A load-list line is "<group> <path> <needs>".
line_of() { awk -v m="/$1.ko" 'substr($2, length($2) - length(m) + 1) == m { print NR; exit }' <<<"$list"; }
before() { [ -n "$(line_of "$1")" ] && [ -n "$(line_of "$2")" ] && [ "$(line_of "$1")" -lt "$(line_of "$2")" ]; }
check "virtio_ring is loaded before virtio_net" before virtio_ring virtio_net
check "sunrpc is loaded before nfs" before sunrpc nfs
check "nfs is loaded before nfsv4" before nfs nfsv4
check "r8169's softdep realtek is loaded before it" before realtek r8169
check "NIC drivers come first (group net before fs)" before igb sunrpc
check "no module is listed twice" bash -c '[ -z "$(awk "{ print \$2 }" <<<"$0" | sort | uniq -d)" ]' "$list"
check "every listed module is in the image" bash -c 'files=$(zstd -dc "$1" | cpio -t --quiet); for p in $(awk "{ print \$2 }" <<<"$0"); do grep -qx "${p#/}" <<<"$files" || exit 1; done' "$list" "$tmp/a.img"
check "the list has the three groups" bash -c 'for g in net fs crypto; do grep -q "^$g " <<<"$0" || exit 1; done' "$list"

# --nic-parts: the same files as the whole image, split into a base and one part per NIC family.
initramfs/mkimage.sh --output "$tmp/p.img" --agent "$agent" --kernel-tree build/kernel --nic-parts "$tmp/p.nic"
check "--nic-parts: the whole image is unchanged" cmp -s "$tmp/a.img" "$tmp/p.img"
check "--nic-parts: a base, a part per NIC family and the PCI map" bash -c \
	'[ "$(cd "$0" && ls | tr "\n" " ")" = "base.img e1000e.img igb.img pci.map r8169.img virtio.img " ]' "$tmp/p.nic"
unpack() { # DIR ARCHIVE...: unpacked one after the other, as the kernel does
	local dir=$1 f
	shift
	mkdir -p "$dir"
	for f in "$@"; do (cd "$dir" && zstd -dc "$f" | cpio --quiet -idu) || return 1; done
}
unpack "$tmp/whole" "$tmp/a.img"
unpack "$tmp/all-parts" "$tmp/p.nic/base.img" "$tmp/p.nic"/{e1000e,igb,r8169,virtio}.img
# Device nodes apart: diff -r calls two nodes different when their inodes changed in different
# seconds (a slow unpack), whatever their type and numbers.
nodes() { (cd "$1" && find . \( -type c -o -type b \) -printf '%p %y %m\n' -exec stat -c '%t:%T' {} \;); }
check "base + every part = the whole image's files and contents (but the lists)" \
	diff -r -x modules -x modules.alias -x dev "$tmp/whole" "$tmp/all-parts"
check "base + every part = the whole image's device nodes" \
	bash -c '[ -n "$1" ] && [ "$1" = "$2" ]' _ "$(nodes "$tmp/whole")" "$(nodes "$tmp/all-parts")"
base_ko=$(zstd -dc "$tmp/p.nic/base.img" | cpio -t --quiet | grep '\.ko$' | sed 's|.*/||' | tr '\n' ' ')
check "the base holds no NIC driver or NIC-only dependency" bash -c \
	'! grep -qwE "e1000e|igb|r8169|virtio_net|virtio_pci|libphy|dca|failover" <<<"$0" && grep -qw nfsv4.ko <<<"$0"' "$base_ko"
unpack "$tmp/node" "$tmp/p.nic/base.img" "$tmp/p.nic/e1000e.img"
node_list=$(cat "$tmp/node/etc/ghostboot/modules")
check "base + e1000e: its load list is the whole list without the other families, in order" bash -c \
	'[ "$0" = "$(grep -vE "/(virtio[a-z_]*|net_failover|failover|igb|dca|i2c-algo-bit|r8169|realtek|libphy|mdio_devres)\.ko " <<<"$1")" ]' \
	"$node_list" "$list"
check "base + e1000e: every module of its list is in it" bash -c \
	'for p in $(awk "{ print \$2 }" <<<"$0"); do [ -f "$1$p" ] || exit 1; done' "$node_list" "$tmp/node"
check "base + e1000e: only e1000e's aliases" bash -c \
	'[ -s "$0" ] && [ -z "$(awk "{ print \$3 }" "$0" | sort -u | grep -vx e1000e)" ]' "$tmp/node/etc/ghostboot/modules.alias"
map=$tmp/p.nic/pci.map
check "pci.map: an Intel 82574L (8086:10d3) is e1000e's" grep -qx '8086:10d3 e1000e' "$map"
check "pci.map: an I210 (8086:1533) is igb's, an RTL8111 (10ec:8168) r8169's" bash -c \
	'grep -qx "8086:1533 igb" "$0" && grep -qx "10ec:8168 r8169" "$0"' "$map"
check "pci.map: any virtio device (1af4:*) is the virtio part's" grep -qx '1af4:\* virtio' "$map"
check "pci.map: no ID for two families" bash -c '[ -z "$(cut -d" " -f1 "$0" | sort | uniq -d)" ]' "$map"
initramfs/mkimage.sh --output "$tmp/q.img" --agent "$agent" --kernel-tree build/kernel --nic-parts "$tmp/q.nic"
check "--nic-parts: two builds give identical parts" diff -r "$tmp/p.nic" "$tmp/q.nic"
check "--nic-parts without modules is refused" bash -c \
	'! initramfs/mkimage.sh --output "$0/n.img" --agent "$1" --no-modules --nic-parts "$0/n.nic" 2>/dev/null' "$tmp" "$agent"

initramfs/mkimage.sh --output "$tmp/c.img" --agent "$agent" --kernel-tree build/kernel --no-busybox --add-module ext4:block
files=$(zstd -dc "$tmp/c.img" | cpio -t --quiet)
check "--no-busybox leaves BusyBox out" bash -c "! grep -qx 'bin/busybox' <<<\"\$0\"" "$files"
list=$(zstd -dc "$tmp/c.img" | cpio --quiet -i --to-stdout etc/ghostboot/modules)
check "--add-module ext4:block adds ext4 in its group" grep -qE '^block [^ ]*/ext4.ko( |$)' <<<"$list"
check "and its dependencies before it" before jbd2 ext4
initramfs/mkimage.sh --output "$tmp/d.img" --agent "$agent" --kernel-tree build/kernel --no-modules
files=$(zstd -dc "$tmp/d.img" | cpio -t --quiet)
check "--no-modules: no module and no load list" bash -c "! grep -qE '\.ko\$|^etc/ghostboot/modules\$' <<<\"\$0\"" "$files"
check "the console node is in the image" grep -qx 'dev/console' <<<"$files"

check "make deps is silent when everything is there" bash -c '[ -z "$(make -s deps 2>&1)" ]'
tap_done
