# Sourced by deps/build-*.sh: Debian source packages at the version this machine's archive
# serves, unpacked by dpkg-source (checksums verified, Debian's patches applied).

# A deb-src entry mirroring the existing binary entry, so URIs, suites and keys stay this machine's.
debsrc_ensure() {
	if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src' /etc/apt/sources.list; then
		return 0
	fi
	local src=/etc/apt/sources.list.d/debian.sources
	if [ -f "$src" ]; then
		sed 's/^Types: deb$/Types: deb-src/' "$src" >/etc/apt/sources.list.d/ghostboot-src.sources
	else
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >/etc/apt/sources.list.d/ghostboot-src.list
	fi
	apt-get update -q >/dev/null
}

# debsrc_version PKG: the newest version the archive serves (lists refreshed once if unknown).
debsrc_version() {
	local v
	v=$(apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
	if [ -z "$v" ]; then
		apt-get update -q >/dev/null
		v=$(apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
	fi
	[ -n "$v" ] || { echo "deps: no source version for $1" >&2; return 1; }
	echo "$v"
}

# debsrc_unpack PKG VERSION DIR WORK: downloads into WORK and unpacks into WORK/DIR.
debsrc_unpack() {
	local pkg=$1 ver=$2 dir=$3 work=$4
	(
		cd "$work" || exit 1
		# apt's sandbox user must be able to write here.
		chown _apt . 2>/dev/null || true
		apt-get source -q --download-only "$pkg=$ver" >"$work/fetch-$pkg.log" 2>&1 ||
			{ cat "$work/fetch-$pkg.log" >&2; exit 1; }
		dpkg-source -q -x "${pkg}_${ver#*:}.dsc" "$dir" >/dev/null 2>&1 ||
			{ echo "deps: dpkg-source could not unpack $pkg $ver" >&2; exit 1; }
	)
}

# debsrc_kernel_headers DIR: the kernel UAPI headers musl-gcc hides (it drops /usr/include).
debsrc_kernel_headers() {
	mkdir -p "$1"
	cp -a /usr/include/linux /usr/include/asm-generic "$1/"
	cp -a /usr/include/x86_64-linux-gnu/asm "$1/asm"
}
