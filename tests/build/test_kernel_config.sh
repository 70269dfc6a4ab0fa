#!/bin/bash
# make kernel's configuration step on both bases (allnoconfig and Debian's own config): the
# fragments apply and every requested symbol survives Kconfig; a fragment asking for what
# cannot be had is named. (The Debian-based compile itself takes hours on 2 cores: not here.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for base in allnoconfig debian; do
	out=$(KERNEL_CONFIG_ONLY=1 kernel-config/build-kernel.sh "$tmp/$base" "$base" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	check "$base + fragments: every requested symbol survived" [ "$rc" -eq 0 ]
	check "$base: the NFSv4.2 client is there" grep -qx 'CONFIG_NFS_V4_2=y' "$tmp/$base/config"
	check "$base: a panic resets after 10 s (CONFIG_PANIC_TIMEOUT)" grep -qx 'CONFIG_PANIC_TIMEOUT=10' "$tmp/$base/config"
	check "$base: AF_ALG hash for the reports' HMAC is there (built in or a module)" grep -qxE 'CONFIG_CRYPTO_USER_API_HASH=[ym]' "$tmp/$base/config"
done
check "allnoconfig: no module support" grep -qx '# CONFIG_MODULES is not set' "$tmp/allnoconfig/config"
check "debian: still a modular kernel" grep -qx 'CONFIG_MODULES=y' "$tmp/debian/config"

mkdir "$tmp/frag"
cp kernel-config/*.config "$tmp/frag/"
printf '# a symbol this kernel does not have\nCONFIG_GHOSTBOOT_NO_SUCH_THING=y\n# one whose dependency is off\nCONFIG_KVM_GUEST=y\n' >"$tmp/frag/zz-bad.config"
sed -i '/^CONFIG_PARAVIRT=y/d' "$tmp/frag/base.config"
out=$(KERNEL_FRAGMENTS=$tmp/frag KERNEL_CONFIG_ONLY=1 kernel-config/build-kernel.sh "$tmp/bad" allnoconfig 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "a lost symbol fails the build" [ "$rc" -ne 0 ]
check "an unknown symbol is named" grep -q 'CONFIG_GHOSTBOOT_NO_SUCH_THING=y did not survive' <<<"$out"
check "a symbol whose dependency is off is named" grep -q 'CONFIG_KVM_GUEST=y did not survive' <<<"$out"
tap_done
