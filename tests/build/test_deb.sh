#!/bin/bash
# The Debian packages (make deb, debian/): built, at the version of VERSION, holding what
# docs/install.md says each package holds; lintian clean (errors none, every warning fixed or
# overridden with its reason); the systemd units pass `systemd-analyze verify` (the host's
# systemd, with the package's ghostwatch over /usr/sbin in a private mount namespace: the host
# is not changed); the kernel hooks are quiet no-ops when the CLI is gone (removed, not purged).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(cat VERSION)
arch=$(dpkg --print-architecture)

check "debian/changelog carries VERSION ($version)" \
	[ "$(dpkg-parsechangelog -l debian/changelog -S Version)" = "$version" ]
check "make deb builds (log: build/deb/build.log)" make --no-print-directory -s deb
master=build/deb/ghostboot_${version}_$arch.deb
image=build/deb/ghostboot-image_${version}_$arch.deb
check "build/deb holds ghostboot and ghostboot-image $version" [ -f "$master" -a -f "$image" ]
check "a second make deb has nothing to do (the packages depend on the sources)" \
	bash -c '[ -z "$(make --no-print-directory -s deb 2>&1)" ]'

# Each package's files: the layout of docs/install.md.
has() { # deb path...
	local deb=$1 list p
	shift
	list=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||')
	for p in "$@"; do grep -qxF "$p" <<<"$list" || { echo "# $deb lacks $p"; return 1; }; done
}
check "ghostboot: the CLI, ghostwatch, library, units, defaults, man pages, completion" has "$master" \
	/usr/sbin/ghostboot /usr/sbin/ghostwatch /usr/lib/ghostboot/cluster/generate.sh /usr/lib/ghostboot/cluster/tuning.sh \
	/usr/lib/ghostboot/ganesha-conf.sh /lib/systemd/system/ghostwatch.service \
	/lib/systemd/system/ghostboot-dnsmasq.service /lib/systemd/system/ghostwatch.path \
	/lib/systemd/system/ghostboot-dnsmasq.path /lib/systemd/system/ghostboot-http.service \
	/lib/systemd/system/ghostboot-http.path /etc/default/ghostboot \
	/usr/share/man/man8/ghostboot.8.gz /usr/share/man/man8/ghostwatch.8.gz \
	/usr/share/man/man5/ghostboot-cluster.5.gz /usr/share/bash-completion/completions/ghostboot
check "ghostboot-image: ghostinit, BusyBox, image builder, kernel hooks, man page" has "$image" \
	/usr/lib/ghostboot/ghostinit /usr/lib/ghostboot/busybox /usr/lib/ghostboot/initramfs/mkimage.sh \
	/usr/lib/ghostboot/initramfs/modules.default /etc/kernel/postinst.d/zz-ghostboot \
	/etc/kernel/postrm.d/zz-ghostboot /usr/share/man/man8/ghostinit.8.gz
check "ghostboot depends on the servers it drives and on ghostboot-image $version" bash -c \
	'd=$(dpkg-deb -f "$0" Depends); for p in dnsmasq-base lighttpd "nfs-kernel-server | nfs-ganesha" ipxe pxelinux debootstrap "ghostboot-image (= $1)"; do
		grep -qF "$p" <<<"$d" || { echo "# Depends lacks $p: $d"; exit 1; }; done' "$master" "$version"
check "ghostboot-image names the sources of its static binaries (Built-Using: busybox, musl, ...)" bash -c \
	'u=$(dpkg-deb -f "$0" Built-Using); grep -q "busybox (= " <<<"$u" && grep -q "musl (= " <<<"$u"' "$image"
check "ghostboot's maintainer scripts enable the units" bash -c \
	'dpkg-deb -e "$0" "$1/ctl" && grep -q "deb-systemd-helper.*ghostwatch.service" "$1/ctl/postinst" &&
		grep -q "ghostboot-dnsmasq.service" "$1/ctl/postinst" && grep -q "ghostboot-http.service" "$1/ctl/postinst"' "$master" "$tmp"

# lintian: no error, no warning (overrides carry their reason in debian/*.lintian-overrides).
lintian --tag-display-limit 0 --fail-on error,warning "$master" "$image" >"$tmp/lintian" 2>&1
rc=$?
sed 's/^/# lintian: /' "$tmp/lintian"
check "lintian: 0 errors, 0 warnings ($(grep -c '^E:' "$tmp/lintian") E, $(grep -c '^W:' "$tmp/lintian") W)" [ "$rc" -eq 0 ]

# The units as packaged, verified by the host's systemd with the package's ghostwatch.
mkdir -p "$tmp/x" && dpkg-deb -x "$master" "$tmp/x"
unshare -m bash -c 'mount -t overlay overlay -o "lowerdir=$0/usr/sbin:/usr/sbin" /usr/sbin &&
	systemd-analyze verify --man=no "$0"/lib/systemd/system/ghostwatch.{service,path} \
		"$0"/lib/systemd/system/ghostboot-dnsmasq.{service,path} "$0"/lib/systemd/system/ghostboot-http.{service,path}' "$tmp/x" >"$tmp/verify" 2>&1
rc=$?
sed 's/^/# verify: /' "$tmp/verify"
check "systemd-analyze verify: the three services and their path units clean" [ "$rc" -eq 0 -a ! -s "$tmp/verify" ]
check "ghostwatch.service: a dynamic user, strict sandbox, its state and key from systemd" bash -c \
	'u=$0/lib/systemd/system/ghostwatch.service; for l in DynamicUser=yes StateDirectory=ghostboot/watch \
		ProtectSystem=strict NoNewPrivileges=yes Restart=on-failure \
		LoadCredential=master.key:/etc/ghostboot/master.key; do grep -qx "$l" "$u" || { echo "# no $l"; exit 1; }; done' "$tmp/x"
check "ghostboot-http.service: lighttpd as www-data, read-only boot folder, strict sandbox, its log folder" bash -c \
	'u=$0/lib/systemd/system/ghostboot-http.service; for l in User=www-data ProtectSystem=strict ReadOnlyPaths=/srv/ghostboot/tftp \
		LogsDirectory=ghostboot/http NoNewPrivileges=yes CapabilityBoundingSet=CAP_NET_BIND_SERVICE Restart=on-failure \
		"ExecStart=/usr/sbin/lighttpd -D -f /var/lib/ghostboot/generated/lighttpd.conf"; do
		grep -qxF "$l" "$u" || { echo "# no $l"; exit 1; }; done' "$tmp/x"

# The kernel hooks with the CLI gone (ghostboot removed, its hooks kept as conffiles): quiet, 0.
mkdir -p "$tmp/i" && dpkg-deb -x "$image" "$tmp/i"
for h in postinst postrm; do
	out=$(unshare -m bash -c 'mount -t tmpfs none /usr/sbin && "$0" 6.1.0-0-amd64 /boot/vmlinuz-6.1.0-0-amd64 2>&1; echo "rc=$?"' \
		"$tmp/i/etc/kernel/$h.d/zz-ghostboot")
	check "the $h.d hook without /usr/sbin/ghostboot: exit 0, nothing said ($out)" [ "$out" = rc=0 ]
done
tap_done
