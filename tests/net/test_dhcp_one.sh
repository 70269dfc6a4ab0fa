#!/bin/bash
# One client against a real dnsmasq: the lease is applied (address with infinite lifetime,
# default route, MTU, hostname) and written down (/run/net-IF.conf, net.env, resolv.conf).
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

MAC=52:54:00:77:00:01
dhcp_pair one "$MAC"
check "dnsmasq starts" dnsmasq_start "$M" "$D" --no-ping \
	--dhcp-host="$MAC,10.77.0.42,node42" --dhcp-option=option:domain-name,cluster.test \
	--dhcp-option=option:mtu,1400 --dhcp-option=option:root-path,10.77.0.1:/srv/root,vers=4 \
	--dhcp-boot=pxelinux.0,,10.77.0.1

# In a UTS namespace of its own so that --hostname never touches the machine's name.
ip netns exec "$C" unshare --uts sh -c "'$GHOSTINIT' net-up --iface veth0 --root '$D/root' --hostname \
	--cmdline 'ghost.dhcp_timeout=20' >'$D/out' 2>'$D/err' && hostname >'$D/hostname'"
rc=$?
check "net-up exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$D/err"
check "address 10.77.0.42/24 with infinite lifetime" has_addr "$C" veth0 10.77.0.42/24
check "default route via 10.77.0.1" has_default_route "$C" 10.77.0.1 veth0
check "MTU 1400 from option 26" sh -c "ip -n '$C' link show veth0 | grep -q 'mtu 1400'"
check "hostname node42 set from option 12" grep -qx node42 "$D/hostname"
check "loopback up" sh -c "ip -n '$C' link show lo | grep -q 'UP'"

conf=$D/root/run/net-veth0.conf
check "/run/net-veth0.conf written" [ -f "$conf" ]
check "net-veth0.conf IPV4ADDR" [ "$(env_value "$conf" IPV4ADDR)" = 10.77.0.42 ]
check "net-veth0.conf IPV4NETMASK" [ "$(env_value "$conf" IPV4NETMASK)" = 255.255.255.0 ]
check "net-veth0.conf IPV4GATEWAY" [ "$(env_value "$conf" IPV4GATEWAY)" = 10.77.0.1 ]
check "net-veth0.conf IPV4DNS0" [ "$(env_value "$conf" IPV4DNS0)" = 10.77.0.1 ]
check "net-veth0.conf ROOTPATH" [ "$(env_value "$conf" ROOTPATH)" = 10.77.0.1:/srv/root,vers=4 ]
check "net-veth0.conf ROOTSERVER" [ "$(env_value "$conf" ROOTSERVER)" = 10.77.0.1 ]
check "net-veth0.conf filename" [ "$(env_value "$conf" filename)" = pxelinux.0 ]
check "net-veth0.conf DNSDOMAIN" [ "$(env_value "$conf" DNSDOMAIN)" = cluster.test ]
check "net-veth0.conf PROTO and lease time" sh -c "grep -qx \"PROTO='dhcp'\" '$conf' && grep -qx \"DHCPLEASETIME='3600'\" '$conf'"
# The file must be readable by initramfs-tools' shell scripts: source it.
check "net-veth0.conf sources in sh" sh -c ". '$conf' && [ \"\$HOSTNAME\" = node42 ] && [ \"\$DEVICE\" = veth0 ]"
env=$D/root/run/ghostboot/net.env
check "net.env GHOST_ADDR/GHOST_PREFIX" sh -c ". '$env' && [ \"\$GHOST_ADDR\" = 10.77.0.42 ] && [ \"\$GHOST_PREFIX\" = 24 ]"
check "net.env GHOST_HWADDR and GHOST_MTU" sh -c ". '$env' && [ \"\$GHOST_HWADDR\" = $MAC ] && [ \"\$GHOST_MTU\" = 1400 ]"
check "resolv.conf" sh -c "grep -qx 'nameserver 10.77.0.1' '$D/root/etc/resolv.conf' && grep -qx 'search cluster.test' '$D/root/etc/resolv.conf'"
check "a copy of resolv.conf under /run/ghostboot" cmp -s "$D/root/etc/resolv.conf" "$D/root/run/ghostboot/resolv.conf"
check "the lease line is logged" grep -q "veth0: lease 10.77.0.42/24 from 10.77.0.1" "$D/err"
check "dnsmasq saw the vendor class ghostboot" grep -q 'vendor class: ghostboot' "$D/dnsmasq.log"
check "dnsmasq recorded the client identifier 01:MAC" grep -q " 10.77.0.42 node42 01:$MAC\$" "$D/leases"
check "dnsmasq saw the parameter request list" sh -c "grep -q 'requested options: 1:netmask, 3:router, 6:dns-server, 12:hostname' '$D/dnsmasq.log' && grep -q '17:root-path, 66:tftp-server' '$D/dnsmasq.log'"
# The client reads answers from a packet socket, so it leaves the broadcast flag clear and
# dnsmasq answers it alone (dnsmasq logs "broadcast response" otherwise).
check "dnsmasq answered by unicast (flag clear)" sh -c "grep -q 'DHCPACK(br0)' '$D/dnsmasq.log' && ! grep -q 'broadcast response' '$D/dnsmasq.log'"
# One DISCOVER is the usual case; a retransmission after ~1 s when the host is loaded is normal
# DHCP behaviour, not a failure (speed is measured by tests/bench/bench_dhcp.sh, not here).
check "the lease came within the first retransmissions" grep -qxE "GHOST_DISCOVERS='[123]'" "$D/out"

[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
