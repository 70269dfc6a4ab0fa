#!/bin/bash
# The cluster file and the master's generated files, checked by the real programs: dnsmasq
# --test and a dnsmasq that comes up serving DHCP and TFTP, NFS-Ganesha started on its file in
# this test's namespace, ghostinit's own parser on the nodes' command line; the content (each
# node's MAC -> IP, PXE, exports); and malformed cluster files rejected with their line number.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. netboot/ganesha-start.sh
gen=netboot/cluster/generate.sh
quiet() { "$@" >/dev/null 2>&1; }
t=$(realpath -m build/test-tmp/cluster-config)
rm -rf "$t"
mkdir -p "$t/root/sbin" "$t/boot"
echo kernel >"$t/boot/vmlinuz"
echo image >"$t/boot/initramfs.img"
od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$t/key"

good() { # the cluster file of the first checks: iPXE, NFSv4.2, three nodes (one dynamic)
	cat <<EOF
# a test cluster
name        testc
interface   br0
subnet      10.68.0.0/24
master      10.68.0.1
dhcp-range  10.68.0.100 10.68.0.150
kernel      boot/vmlinuz
initramfs   $t/boot/initramfs.img
root        $t/root
key         key
heartbeat   10
console     ttyS0,115200
cmdline     panic=5 quiet
node n1 52:54:00:68:00:01 10.68.0.11
node n2 52:54:00:68:00:02 10.68.0.12   # comment after a node
node n3 52:54:00:68:00:03
EOF
}
good >"$t/good.cluster"
out=$t/out
check "a valid cluster file generates" quiet $gen "$t/good.cluster" "$out"
check "dnsmasq --test accepts dnsmasq.conf" quiet dnsmasq --test -C "$out/dnsmasq.conf"
for n in 1 2; do
	check "n$n: MAC 52:54:00:68:00:0$n -> 10.68.0.1$n by dhcp-host" \
		grep -qx "dhcp-host=52:54:00:68:00:0$n,10.68.0.1$n,n$n" "$out/dnsmasq.conf"
done
check "n3 (no address) named, its address from the range" grep -qx "dhcp-host=52:54:00:68:00:03,n3" "$out/dnsmasq.conf"
check "dynamic range, infinite leases (ghostinit never renews)" grep -qx "dhcp-range=10.68.0.100,10.68.0.150,255.255.255.0,infinite" "$out/dnsmasq.conf"
check "fixed addresses, infinite leases too" grep -qx "dhcp-range=10.68.0.0,static,255.255.255.0,infinite" "$out/dnsmasq.conf"
good | sed '/^lease /d; 3i lease 2h' >"$t/finite.cluster"
check "a finite lease is written as asked, with a warning that nodes do not renew" bash -c \
	"$gen '$t/finite.cluster' '$t/finite-out' 2>&1 >/dev/null | grep -q 'warning: lease 2h: ghostinit never renews' &&
	 grep -qx 'dhcp-range=10.68.0.100,10.68.0.150,255.255.255.0,2h' '$t/finite-out/dnsmasq.conf'"
check "iPXE gets the script, UEFI ipxe.efi, BIOS undionly.kpxe" \
	bash -c "grep -qx 'dhcp-match=set:ipxe,175' $out/dnsmasq.conf && grep -qx 'dhcp-boot=tag:ipxe,boot.ipxe,,10.68.0.1' $out/dnsmasq.conf &&
		grep -qx 'dhcp-boot=tag:!ipxe,tag:efi64,ipxe.efi,,10.68.0.1' $out/dnsmasq.conf && grep -qx 'dhcp-boot=tag:!ipxe,tag:!efi64,undionly.kpxe,,10.68.0.1' $out/dnsmasq.conf"
check "RA lines (iPXE does not stall)" bash -c "grep -qx enable-ra $out/dnsmasq.conf && grep -qx 'dhcp-range=fd00:6762::,ra-only' $out/dnsmasq.conf"
check "TFTP root holds the kernel, image, script and loaders" \
	bash -c "cd $out/tftp && cmp vmlinuz $t/boot/vmlinuz && cmp initramfs.img $t/boot/initramfs.img && [ -s undionly.kpxe ] && [ -s ipxe.efi ] && head -1 boot.ipxe | grep -qx '#!ipxe'"
key=$(cat "$t/key")
want="console=ttyS0,115200 root=nfs4:10.68.0.1:$t/root:vers=4.2 ro ghost.overlay=tmpfs ghost.reset=pci ghost.master=10.68.0.1:7468 ghost.heartbeat=10 ghost.key=$key ghost.wol=g panic=5 quiet"
check "the nodes' command line from the cluster file" grep -qxF "$want" "$out/cmdline"
check "boot.ipxe boots it with BOOTIF of the booting NIC" \
	grep -qxF "kernel vmlinuz initrd=initramfs.img $want BOOTIF=01-\${netX/mac:hexhyp}" "$out/tftp/boot.ipxe"
bootif=$(sed -n 's/^kernel vmlinuz initrd=initramfs.img //p' "$out/tftp/boot.ipxe" | sed 's/\${netX\/mac:hexhyp}/52-54-00-68-00-01/')
# A cluster key on the command line still works, with one warning, which does not show it.
build/ghostinit cmdline "$bootif" >"$t/parsed" 2>"$t/warnings"
check "ghostinit's parser takes the command line, warning only that every user can read the key" \
	bash -c "[ \$(grep -c . '$t/warnings') = 1 ] && grep -q 'every local user can read the key' '$t/warnings' && ! grep -q '$key' '$t/warnings'"
check "ghostinit reads BOOTIF, root, overlay, master, key from it" bash -c \
	"build/ghostinit cmdline '$bootif' | grep -qx bootif=52:54:00:68:00:01 && build/ghostinit cmdline '$bootif' | grep -qx 'ghost.master=10.68.0.1:7468' &&
	 build/ghostinit cmdline '$bootif' | grep -qx 'ghost.overlay=tmpfs' && build/ghostinit cmdline '$bootif' | grep -qx 'root_access=ro'"
check "every node woken by LAN (no power line): ghost.wol=g on the command line, before the file's cmdline" \
	bash -c "grep -q ' ghost.wol=g panic=5 quiet\$' '$out/cmdline' && build/ghostinit cmdline '$bootif' 2>/dev/null | grep -qx 'ghost.wol=g'"
check "the power list: each node wol, to the subnet's broadcast out of the cluster interface" bash -c \
	"grep -qx 'n1 52:54:00:68:00:01 10.68.0.11 wol 10.68.0.255 br0' '$out/power' &&
	 grep -qx 'n3 52:54:00:68:00:03 - wol 10.68.0.255 br0' '$out/power' && [ \$(grep -vc '^#' '$out/power') = 3 ]"
check "ghostwatch power reads it (status of n[1-3])" bash -c \
	"build/ghostwatch power status 'n[1-3]' --power-list '$out/power' --state-dir '$t/no-state' | grep -c 'wol   absent' | grep -qx 3"
# A node with a BMC: the power key; only the others arm Wake-on-LAN.
good | sed '$a power n2 ipmi 10.70.1.2' >"$t/ipmi.cluster"
io=$t/out-ipmi
check "power n2 ipmi 10.70.1.2: generates" quiet $gen "$t/ipmi.cluster" "$io"
check "... the power list says ipmi and its BMC for n2, wol for the others" bash -c \
	"grep -qx 'n2 52:54:00:68:00:02 10.68.0.12 ipmi 10.70.1.2' '$io/power' && grep -qx 'n1 52:54:00:68:00:01 10.68.0.11 wol 10.68.0.255 br0' '$io/power'"
check "... the shared command line no longer arms every NIC" bash -c "! grep -q ghost.wol '$io/cmdline'"
check "... boot.ipxe arms it for all but n2's MAC, before the file's cmdline" bash -c \
	"grep -qx 'set gbwol ghost.wol=g' '$io/tftp/boot.ipxe' && grep -qxF 'iseq \${netX/mac} 52:54:00:68:00:02 && clear gbwol ||' '$io/tftp/boot.ipxe' &&
	 [ \$(grep -c 'clear gbwol' '$io/tftp/boot.ipxe') = 1 ] && grep -qF ' \${gbwol} panic=5 quiet BOOTIF=' '$io/tftp/boot.ipxe'"
check "... the BMC as a host list: power n[1-2] ipmi 10.70.1.[1-2] pairs them in order" bash -c \
	"good() { sed '\$a power n[1-2] ipmi 10.70.1.[1-2]' '$t/good.cluster'; }; good >'$t/ipmi2.cluster' && $gen '$t/ipmi2.cluster' '$t/out-ipmi2' >/dev/null &&
	 grep -q '^n1 .* ipmi 10.70.1.1\$' '$t/out-ipmi2/power' && grep -q '^n2 .* ipmi 10.70.1.2\$' '$t/out-ipmi2/power'"
check "without NIC parts beside the image, boot.ipxe loads the whole image only" \
	bash -c "! grep -q gbnic $out/tftp/boot.ipxe && [ ! -e $out/tftp/base.img ]"

# Per-node keys: master-key instead of key. One archive per node in the TFTP root, nothing on
# the command line.
(umask 077 && build/ghostwatch keygen --master-key "$t/master.key" 2>/dev/null)
sed 's|^key .*|master-key  master.key|' "$t/good.cluster" >"$t/keyed.cluster"
ko=$t/out-keyed
$gen "$t/keyed.cluster" "$ko" >/dev/null 2>"$t/keyed.err"
check "master-key: generates" test $? = 0
check "master-key: warns that n3 (no fixed address) has its archive served to anyone who names it" \
	grep -q "node n3 has no fixed address: its key archive is served to any TFTP client" "$t/keyed.err"
check "master-key: no ghost.key= on the command line" bash -c "! grep -q 'ghost.key' '$ko/cmdline' '$ko/tftp/boot.ipxe'"
# Where each archive is: n1 and n2 (fixed addresses) in their address's folder, served to that
# address alone (tftp-unique-root=ip); n3 (from the dhcp-range) in the shared keys/.
keydir() { case $1 in *01) echo "$ko/tftp/10.68.0.11/keys" ;; *02) echo "$ko/tftp/10.68.0.12/keys" ;; *) echo "$ko/tftp/keys" ;; esac; }
for m in 52-54-00-68-00-01 52-54-00-68-00-02 52-54-00-68-00-03; do
	want_key=$(build/ghostwatch node-key "${m//-/:}" --master-key "$t/master.key")
	check "master-key: $(keydir $m | sed "s|$ko/||")/$m.img is a cpio of etc/ghostboot/node.key, 0600 root, holding that node's key" bash -c "
		cd '$(keydir $m)' && [ \$(stat -c %a $m.img) != 644 ] &&
		cpio -tv --quiet <$m.img | grep -qE '^-rw------- +1 root +root .* etc/ghostboot/node.key\$' &&
		[ \"\$(cpio -i --to-stdout --quiet etc/ghostboot/node.key <$m.img)\" = '$want_key' ]"
done
check "master-key: two nodes, two keys" bash -c "! cmp -s '$ko/tftp/10.68.0.11/keys/52-54-00-68-00-01.img' '$ko/tftp/10.68.0.12/keys/52-54-00-68-00-02.img'"
check "master-key: no archive of a node with a fixed address in the shared keys/; dnsmasq told tftp-unique-root=ip" bash -c "
	[ ! -e '$ko/tftp/keys/52-54-00-68-00-01.img' ] && [ ! -e '$ko/tftp/keys/52-54-00-68-00-02.img' ] &&
	grep -qx 'tftp-unique-root=ip' '$ko/dnsmasq.conf'"
check "master-key: boot.ipxe loads the node's archive before the kernel and names it for the EFI stub" bash -c "
	grep -qxF 'initrd --name nodekey.img keys/\${netX/mac:hexhyp}.img && set gbkey initrd=nodekey.img ||' '$ko/tftp/boot.ipxe' &&
	grep -q '^kernel vmlinuz \${gbkey} initrd=initramfs.img ' '$ko/tftp/boot.ipxe' &&
	[ \$(grep -n '^initrd --name nodekey' '$ko/tftp/boot.ipxe' | cut -d: -f1) -lt \$(grep -n '^kernel' '$ko/tftp/boot.ipxe' | head -1 | cut -d: -f1) ]"
kb=$(sed -n 's/^kernel vmlinuz ${gbkey} initrd=initramfs.img //p' "$ko/tftp/boot.ipxe" | sed 's/\${netX\/mac:hexhyp}/52-54-00-68-00-01/')
check "master-key: ghostinit's parser takes that command line without a warning" quiet build/ghostinit cmdline "$kb"
chmod 644 "$t/master.key"
check "master-key: a secret others can read is refused, with its line" bash -c \
	"! $gen '$t/keyed.cluster' '$t/out-open' 2>'$t/open.err' && grep -q 'keyed.cluster:10: master-key .*mode 644.*chmod 600' '$t/open.err'"
chmod 600 "$t/master.key"
sed 's|^key .*|key key\nmaster-key master.key|' "$t/good.cluster" >"$t/both.cluster"
check "key and master-key together are refused" bash -c \
	"! $gen '$t/both.cluster' '$t/out-both' 2>'$t/both.err' && grep -q \"'key' and 'master-key': give one\" '$t/both.err'"

# With the image's NIC parts beside it (mkimage.sh --nic-parts), boot.ipxe chooses by PCI ID.
mkdir -p "$t/boot/initramfs.img.nic"
echo base >"$t/boot/initramfs.img.nic/base.img"
echo e1000e >"$t/boot/initramfs.img.nic/e1000e.img"
echo virtio >"$t/boot/initramfs.img.nic/virtio.img"
printf '1af4:* virtio\n8086:10d3 e1000e\n' >"$t/boot/initramfs.img.nic/pci.map"
check "with NIC parts: generates" quiet $gen "$t/good.cluster" "$t/out-parts"
ipxe=$t/out-parts/tftp/boot.ipxe
check "with NIC parts: base.img and nic-<family>.img in the TFTP root" bash -c \
	"cd $t/out-parts/tftp && [ \"\$(cat base.img nic-e1000e.img nic-virtio.img)\" = \"\$(printf 'base\ne1000e\nvirtio')\" ]"
check "with NIC parts: the ID of the NIC iPXE booted from, read from its PCI configuration space" \
	grep -qxF 'set gbpci ${gbvendor}:${pci/${netX/busloc}.2.2} ||' "$ipxe"
check "with NIC parts: vendor-wide before exact IDs (an exact ID wins)" bash -c \
	'[ "$(grep "set gbnic" "$0")" = "$(printf "%s\n" "$1" "$2")" ]' "$ipxe" \
	'iseq ${gbvendor} 1af4 && set gbnic virtio ||' 'iseq ${gbpci} 8086:10d3 && set gbnic e1000e ||'
check "with NIC parts: base + the chosen part, both named for UEFI's stub" bash -c \
	'grep -qxF "kernel vmlinuz initrd=base.img initrd=nic-\${gbnic}.img $1 BOOTIF=01-\${netX/mac:hexhyp}" "$0" &&
	 grep -qxF "initrd base.img" "$0" && grep -qxF "initrd nic-\${gbnic}.img" "$0"' "$ipxe" "$want"
check "with NIC parts: any other NIC falls through to the whole image" bash -c \
	'grep -qxF "isset \${gbnic} || goto whole_image" "$0" && sed -n "/^:whole_image/,\$p" "$0" | grep -qxF "initrd initramfs.img"' "$ipxe"
rm -rf "$t/boot/initramfs.img.nic"

check "exports: read-only, no_root_squash, fsid, for the subnet" \
	grep -qE "^$t/root 10.68.0.0/24\(ro,sync,no_subtree_check,no_root_squash,fsid=[1-9][0-9]*,sec=sys\)$" "$out/exports"
check "ganesha.conf: read-only export for the subnet, bound to the master" bash -c \
	"grep -q 'Bind_addr = 10.68.0.1;' $out/ganesha.conf && grep -q 'Access_Type = RO;' $out/ganesha.conf && grep -q 'Clients = 10.68.0.0/24;' $out/ganesha.conf &&
	 ! grep -q '0.0.0.0' $out/ganesha.conf && grep -q 'Graceless = true;' $out/ganesha.conf"

# The real servers on the generated files, in this test's namespace with the master's bridge.
ns=$(netns_name clcfg)
netns_add "$ns"
ip -n "$ns" link add br0 type bridge stp_state 0 forward_delay 0
ip -n "$ns" addr add 10.68.0.1/24 dev br0
ip -n "$ns" -6 addr add fd00:6762::1/64 dev br0 nodad
ip -n "$ns" link set br0 up
ip netns exec "$ns" dnsmasq -k -C "$out/dnsmasq.conf" --pid-file= --user=root --log-facility="$t/dnsmasq.log" &
dpid=$!
track_pid "$dpid"
for i in $(seq 1 50); do grep -q "TFTP root" "$t/dnsmasq.log" 2>/dev/null && break; sleep 0.1; done
check "dnsmasq runs on the file: DHCP on the subnet" grep -q "DHCP, IP range 10.68.0.100 -- 10.68.0.150" "$t/dnsmasq.log"
check "dnsmasq runs on the file: TFTP root" grep -qF "TFTP root is $out/tftp" "$t/dnsmasq.log"
check "dnsmasq runs on the file: router advertisements" grep -q "router advertisement on fd00:6762::" "$t/dnsmasq.log"
kill "$dpid"
wait "$dpid" 2>/dev/null

# The keyed files: each archive only to its node's address, with real dnsmasq TFTP (as its own
# user, as up.sh runs it: dnsmasq as root serves only world-readable files). The master's
# bridge carries the nodes' addresses too, so that curl can ask from each.
if getent passwd dnsmasq >/dev/null; then
	for a in 10.68.0.11 10.68.0.12 10.68.0.99; do ip -n "$ns" addr add "$a/24" dev br0; done
	mkdir -p "$ko/state" && touch "$ko/state/dnsmasq.leases" "$t/dnsmasq-keyed.log" &&
		chown dnsmasq "$ko/state" "$ko/state/dnsmasq.leases" "$t/dnsmasq-keyed.log"
	ip netns exec "$ns" dnsmasq -k -C "$ko/dnsmasq.conf" --pid-file= --user=dnsmasq --log-facility="$t/dnsmasq-keyed.log" &
	dpid=$!
	track_pid "$dpid"
	for i in $(seq 1 50); do grep -q "TFTP root" "$t/dnsmasq-keyed.log" 2>/dev/null && break; sleep 0.1; done
	fetch() { ip netns exec "$ns" curl -s --max-time 5 --interface "$1" "tftp://10.68.0.1/$2" -o "$3"; }
	n1=keys/52-54-00-68-00-01.img
	check "TFTP: n1's address gets n1's archive" bash -c "
		$(declare -f fetch); ns=$ns; fetch 10.68.0.11 $n1 '$t/got-n1' && cmp -s '$t/got-n1' '$ko/tftp/10.68.0.11/$n1'"
	check "TFTP: ... and the shared files (vmlinuz, boot.ipxe) through its folder's links" bash -c "
		$(declare -f fetch); ns=$ns; fetch 10.68.0.11 vmlinuz '$t/got-k' && cmp -s '$t/got-k' '$ko/tftp/vmlinuz' &&
		fetch 10.68.0.11 boot.ipxe '$t/got-s' && cmp -s '$t/got-s' '$ko/tftp/boot.ipxe'"
	check "TFTP: n2's address, and one with no node, get no archive of n1" bash -c "
		$(declare -f fetch); ns=$ns; ! fetch 10.68.0.12 $n1 '$t/no1' && ! fetch 10.68.0.99 $n1 '$t/no2'"
	check "TFTP: the address with no node still gets the shared files" bash -c "
		$(declare -f fetch); ns=$ns; fetch 10.68.0.99 vmlinuz '$t/got-k2' && cmp -s '$t/got-k2' '$ko/tftp/vmlinuz'"
	sed -n 's/.*dnsmasq-tftp\[[0-9]*\]: /# /p' "$t/dnsmasq-keyed.log"
	kill "$dpid"
	wait "$dpid" 2>/dev/null
else
	ok "# SKIP TFTP by address: no dnsmasq user on this machine"
fi

ganesha_start "$ns" "$out/ganesha.conf" "$t"
gpid=$GANESHA_PID
track_pid "$gpid"
ganesha_wait "$ns"
check "NFS-Ganesha parses ganesha.conf and listens on 10.68.0.1:2049" \
	bash -c "ip netns exec $ns ss -Hltn 'sport = :2049' | grep -qE '(\[::ffff:)?10.68.0.1\]?:2049 '"
check "Ganesha initialised the server" grep -q "NFS SERVER INITIALIZED" "$t/ganesha.log"
kill -TERM "$gpid"
for i in $(seq 1 50); do kill -0 "$gpid" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$gpid" 2>/dev/null
wait "$gpid" 2>/dev/null

# pxelinux and NFSv3: the same checks on what differs.
good | sed -e 's/^kernel .*/kernel vmlinuz/' -e '/^dhcp-range/d' -e '/^node n3/d' -e '/^key/d' >"$t/boot/pxe.cluster"
printf 'boot pxelinux\nnfs-version 3\nnfs-options port=2049,mountport=20048\noverlay none\nreset acpi\n' >>"$t/boot/pxe.cluster"
out3=$t/out-pxe
check "a pxelinux + NFSv3 cluster file generates" quiet $gen "$t/boot/pxe.cluster" "$out3"
check "dnsmasq --test accepts it" quiet dnsmasq --test -C "$out3/dnsmasq.conf"
check "static leases only (no dhcp-range)" bash -c "grep -qx 'dhcp-range=10.68.0.0,static,255.255.255.0,infinite' $out3/dnsmasq.conf && [ \$(grep -c '^dhcp-range=10' $out3/dnsmasq.conf) -eq 1 ]"
check "BIOS gets pxelinux.0, UEFI iPXE" bash -c "grep -qx 'dhcp-boot=tag:!efi64,pxelinux.0,,10.68.0.1' $out3/dnsmasq.conf && grep -qx 'dhcp-boot=tag:efi64,tag:!ipxe,ipxe.efi,,10.68.0.1' $out3/dnsmasq.conf"
want3="console=ttyS0,115200 root=nfs:10.68.0.1:$t/root:vers=3,port=2049,mountport=20048 ro ghost.overlay=none ghost.reset=acpi ghost.master=10.68.0.1:7468 ghost.heartbeat=10 ghost.wol=g panic=5 quiet"
check "pxelinux.cfg/default: APPEND the command line, IPAPPEND 2, serial console" bash -c \
	"grep -qxF '  APPEND $want3' $out3/tftp/pxelinux.cfg/default && grep -qx '  IPAPPEND 2' $out3/tftp/pxelinux.cfg/default &&
	 grep -qx 'SERIAL 0 115200' $out3/tftp/pxelinux.cfg/default && [ -s $out3/tftp/pxelinux.0 ] && [ -s $out3/tftp/ldlinux.c32 ]"
check "ghostinit's parser takes the v3 command line" quiet build/ghostinit cmdline "$want3 BOOTIF=01-52-54-00-68-00-01"
check "ganesha.conf serves NFSv3 too" grep -q 'Protocols = 3, 4;' "$out3/ganesha.conf"
sed '$a power n2 ipmi bmc-n2' "$t/boot/pxe.cluster" >"$t/boot/pxe-ipmi.cluster"
check "pxelinux with an ipmi node: default arms Wake-on-LAN, n2's own file does not" bash -c \
	"$gen '$t/boot/pxe-ipmi.cluster' '$t/out-pxe-ipmi' >/dev/null && grep -q '^  APPEND .* ghost.wol=g panic=5 quiet\$' '$t/out-pxe-ipmi/tftp/pxelinux.cfg/default' &&
	 grep -q '^  APPEND .*ghost.heartbeat=10 panic=5 quiet\$' '$t/out-pxe-ipmi/tftp/pxelinux.cfg/01-52-54-00-68-00-02' &&
	 [ ! -e '$t/out-pxe-ipmi/tftp/pxelinux.cfg/01-52-54-00-68-00-01' ]"

# Malformed files: rejected, the message names the file and line.
bad() { # NAME LINE MESSAGE-REGEX SED-EXPRESSION (applied to the good file)
	local f=$t/bad-$1.cluster err
	good | sed -e "$4" >"$f"
	if err=$($gen "$f" "$t/bad-out" 2>&1); then
		not_ok "$1: accepted"
		return
	fi
	if echo "$err" | grep -qE "^$f:$2: .*$3"; then ok "$1: rejected at line $2 ($err)"; else not_ok "$1: '$err' (wanted line $2: $3)"; fi
}
bad unknown-key 3 "unknown key 'netmask'" '3i netmask 255.255.255.0'
bad twice 8 "'kernel' given twice \\(first on line 7\\)" '7p'
bad bad-mac 14 "MAC '52:54:00:68:00' is not" 's/^node n1 52:54:00:68:00:01/node n1 52:54:00:68:00/'
bad same-mac 15 "MAC 52:54:00:68:00:01 already on line 14" 's/^node n2 52:54:00:68:00:02/node n2 52:54:00:68:00:01/'
bad same-ip 15 "address 10.68.0.11 already on line 14" 's/10.68.0.12/10.68.0.11/'
bad same-name 15 "node name 'n1' already on line 14" 's/^node n2/node n1/'
bad outside 14 "10.69.0.11 is not a host address of 10.68.0.0/24" 's/10.68.0.11/10.69.0.11/'
bad is-master 14 "is the master's address" 's/10.68.0.11$/10.68.0.1/'
bad broadcast 14 "10.68.0.255 is not a host address" 's/10.68.0.11$/10.68.0.255/'
bad host-bits 4 "has host bits set" 's/^subnet .*/subnet 10.68.0.1\/24/'
bad no-prefix 4 "subnet '10.0.0.0' is not A.B.C.D/8..30" 's/^subnet .*/subnet 10.0.0.0/'
bad subnet-octet 4 "subnet '300.1.2.3/24' is not A.B.C.D/8..30" 's/^subnet .*/subnet 300.1.2.3\/24/'
bad master-out 5 "master 10.70.0.1 is not a host address" 's/^master .*/master 10.70.0.1/'
bad range-order 6 "10.68.0.150 comes after 10.68.0.100" 's/^dhcp-range .*/dhcp-range 10.68.0.150 10.68.0.100/'
bad range-master 6 "dhcp-range contains the master" 's/^dhcp-range .*/dhcp-range 10.68.0.1 10.68.0.20/'
bad no-kernel 7 "no such file" 's/^kernel .*/kernel boot\/nothing/'
bad relative-root 9 "not an absolute path" 's/^root .*/root srv\/root/'
bad dotdot-root 9 "contains '..'" "s|^root .*|root $t/../etc|"
bad missing-interface 15 "'interface' is missing" '/^interface/d'
bad bad-version 17 "nfs-version '5'" '$a nfs-version 5'
bad bad-boot 17 "boot 'grub' is not ipxe or pxelinux" '$a boot grub'
bad bad-overlay 17 "overlay 'disk'" '$a overlay disk'
bad two-words 10 "'key' takes one value" 's/^key .*/key key other/'
bad quote 13 "cmdline '.*': only letters" 's/^cmdline .*/cmdline init="\/bin\/sh -x"/'
bad upper-name 14 "node name 'N1' is not a host name" 's/^node n1/node N1/'
bad node-short 14 "node needs: node <name> <mac>" 's/^node n1 .*/node n1/'
bad ip-octet 14 "'10.68.0.300' is not an IPv4 address" 's/10.68.0.11$/10.68.0.300/'
bad multicast 14 "multicast" 's/52:54:00:68:00:01/01:00:5e:00:00:01/'
bad power-not-node 17 "power: 'n9' is not a node of this file" '$a power n[1,9] wol'
bad power-twice 18 "power: node n2 already has a backend \\(line 17\\)" '$a power n[1-2] wol\npower n2 ipmi 10.70.1.2'
bad power-backend 17 "power: backend 'ssh' is not wol or ipmi" '$a power n1 ssh'
bad power-no-bmc 17 "power: ipmi needs the nodes' BMCs" '$a power n1 ipmi'
bad power-count 17 "power: 2 node\\(s\\) but 1 BMC\\(s\\)" '$a power n[1-2] ipmi 10.70.1.1'
bad power-bmc-ip 17 "power: BMC '10.70.1.300' is not an IPv4 address" '$a power n1 ipmi 10.70.1.300'
bad power-list 17 "power: nodes 'n\\[1-': bad node list" '$a power n[1- wol'
bad power-short 17 "power needs: power NODES wol\\|ipmi" '$a power n1'
bad power-wol-arg 17 "power: wol takes no value" '$a power n1 wol br0'
bad no-value 11 "'heartbeat' needs a value" 's/^heartbeat .*/heartbeat/'
bad short-key 10 "does not hold 32 to 128 hex digits" "s|^key .*|key $t/boot/vmlinuz|"
# The rule ghostinit and ghostwatch apply (report_wire_parse_key): space around the digits, never inside.
printf '  %s\n\n' "$(cat "$t/key")" >"$t/spaced.key"
printf '%s %s\n' "$(cut -c1-32 "$t/key")" "$(cut -c33- "$t/key")" >"$t/split.key"
bad split-key 10 "does not hold 32 to 128 hex digits" "s|^key .*|key $t/split.key|"
good | sed "s|^key .*|key $t/spaced.key|" >"$t/spaced.cluster"
check "a key with blank lines and spaces around it is taken" quiet $gen "$t/spaced.cluster" "$t/spaced-out"
bad no-address 15 "node n3 has no address and there is no dhcp-range" '/^dhcp-range/d'
missing() { ! $gen "$t/none.cluster" "$t/bad-out" 2>"$t/none.err" && grep -q "none.cluster: cannot read" "$t/none.err"; }
check "a missing cluster file is named" missing
tap_done
