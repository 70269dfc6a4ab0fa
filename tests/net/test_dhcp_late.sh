#!/bin/bash
# A DHCP server that starts late is found by the retransmissions; one that never answers
# ends in the bounded error naming the interface, the time and the DISCOVERs sent.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

dhcp_pair late

# No server at all: ghost.dhcp_timeout=3 bounds the wait.
start=$(date +%s%N)
net_up "$C" "$D" --iface veth0 --cmdline "ghost.dhcp_timeout=3"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "no server: net-up fails" [ "$rc" -eq 1 ]
check "no server: message names interface, time and DISCOVERs" \
	grep -qE "no DHCP answer on veth0 after 3 s \([0-9]+ DISCOVERs\)" "$D/err"
n=$(grep -oE "after 3 s \([0-9]+ DISCOVERs" "$D/err" | grep -oE "[0-9]+ DISCOVERs" | cut -d' ' -f1)
# Backoff 1, 2 s (each ±50 %) within 3 s: 2 to 4 DISCOVERs, never a flood.
check "no server: 2-4 DISCOVERs in 3 s (got ${n:-none})" [ "${n:-0}" -ge 2 ] && [ "${n:-0}" -le 4 ]
check "no server: the deadline is kept (${ms} ms)" [ "$ms" -ge 3000 ] && [ "$ms" -lt 6000 ]
check "no address left on veth0" sh -c "! ip -n '$C' -4 addr show dev veth0 | grep -q inet"

# Server starts 2.5 s after the client.
mkdir -p "$D/late"
( ip netns exec "$C" "$GHOSTINIT" net-up --iface veth0 --root "$D/late/root" --cmdline "ghost.dhcp_timeout=30" \
	>"$D/late/out" 2>"$D/late/err" ) &
client=$!
track_pid "$client"
sleep 2.5
check "dnsmasq starts late" dnsmasq_start "$M" "$D" --no-ping
wait "$client"
rc=$?
check "late server: net-up exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$D/late/err"
addr=$(env_value "$D/late/out" GHOST_ADDR)
check "late server: address $addr configured" has_addr "$C" veth0 "$addr/24"
n=$(env_value "$D/late/out" GHOST_DISCOVERS)
check "late server: lease after retransmissions (${n:-?} DISCOVERs)" [ "${n:-0}" -ge 2 ]
check "late server: lease logged" grep -q "veth0: lease $addr/24 from 10.77.0.1" "$D/late/err"

[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
