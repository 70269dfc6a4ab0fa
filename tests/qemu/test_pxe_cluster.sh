#!/bin/bash
# The master kit end to end: netboot/cluster/up.sh --once with 2 workers (a bridge, taps,
# dnsmasq, NFS-Ganesha and ghostwatch in a namespace of its own; QEMU workers PXE-booting through
# the iPXE ROM), one with a virtio NIC and one with an Intel 82574L (e1000e). Each worker must
# show iPXE running the generated script and choosing the image's part for its NIC's PCI ID
# (base + virtio, base + e1000e: never the whole image), the kernel started with the cluster's
# command line and its own BOOTIF, its NIC's driver loaded, its fixed address, the NFS root under
# an overlay and its init; ghostwatch must list both. Then pxelinux with NFSv3 (1 worker, the
# whole image), a UEFI worker (OVMF: base + its part through the kernel's EFI stub), and an
# interrupted run that must leave nothing behind.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
out=$(realpath -m build/test-tmp/pxe-cluster)
d=$out/demo
rm -rf "$out"
mkdir -p "$out"

# UEFI (OVMF): the NIC's EFI iPXE ROM runs the same script; the kernel's EFI stub loads both
# initrd= files from iPXE.
export CLUSTER_OUT=$out/uefi
u=$CLUSTER_OUT/demo log=$u/w1.console
start=$SECONDS
timeout 300 netboot/cluster/up.sh --once --root busybox --workers 1 --firmware uefi --timeout 200 >"$out/up-uefi.log" 2>&1
rc=$?
check "UEFI: up.sh --once exits 0 ($((SECONDS - start)) s)" [ "$rc" -eq 0 ]
sed -n 's/^cluster: \(w[0-9]: PXE-booted.*\)/# UEFI \1/p' "$out/up-uefi.log"
check "UEFI: iPXE chose base + the virtio part" grep -aq "ghostboot: NIC 1af4:1000: initramfs base + virtio drivers" "$log"
check "UEFI: the EFI stub loaded the initrd= files" grep -aq "EFI stub: Loaded initrd from command line option" "$log"
parts_kib=$(( ($(stat -c %s "$u/srv/ghostboot/tftp/base.img") + $(stat -c %s "$u/srv/ghostboot/tftp/nic-virtio.img") +
	$(stat -c %s "$u/srv/ghostboot/tftp/keys/52-54-00-67-62-01.img" 2>/dev/null || echo 0)) / 1024 ))
# The stub places each file on its own pages: a few KiB more than the three files (the node's
# key archive, base, virtio).
check "UEFI: the kernel got its key, base + virtio ($parts_kib KiB), not the whole image" bash -c \
	'k=$(grep -aoE "Freeing initrd memory: [0-9]+K" "$0" | tr -dc 0-9); [ -n "$k" ] && [ "$k" -ge "$1" ] && [ "$k" -le $(($1 + 8)) ]' \
	"$log" "$parts_kib"
check "UEFI: fixed address, NFS root, init reached" bash -c \
	"grep -aq 'ghostinit: enp0s2: lease 10.67.0.11/24 from 10.67.0.1' $log && grep -aq 'WORKER-INIT-REACHED pid=1' $log"
export CLUSTER_OUT=$out

start=$SECONDS
# Its own hard bound (--timeout) plus a margin for the set-up and the teardown.
timeout 420 netboot/cluster/up.sh --once --root busybox --workers 2 --timeout 300 --nic virtio-net-pci,e1000e \
	>"$out/up.log" 2>&1
rc=$?
check "up.sh --once with 2 workers exits 0 ($((SECONDS - start)) s)" [ "$rc" -eq 0 ]
sed -n 's/^cluster: \(w[0-9]: PXE-booted.*\)/# \1/p' "$out/up.log"
cmdline=$(cat "$d/var/lib/ghostboot/generated/cmdline" 2>/dev/null)
check "the command line comes from the cluster file" grep -q "ghost.overlay=tmpfs .*ghost.master=10.67.0.1:7468 ghost.heartbeat=5 ghost.wol=g panic=5" "$d/var/lib/ghostboot/generated/cmdline"
for n in 1 2; do
	log=$d/w$n.console mac=52:54:00:67:62:0$n ip=10.67.0.1$n
	if [ "$n" = 1 ]; then pci=1af4:1000 part=virtio; else pci=8086:10d3 part=e1000e; fi
	check "w$n: the iPXE ROM ran" grep -aq "iPXE initialising devices" "$log"
	check "w$n: iPXE ran the generated script with its fixed address" grep -aq "ghostboot: cluster demo, $mac is $ip, booting from 10.67.0.1" "$log"
	check "w$n: iPXE chose base + the $part part for its NIC $pci" grep -aq "ghostboot: NIC $pci: initramfs base + $part drivers" "$log"
	check "w$n: the kernel (bzImage over TFTP) started" grep -aq "Linux version" "$log"
	check "w$n: kernel command line = its key archive and both initrds, the cluster's + BOOTIF of its NIC" \
		grep -aqF "Command line: initrd=nodekey.img initrd=base.img initrd=nic-$part.img $cmdline BOOTIF=01-${mac//:/-}" "$log"
	check "w$n: ghostinit started" grep -aq "ghostinit: ghostboot .* starting" "$log"
	check "w$n: its modules from base + part, none missing or failing" bash -c \
		"grep -aq 'modules: .* loaded' $log && ! grep -aE 'module .* not loaded|NIC drivers: loading them all' $log"
	check "w$n: fixed address $ip from the master's dnsmasq" grep -aq "ghostinit: enp0s2: lease $ip/24 from 10.67.0.1" "$log"
	check "w$n: host name w$n from DHCP" grep -aq "hostname 'w$n'" "$log"
	check "w$n: NFS root mounted from the master" grep -aq "ghostinit: root: mounted 10.67.0.1:$d/root" "$log"
	check "w$n: its init runs as PID 1 on the overlay" bash -c "grep -aq 'WORKER-INIT-REACHED pid=1' $log && grep -aq 'WORKER-ROOT overlay overlay' $log"
	check "w$n: writes into its overlay, not the shared root" bash -c "grep -aq 'WORKER-WROTE /tmp/hello' $log && [ ! -e $d/root/tmp/hello ]"
	# From its own folder, tftp/<its address>/ (its key archive, links to the shared files:
	# dnsmasq's tftp-unique-root=ip, docs/cluster-file.md).
	check "w$n: dnsmasq served it: DHCPACK and the TFTP files, from its own folder" bash -c \
		"grep -q 'DHCPACK(br0) $ip $mac w$n' $d/dnsmasq.log && grep -q 'sent $d/srv/ghostboot/tftp/$ip/vmlinuz to $ip' $d/dnsmasq.log &&
		 grep -q 'sent $d/srv/ghostboot/tftp/$ip/base.img to $ip' $d/dnsmasq.log &&
		 grep -q 'sent $d/srv/ghostboot/tftp/$ip/nic-$part.img to $ip' $d/dnsmasq.log &&
		 grep -q 'sent $d/srv/ghostboot/tftp/$ip/keys/${mac//:/-}.img to $ip' $d/dnsmasq.log &&
		 ! grep -q 'sent $d/srv/ghostboot/tftp/$ip/initramfs.img to $ip' $d/dnsmasq.log"
	check "w$n: ghostwatch lists it up at $ip" grep -qE "^$mac +w$n +$ip +up " "$d/ghostwatch.status"
done
ns=$(sed -n 's/^cluster: master: namespace \([^,]*\),.*/\1/p' "$out/up.log")
check "the namespace $ns is gone" bash -c "[ -n '$ns' ] && ! ip netns list | grep -qw '$ns'"

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
set -m
netboot/cluster/up.sh --root busybox --workers 1 --timeout 120 >"$out/int.log" 2>&1 &
pid=$!
set +m
for i in $(seq 1 300); do grep -q "workers: .* started" "$out/int.log" && break; sleep 0.1; done
sleep 3
ns=$(sed -n 's/^cluster: master: namespace \([^,]*\),.*/\1/p' "$out/int.log")
pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
check "interrupted run: dnsmasq, Ganesha, ghostwatch and QEMU were running ($pids)" [ "$(echo $pids | wc -w)" -ge 4 ]
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
