#!/bin/bash
# heavy: two Debian boots with systemd under TCG, 2-4 minutes each
# ifupdown on the real Debian root, configured as Debian's installer writes it for the boot
# NIC under its predictable name: `allow-hotplug enp0s2` (one boot) or `auto enp0s2` (another),
# then `iface enp0s2 inet dhcp` (ISC dhclient). The root is a cached copy of the Debian test
# root with ifupdown and isc-dhcp-client installed by apt in a chroot
# ($DEBIAN_ROOT-ifupdown), exported read-write over NFSv4 as a private copy. A unit, after
# multi-user.target: writes 1 MiB, runs `systemctl restart networking`, writes 1 MiB more
# (the NFS root must still answer), then powers off; both files must be intact on the server.
# Checks that the boot did not stall on the NIC (no job timeout, ifupdown's units done), and
# counts what kept the link: the networking.service drop-in (ifdown --exclude=enp0s2) and the
# guardian's restores.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/nfs.sh
. tests/lib/worker.sh
. tests/lib/debian-root.sh
logs=build/test-logs/qemu
modes=${IFUPDOWN_MODES:-allow-hotplug auto}
IFUPDOWN_ROOT=$DEBIAN_ROOT-ifupdown

# The Debian root plus ifupdown and dhclient, built once (apt in a chroot).

unit_script() {
	cat <<'EOS'
#!/bin/sh
# ghostboot test: ifupdown touches the boot link; the NFS root must stay reachable.
i=enp0s2
echo "IFUP-MULTI-USER uptime=$(cut -d' ' -f1 /proc/uptime) networking=$(systemctl is-active networking.service) ifup@=$(systemctl is-active ifup@$i.service) device=$(systemctl is-active sys-subsystem-net-devices-$i.device)"
echo "IFUP-DHCLIENT $(cat /proc/[0-9]*/comm 2>/dev/null | grep -c '^dhclient$')"
echo "IFUP-ADDR-BEFORE $(ip -4 -o addr show dev $i | awk '{ print $4, $5, $6, $7, $8 }' | tr '\n' ';')"
echo "IFUP-WROTE before $(head -c 1048576 /dev/urandom | tee /var/tmp/ifup-before | sha256sum | cut -c1-64)"
timeout 120 systemctl restart networking.service
echo "IFUP-RESTART rc=$? networking=$(systemctl is-active networking.service)"
sum=$(timeout 60 sh -c 'head -c 1048576 /dev/urandom | tee /var/tmp/ifup-after | sha256sum | cut -c1-64')
echo "IFUP-WROTE after $sum"
echo "IFUP-ADDR-AFTER $(ip -4 -o addr show dev $i | awk '{ print $4 }' | tr '\n' ';') link=$(cat /sys/class/net/$i/operstate)"
echo "IFUP-TIMEOUTS $(journalctl -b -o cat | grep -ciE 'timed out|dependency failed')"
echo "IFUP-DONE"
systemctl --no-block poweroff
EOS
}

# configure MODE ROOT: the interfaces file as Debian's installer writes it, and the test's unit.
configure() {
	debian_admin_network "$2" "ifupdown-$1" enp0s2 &&
		unit_script | debian_test_unit "$2" ghostboot-ifupdown "ghostboot test: restart networking under an NFS root, then power off"
}

if ! debian_manager_root_prepare ifupdown; then
	not_ok "the Debian root with ifupdown (see $IFUPDOWN_ROOT.apt.log)"
	exit 1
fi
ok "the Debian root with ifupdown and isc-dhcp-client"
mac=52:54:00:ce:02:01
worker_env ifupdeb --bridge "$mac" || exit 1
work=$WORKER_DIR
ns=$QEMU_NETNS
QEMU_NET="$QEMU_NET,addr=0x2" # 00:02.0 on q35: enp0s2
QEMU_MEM=256
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
check "dnsmasq on the bridge (a fixed address for the worker)" dnsmasq_start "$ns" "$work" "--dhcp-host=$mac,10.77.0.42"

for mode in $modes; do
	root=$work/root-$mode
	check "$mode: a private read-write copy of the root" debian_root_copy "$IFUPDOWN_ROOT" "$root"
	check "$mode: the admin's interfaces file ($mode enp0s2) and the test's unit" configure "$mode" "$root"
	if nfs_start "$ns" "$root"; then ok "$mode: Ganesha exports the root"; else not_ok "$mode: Ganesha exports the root"; fi
	log=$logs/ifupdown-debian-$mode.console
	start=$SECONDS
	qemu_boot "$log" 900 "root=nfs4:10.77.0.1:$root rw panic=-1 BOOTIF=01-${mac//:/-}"
	rc=$?
	took=$((SECONDS - start))
	check "$mode: QEMU powered off by itself (status $rc, $took s)" [ "$rc" -eq 0 ]
	check "$mode: multi-user reached with ifupdown done ($(grep -a 'IFUP-MULTI-USER' "$log" | tr -d '\r'))" \
		grep -aqE "IFUP-MULTI-USER .* device=active" "$log"
	check "$mode: dhclient ran for enp0s2" grep -aqE "IFUP-DHCLIENT [1-9]" "$log"
	check "$mode: no job timed out and no dependency failed" grep -aq "IFUP-TIMEOUTS 0" "$log"
	check "$mode: systemctl restart networking returned" grep -aqE "IFUP-RESTART rc=0" "$log"
	check "$mode: the address is there after the restart ($(grep -a 'IFUP-ADDR-AFTER' "$log" | tr -d '\r'))" \
		grep -aqE "IFUP-ADDR-AFTER 10\.77\.0\.42/24;.* link=up" "$log"
	for f in before after; do
		want=$(grep -a "IFUP-WROTE $f " "$log" | head -1 | awk '{ print $3 }' | tr -d '\r')
		got=$(sha256sum <"$root/var/tmp/ifup-$f" 2>/dev/null | cut -c1-64)
		check "$mode: the file written $f the restart is intact on the server" [ -n "$want" -a "$want" = "$got" ]
	done
	check "$mode: systemd handed over to ghostinit's shutdown, nothing hung" \
		grep -aqE 'ghostinit: shutdown: [1-9][0-9]* unmounted, [0-9]+ detached, 0 hung, 0 left' "$log"
	restores=$(grep -acE 'ghostinit: guardian: enp0s2 lost .*restored' "$log")
	# The drop-ins (networking.service's --exclude, ifup@enp0s2's empty ExecStop) keep ifupdown
	# off the boot link; the guardian is the net, not the mechanism.
	check "$mode: ifupdown left the boot link alone: no restore by the guardian ($restores)" [ "$restores" -eq 0 ]
	echo "# $mode: guardian restores this boot: $restores; shutdown took $(debian_shutdown_seconds "$log") s; $(grep -a 'IFUP-MULTI-USER' "$log" | tr -d '\r')"
	grep -aE 'ghostinit: guardian: enp0s2 lost' "$log" | sed 's/^/# /'
	nfs_stop
done
tap_done
