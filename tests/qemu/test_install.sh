#!/bin/bash
# heavy: builds the Debian packages, installs them and a kernel package into a Debian root, then one systemd boot under TCG (~4.5 min, QEMU ~220 s)
# The packages as an admin installs them (docs/install.md): `make deb`; a Debian root with the
# packages' dependencies ($DEBIAN_ROOT-install, cached); in a private copy, in a chroot on the
# host: `dpkg -i` of ghostboot and ghostboot-image (the master secret made, the units enabled),
# then Debian's kernel package (its postinst runs /etc/kernel/postinst.d: ghostboot's hook
# builds the node image), then `dpkg --purge` of the kernel (the postrm.d hook removes it) and
# the kernel again. Then the root boots in QEMU with systemd as PID 1 (ghostinit, NFS root),
# after `ghostboot cluster apply --no-reload` of a cluster on a dummy interface in the chroot:
# that boot is the master's reboot. A unit after multi-user.target checks: ghostwatch,
# ghostboot-dnsmasq, ghostboot-http (lighttpd, as www-data, serving the boot folder on the
# master's address) and nfs-server running by themselves and enabled, the path units starting
# the three when a first apply writes their files (the workers' root is a tmpfs: the guest's own root
# is NFS, which knfsd does not re-export), `ghostwatch status`,
# the metrics, `dnsmasq --test` and `exportfs -v` of the generated files, `systemd-analyze
# verify` of the installed units; an apply of the cluster grown to 100 nodes on the running
# master (nfsd's threads and the neighbour table's limits change at once: this guest's kernel);
# `dpkg -r` (the kernel hooks, kept as conffiles, stay quiet),
# `dpkg --purge`. Back on the host: the root's files before the install and after the purge
# differ only by the kernel package, the test's own units, systemd's /var/lib/private (made for
# any DynamicUser= service) and what the purge keeps on purpose (the admin's cluster file and
# the workers' root folder).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/nfs.sh
. tests/lib/worker.sh
. tests/lib/debian-root.sh
logs=build/test-logs/qemu
version=$(cat VERSION)
arch=$(dpkg --print-architecture)
kdeb=$(ls /var/cache/ghostboot/kernel/linux-image-"$(cat build/kernel/release)"_*.deb 2>/dev/null | head -1)
kver=$(cat build/kernel/release)
kpkg=linux-image-$kver

check "make deb (build/deb; log build/deb/build.log)" make --no-print-directory -s deb || exit 1
debs=(build/deb/ghostboot_"${version}_$arch".deb build/deb/ghostboot-image_"${version}_$arch".deb)
check "the kernel package the worker boots is cached ($kdeb)" [ -f "$kdeb" ] || exit 1
# What ghostboot's Depends pull in, and what Debian's kernel package needs (linux-base,
# initramfs-tools: its own hook is skipped here with INITRD=No, ghostboot's is the one tested).
if debian_variant_prepare install /usr/sbin/exportfs dnsmasq-base lighttpd nfs-kernel-server ipxe pxelinux \
	syslinux-common openssl cpio zstd kmod debootstrap linux-base initramfs-tools iproute2; then
	ok "the Debian root with the dependencies ($DEBIAN_ROOT-install, $(du -sm "$DEBIAN_ROOT-install" | cut -f1) MB)"
else
	not_ok "the Debian root with the dependencies (see $DEBIAN_ROOT-install.apt.log)"
	exit 1
fi

mac=52:54:00:ce:03:03
worker_env install --bridge "$mac" || exit 1
work=$WORKER_DIR
root=$work/root
ns=$QEMU_NETNS
# /proc is mounted in the root only around each chroot command, and unmounted before cleanup.
trap 'umount "$root/proc" 2>/dev/null; netns_cleanup; rm -rf "$WORKER_DIR"' EXIT
in_root() {
	mount -t proc proc "$root/proc" || return 1
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive INITRD=No "$@"
	local rc=$?
	umount "$root/proc"
	return "$rc"
}
# The root's files (without what a boot or dpkg/apt change anyway): the before/after list.
files_of() {
	(cd "$root" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run -o -path ./tmp \
		-o -path ./var/tmp -o -path ./var/log -o -path ./var/cache -o -path ./var/lib/apt -o -path ./var/lib/dpkg \
		-o -path ./var/lib/nfs -o -path ./var/lib/systemd -o -path ./var/lib/dhcp \) -prune -o -print |
		sed 's|^\.||' | sort)
}
check "a private copy of the root" cp -a "$DEBIAN_ROOT-install" "$root" || exit 1
rm -f "$root/etc/systemd/system/multi-user.target.wants/ghostboot-reached.service"
files_of >"$work/files.before"
cp "$root/etc/hosts" "$work/hosts.before"

cp "${debs[@]}" "$kdeb" "$root/tmp/"
t0=$SECONDS
in_root dpkg -i "/tmp/${debs[0]##*/}" "/tmp/${debs[1]##*/}" >"$work/dpkg-i.log" 2>&1
rc=$?
sed 's/^/# dpkg -i: /' "$work/dpkg-i.log"
check "dpkg -i ghostboot ghostboot-image in the chroot ($((SECONDS - t0)) s)" [ "$rc" -eq 0 ]
check "postinst: the master secret /etc/ghostboot/master.key, 0600 root" \
	[ "$(stat -c '%a %U' "$root/etc/ghostboot/master.key" 2>/dev/null)" = "600 root" ]
check "postinst: ghostwatch, ghostboot-dnsmasq and ghostboot-http enabled, and their path units" \
	[ -L "$root/etc/systemd/system/multi-user.target.wants/ghostwatch.service" -a \
	-L "$root/etc/systemd/system/multi-user.target.wants/ghostboot-dnsmasq.service" -a \
	-L "$root/etc/systemd/system/multi-user.target.wants/ghostboot-http.service" -a \
	-L "$root/etc/systemd/system/paths.target.wants/ghostboot-http.path" -a \
	-L "$root/etc/systemd/system/paths.target.wants/ghostwatch.path" -a \
	-L "$root/etc/systemd/system/paths.target.wants/ghostboot-dnsmasq.path" ]

t0=$SECONDS
in_root dpkg -i "/tmp/${kdeb##*/}" >"$work/kernel-i.log" 2>&1
rc=$?
took=$((SECONDS - t0))
grep -i ghostboot "$work/kernel-i.log" | sed 's/^/# kernel postinst: /'
img=$root/var/lib/ghostboot/images/$kver
check "dpkg -i $kpkg ($took s)" [ "$rc" -eq 0 ]
check "the postinst.d hook built the node image: images/$kver/{vmlinuz,initramfs.img,initramfs.img.nic/} ($(stat -c %s "$img/initramfs.img" 2>/dev/null) B)" \
	[ -s "$img/vmlinuz" -a -s "$img/initramfs.img" -a -s "$img/initramfs.img.nic/base.img" ]
check "... with the installed ghostinit as /init" bash -c \
	'zstd -dc "$0" | cpio --quiet -i --to-stdout init | cmp -s - "$1"' "$img/initramfs.img" "$root/usr/lib/ghostboot/ghostinit"
in_root dpkg --purge "$kpkg" >"$work/kernel-purge.log" 2>&1
rc=$?
grep -i ghostboot "$work/kernel-purge.log" | sed 's/^/# kernel postrm: /'
check "dpkg --purge $kpkg: the postrm.d hook removed the node image" [ "$rc" -eq 0 -a ! -e "$img" ]
t0=$SECONDS
in_root dpkg -i "/tmp/${kdeb##*/}" >"$work/kernel-i2.log" 2>&1
check "the kernel again: the image is back ($((SECONDS - t0)) s)" [ -s "$img/initramfs.img" ]
rm -f "$root/tmp/"*.deb

# The admin's cluster, applied in the chroot (--no-reload: nothing runs there); the guest's
# boot is then the master's reboot: everything must come up by itself.
mkdir -p "$root/srv/ghostboot/root"
cat >"$root/etc/ghostboot/cluster" <<'CL'
# the test's cluster: a dummy interface of the guest, the workers' root a tmpfs
name install
interface gb0
subnet 10.99.0.0/24
master 10.99.0.1
root /srv/ghostboot/root
master-key /etc/ghostboot/master.key
metrics-port 9468
node n1 52:54:00:99:00:01 10.99.0.11
node n2 52:54:00:99:00:02 10.99.0.12
CL
t0=$SECONDS
in_root ghostboot cluster apply --no-reload >"$work/apply.log" 2>&1
rc=$?
sed 's/^/# apply: /' "$work/apply.log"
check "ghostboot cluster apply ($((SECONDS - t0)) s)" [ "$rc" -eq 0 ]
check "... wrote dnsmasq.conf, lighttpd.conf, the node list, the exports fragment, the boot folder and the hosts block" \
	[ -s "$root/var/lib/ghostboot/generated/dnsmasq.conf" -a -s "$root/var/lib/ghostboot/generated/nodes" -a \
	-s "$root/var/lib/ghostboot/generated/lighttpd.conf" -a \
	-s "$root/etc/exports.d/ghostboot.exports" -a -s "$root/srv/ghostboot/tftp/initramfs.img" ] &&
	grep -q '^# ghostboot begin' "$root/etc/hosts"
# The admin's network: the cluster interface and the workers' root before the servers start.
cat >"$root/etc/systemd/system/ghostboot-test-net.service" <<'UNIT'
[Unit]
Description=ghostboot test: the cluster's dummy interface gb0 and a tmpfs workers' root
DefaultDependencies=no
After=local-fs.target systemd-modules-load.service
Before=network-pre.target ghostboot-dnsmasq.service ghostboot-http.service nfs-server.service ghostwatch.service
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'modprobe dummy && ip link add gb0 type dummy && ip addr add 10.99.0.1/24 dev gb0 && ip link set gb0 up'
ExecStart=/bin/sh -c 'mount -t tmpfs -o size=1m tmpfs /srv/ghostboot/root && echo root >/srv/ghostboot/root/marker'

[Install]
WantedBy=multi-user.target
UNIT
ln -s ../ghostboot-test-net.service "$root/etc/systemd/system/multi-user.target.wants/ghostboot-test-net.service"

# The guest's part: the admin's steps, each result on the console, then power-off.
cat >"$root/usr/local/sbin/ghostboot-install-check" <<'EOS'
#!/bin/sh
# ghostboot test: the installed packages on a booted master, then their purge.
kver=$1
say() { echo "INSTALL-$*"; }
units="ghostwatch ghostboot-dnsmasq ghostboot-http"
paths="ghostwatch.path ghostboot-dnsmasq.path ghostboot-http.path"
say "BOOT watch=$(systemctl is-active ghostwatch) dnsmasq=$(systemctl is-active ghostboot-dnsmasq) http=$(systemctl is-active ghostboot-http) paths=$(systemctl is-active $paths | tr '\n' ,)"
# The services after the boot (they may still be starting: bounded wait).
i=0
while [ $i -lt 90 ] && [ "$(systemctl is-active $units nfs-server | sort -u)" != active ]; do sleep 1; i=$((i + 1)); done
say "ACTIVE $(systemctl is-active $units nfs-server | tr '\n' ' ')after ${i} s"
say "ENABLED $(systemctl is-enabled $units $paths | tr '\n' ' ')"
# A first apply on a running master: the services start when their files appear (path units;
# the CLI only reloads running ones). Files away, services stopped, files back.
g=/var/lib/ghostboot/generated
mv $g/nodes $g/nodes.off && mv $g/dnsmasq.conf $g/dnsmasq.conf.off && mv $g/lighttpd.conf $g/lighttpd.conf.off
systemctl stop $units
s1=$(systemctl is-active $units | tr '\n' ,)
mv $g/nodes.off $g/nodes && mv $g/dnsmasq.conf.off $g/dnsmasq.conf && mv $g/lighttpd.conf.off $g/lighttpd.conf
i=0
while [ $i -lt 60 ] && [ "$(systemctl is-active $units | sort -u)" != active ]; do sleep 1; i=$((i + 1)); done
say "PATH without-files=$s1 with-files=$(systemctl is-active $units | tr '\n' ,) after ${i} s"
# The web server: the script over HTTP on the master's address (bash's /dev/tcp: no HTTP
# client in this root), lighttpd as www-data (uid 33), the request in its access log.
code=$(timeout 10 bash -c 'exec 3<>/dev/tcp/10.99.0.1/8067 && printf "GET /boot.ipxe HTTP/1.0\r\n\r\n" >&3 && head -1 <&3' | tr -d '\r')
pid=$(systemctl show -p MainPID --value ghostboot-http)
say "HTTP [$code] uid=$(stat -c %u /proc/$pid 2>/dev/null) log=$(grep -c 'GET /boot.ipxe' /var/log/ghostboot/http/access.log 2>/dev/null) listen=$(ss -Hltn 'sport = :8067' | awk '{ print $4 }' | tr '\n' ,)"
timeout 20 ghostwatch status --once --state-dir /var/lib/ghostboot/watch >/tmp/status.log 2>&1
say "STATUS rc=$? $(tail -1 /tmp/status.log)"
say "METRICS $(grep -c '^ghostwatch_' /run/ghostboot/metrics.prom 2>/dev/null)"
# metrics-port: the web port on the cluster address only (ghostwatch.env), from the sandbox.
say "WEB $(timeout 10 bash -c 'exec 3<>/dev/tcp/10.99.0.1/9468 && printf "GET /metrics HTTP/1.0\r\n\r\n" >&3 && grep -c "^ghostwatch_node_state{" <&3' 2>&1 | tail -1)"
say "WEB-LO $(timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/9468 && echo open' 2>/dev/null || echo refused)"
journalctl -b -o cat -u ghostwatch -u ghostboot-dnsmasq -u ghostboot-http | tail -20 | sed 's/^/INSTALL-JOURNAL /'
pid=$(systemctl show -p MainPID --value ghostwatch)
say "WATCH-USER uid=$(stat -c %u /proc/$pid 2>/dev/null) state=$(ls /var/lib/ghostboot/watch | tr '\n' ',')"
timeout 20 dnsmasq --test -C /var/lib/ghostboot/generated/dnsmasq.conf >/tmp/test.log 2>&1
say "DNSMASQ-TEST rc=$? $(cat /tmp/test.log | tr '\n' ' ')"
say "EXPORTS-FILE $(cat /etc/exports.d/ghostboot.exports 2>/dev/null | grep -v '^#' | tr '\n' ' ')"
timeout 30 exportfs -ra; say "EXPORTFS-RA rc=$?"
say "EXPORTFS-V $(timeout 30 exportfs -v | tr '\n\t' '  ')"
say "HOSTS $(grep -c 'n[12]$' /etc/hosts)"
say "IMAGES $(ghostboot image list | tail -n +2 | awk '{ print $1 }' | tr '\n' ' ')"
say "TFTP $(ls /srv/ghostboot/tftp | tr '\n' ' ')"
timeout 60 systemd-analyze verify --man=no /lib/systemd/system/ghostwatch.service /lib/systemd/system/ghostboot-dnsmasq.service \
	/lib/systemd/system/ghostwatch.path /lib/systemd/system/ghostboot-dnsmasq.path \
	/lib/systemd/system/ghostboot-http.service /lib/systemd/system/ghostboot-http.path >/tmp/verify.log 2>&1
say "VERIFY rc=$? lines=$(wc -l </tmp/verify.log) $(head -3 /tmp/verify.log | tr '\n' ' ')"
# Tuned for the node count, live: the 2-node cluster needed nothing; the same with 100 nodes
# (without master-key: 98 more key archives would only take time) raises nfsd's threads and the
# neighbour table's limits at once (rpc.nfsd, sysctl -p: this guest's kernel, not the host's).
sed '/^master-key /d' /etc/ghostboot/cluster >/tmp/big.cluster
for i in $(seq 20 117); do printf 'node n%d 52:54:00:99:01:%02x 10.99.0.%d\n' "$i" "$i" "$i"; done >>/tmp/big.cluster
gc=/proc/sys/net/ipv4/neigh/default/gc_thresh1 rmem=/proc/sys/net/core/rmem_default
t1=$(cat /proc/fs/nfsd/threads) g1=$(cat $gc) r1=$(cat $rmem)
timeout 300 ghostboot cluster apply /tmp/big.cluster >/tmp/apply-big.log 2>&1
say "TUNED rc=$? threads=$t1,$(cat /proc/fs/nfsd/threads) gc_thresh1=$g1,$(cat $gc) rmem_default=$r1,$(cat $rmem) tftp-max=$(sed -n 's/^tftp-max=//p' /var/lib/ghostboot/generated/dnsmasq.conf) files=$(ls /etc/nfs.conf.d/ghostboot.conf /etc/sysctl.d/60-ghostboot.conf 2>/dev/null | wc -l) nodes=$(grep -c '^node' /tmp/big.cluster)"
sed 's/^/INSTALL-APPLY-BIG /' /tmp/apply-big.log | grep -v '^INSTALL-APPLY-BIG   unchanged'
# Removed, not purged: the kernel hooks (conffiles) stay and must be quiet.
timeout 300 dpkg -r ghostboot ghostboot-image >/tmp/remove.log 2>&1
say "REMOVE rc=$? watch=$(systemctl is-active ghostwatch)"
out=$(/etc/kernel/postinst.d/zz-ghostboot "$kver" /boot/vmlinuz-"$kver" 2>&1); rc=$?
out2=$(/etc/kernel/postrm.d/zz-ghostboot "$kver" /boot/vmlinuz-"$kver" 2>&1); rc2=$?
say "HOOKS-REMOVED postinst rc=$rc out=[$out] postrm rc=$rc2 out=[$out2]"
timeout 300 dpkg --purge ghostboot ghostboot-image >/tmp/purge.log 2>&1
say "PURGE rc=$?"
sed 's/^/INSTALL-PURGE-LOG /' /tmp/purge.log | grep -i ghostboot
say "AFTER-PURGE exports=[$(timeout 30 exportfs -v | tr '\n\t' '  ')] watch=$(systemctl is-active ghostwatch) dnsmasq=$(systemctl is-active ghostboot-dnsmasq) http=$(systemctl is-active ghostboot-http) left=[$(ls -d /var/log/ghostboot /etc/nfs.conf.d/ghostboot.conf /etc/sysctl.d/60-ghostboot.conf 2>/dev/null)]"
umount /srv/ghostboot/root
ip link del gb0
say "DONE"
systemctl --no-block poweroff
EOS
chmod 755 "$root/usr/local/sbin/ghostboot-install-check"
cat >"$root/etc/systemd/system/ghostboot-install-check.service" <<UNIT
[Unit]
Description=ghostboot test: the installed packages on a booted master, then their purge
After=multi-user.target

[Service]
Type=oneshot
StandardOutput=tty
TTYPath=/dev/console
ExecStart=/usr/local/sbin/ghostboot-install-check $kver
UNIT
ln -s ../ghostboot-install-check.service "$root/etc/systemd/system/multi-user.target.wants/ghostboot-install-check.service"

QEMU_NET="$QEMU_NET,addr=0x2"
QEMU_MEM=${INSTALL_MEM:-384} # systemd, knfsd, dnsmasq, ghostwatch and dpkg: 128 MiB swaps to a crawl
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
check "dnsmasq on the bridge (a fixed address for the guest)" dnsmasq_start "$ns" "$work" "--dhcp-host=$mac,10.77.0.44"
check "Ganesha exports the root" nfs_start "$ns" "$root"
log=$logs/install.console
start=$SECONDS
qemu_boot "$log" 900 "root=nfs4:10.77.0.1:$root rw panic=-1 BOOTIF=01-${mac//:/-}"
rc=$?
nfs_stop
line() { grep -a "INSTALL-$1" "$log" | head -1 | tr -d '\r'; }
grep -a 'INSTALL-' "$log" | tr -d '\r' | sed 's/^/# /'
check "QEMU powered off by itself (status $rc, $((SECONDS - start)) s, -m $QEMU_MEM)" [ "$rc" -eq 0 ]
check "after the boot (the master's reboot): ghostwatch, ghostboot-dnsmasq, ghostboot-http and the NFS server active ($(line ACTIVE))" \
	grep -aq "INSTALL-ACTIVE active active active active after" "$log"
check "... and enabled, with their path units (a reboot brings them back) ($(line ENABLED))" \
	grep -aq "INSTALL-ENABLED enabled enabled enabled enabled enabled enabled" "$log"
check "the path units start the three services when a first apply writes their files ($(line PATH))" \
	grep -aqE "INSTALL-PATH without-files=inactive,inactive,inactive, with-files=active,active,active," "$log"
# matches LINE REGEX: the console's first INSTALL-LINE line (without its CR) matches REGEX.
matches() { [[ $(line "$1") =~ $2 ]]; }
check "ghostboot-http: lighttpd as www-data on 10.99.0.1:8067 only, serves boot.ipxe, logs it ($(line HTTP))" \
	matches HTTP '^INSTALL-HTTP \[HTTP/1\.0 200 OK\] uid=33 log=1 listen=10\.99\.0\.1:8067,$'
check "apply of 100 nodes on the running master: nfsd 8 -> 25 threads, gc_thresh1 128 -> 164, rmem_default -> 256000, tftp-max 200 ($(line TUNED))" \
	matches TUNED '^INSTALL-TUNED rc=0 threads=8,25 gc_thresh1=128,164 rmem_default=[0-9]+,256000 tftp-max=200 files=2 nodes=100$'
check "ghostwatch status answers ($(line STATUS))" grep -aqE "INSTALL-STATUS rc=0 .*nodes" "$log"
check "ghostwatch writes its metrics ($(line METRICS))" grep -aqE "INSTALL-METRICS [1-9]" "$log"
check "metrics-port 9468: ghostwatch serves /metrics on 10.99.0.1:9468, n1 and n2 absent, 7 states each ($(line WEB))" \
	grep -aqx "INSTALL-WEB 14" <(tr -d '\r' <"$log")
check "... and on the cluster address only: 127.0.0.1:9468 refused ($(line WEB-LO))" grep -aq "INSTALL-WEB-LO refused" "$log"
check "ghostwatch runs as a dynamic user, its state in /var/lib/ghostboot/watch ($(line WATCH-USER))" \
	grep -aqE "INSTALL-WATCH-USER uid=6[1-5][0-9]{3} state=.+" "$log" # systemd's dynamic range
check "the generated dnsmasq.conf passes dnsmasq --test ($(line DNSMASQ-TEST))" \
	grep -aqE "INSTALL-DNSMASQ-TEST rc=0 .*OK" "$log"
check "exportfs -ra accepts the fragment ($(line EXPORTS-FILE))" grep -aq "INSTALL-EXPORTFS-RA rc=0" "$log"
check "exportfs -v shows the workers' root ($(line EXPORTFS-V))" \
	grep -aqE "INSTALL-EXPORTFS-V /srv/ghostboot/root +10\.99\.0\.0/24\(.*fsid=" "$log"
check "the nodes' names in /etc/hosts ($(line HOSTS))" grep -aq "INSTALL-HOSTS 2" "$log"
check "ghostboot image list names the kernel's image ($(line IMAGES))" grep -aq "INSTALL-IMAGES $kver" "$log"
check "systemd-analyze verify of the installed units: clean ($(line VERIFY))" grep -aq "INSTALL-VERIFY rc=0 lines=0" "$log"
check "dpkg -r stops ghostwatch ($(line REMOVE))" grep -aqE "INSTALL-REMOVE rc=0 watch=(inactive|unknown)" "$log"
check "removed, not purged: both kernel hooks exit 0 and say nothing ($(line HOOKS-REMOVED))" \
	grep -aq "INSTALL-HOOKS-REMOVED postinst rc=0 out=\[\] postrm rc=0 out=\[\]" "$log"
check "dpkg --purge ($(line 'PURGE '))" grep -aq "INSTALL-PURGE rc=0" "$log"
check "after the purge: nothing exported, nothing running, no log, no tuned settings left ($(line AFTER-PURGE))" \
	matches AFTER-PURGE '^INSTALL-AFTER-PURGE exports=\[ *\] watch=(inactive|unknown) dnsmasq=(inactive|unknown) http=(inactive|unknown) left=\[\]$'
check "the purge said what it keeps" grep -aq "purge keeps /srv/ghostboot/root" "$log"

# Before the install / after the purge: only the kernel package and what the purge keeps.
files_of >"$work/files.after"
# (/lib is /usr/lib in this merged-/usr root: find sees the latter)
kfiles=$(dpkg-deb -c "$kdeb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||; s|^/lib/|/usr/lib/|')
extra=$(comm -13 "$work/files.before" "$work/files.after" | grep -vxF -f <(echo "$kfiles") |
	grep -vE "^/etc/systemd/system/(multi-user\.target\.wants/)?ghostboot-(test-net|install-check)\.service$|^/usr/local/sbin/ghostboot-install-check$|^/var/lib/private$|^/usr/lib/modules/$kver/|^/(vmlinuz|initrd\.img)(\.old)?$|^/boot/(initrd\.img|System\.map|config|vmlinuz)-$kver$|^/var/lib/initramfs-tools/$kver$")
gone=$(comm -23 "$work/files.before" "$work/files.after")
echo "$extra" | head -40 | sed 's/^/# left after the purge: /'
echo "$gone" | head -40 | sed 's/^/# gone after the purge: /'
kept="/etc/ghostboot
/etc/ghostboot/cluster
/srv/ghostboot
/srv/ghostboot/root"
check "after the purge: nothing left but the kept cluster file and workers' root folder" [ "$extra" = "$kept" ]
check "... and nothing of the root's own is gone" [ -z "$gone" ]
check "/etc/hosts as before the install" cmp -s "$work/hosts.before" "$root/etc/hosts"
tap_done
