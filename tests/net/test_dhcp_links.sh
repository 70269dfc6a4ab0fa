#!/bin/bash
# Choosing the boot interface among two: BOOTIF first, then the ip= device, else DHCP on
# every Ethernet link at once where the first lease wins.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

M=$(netns_name im) Q=$(netns_name iq) C=$(netns_name ic)
D=$(dhcp_tmpdir dhcp_links)
# veth0 leads to the master with dnsmasq; veth1 to a bridge where nobody answers.
dhcp_master "$M" && dhcp_master "$Q" &&
	dhcp_client_ns "$M" "$C" p0 veth0 52:54:00:77:01:00 &&
	dhcp_client_ns "$Q" "$C" p1 veth1 52:54:00:77:01:01 || { not_ok "topology"; exit 1; }
check "dnsmasq starts" dnsmasq_start "$M" "$D" --no-ping

reset_links() { ip -n "$C" addr flush dev veth0; ip -n "$C" addr flush dev veth1; }

# Nothing named: both links up, DHCP on both, the one with a server wins.
net_up "$C" "$D" --cmdline "ghost.dhcp_timeout=10"
check "no choice: net-up exits 0" [ $? -eq 0 ]
check "no choice: lease on veth0" [ "$(env_value "$D/out" GHOST_IFACE)" = veth0 ]
check "no choice: both links were brought up" sh -c "ip -n '$C' link show veth1 | grep -q ',UP'"
check "no choice: veth1 left without address" sh -c "! ip -n '$C' -4 addr show dev veth1 | grep -q inet"
n=$(env_value "$D/out" GHOST_DISCOVERS)
check "no choice: DHCP ran on both links at once ($n DISCOVERs)" [ "${n:-0}" -ge 2 ]
reset_links

# BOOTIF wins over the ip= device.
net_up "$C" "$D" --cmdline "BOOTIF=01-52-54-00-77-01-00 ip=veth1:dhcp ghost.dhcp_timeout=10"
check "BOOTIF over ip= device: lease on veth0" [ "$(env_value "$D/out" GHOST_IFACE)" = veth0 ]
check "BOOTIF over ip= device: one DISCOVER (veth1 untouched)" grep -qx "GHOST_DISCOVERS='1'" "$D/out"
reset_links

# BOOTIF naming the silent link: only that one is tried, and the error names it.
net_up "$C" "$D" --cmdline "BOOTIF=01-52-54-00-77-01-01 ghost.dhcp_timeout=2"
check "BOOTIF on the silent link: fails" [ $? -eq 1 ]
check "BOOTIF on the silent link: message names veth1 only" grep -qE "no DHCP answer on veth1 after 2 s \([0-9]+ DISCOVERs?\)" "$D/err"
reset_links

# ip= device alone (dracut syntax), and the kernel's device field.
net_up "$C" "$D" --cmdline "ip=veth1:dhcp ghost.dhcp_timeout=1.5"
check "ip=veth1:dhcp: only veth1 tried" grep -qE "no DHCP answer on veth1 after 1.5 s" "$D/err"
net_up "$C" "$D" --cmdline "ip=:::::veth0:dhcp"
check "ip=:::::veth0:dhcp: lease on veth0" [ "$(env_value "$D/out" GHOST_IFACE)" = veth0 ]

[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
