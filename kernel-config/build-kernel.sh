#!/bin/bash
# `make kernel`: a custom worker kernel from Debian's linux-source package (the same major
# version as the default kernel), with the fragments of kernel-config/ applied on top of
# allnoconfig (toybox mkroot style: only what is asked for) or of Debian's own config.
# Every requested symbol is checked after Kconfig resolved its dependencies.
#
#   build-kernel.sh OUT [allnoconfig|debian]
#   KERNEL_CONFIG_ONLY=1: stop after the configuration and its check (OUT gets only config)
#   KERNEL_FRAGMENTS=DIR: take the *.config fragments from DIR (tests)
# OUT receives bzImage, vmlinux (PVH-bootable ELF), config and release. The source tree and the
# object tree are cached under $GHOSTBOOT_CACHE/kernel-build, keyed by the source version, so a
# rebuild after a fragment change is incremental.
set -euo pipefail
out=$(realpath -m "$1")
base=${2:-allnoconfig}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cache_root=${GHOSTBOOT_CACHE:-/var/cache/ghostboot}

case $base in allnoconfig | debian) ;; *) echo "kernel: base must be allnoconfig or debian" >&2; exit 2 ;; esac
default_release=$(cat "$top/build/kernel/release")
major=$(echo "$default_release" | cut -d. -f1,2)
pkg=linux-source-$major
ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
[ -n "$ver" ] && [ "$ver" != "(none)" ] || { echo "kernel: no $pkg in the package lists" >&2; exit 1; }

fragments=("${KERNEL_FRAGMENTS:-$here}"/*.config)
key=$( (echo "$pkg $ver $base ${KERNEL_CONFIG_ONLY:-}"; cat "${fragments[@]}" "$0") | sha256sum | cut -c1-16)
if [ -f "$out/.key" ] && [ "$(cat "$out/.key")" = "$key" ]; then
	exit 0
fi

work=$cache_root/kernel-build
src=$work/src-$ver
obj=$work/obj-$ver-$base
[ -n "${KERNEL_CONFIG_ONLY:-}" ] && obj=$work/cfg-$ver-$base-$$
mkdir -p "$work"
if [ ! -f "$src/.unpacked" ]; then
	echo "kernel: fetching $pkg $ver"
	debdir=$cache_root/linux-source
	mkdir -p "$debdir"
	deb=$(ls "$debdir/${pkg}_${ver}_all.deb" 2>/dev/null || true)
	if [ -z "$deb" ]; then
		(cd "$debdir" && chown _apt . 2>/dev/null; apt-get download -q "$pkg=$ver" >/dev/null 2>&1)
		deb=$debdir/${pkg}_${ver}_all.deb
	fi
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$src.tmp" --wildcards "./usr/src/$pkg.tar.xz"
	tar -xJf "$src.tmp/usr/src/$pkg.tar.xz" -C "$src.tmp"
	mv "$src.tmp/$pkg" "$src"
	rm -rf "$src.tmp"
	touch "$src/.unpacked"
fi

mkdir -p "$obj"
merged=$obj/ghostboot-fragments.config
cat "${fragments[@]}" >"$merged"
if [ "$base" = allnoconfig ]; then
	# allnoconfig answers "no" to everything the fragments do not ask for.
	make -s -C "$src" O="$obj" KCONFIG_ALLCONFIG="$merged" allnoconfig >/dev/null
else
	cp "$top/build/kernel/boot/config-$default_release" "$obj/.config"
	(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$merged" >/dev/null)
	# Debian's config names its signing key, which is not in the source package.
	sed -i -e 's/^CONFIG_SYSTEM_TRUSTED_KEYS=.*/CONFIG_SYSTEM_TRUSTED_KEYS=""/' \
		-e 's/^CONFIG_MODULE_SIG_KEY=.*/CONFIG_MODULE_SIG_KEY="certs\/signing_key.pem"/' "$obj/.config"
	make -s -C "$src" O="$obj" olddefconfig >/dev/null
fi

# Every symbol a fragment asks for must have survived Kconfig's dependency resolution.
lost=0
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue ;; esac
	# On Debian's modular base a driver asked for as =y may stay =m (its dependencies are
	# modules there): the image builder then carries it like any other module.
	if [ "$base" = debian ] && [ "${line%=y}" != "$line" ] && grep -qxF "${line%=y}=m" "$obj/.config"; then
		continue
	fi
	if ! grep -qxF "$line" "$obj/.config"; then
		sym=${line%%=*}
		got=$(grep -E "^($sym=|# $sym is not set)" "$obj/.config" || echo "absent (unknown to this kernel or its dependencies are off)")
		echo "kernel: $line did not survive: $got" >&2
		lost=$((lost + 1))
	fi
done <"$merged"
[ "$lost" -eq 0 ] || { echo "kernel: $lost requested symbols did not survive (see above)" >&2; exit 1; }
if [ -n "${KERNEL_CONFIG_ONLY:-}" ]; then
	mkdir -p "$out"
	cp "$obj/.config" "$out/config"
	rm -rf "$obj"
	echo "kernel: $base + fragments configured; every requested symbol survived ($out/config)"
	exit 0
fi

echo "kernel: building $pkg $ver on $base + kernel-config/*.config (a few minutes on 2 cores)"
targets=bzImage
[ "$base" = debian ] && targets="bzImage modules"
nice -n 10 make -s -C "$src" O="$obj" -j"$(nproc)" $targets >"$obj/build.log" 2>&1 ||
	{ tail -n 30 "$obj/build.log" >&2; exit 1; }

rm -rf "$out.tmp"
mkdir -p "$out.tmp/boot"
release=$(make -s -C "$src" O="$obj" kernelrelease)
cp "$obj/arch/x86/boot/bzImage" "$out.tmp/boot/vmlinuz-$release"
cp "$obj/vmlinux" "$out.tmp/boot/vmlinux-$release"
strip --strip-debug "$out.tmp/boot/vmlinux-$release" 2>/dev/null || true
cp "$obj/.config" "$out.tmp/boot/config-$release"
if [ "$base" = debian ]; then
	make -s -C "$src" O="$obj" INSTALL_MOD_PATH="$out.tmp" modules_install >/dev/null
fi
echo "$release" >"$out.tmp/release"
echo "$key" >"$out.tmp/.key"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "kernel: $release ready in $out ($(stat -c %s "$out/boot/vmlinuz-$release") bytes bzImage)"
