#!/bin/bash
# Builds static musl libnl-3, libnl-route-3 and libblkid from Debian's source packages into
# $1 (build/deps). Built trees are cached under $GHOSTBOOT_CACHE keyed by the source versions
# and these scripts, so a second machine state is a copy, while a fresh machine builds (~6 min).
set -eu
prefix=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${GHOSTBOOT_CACHE:-/var/cache/ghostboot}

. "$here/debian-source.sh"

debsrc_ensure
nl_ver=$(debsrc_version libnl3)
ul_ver=$(debsrc_version util-linux)
key="libnl3_${nl_ver}-util-linux_${ul_ver}-$(cat "$0" "$here/debian-source.sh" | sha256sum | cut -c1-12)"
cached="$cache_root/musl-libs/$key"

if [ -f "$prefix/.key" ] && [ "$(cat "$prefix/.key")" = "$key" ]; then
	exit 0
fi
if [ -f "$cached/.key" ]; then
	rm -rf "$prefix"; mkdir -p "$(dirname "$prefix")"; cp -a "$cached" "$prefix"
	exit 0
fi

echo "deps: building static musl libnl $nl_ver and libblkid (util-linux $ul_ver), a few minutes"
work=$(mktemp -d "${TMPDIR:-/tmp}/ghostboot-deps.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage="$work/prefix"
mkdir -p "$work/src" "$stage/include"
debsrc_unpack libnl3 "$nl_ver" libnl "$work/src"
debsrc_unpack util-linux "$ul_ver" util-linux "$work/src"
cd "$work/src"
# Debian's patches touch Makefile.am/configure.ac: make the generated files newer again so that
# make does not try to rerun autotools, which we do not install.
for d in libnl util-linux; do
	(cd "$d" && touch aclocal.m4 && touch configure &&
		find . \( -name Makefile.in -o -name '*.h.in' \) -exec touch {} +)
done
# ghostinit finds a root by LABEL=/UUID= among the filesystems worker roots use; libblkid's
# other probers (~70 KB: RAID vendors, HFS, ZFS, NTFS, ...) would push PID 1 past its size
# budget. Keep only the listed entries of the two prober tables (RAID/LVM/LUKS members stay
# recognised so that a member is never mistaken for a filesystem). Fails loudly if a new
# util-linux changes the tables' shape.
keep_probers() { # file "name ..."
	local file=$1 keep=" $2 " before after
	local entry='^[[:space:]]*&[a-z0-9_]+_idinfo(,|[[:space:]]*$)'
	before=$(grep -cE "$entry" "$file")
	awk -v keep="$keep" '{
		if (match($0, /^[[:space:]]*&[a-z0-9_]+_idinfo(,|[[:space:]]*$)/)) {
			name = substr($0, RSTART, RLENGTH); sub(/^[[:space:]]*&/, "", name); sub(/_idinfo.*$/, "", name)
			if (index(keep, " " name " ") == 0) next
		}
		print }' "$file" >"$file.new" && mv "$file.new" "$file"
	after=$(grep -cE "$entry" "$file")
	[ "$before" -gt "$after" ] && [ "$after" -eq $(($(wc -w <<<"$2"))) ] ||
		{ echo "deps: cannot trim the prober table of $file ($before -> $after)" >&2; exit 1; }
}
keep_probers "$work/src/util-linux/libblkid/src/superblocks/superblocks.c" \
	"linuxraid lvm2 luks vfat swap xfs ext4dev ext4 ext3 ext2 jbd iso9660 squashfs btrfs f2fs"
keep_probers "$work/src/util-linux/libblkid/src/partitions/partitions.c" "dos_pt gpt_pt pmbr_pt"
# musl-gcc hides /usr/include: the libraries and their users need the kernel UAPI headers.
debsrc_kernel_headers "$stage/include"

cflags="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables"
cppflags="-I$stage/include"
jobs=$(nproc)

cd "$work/src/libnl"
./configure -q --prefix="$stage" --sysconfdir=/etc --disable-shared --enable-static \
	--disable-cli --disable-debug CC=musl-gcc CFLAGS="$cflags" CPPFLAGS="$cppflags" >/dev/null
make -s -j"$jobs" lib/libnl-3.la lib/libnl-route-3.la >/dev/null 2>&1
# Never `make install`: it would write libnl's configuration files into the host's /etc.
make -s install-libLTLIBRARIES lib_LTLIBRARIES="lib/libnl-3.la lib/libnl-route-3.la" >/dev/null
make -s $(grep -oE '^install-libnlinclude_[a-z_]*HEADERS' Makefile) >/dev/null

cd "$work/src/util-linux"
./configure -q --prefix="$stage" --disable-shared --enable-static --disable-all-programs \
	--enable-libblkid --disable-libuuid --disable-libmount --disable-libsmartcols \
	--disable-libfdisk --disable-nls --disable-asciidoc --disable-poman --disable-bash-completion \
	--without-python --without-systemd --without-udev --without-ncursesw --without-ncurses \
	--without-tinfo --without-readline --without-libz --without-cap-ng --without-libmagic \
	--without-user --without-btrfs --without-econf --without-selinux --without-audit \
	--without-smack --without-utempter --without-cryptsetup \
	CC=musl-gcc CFLAGS="$cflags" CPPFLAGS="$cppflags" >/dev/null
make -s -j"$jobs" libblkid.la >/dev/null 2>&1
make -s install-usrlib_execLTLIBRARIES install-nodist_blkidincHEADERS >/dev/null
rm -f "$stage"/lib/*.la
rm -rf "$stage/lib/pkgconfig" "$stage/share"
echo "$key" >"$stage/.key"

mkdir -p "$(dirname "$cached")"
rm -rf "$cached.tmp"; cp -a "$stage" "$cached.tmp"; rm -rf "$cached"; mv "$cached.tmp" "$cached"
rm -rf "$prefix"; mkdir -p "$(dirname "$prefix")"; cp -a "$stage" "$prefix"
echo "deps: musl libraries ready in $prefix"
