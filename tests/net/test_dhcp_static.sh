#!/bin/bash
# Static ip= in the kernel's and dracut's syntax: applied without any DHCP server; a bad
# ip= names its field; a link that is not there ends with the list of links seen.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

dhcp_pair static 52:54:00:77:00:5a

# Kernel syntax, all ten fields; no --iface: the device comes from ip=.
net_up "$C" "$D" --cmdline "ip=10.77.0.50:10.77.0.9:10.77.0.1:255.255.255.0:node50:veth0:off:10.77.0.53:10.77.0.54:10.77.0.123"
rc=$?
check "kernel ip=: net-up exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$D/err"
check "kernel ip=: address with infinite lifetime" has_addr "$C" veth0 10.77.0.50/24
check "kernel ip=: default route" has_default_route "$C" 10.77.0.1 veth0
conf=$D/root/run/net-veth0.conf
check "kernel ip=: PROTO none" grep -qx "PROTO='none'" "$conf"
check "kernel ip=: ROOTSERVER is the server field" [ "$(env_value "$conf" ROOTSERVER)" = 10.77.0.9 ]
check "kernel ip=: HOSTNAME" [ "$(env_value "$conf" HOSTNAME)" = node50 ]
check "kernel ip=: DNS" sh -c "grep -qx 'nameserver 10.77.0.53' '$D/root/etc/resolv.conf' && grep -qx 'nameserver 10.77.0.54' '$D/root/etc/resolv.conf'"
# No ping here: one UDP datagram makes the kernel resolve the master's MAC over the link.
ip netns exec "$C" bash -c 'echo x >/dev/udp/10.77.0.1/9' 2>/dev/null
sleep 0.3
check "kernel ip=: the master answers ARP" sh -c "ip -n '$C' neigh show 10.77.0.1 | grep -q lladdr"
check "kernel ip=: logged" grep -q "veth0: static address 10.77.0.50/24" "$D/err"

# dracut syntax with a peer, a prefix length, an MTU and the MAC; the link is found by MAC.
ip -n "$C" addr flush dev veth0
ip -n "$C" route flush dev veth0 2>/dev/null
net_up "$C" "$D" --cmdline "ip=10.77.0.51:10.77.0.9:10.77.0.1:24:n51::none:1400:52:54:00:77:00:5a"
rc=$?
check "dracut ip=: net-up exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$D/err"
check "dracut ip=: address" has_addr "$C" veth0 10.77.0.51/24
check "dracut ip=: MTU 1400" sh -c "ip -n '$C' link show veth0 | grep -q 'mtu 1400'"

# Bad values: the message names the field, nothing is configured.
net_up "$C" "$D" --cmdline "ip=10.77.0.52::10.77.0.1:255.255.0.300::veth0:off"
check "bad netmask: exit 1" [ $? -eq 1 ]
check "bad netmask: message names field 4" grep -q "ip= field 4 (netmask) '255.255.0.300' is not an IPv4 address" "$D/err"
check "bad netmask: nothing configured" sh -c "! ip -n '$C' -4 addr show | grep -q 10.77.0.52"

# A device that does not exist: the links seen and their state.
net_up "$C" "$D" --cmdline "ip=10.77.0.53:::24::eth7:off"
check "missing device: exit 1" [ $? -eq 1 ]
check "missing device: links seen with carrier state" \
	grep -q "no usable link: no interface eth7 among the links seen: lo (.*), veth0 (52:54:00:77:00:5a, carrier)" "$D/err"
net_up "$C" "$D" --cmdline "BOOTIF=01-52-54-00-de-ad-01"
check "missing BOOTIF: exit 1 naming it" grep -q "no usable link: no BOOTIF 52:54:00:de:ad:01 among the links seen: lo" "$D/err"

# A link without carrier (its peer is down): bounded by ghost.carrier_timeout.
ip -n "$M" link set p1 down
net_up "$C" "$D" --iface veth0 --cmdline "ghost.carrier_timeout=1"
check "no carrier: exit 1" [ $? -eq 1 ]
check "no carrier: message with the states" grep -q "no usable link: no carrier after 1 s; links seen: lo (.*), veth0 (52:54:00:77:00:5a, no carrier)" "$D/err"

# ip=off: nothing but loopback.
ip -n "$M" link set p1 up
ip -n "$C" addr flush dev veth0
net_up "$C" "$D" --cmdline "ip=off"
check "ip=off: exit 0, no address" sh -c "[ $? -eq 0 ] && ! ip -n '$C' -4 addr show dev veth0 | grep -q inet"

[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
