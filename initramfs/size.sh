#!/bin/bash
# `make size`: ghostinit and the image against their budgets. The image budget is relative to
# what its modules alone pack to, so it tracks the module set instead of a magic number.
set -euo pipefail
agent=$1 image=$2 ktree=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

agent_budget=$((320 * 1024))
# Bytes an image without BusyBox may add to its modules alone: almost all of it is ghostinit,
# packed. 160000 (set in Nov 2026 for a smaller ghostinit) bound before the agent's own budget: at
# 315,544 B ghostinit packs to 160 KB. 168000 is ghostinit at its budget (320 KiB, ~166 KB
# packed) plus the image's own small files: the two budgets now say the same thing.
overhead_budget=168000
busybox_budget=185000       # bytes the rescue BusyBox adds to the image (163-169 KB in Nov 2026)
full_budget=1750000         # the image with the rescue BusyBox (1.70 MB in Nov 2026)
# What a node of a cluster loads, base + the part for its NIC (IMAGE.nic/, mkimage.sh
# --nic-parts): 1/15 of Debian's initramfs-tools image for the same kernel (BOOT=nfs,
# MODULES=netboot: 22,877,189 bytes, tests/bench/bench_root.sh), the goal of the Root issue.
node_budget=1525145

"$here/mkimage.sh" --output "$tmp/no-busybox.img" --agent "$agent" --kernel-tree "$ktree" --no-busybox
# The modules alone: the same module files in a cpio + zstd -19, nothing else.
mkdir "$tmp/mods"
(cd "$tmp/mods" && zstd -dc "$tmp/no-busybox.img" | cpio --quiet -id 'lib/modules/*')
find "$tmp/mods" -exec touch -h -d @0 {} +
(cd "$tmp/mods" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) |
	zstd -19 -T1 -q -o "$tmp/modules-only.cpio.zst"

agent_size=$(stat -c %s "$agent")
image_size=$(stat -c %s "$image")
nobb_size=$(stat -c %s "$tmp/no-busybox.img")
mods_size=$(stat -c %s "$tmp/modules-only.cpio.zst")
fail=0
row() { # what size budget
	local verdict=ok
	[ "$2" -le "$3" ] || { verdict=OVER; fail=1; }
	printf '%-42s %10d bytes  budget %10d  %s\n' "$1" "$2" "$3" "$verdict"
}
row "ghostinit (static, stripped)" "$agent_size" "$agent_budget"
printf '%-42s %10d bytes\n' "modules alone (cpio + zstd -19)" "$mods_size"
row "image without BusyBox" "$nobb_size" $((mods_size + overhead_budget))
row "rescue BusyBox in the image (with - without)" $((image_size - nobb_size)) "$busybox_budget"
row "image with BusyBox ($(basename "$image"))" "$image_size" "$full_budget"
parts=$image.nic
if [ -f "$parts/base.img" ]; then
	base_size=$(stat -c %s "$parts/base.img")
	for part in "$parts"/*.img; do
		[ "$part" != "$parts/base.img" ] || continue
		row "a node's image: base + $(basename "$part" .img)" $((base_size + $(stat -c %s "$part"))) "$node_budget"
	done
fi
exit $fail
