#!/bin/bash
# Builds static musl libnl-3, libnl-route-3 and libblkid from Debian's source packages into
# $1 (build/deps). Built trees are cached under $GHOSTBOOT_CACHE keyed by the source versions
# and this script, so a second machine state is a copy, while a fresh machine builds (~6 min).
set -eu
prefix=$(realpath -m "$1")
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${GHOSTBOOT_CACHE:-/var/cache/ghostboot}

ensure_deb_src() {
	if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src' /etc/apt/sources.list; then
		return 0
	fi
	# Mirror the existing binary entry so URIs, suites and keys stay those of this machine.
	src=/etc/apt/sources.list.d/debian.sources
	if [ -f "$src" ]; then
		sed 's/^Types: deb$/Types: deb-src/' "$src" >/etc/apt/sources.list.d/ghostboot-src.sources
	else
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >/etc/apt/sources.list.d/ghostboot-src.list
	fi
	apt-get update -q >/dev/null
}

source_version() {
	apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1
}

ensure_deb_src
nl_ver=$(source_version libnl3)
ul_ver=$(source_version util-linux)
if [ -z "$nl_ver" ] || [ -z "$ul_ver" ]; then
	apt-get update -q >/dev/null
	nl_ver=$(source_version libnl3)
	ul_ver=$(source_version util-linux)
fi
[ -n "$nl_ver" ] && [ -n "$ul_ver" ] || { echo "deps: no source version for libnl3/util-linux" >&2; exit 1; }
key="libnl3_${nl_ver}-util-linux_${ul_ver}-$(sha256sum "$0" | cut -c1-12)"
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
cd "$work/src"
# apt's sandbox user must be able to write here.
chown _apt . 2>/dev/null || true
apt-get source -q --download-only "libnl3=$nl_ver" "util-linux=$ul_ver" >"$work/fetch.log" 2>&1 ||
	{ cat "$work/fetch.log" >&2; exit 1; }
# dpkg-source verifies the checksums of every file named in the .dsc and applies Debian's patches.
dpkg-source -q -x libnl3_*.dsc libnl >/dev/null 2>&1
dpkg-source -q -x util-linux_*.dsc util-linux >/dev/null 2>&1
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
cp -a /usr/include/linux /usr/include/asm-generic "$stage/include/"
cp -a /usr/include/x86_64-linux-gnu/asm "$stage/include/asm"

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
