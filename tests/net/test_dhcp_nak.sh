#!/bin/bash
# A server that NAKs: ip= asks for an address of another network (INIT-REBOOT, RFC 2131
# §4.3.2); an authoritative dnsmasq answers DHCPNAK; the client starts over with DISCOVER
# and takes the address it is offered.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

dhcp_pair nak 52:54:00:77:00:0b
check "authoritative dnsmasq starts" dnsmasq_start "$M" "$D" --no-ping --dhcp-authoritative

net_up "$C" "$D" --iface veth0 --cmdline "ip=10.99.0.5::::::dhcp ghost.dhcp_timeout=20"
rc=$?
check "net-up exits 0 after the NAK" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$D/err"
check "dnsmasq sent a DHCPNAK for 10.99.0.5" grep -q "DHCPNAK(br0) 10.99.0.5 .*wrong network" "$D/dnsmasq.log"
check "the client counted one NAK" grep -qx "GHOST_NAKS='1'" "$D/out"
check "then a DISCOVER followed" grep -qx "GHOST_DISCOVERS='1'" "$D/out"
addr=$(env_value "$D/out" GHOST_ADDR)
check "address from the pool after the NAK ($addr)" sh -c "case '$addr' in 10.77.0.*) exit 0;; esac; exit 1"
check "address configured" has_addr "$C" veth0 "$addr/24"
check "10.99.0.5 never configured" sh -c "! ip -n '$C' -4 addr show | grep -q 10.99.0.5"
check "the NAK is in the lease line" grep -q "veth0: lease $addr/24 from 10.77.0.1 in [0-9]* ms (1 DISCOVER, 1 NAK)" "$D/err"

# Asking for the address the server reserves for this MAC: ACKed at once, no DISCOVER.
check "dnsmasq stops" kill "$DNSMASQ_PID"
wait "$DNSMASQ_PID" 2>/dev/null
ip -n "$C" addr flush dev veth0
rm -f "$D/leases"
check "dnsmasq restarts with a reservation" dnsmasq_start "$M" "$D" --no-ping --dhcp-authoritative \
	--dhcp-host=52:54:00:77:00:0b,10.77.0.123
net_up "$C" "$D" --iface veth0 --cmdline "ip=10.77.0.123::::::dhcp"
check "INIT-REBOOT for a valid address: ACK" [ "$(env_value "$D/out" GHOST_ADDR)" = 10.77.0.123 ]
check "INIT-REBOOT: no DISCOVER, no NAK" sh -c "grep -qx \"GHOST_DISCOVERS='0'\" '$D/out' && grep -qx \"GHOST_NAKS='0'\" '$D/out'"

[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
