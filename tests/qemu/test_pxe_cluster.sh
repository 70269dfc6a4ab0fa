#!/bin/bash
# The master kit end to end: netboot/cluster/up.sh --once with 3 workers booting over HTTP (the
# default, boot http: a bridge, taps, dnsmasq, lighttpd, NFS-Ganesha and ghostwatch in a
# namespace of its own; QEMU workers PXE-booting through the iPXE ROM): w1 with a virtio NIC and
# w2 with an Intel 82574L (e1000e) under SeaBIOS, w3 under UEFI as a real machine boots (OVMF
# without the NIC's iPXE ROM: the firmware's own PXE fetches Debian's ipxe.efi over TFTP, which
# fetches the rest over HTTP; the kernel's EFI stub loads the initrd= files). (A BIOS machine's
# PXE ROM fetching undionly.kpxe cannot be shown here: SeaBIOS has no PXE of its own, QEMU's
# NIC ROMs are iPXE already.) Each worker must show iPXE running the generated script fetched over HTTP and choosing
# the image's part for its NIC's PCI ID (base + virtio, base + e1000e: never the whole image),
# the kernel started with the cluster's command line and its own BOOTIF, its NIC's driver
# loaded, its fixed address, the NFS root under an overlay and its init; lighttpd's access log
# must show its script, kernel, parts and key archive (from its own folder), dnsmasq's TFTP
# nothing but an iPXE binary; ghostwatch must list all three. Then boot tftp (1 worker: iPXE
# fetches everything over TFTP, no web server), pxelinux with NFSv3 (1 worker, the whole image),
# and an interrupted run that must leave nothing behind.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
out=$(realpath -m build/test-tmp/pxe-cluster)
d=$out/demo
rm -rf "$out"
mkdir -p "$out"
export CLUSTER_OUT=$out

# http_sent LOG ROOT IP FILE...: lighttpd's access log LOG (format of lighttpd.conf: client,
# time, request, status, bytes, "the file sent") shows each FILE sent whole to IP from ROOT/.
http_sent() {
	local log=$1 root=$2 ip=$3 f
	shift 3
	for f; do
		awk -v ip="$ip" -v req="\"GET /$f HTTP/1.1\" 200 " -v file="\"$root/$f\"" \
			'$1 == ip && index($0, req) && index($0, file) { found = 1 } END { exit !found }' "$log" ||
			{ echo "# lighttpd did not send $f to $ip from $root"; return 1; }
	done
}
# tftp_sent LOG ROOT IP FILE...: dnsmasq's log LOG shows each FILE sent to IP from ROOT/.
tftp_sent() {
	local log=$1 root=$2 ip=$3 f
	shift 3
	for f; do grep -qF "sent $root/$f to $ip" "$log" || { echo "# TFTP did not send $f to $ip from $root"; return 1; }; done
}
# tftp_only_ipxe LOG [IP]: dnsmasq's log LOG shows no TFTP transfer (to IP) but of an iPXE binary.
tftp_only_ipxe() {
	! grep -E "dnsmasq-tftp.* sent .* to ${2:-}" "$1" | grep -vE "/(ipxe\.efi|undionly\.kpxe) to "
}

start=$SECONDS
# Its own hard bound (--timeout) plus a margin for the set-up and the teardown.
timeout 420 netboot/cluster/up.sh --once --root busybox --workers 3 --timeout 300 --nic virtio-net-pci,e1000e,virtio-net-pci \
	--firmware bios,bios,uefi-pxe >"$out/up.log" 2>&1
rc=$?
check "boot http, 3 workers (BIOS virtio, BIOS e1000e, UEFI): up.sh --once exits 0 ($((SECONDS - start)) s)" [ "$rc" -eq 0 ]
sed -n 's/^cluster: \(w[0-9]: PXE-booted.*\)/# \1/p' "$out/up.log"
cmdline=$(cat "$d/var/lib/ghostboot/generated/cmdline" 2>/dev/null)
access=$d/var/log/ghostboot/http/access.log tftp=$d/srv/ghostboot/tftp
check "the command line comes from the cluster file" grep -q "ghost.overlay=tmpfs .*ghost.master=10.67.0.1:7468 ghost.heartbeat=5 ghost.wol=g panic=5" "$d/var/lib/ghostboot/generated/cmdline"
check "DHCP gave iPXE the script's URL on the master's web server" grep -q "bootfile-name  http://10.67.0.1:8067/boot.ipxe" "$d/dnsmasq.log"
for n in 1 2 3; do
	log=$d/w$n.console mac=52:54:00:67:62:0$n ip=10.67.0.1$n
	if [ "$n" = 2 ]; then pci=8086:10d3 part=e1000e; else pci=1af4:1000 part=virtio; fi
	# The EFI stub's command line starts with the image's name.
	stub=
	if [ "$n" = 3 ]; then
		stub="vmlinuz "
		check "w$n: OVMF's own PXE loaded ipxe.efi, which ran" bash -c \
			"grep -aq 'NBP filename is ipxe.efi' $log && grep -aq 'iPXE initialising devices' $log"
	else
		check "w$n: the iPXE ROM ran" grep -aq "iPXE initialising devices" "$log"
	fi
	check "w$n: iPXE fetched the generated script over HTTP and ran it with its fixed address" bash -c \
		"grep -aq 'http://10.67.0.1:8067/boot.ipxe\.\.\. ok' $log && grep -aq 'ghostboot: cluster demo, $mac is $ip, booting from 10.67.0.1' $log"
	check "w$n: iPXE chose base + the $part part for its NIC $pci" grep -aq "ghostboot: NIC $pci: initramfs base + $part drivers" "$log"
	check "w$n: the kernel (bzImage over HTTP) started" grep -aq "Linux version" "$log"
	check "w$n: kernel command line = its key archive and both initrds, the cluster's + BOOTIF of its NIC" \
		grep -aqF "Command line: ${stub}initrd=nodekey.img initrd=base.img initrd=nic-$part.img $cmdline BOOTIF=01-${mac//:/-}" "$log"
	check "w$n: ghostinit started" grep -aq "ghostinit: ghostboot .* starting" "$log"
	check "w$n: its modules from base + part, none missing or failing" bash -c \
		"grep -aq 'modules: .* loaded' $log && ! grep -aE 'module .* not loaded|NIC drivers: loading them all' $log"
	check "w$n: fixed address $ip from the master's dnsmasq" grep -aq "ghostinit: enp0s2: lease $ip/24 from 10.67.0.1" "$log"
	check "w$n: host name w$n from DHCP" grep -aq "hostname 'w$n'" "$log"
	check "w$n: NFS root mounted from the master" grep -aq "ghostinit: root: mounted 10.67.0.1:$d/root" "$log"
	check "w$n: its init runs as PID 1 on the overlay" bash -c "grep -aq 'WORKER-INIT-REACHED pid=1' $log && grep -aq 'WORKER-ROOT overlay overlay' $log"
	check "w$n: writes into its overlay, not the shared root" bash -c "grep -aq 'WORKER-WROTE /tmp/hello' $log && [ ! -e $d/root/tmp/hello ]"
	# lighttpd's access log names the file it sent (%f): from the node's own folder,
	# tftp/<its address>/ (its key archive, links to the shared files), as only that address gets.
	check "w$n: lighttpd sent it the script, kernel, base, $part part and its key archive, from its own folder" \
		http_sent "$access" "$tftp/$ip" "$ip" boot.ipxe vmlinuz base.img "nic-$part.img" "keys/${mac//:/-}.img"
	check "w$n: ... and not the whole image" bash -c "! grep -q '^$ip .*GET /initramfs.img' $access"
	check "w$n: DHCPACK from dnsmasq" grep -q "DHCPACK(br0) $ip $mac w$n" "$d/dnsmasq.log"
	check "w$n: over TFTP no file but an iPXE binary" tftp_only_ipxe "$d/dnsmasq.log" "$ip"
	# (Or lost: the BusyBox root powers off without a shutdown report, and a worker done well
	# before the last one has been silent for more than its heartbeats allow.)
	check "w$n: ghostwatch lists it, up at $ip" grep -qE "^$mac +w$n +$ip +(up|lost) " "$d/ghostwatch.status"
done
# The UEFI worker: OVMF's own PXE fetched ipxe.efi over TFTP (a BIOS worker's iPXE ROM is iPXE
# already: it asks for the script straight away), the EFI stub loaded the files iPXE fetched.
log=$d/w3.console
check "w3 (UEFI): TFTP sent it ipxe.efi" tftp_sent "$d/dnsmasq.log" "$tftp" 10.67.0.13 ipxe.efi
check "TFTP carried no file but iPXE binaries, to any node" tftp_only_ipxe "$d/dnsmasq.log"
check "w3 (UEFI): the EFI stub loaded the initrd= files" grep -aq "EFI stub: Loaded initrd from command line option" "$log"
parts_kib=$(( ($(stat -c %s "$tftp/base.img") + $(stat -c %s "$tftp/nic-virtio.img") +
	$(stat -c %s "$tftp/10.67.0.13/keys/52-54-00-67-62-03.img" 2>/dev/null || echo 0)) / 1024 ))
# The stub places each file on its own pages: a few KiB more than the three files (the node's
# key archive, base, virtio).
check "w3 (UEFI): the kernel got its key, base + virtio ($parts_kib KiB), not the whole image" bash -c \
	'k=$(grep -aoE "Freeing initrd memory: [0-9]+K" "$0" | tr -dc 0-9); [ -n "$k" ] && [ "$k" -ge "$1" ] && [ "$k" -le $(($1 + 8)) ]' \
	"$log" "$parts_kib"
ns=$(sed -n 's/^cluster: master: namespace \([^,]*\),.*/\1/p' "$out/up.log")
check "the namespace $ns is gone" bash -c "[ -n '$ns' ] && ! ip netns list | grep -qw '$ns'"

# boot tftp (the fallback; ipxe, its old name, is the same): iPXE fetches the script, the kernel,
# the parts and the key archive over TFTP from the node's own folder (tftp-unique-root=ip); no
# web server is configured.
export CLUSTER_OUT=$out/tftp
t=$CLUSTER_OUT/demo log=$t/w1.console ip=10.67.0.11 mac=52:54:00:67:62:01
start=$SECONDS
timeout 300 netboot/cluster/up.sh --once --root busybox --workers 1 --boot tftp --timeout 200 >"$out/up-tftp.log" 2>&1
rc=$?
check "boot tftp: up.sh --once exits 0 ($((SECONDS - start)) s)" [ "$rc" -eq 0 ]
sed -n 's/^cluster: \(w[0-9]: PXE-booted.*\)/# tftp \1/p' "$out/up-tftp.log"
check "boot tftp: iPXE ran the script, base + virtio, init reached" bash -c \
	"grep -aq 'ghostboot: NIC 1af4:1000: initramfs base + virtio drivers' $log && grep -aq 'ghostinit: enp0s2: lease $ip/24 from 10.67.0.1' $log &&
	 grep -aq 'WORKER-INIT-REACHED pid=1' $log"
check "boot tftp: dnsmasq sent it the script, kernel, parts and key archive from its own folder" \
	tftp_sent "$t/dnsmasq.log" "$t/srv/ghostboot/tftp/$ip" "$ip" boot.ipxe vmlinuz base.img nic-virtio.img "keys/${mac//:/-}.img"
check "boot tftp: no web server configured (no lighttpd.conf)" [ ! -e "$t/var/lib/ghostboot/generated/lighttpd.conf" ]
export CLUSTER_OUT=$out

# BIOS PXE through pxelinux (IPAPPEND 2 adds BOOTIF) and an NFSv3 root (Ganesha with rpcbind).
export CLUSTER_OUT=$out/pxelinux
p=$CLUSTER_OUT/demo log=$p/w1.console
start=$SECONDS
timeout 300 netboot/cluster/up.sh --once --root busybox --workers 1 --boot pxelinux --nfs 3 --timeout 200 >"$out/up-pxelinux.log" 2>&1
rc=$?
check "pxelinux + NFSv3: up.sh --once exits 0 ($((SECONDS - start)) s)" [ "$rc" -eq 0 ]
sed -n 's/^cluster: \(w[0-9]: PXE-booted.*\)/# pxelinux \1/p' "$out/up-pxelinux.log"
check "pxelinux: the iPXE ROM loaded pxelinux.0" bash -c "grep -aq 'iPXE initialising devices' $log && grep -aq 'PXELINUX 6' $log"
check "pxelinux: kernel command line = the cluster's + BOOTIF from IPAPPEND 2" bash -c \
	"grep -aF 'Command line: BOOT_IMAGE=vmlinuz $(cat "$p/var/lib/ghostboot/generated/cmdline" 2>/dev/null) ' $log | grep -q 'BOOTIF=01-52-54-00-67-62-01'"
check "pxelinux: fixed address, NFSv3 root with Ganesha's ports, init reached" bash -c \
	"grep -aq 'ghostinit: enp0s2: lease 10.67.0.11/24 from 10.67.0.1' $log && grep -aq 'ghostinit: root: NFSv3 10.67.0.1:$p/root' $log &&
	 grep -aq 'WORKER-INIT-REACHED pid=1' $log"
export CLUSTER_OUT=$out

# Ctrl-C in the middle of a boot: job control gives the background run its own process group,
# so SIGINT reaches it as it would from a terminal.
# (Its own folder: the runs above keep their logs.)
export CLUSTER_OUT=$out/int
set -m
netboot/cluster/up.sh --root busybox --workers 1 --timeout 120 >"$out/int.log" 2>&1 &
pid=$!
set +m
for i in $(seq 1 300); do grep -q "workers: .* started" "$out/int.log" && break; sleep 0.1; done
sleep 3
ns=$(sed -n 's/^cluster: master: namespace \([^,]*\),.*/\1/p' "$out/int.log")
pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
check "interrupted run: dnsmasq, lighttpd, Ganesha, ghostwatch and QEMU were running ($pids)" [ "$(echo $pids | wc -w)" -ge 5 ]
kill -INT "$pid"
for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check "interrupted run: up.sh ended within 15 s of SIGINT" bash -c "! kill -0 $pid 2>/dev/null"
wait "$pid" 2>/dev/null
left=
for p in $pids; do kill -0 "$p" 2>/dev/null && left+=" $p"; done
check "interrupted run: every process it started is gone" [ -z "$left" ]
check "interrupted run: its namespace is deleted" bash -c "[ -n '$ns' ] && ! ip netns list | grep -qw '$ns'"
# Never leave anything behind, even when a check above failed.
for p in $left; do kill -KILL "$p" 2>/dev/null; done
[ -z "$ns" ] || ip netns del "$ns" 2>/dev/null
tap_done
