# ghostboot image build|remove|list: the node images, one per installed kernel, in
# /var/lib/ghostboot/images/<kver>/ (vmlinuz, initramfs.img, initramfs.img.nic/), made by
# initramfs/mkimage.sh with the installed ghostinit and rescue BusyBox. The cluster file's
# kernel and initramfs default to the newest of them. Sourced by netboot/admin/ghostboot.
# shellcheck shell=bash

gb_usage_image() {
	cat <<'EOF'
usage: ghostboot image build [--kernel-tree DIR] [KVER]
       ghostboot image remove KVER
       ghostboot image list [--json]
EOF
}
gb_usage_image_build() {
	cat <<'EOF'
usage: ghostboot image build [--kernel-tree DIR] [KVER]
Builds the node image of kernel KVER (default: every kernel with DIR/lib/modules/KVER and
DIR/boot/vmlinuz-KVER) into /var/lib/ghostboot/images/KVER/: vmlinuz, initramfs.img and its
NIC parts initramfs.img.nic/. The new image replaces the old one only once it is complete.
  --kernel-tree DIR   where the kernels are installed (default /)
EOF
}
gb_usage_image_remove() {
	cat <<'EOF'
usage: ghostboot image remove KVER
Removes /var/lib/ghostboot/images/KVER/ (nothing to do when there is none).
EOF
}
gb_usage_image_list() {
	cat <<'EOF'
usage: ghostboot image list [--json]
The node images: kernel release, initramfs size in bytes, NIC parts, when it was built.
EOF
}

gb_noun_image() { gb_verb image gb_usage_image "build remove list" "$@"; }

# gb_kver_ok KVER: a kernel release, safe as a folder name.
gb_kver_ok() { [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._+~-]*$ ]]; }

# gb_image_one TREE KVER: builds one image beside its final place, then renames it there.
gb_image_one() {
	local tree=$1 kver=$2 tmp old
	[ -f "$tree/boot/vmlinuz-$kver" ] || { gb_warn "$kver: no kernel $tree/boot/vmlinuz-$kver"; return 1; }
	[ -d "$tree/lib/modules/$kver" ] || { gb_warn "$kver: no modules in $tree/lib/modules/$kver"; return 1; }
	if ! { mkdir -p "$GB_IMAGES" && tmp=$(mktemp -d "$GB_IMAGES/.$kver.XXXXXX"); }; then
		gb_warn "cannot write to $GB_IMAGES"
		return 1
	fi
	chmod 0755 "$tmp"
	if ! cp "$tree/boot/vmlinuz-$kver" "$tmp/vmlinuz" ||
		! "$GB_INITRAMFS/mkimage.sh" --output "$tmp/initramfs.img" --agent "$GB_GHOSTINIT" --busybox "$GB_BUSYBOX" \
			--modules "$GB_INITRAMFS/modules.default" --kernel-tree "$tree" --release "$kver" \
			--nic-parts "$tmp/initramfs.img.nic" >"$tmp/log" 2>&1; then
		sed 's/^/  /' "$tmp/log" >&2
		rm -rf "$tmp"
		gb_warn "$kver: the image could not be built (the old one, if any, is kept)"
		return 1
	fi
	rm -f "$tmp/log"
	old=$GB_IMAGES/.$kver.old.$$
	if [ -e "$GB_IMAGES/$kver" ]; then mv "$GB_IMAGES/$kver" "$old" || return 1; fi
	mv "$tmp" "$GB_IMAGES/$kver" || { gb_warn "cannot move the image to $GB_IMAGES/$kver"; return 1; }
	rm -rf "$old"
	gb_say "image $kver: $GB_IMAGES/$kver ($(stat -c %s "$GB_IMAGES/$kver/initramfs.img") bytes)"
}

gb_image_build() {
	OPT_kernel_tree=/
	gb_opts gb_usage_image_build "--kernel-tree=" "$@"
	gb_nargs gb_usage_image_build 0 1
	local tree=${OPT_kernel_tree%/} kvers=() d fail=0 k
	[ -n "$tree" ] || tree=/ # the default "/" without its slash: mkimage needs a folder
	[ -d "$tree/" ] || gb_die "--kernel-tree $OPT_kernel_tree: no such folder"
	if [ "${#ARGS[@]}" -eq 1 ]; then
		gb_kver_ok "${ARGS[0]}" || gb_bad_usage gb_usage_image_build "'${ARGS[0]}' is not a kernel release"
		kvers=("${ARGS[0]}")
	else
		for d in "$tree"/lib/modules/*/; do
			k=${d%/}
			k=${k##*/}
			[ -f "$tree/boot/vmlinuz-$k" ] && gb_kver_ok "$k" && kvers+=("$k")
		done
		[ "${#kvers[@]}" -gt 0 ] || gb_die "no kernel in $tree/lib/modules with its $tree/boot/vmlinuz-KVER"
	fi
	gb_lock
	for k in "${kvers[@]}"; do gb_image_one "$tree" "$k" || fail=1; done
	return "$fail"
}

gb_image_remove() {
	gb_opts gb_usage_image_remove "" "$@"
	gb_nargs gb_usage_image_remove 1 1
	local kver=${ARGS[0]}
	gb_kver_ok "$kver" || gb_bad_usage gb_usage_image_remove "'$kver' is not a kernel release"
	gb_lock
	if [ ! -e "$GB_IMAGES/$kver" ]; then
		gb_say "image $kver: none to remove"
		return 0
	fi
	rm -rf "${GB_IMAGES:?}/$kver" || gb_die "cannot remove $GB_IMAGES/$kver"
	gb_say "image $kver: removed"
}

gb_image_list() {
	OPT_json=0
	gb_opts gb_usage_image_list "--json" "$@"
	gb_nargs gb_usage_image_list 0 0
	local k dir size built parts p sep=
	[ "$OPT_json" = 1 ] && printf '['
	[ "$OPT_json" = 1 ] || printf '%-28s %12s  %-20s  %s\n' KERNEL BYTES BUILT NIC-PARTS
	while IFS= read -r k; do
		dir=$GB_IMAGES/$k
		[ -f "$dir/initramfs.img" ] || continue
		size=$(stat -c %s "$dir/initramfs.img")
		built=$(date -u -d "@$(stat -c %Y "$dir/initramfs.img")" +%Y-%m-%dT%H:%M:%SZ)
		parts=()
		for p in "$dir"/initramfs.img.nic/*.img; do
			[ -f "$p" ] || continue
			p=${p##*/}
			[ "$p" = base.img ] || parts+=("${p%.img}")
		done
		if [ "$OPT_json" = 1 ]; then
			printf '%s\n {"kernel":%s,"initramfs_bytes":%s,"built":"%s","nic_parts":[' "$sep" "$(gb_json_str "$k")" "$size" "$built"
			local psep=
			for p in "${parts[@]}"; do printf '%s%s' "$psep" "$(gb_json_str "$p")"; psep=,; done
			printf ']}'
			sep=,
		else
			printf '%-28s %12s  %-20s  %s\n' "$k" "$size" "$built" "${parts[*]:--}"
		fi
	done < <([ -d "$GB_IMAGES" ] && find "$GB_IMAGES" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | sort -V)
	[ "$OPT_json" = 0 ] || printf '\n]\n'
}
