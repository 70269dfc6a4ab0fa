#!/bin/bash
# heavy: two Debian boots with systemd under TCG, 3-6 minutes each
# Predictable interface names against udev itself: the real Debian root (tests/lib/debian-root.sh,
# a private read-write copy over NFSv4) boots through ghostinit on a q35 machine with five NICs
# (virtio-net, e1000e, a multi-function e1000e pair, virtio-net behind a PCIe root port) and
# on a pc machine (virtio-net in an ACPI hot-plug slot, an e1000e with ACPI index 3). A unit in
# the root asks `udevadm test-builtin net_id` (the oracle: systemd 252's own code) for every
# interface and checks that ghostinit's name is the one Debian's 99-default.link picks
# (onboard, else slot, else path), that each interface's device unit is active, and that the
# journal has no failed rename; then the node powers off through ghostinit with a file intact.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/nfs.sh
. tests/lib/worker.sh
. tests/lib/debian-root.sh
logs=build/test-logs/qemu
machines=${IFNAMES_MACHINES:-q35 pc}
mac=52:54:00:ce:01:01
# The bridge and its tap are worker_env's; the NICs (QEMU_NET) are set per machine below.
worker_env ifnamesdeb --bridge "$mac" || exit 1
work=$WORKER_DIR
ns=$QEMU_NETNS
QEMU_MEM=256

report_script() {
	cat <<'EOS'
#!/bin/sh
# ghostboot test: what udev computes for each interface against the name it carries.
for d in /sys/class/net/*; do
	i=${d##*/}
	[ "$i" = lo ] && continue
	echo "IFN-UDEV $i $(udevadm test-builtin net_id "/sys/class/net/$i" 2>/dev/null | grep -E '^ID_NET_NAME_(ONBOARD|SLOT|PATH)=' | sort | tr '\n' ' ')"
	echo "IFN-UNIT $i $(systemctl is-active "sys-subsystem-net-devices-$i.device")"
done
echo "IFN-RENAME-FAILURES $(journalctl -b -o cat | grep -ciE 'cannot rename|failed to rename|already up')"
echo "IFN-WROTE $(date +%s) $(head -c 1048576 /dev/urandom | tee /var/tmp/ifnames-data | sha256sum | cut -c1-64)"
echo "IFN-DONE"
systemctl --no-block poweroff
EOS
}

if ! debian_root_prepare; then
	not_ok "Debian root prepared with debootstrap (see $DEBIAN_ROOT.log)"
	exit 1
fi
root=$work/root
mkdir -p "$work"
check "a private read-write copy of the Debian root" debian_root_copy "$DEBIAN_ROOT" "$root"
install_unit() { report_script | debian_test_unit "$1" ghostboot-ifnames "ghostboot test: interface names against udev's net_id, then power off"; }
check "the test's unit" install_unit "$root"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$ns" "$root"; then ok "Ganesha exports the Debian root read-write"; else not_ok "Ganesha exports the Debian root"; fi
check "dnsmasq on the bridge" dnsmasq_start "$ns" "$work"

boot="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no"
for machine in $machines; do
	case $machine in
	q35) nics="-device virtio-net-pci,netdev=n0,mac=$mac,addr=0x2 -device e1000e,addr=0x3,mac=52:54:00:ce:01:03
		-device e1000e,addr=0x5.0,multifunction=on,mac=52:54:00:ce:01:50 -device e1000e,addr=0x5.1,mac=52:54:00:ce:01:51
		-device pcie-root-port,id=rp7,slot=7,chassis=7,addr=0x7 -device virtio-net-pci,bus=rp7,mac=52:54:00:ce:01:07,netdev=n1 -netdev hubport,id=n1,hubid=1"
		count=5 boot_name=enp0s2 ;;
	pc) nics="-device virtio-net-pci,netdev=n0,mac=$mac,addr=0x3 -device e1000e,addr=0x4,acpi-index=3,mac=52:54:00:ce:01:04"
		count=2 boot_name=ens3 ;;
	esac
	log=$logs/ifnames-debian-$machine.console
	QEMU_NET="$boot $nics"
	start=$SECONDS
	qemu_start "$log" "root=nfs4:10.77.0.1:$root rw panic=-1 BOOTIF=01-${mac//:/-}" -machine "$machine"
	qemu_wait 900
	rc=$?
	check "$machine: QEMU powered off by itself (status $rc, $((SECONDS - start)) s)" [ "$rc" -eq 0 ]
	check "$machine: the unit ran under systemd" grep -aq "IFN-DONE" "$log"
	n=$(grep -ac "^IFN-UDEV " "$log")
	check "$machine: udev saw $count interfaces ($n)" [ "$n" -eq "$count" ]
	# Debian's 99-default.link: NamePolicy=keep kernel database onboard slot path
	while read -r _ name props; do
		props=${props%$'\r'}
		want=$(echo "$props" | tr ' ' '\n' | sed -n 's/^ID_NET_NAME_ONBOARD=//p')
		[ -n "$want" ] || want=$(echo "$props" | tr ' ' '\n' | sed -n 's/^ID_NET_NAME_SLOT=//p')
		[ -n "$want" ] || want=$(echo "$props" | tr ' ' '\n' | sed -n 's/^ID_NET_NAME_PATH=//p')
		check "$machine: $name is what udev names it (${want:-none}; $props)" [ "$name" = "$want" ]
		check "$machine: the device unit of $name is active" grep -aq "IFN-UNIT $name active" "$log"
	done < <(grep -a "^IFN-UDEV " "$log")
	check "$machine: no failed rename in the journal" grep -aqE "IFN-RENAME-FAILURES 0" "$log"
	check "$machine: ghostinit leased on $boot_name" grep -aqE "ghostinit: $boot_name: lease 10\.77\.0\." "$log"
	check "$machine: the guardian watches $boot_name" grep -aq "ghostinit: boot link: $boot_name guarded" "$log"
	check "$machine: systemd handed over to ghostinit's shutdown" grep -aqE 'ghostinit: shutdown: [1-9][0-9]* unmounted, [0-9]+ detached, 0 hung, 0 left' "$log"
	want=$(grep -a "IFN-WROTE " "$log" | head -1 | awk '{ print $3 }' | tr -d '\r')
	got=$(sha256sum <"$root/var/tmp/ifnames-data" 2>/dev/null | cut -c1-64)
	check "$machine: the file written before power-off is intact on the server" [ -n "$want" -a "$want" = "$got" ]
done
nfs_stop
tap_done
