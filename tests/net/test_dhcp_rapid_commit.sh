#!/bin/bash
# Rapid commit (RFC 4039): the DISCOVER asks for it; a dnsmasq that allows it
# (--dhcp-rapid-commit) answers with the ACK at once and the client takes it: one exchange
# of two packets, no REQUEST. A dnsmasq that does not allow it offers as usual (the other
# tests). Half the packets at the master in a boot storm (docs/network.md).
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

dhcp_pair rapid
check "dnsmasq starts with rapid commit allowed" dnsmasq_start "$M" "$D" --no-ping --dhcp-rapid-commit
net_up "$C" "$D" --iface veth0 --cmdline "ghost.dhcp_timeout=20"
rc=$?
check "net-up exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$D/err"
addr=$(env_value "$D/out" GHOST_ADDR)
check "address configured ($addr)" has_addr "$C" veth0 "$addr/24"
# dnsmasq answers a DISCOVER with an ACK only when it carries option 80.
check "dnsmasq ACKed the DISCOVER: no OFFER, no REQUEST" \
	sh -c "grep -q 'DHCPACK(br0)' '$D/dnsmasq.log' && ! grep -q 'DHCPOFFER(br0)' '$D/dnsmasq.log' && ! grep -q 'DHCPREQUEST(br0)' '$D/dnsmasq.log'"
check "the client sent no REQUEST" grep -qx "GHOST_REQUESTS='0'" "$D/out"
[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
