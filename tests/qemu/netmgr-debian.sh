#!/bin/bash
# systemd-networkd and NetworkManager on the real Debian root (run by test_networkd_debian.sh
# and test_nm_debian.sh; NETMGR_MODES picks the boots), each with the configuration an admin
# has for the boot NIC under its predictable name (enp0s2):
#   networkd  /etc/systemd/network/20-wired.network: [Match] Name=enp0s2, [Network] DHCP=yes;
#             systemd-networkd enabled (the root: $DEBIAN_ROOT-networkd, the Debian root plus
#             dbus for networkctl's requests and iproute2; the rest is configured per boot)
#   networkd-overlay  the same under ghost.overlay=tmpfs: / is an overlay, not a network file
#             system to systemd, so networkd's own default (KeepConfiguration=yes on a network
#             root) does not apply: only ghostinit's drop-in keeps the link
#   nm        Debian's network-manager package as installed ($DEBIAN_ROOT-nm): its
#             NetworkManager.conf (plugins=ifupdown,keyfile), no profile: NM's own default is
#             the auto "Wired connection 1" (DHCP)
# The root is exported read-write over NFSv4 as a private copy. A unit, after
# multi-user.target: writes 1 MiB, restarts the manager (systemctl restart), writes 1 MiB, asks
# it to reconfigure the NIC (networkctl reconfigure / nmcli device reapply), writes 1 MiB, then
# powers off; the three files must be intact on the server (not under the overlay: they are in
# its tmpfs). Checks that the boot did not stall, what the manager made of the NIC (networkd:
# the admin's file applied; NM: unmanaged, as ghostinit's drop-in asks), and counts the
# guardian's restores in each phase (boot, restart, reconfigure, shutdown).
# NETMGR_MASK=1 masks ghostinit's drop-ins from /etc (same names, empty): the control run that
# shows what the managers do to the link without them.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/nfs.sh
. tests/lib/worker.sh
. tests/lib/debian-root.sh
logs=build/test-logs/qemu
modes=${NETMGR_MODES:-networkd nm}
i=enp0s2

# The unit's script: $1 = the mode; the steps are the same for both managers.
unit_script() {
	cat <<'EOS'
#!/bin/sh
# ghostboot test: a network manager touches the boot link; the NFS root must stay reachable.
i=enp0s2
mode=$1
state() {
	if [ "$mode" != nm ]; then
		networkctl --no-pager status $i 2>/dev/null | awk -F': ' '/Network File:/ { f = $2 } /State:/ { s = $2 }
			END { gsub(/ /, "_", s); printf "file=%s state=%s", f, s }'
	else
		printf 'state=%s' "$(nmcli -t -f DEVICE,STATE device 2>/dev/null | awk -F: -v i=$i '$1 == i { print $2 }')"
	fi
}
settle() { # the manager done with the NIC, bounded
	if [ "$mode" != nm ]; then
		timeout 70 /lib/systemd/systemd-networkd-wait-online -i $i --timeout=60 >/dev/null 2>&1
	else
		timeout 70 nm-online -s -q -t 60
	fi
	echo "NETMGR-SETTLED $1 rc=$? $(state)"
}
write() {
	sum=$(timeout 60 sh -c "head -c 1048576 /dev/urandom | tee /var/tmp/netmgr-$1 | sha256sum | cut -c1-64")
	echo "NETMGR-WROTE $1 $sum"
}
if [ "$mode" != nm ]; then unit=systemd-networkd.service; else unit=NetworkManager.service; fi
echo "NETMGR-MULTI-USER uptime=$(cut -d' ' -f1 /proc/uptime) manager=$(systemctl is-active $unit) device=$(systemctl is-active sys-subsystem-net-devices-$i.device) $(state)"
settle boot
echo "NETMGR-ADDR-BEFORE $(ip -4 -o addr show dev $i | awk '{ print $4 }' | tr '\n' ';')"
write boot
echo "NETMGR-STEP restart"
timeout 120 systemctl restart $unit
echo "NETMGR-RESTART rc=$? manager=$(systemctl is-active $unit)"
settle restart
write restart
echo "NETMGR-STEP reconfigure"
if [ "$mode" != nm ]; then
	timeout 60 networkctl reconfigure $i
else
	timeout 60 nmcli device reapply $i
fi
echo "NETMGR-RECONFIGURE rc=$?"
settle reconfigure
write reconfigure
echo "NETMGR-ADDR-AFTER $(ip -4 -o addr show dev $i | awk '{ print $4 }' | tr '\n' ';') link=$(cat /sys/class/net/$i/operstate)"
# (ghostinit's own lines in the journal, the guardian's among them, are counted on the host)
journalctl -b -o cat | grep -vE 'ghostinit|guardian: ' | grep -iE 'timed out|dependency failed' | head -5 | sed 's/^/NETMGR-TIMEOUT /'
echo "NETMGR-TIMEOUTS $(journalctl -b -o cat | grep -vE 'ghostinit|guardian: ' | grep -ciE 'timed out|dependency failed')"
journalctl -b -o short-monotonic --no-pager -u $unit | grep -iE "$i|address|dhcp|lease" | tail -40 | sed 's/^/NETMGR-JOURNAL /'
echo "NETMGR-STEP shutdown"
echo "NETMGR-DONE"
systemctl --no-block poweroff
EOS
}

# configure MODE ROOT: the admin's configuration for the NIC, and the test's unit.
configure() {
	local mode=$1 root=$2
	debian_admin_network "$root" "${mode%-overlay}" $i || return 1
	if [ "${NETMGR_MASK:-0}" = 1 ] && [ "$mode" != nm ]; then
		mkdir -p "$root/etc/systemd/network/20-wired.network.d"
		: >"$root/etc/systemd/network/20-wired.network.d/ghostboot-keep-boot-link.conf"
	elif [ "${NETMGR_MASK:-0}" = 1 ]; then
		: >"$root/etc/NetworkManager/conf.d/00-ghostboot-boot.conf"
	fi
	unit_script | debian_test_unit "$root" ghostboot-netmgr \
		"ghostboot test: restart and reconfigure the network manager under an NFS root, then power off" "$mode"
}

for mode in $modes; do
	if ! debian_manager_root_prepare "${mode%-overlay}"; then
		not_ok "$mode: the Debian root for it (see $DEBIAN_ROOT-${mode%-overlay}.apt.log)"
		exit 1
	fi
	ok "$mode: the Debian root for it ($DEBIAN_ROOT-${mode%-overlay}, $(du -sm "$DEBIAN_ROOT-${mode%-overlay}" | cut -f1) MB)"
done
mac=52:54:00:ce:02:02
worker_env netmgr --bridge "$mac" || exit 1
work=$WORKER_DIR
ns=$QEMU_NETNS
QEMU_NET="$QEMU_NET,addr=0x2" # 00:02.0 on q35: enp0s2
QEMU_MEM=256
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
check "dnsmasq on the bridge (a fixed address for the worker)" dnsmasq_start "$ns" "$work" "--dhcp-host=$mac,10.77.0.43"

for mode in $modes; do
	root=$work/root-$mode
	check "$mode: a private read-write copy of the root" debian_root_copy "$DEBIAN_ROOT-${mode%-overlay}" "$root"
	overlay=
	[ "$mode" = networkd-overlay ] && overlay=ghost.overlay=tmpfs
	check "$mode: the admin's configuration and the test's unit" configure "$mode" "$root"
	if nfs_start "$ns" "$root"; then ok "$mode: Ganesha exports the root"; else not_ok "$mode: Ganesha exports the root"; fi
	log=$logs/netmgr-debian-$mode.console
	start=$SECONDS
	qemu_boot "$log" 900 "root=nfs4:10.77.0.1:$root rw $overlay panic=-1 BOOTIF=01-${mac//:/-}"
	rc=$?
	took=$((SECONDS - start))
	line() { grep -a "$1" "$log" | head -1 | tr -d '\r'; }
	check "$mode: QEMU powered off by itself (status $rc, $took s)" [ "$rc" -eq 0 ]
	check "$mode: multi-user reached, the manager active ($(line NETMGR-MULTI-USER))" \
		grep -aqE "NETMGR-MULTI-USER .* manager=active device=active" "$log"
	if [ "$mode" != nm ]; then
		# What the admin wrote is what networkd applies (a ghostboot .network of its own would
		# shadow it), and it ends configured: its DHCP client has the lease.
		check "$mode: networkd applied the admin's 20-wired.network ($(line 'NETMGR-SETTLED boot'))" \
			grep -aqE "NETMGR-SETTLED boot rc=0 file=/etc/systemd/network/20-wired.network state=routable_\(configured" "$log"
		check "$mode: ... and again after the restart and the reconfigure" \
			[ "$(grep -acE 'NETMGR-SETTLED (restart|reconfigure) rc=0 file=/etc/systemd/network/20-wired.network state=routable_\(configured' "$log")" -eq 2 ]
		check "$mode: networkctl reconfigure returned" grep -aq "NETMGR-RECONFIGURE rc=0" "$log"
	else
		# Debian's idiom: NM leaves alone what another tool configured ([ifupdown] managed=false);
		# the initramfs configured the boot NIC, ghostinit's drop-in says so.
		check "$mode: NetworkManager leaves enp0s2 unmanaged ($(line 'NETMGR-SETTLED boot'))" \
			grep -aqE "NETMGR-SETTLED boot rc=0 state=unmanaged" "$log"
		check "$mode: ... and after the restart and the reapply" \
			[ "$(grep -acE 'NETMGR-SETTLED (restart|reconfigure) rc=0 state=unmanaged' "$log")" -eq 2 ]
		check "$mode: nmcli device reapply returned (refused: $(line NETMGR-RECONFIGURE))" \
			grep -aqE "NETMGR-RECONFIGURE rc=[0-9]+" "$log"
	fi
	check "$mode: no job timed out and no dependency failed ($(line NETMGR-TIMEOUT))" grep -aq "NETMGR-TIMEOUTS 0" "$log"
	check "$mode: systemctl restart returned" grep -aqE "NETMGR-RESTART rc=0 manager=active" "$log"
	check "$mode: the address is there at the end ($(line NETMGR-ADDR-AFTER))" \
		grep -aqE "NETMGR-ADDR-AFTER 10\.77\.0\.43/24;.* link=up" "$log"
	for f in boot restart reconfigure; do
		want=$(grep -a "NETMGR-WROTE $f " "$log" | head -1 | awk '{ print $3 }' | tr -d '\r')
		if [ -n "$overlay" ]; then # in the overlay's tmpfs: written is all one can check
			check "$mode: the file after the $f was written" [ -n "$want" ]
			continue
		fi
		got=$(sha256sum <"$root/var/tmp/netmgr-$f" 2>/dev/null | cut -c1-64)
		check "$mode: the file written after the $f is intact on the server" [ -n "$want" -a "$want" = "$got" ]
	done
	check "$mode: systemd handed over to ghostinit's shutdown, nothing hung" \
		grep -aqE 'ghostinit: shutdown: [1-9][0-9]* unmounted, [0-9]+ detached, 0 hung, 0 left' "$log"
	# The guardian's restores in each phase, in console order (the unit's markers between).
	restores=$(awk -v i=$i '/NETMGR-STEP / { sub(/\r$/, ""); p = $2 }
		$0 ~ "ghostinit: guardian: " i " lost .*restored" { n[p]++ }
		END { printf "boot=%d restart=%d reconfigure=%d shutdown=%d", n[""], n["restart"], n["reconfigure"], n["shutdown"] }' "$log")
	# The drop-ins keep the managers off the boot link; the guardian is the net, not the
	# mechanism. networkd's `reconfigure` drops the address it took over from its DHCP lease
	# whatever KeepConfiguration says (systemd 252): there the guardian puts it back.
	check "$mode: the manager left the boot link alone at boot, restart and shutdown: no restore by the guardian ($restores)" \
		grep -qE 'boot=0 restart=0 reconfigure=[0-9]+ shutdown=0' <<<"$restores"
	[ "$mode" = nm ] && check "$mode: ... nor at the reapply" grep -q 'reconfigure=0' <<<"$restores"
	echo "# $mode: guardian restores this boot: $restores; shutdown took $(debian_shutdown_seconds "$log") s; $(line NETMGR-MULTI-USER)"
	grep -aE "ghostinit: guardian: $i lost" "$log" | sed 's/^/# /'
	nfs_stop
done
tap_done
