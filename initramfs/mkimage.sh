#!/bin/bash
# Builds the worker's initramfs: ghostinit as /init, the kernel modules it needs with an
# ordered load list resolved here (no modprobe at boot), BusyBox for the rescue shell (by default
# the small one deps/build-busybox.sh builds; --busybox /bin/busybox for Debian's full one).
# Output is deterministic: sorted cpio newc, owner 0:0, mtime 0, zstd -19 single-threaded.
# With --nic-parts DIR it also splits the same files into a base archive and one archive per
# NIC driver family, which the kernel unpacks one after the other (iPXE loads base + the part
# for the PCI ID of the NIC it booted from, netboot/cluster/generate.sh), and DIR/pci.map.
set -euo pipefail

usage() {
	cat >&2 <<'TXT'
usage: initramfs/mkimage.sh --output FILE --agent GHOSTINIT [options]
  --kernel-tree DIR    tree holding lib/modules/<release> (default build/kernel)
  --release R          kernel release (default: DIR/release, or the only one in DIR/lib/modules)
  --modules FILE       module list, "<group> <module> [<need>]" lines (default initramfs/modules.default)
  --add-module M[:G]   one more module (group G, default "extra"); may be repeated
  --no-modules         no kernel modules at all (a kernel with everything built in)
  --busybox PATH       the rescue shell's static BusyBox, linked as its own applet list
                       (default build/busybox/busybox, built by deps/build-busybox.sh)
  --no-busybox         no rescue shell
  --file SRC:DST       copy a file into the image (e.g. a cluster key); may be repeated
  --nic-parts DIR      also write DIR/base.img (all but the NIC drivers), DIR/<family>.img per
                       NIC driver family of the module list (its drivers and their own
                       dependencies, the load list and aliases of base + that family) and
                       DIR/pci.map ("<vendor>:<device>|<vendor>:* <family>" lines)
TXT
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
output="" agent="" ktree=build/kernel release="" modlist="$here/modules.default"
with_modules=1 with_busybox=1 busybox="$here/../build/busybox/busybox"
extra_modules=() extra_files=() nic_parts=""
while [ $# -gt 0 ]; do
	case $1 in
	--output) output=$2; shift ;;
	--agent) agent=$2; shift ;;
	--kernel-tree) ktree=$2; shift ;;
	--release) release=$2; shift ;;
	--modules) modlist=$2; shift ;;
	--add-module) extra_modules+=("$2"); shift ;;
	--no-modules) with_modules=0 ;;
	--busybox) busybox=$2; shift ;;
	--no-busybox) with_busybox=0 ;;
	--file) extra_files+=("$2"); shift ;;
	--nic-parts) nic_parts=$2; shift ;;
	*) usage ;;
	esac
	shift
done
[ -n "$output" ] && [ -n "$agent" ] || usage
[ -x "$agent" ] || { echo "mkimage: $agent is not an executable" >&2; exit 1; }
if [ "$with_busybox" -eq 1 ] && [ ! -x "$busybox" ]; then
	echo "mkimage: no BusyBox at $busybox (make deps builds it; or --busybox /bin/busybox, --no-busybox)" >&2
	exit 1
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/ghostboot-image.XXXXXX")
trap 'rm -rf "$stage"' EXIT
umask 022
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,run,etc/ghostboot,lib/modules,newroot,tmp}
install -m 0755 "$agent" "$stage/init"
# The kernel opens /dev/console for init's stdio before anything is mounted.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || echo "mkimage: cannot mknod /dev/console (not root?)" >&2
mknod -m 666 "$stage/dev/null" c 1 3 2>/dev/null || true

# Prints "<group> <path relative to the module dir> <need> <family>" per module and top; the
# family (a NIC driver's part of the image, its name or the list's fourth field) is "-" for
# modules not loaded for a device.
resolve_modules() {
	local moddir=$1 group name need family verb path
	while read -r group name need family; do
		case ${need:-always} in
		dev) need=dev:${name//-/_} family=${family:-${name//-/_}} ;;
		*) family=- ;;
		esac
		while read -r verb path _; do
			[ "$verb" = insmod ] || continue # "builtin X" lines need nothing
			echo "$group ${path#"$moddir"/} ${need:-always} $family"
		done < <(modprobe -d "$ktree" -S "$release" --show-depends "$name" 2>/dev/null ||
			echo "mkimage: module $name not found for $release" >&2)
	done
}

# One line per module, in first-load order, with every reason any top module pulled it in
# (module_choice.h: ghostinit loads a line when one of its needs holds) and every family that
# holds it ("-": the base, when any top that is not a NIC driver needs it).
merge_needs() {
	awk '!($2 in need) { order[++n] = $2; group[$2] = $1; need[$2] = $3; fam[$2] = $4; next }
		index("," need[$2] ",", "," $3 ",") == 0 { need[$2] = need[$2] "," $3 }
		fam[$2] != "-" && ($4 == "-" || index("," fam[$2] ",", "," $4 ",") == 0) {
			fam[$2] = $4 == "-" ? "-" : fam[$2] "," $4 }
		END { for (i = 1; i <= n; i++) print group[order[i]], order[i], need[order[i]], fam[order[i]] }'
}

# write_module_lists DIR FAMILY: DIR/etc/ghostboot/{modules,modules.alias} for the modules of
# the base and of FAMILY ("*": every family, the whole image).
write_module_lists() {
	local dir=$1 want=$2 group rel need family d
	mkdir -p "$dir/etc/ghostboot"
	: >"$dir/etc/ghostboot/modules"
	while read -r group rel need family; do
		[ -n "$rel" ] || continue
		[ "$want" = "*" ] || [ "$family" = - ] || [[ ,$family, == *,$want,* ]] || continue
		echo "$group /lib/modules/$release/$rel $need" >>"$dir/etc/ghostboot/modules"
	done <<<"$list"
	# The aliases of the drivers loaded only for their devices, to match against sysfs.
	drivers=$( { grep -o 'dev:[^,]*' "$dir/etc/ghostboot/modules" || true; } | cut -d: -f2 | sort -u)
	for d in $drivers; do
		grep -E " $d\$" "$moddir/modules.alias" || true
	done | LC_ALL=C sort >"$dir/etc/ghostboot/modules.alias"
}

if [ "$with_modules" -eq 1 ] && [ -d "$ktree/lib/modules" ]; then
	if [ -z "$release" ]; then
		if [ -f "$ktree/release" ]; then release=$(cat "$ktree/release")
		else release=$(ls "$ktree/lib/modules" | head -n 1); fi
	fi
	moddir=$(realpath "$ktree")/lib/modules/$release
	[ -f "$moddir/modules.dep" ] || { echo "mkimage: no modules.dep in $moddir (run depmod)" >&2; exit 1; }
	ktree=$(realpath "$ktree")
	list=$( { grep -v -e '^#' -e '^[[:space:]]*$' "$modlist" || true
		for m in "${extra_modules[@]}"; do
			case $m in *:*) echo "${m#*:} ${m%%:*}" ;; *) echo "extra $m" ;; esac
		done; } | resolve_modules "$moddir" | merge_needs)
	while read -r group rel need family; do
		[ -n "$rel" ] || continue
		install -D -m 0644 "$moddir/$rel" "$stage/lib/modules/$release/$rel"
	done <<<"$list"
	write_module_lists "$stage" "*"
fi

if [ "$with_busybox" -eq 1 ]; then
	install -m 0755 "$busybox" "$stage/bin/busybox"
	# Run as "busybox": under another name BusyBox looks for an applet of that name.
	for applet in $("$stage/bin/busybox" --list | LC_ALL=C sort); do
		[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
	done
	[ -e "$stage/bin/sh" ] || { echo "mkimage: $busybox lists no sh applet" >&2; exit 1; }
fi

for f in "${extra_files[@]}"; do
	install -D -m 0600 "${f%%:*}" "$stage/${f#*:}"
done

# archive DIR OUT [FILTER]: a deterministic archive of DIR (fixed times and owners, sorted
# names, single-threaded zstd); FILTER, a command reading and printing names, selects.
archive() {
	local dir=$1 out=$2
	shift 2
	find "$dir" -exec touch -h -d @0 {} +
	mkdir -p "$(dirname "$out")"
	(cd "$dir" && find . -mindepth 1 | LC_ALL=C sort | "${@:-cat}" |
		cpio --quiet -o -H newc -R 0:0 --reproducible) | zstd -19 -T1 -q -f -o "$out.tmp"
	mv "$out.tmp" "$out"
}

# The module files of FAMILY, as ./lib/modules/... names.
family_files() {
	local want=$1 group rel need family
	while read -r group rel need family; do
		[ -n "$rel" ] && [[ ,$family, == *,$want,* ]] && echo "./lib/modules/$release/$rel"
	done <<<"$list"
	return 0
}

# The PCI IDs a family's drivers claim, from their aliases: an exact vendor and device, or a
# vendor with any device (the virtio transport); IDs two families claim are left out (such a
# NIC gets the whole image).
pci_map() {
	local f
	for f in "$@"; do
		sed -n 's/^alias pci:v0000\([0-9A-F]\{4\}\)d\(0000\([0-9A-F]\{4\}\)\|\*\)sv.* .*$/\1:\3/p' \
			"$nic_parts/.lists/$f/etc/ghostboot/modules.alias" | sed 's/:$/:*/' | tr 'A-F' 'a-f' |
			LC_ALL=C sort -u | sed "s/\$/ $f/"
	done | LC_ALL=C sort | awk '{ fams[$1] = fams[$1] ? fams[$1] " " $2 : $2; n[$1]++ }
		END { for (id in n) if (n[id] == 1) print id, fams[id] }' | LC_ALL=C sort
}

nic_split() {
	local families f
	families=$(awk '{ print $4 }' <<<"$list" | tr ',' '\n' | grep -v '^-$' | LC_ALL=C sort -u)
	[ -n "$families" ] || { echo "mkimage: --nic-parts: the module list has no NIC driver (need dev)" >&2; exit 1; }
	rm -rf "$nic_parts" && mkdir -p "$nic_parts/.lists" && nic_parts=$(realpath "$nic_parts")
	# The base: every name but the families' module files and the module lists (each part
	# brings the lists of base + itself; the kernel unpacks the part after the base).
	{ for f in $families; do family_files "$f"; done
		echo ./etc/ghostboot/modules
		echo ./etc/ghostboot/modules.alias; } | LC_ALL=C sort -u >"$nic_parts/.lists/not-base"
	archive "$stage" "$nic_parts/base.img" grep -vxF -f "$nic_parts/.lists/not-base"
	for f in $families; do
		mkdir -p "$nic_parts/.lists/$f"
		(cd "$stage" && family_files "$f" | cpio --quiet -pdm "$nic_parts/.lists/$f")
		write_module_lists "$nic_parts/.lists/$f" "$f"
		archive "$nic_parts/.lists/$f" "$nic_parts/$f.img"
	done
	pci_map $families >"$nic_parts/pci.map"
	rm -rf "$nic_parts/.lists"
}

archive "$stage" "$output"
if [ -n "$nic_parts" ]; then
	[ "$with_modules" -eq 1 ] && [ -n "${list:-}" ] || { echo "mkimage: --nic-parts needs the modules" >&2; exit 1; }
	nic_split
fi
