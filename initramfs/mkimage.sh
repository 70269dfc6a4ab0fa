#!/bin/bash
# Builds the worker's initramfs: ghostinit as /init, the kernel modules it needs with an
# ordered load list resolved here (no modprobe at boot), BusyBox for the rescue shell (by default
# the small one deps/build-busybox.sh builds; --busybox /bin/busybox for Debian's full one).
# Output is deterministic: sorted cpio newc, owner 0:0, mtime 0, zstd -19 single-threaded.
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
TXT
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
output="" agent="" ktree=build/kernel release="" modlist="$here/modules.default"
with_modules=1 with_busybox=1 busybox="$here/../build/busybox/busybox"
extra_modules=() extra_files=()
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

resolve_modules() { # prints "<group> <path relative to the module dir> <need>" per module and top
	local moddir=$1 group name need verb path
	while read -r group name need; do
		case ${need:-always} in dev) need=dev:${name//-/_} ;; esac
		while read -r verb path _; do
			[ "$verb" = insmod ] || continue # "builtin X" lines need nothing
			echo "$group ${path#"$moddir"/} ${need:-always}"
		done < <(modprobe -d "$ktree" -S "$release" --show-depends "$name" 2>/dev/null ||
			echo "mkimage: module $name not found for $release" >&2)
	done
}

# One line per module, in first-load order, with every reason any top module pulled it in
# (module_choice.h: ghostinit loads a line when one of its needs holds).
merge_needs() {
	awk '!($2 in need) { order[++n] = $2; group[$2] = $1; need[$2] = $3; next }
		index("," need[$2] ",", "," $3 ",") == 0 { need[$2] = need[$2] "," $3 }
		END { for (i = 1; i <= n; i++) print group[order[i]], order[i], need[order[i]] }'
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
	while read -r group rel need; do
		[ -n "$rel" ] || continue
		install -D -m 0644 "$moddir/$rel" "$stage/lib/modules/$release/$rel"
		echo "$group /lib/modules/$release/$rel $need" >>"$stage/etc/ghostboot/modules"
	done <<<"$list"
	# The aliases of the drivers loaded only for their devices, to match against sysfs.
	drivers=$( { grep -o 'dev:[^,]*' "$stage/etc/ghostboot/modules" || true; } | cut -d: -f2 | sort -u)
	for d in $drivers; do
		grep -E " $d\$" "$moddir/modules.alias" || true
	done | LC_ALL=C sort >"$stage/etc/ghostboot/modules.alias"
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

# Deterministic archive: fixed times and owners, sorted names, single-threaded zstd.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$output")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | zstd -19 -T1 -q -f -o "$output.tmp"
mv "$output.tmp" "$output"
