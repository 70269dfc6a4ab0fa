#!/bin/bash
# Malformed DHCP answers (truncated, oversized, wrong magic, wrong xid, option overrun,
# unterminated, no message type) are ignored and counted, each by its reason; an answer for
# another client's MAC never reaches the client (its socket filter drops it in the kernel);
# the real dnsmasq that starts afterwards still gives the lease.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

M=$(netns_name bm) C=$(netns_name bc)
D=$(dhcp_tmpdir dhcp_bad)
dhcp_master "$M" && dhcp_client_ns "$M" "$C" p1 || { not_ok "topology"; exit 1; }

ip netns exec "$M" python3 tests/net/dhcp_bad_sender.py br0 >"$D/sender.log" 2>&1 &
sender=$!
track_pid "$sender"
for _ in $(seq 1 50); do grep -q listening "$D/sender.log" && break; sleep 0.1; done
mkdir -p "$D/root"
ip netns exec "$C" "$GHOSTINIT" net-up --iface veth0 --root "$D/root" --cmdline "ghost.dhcp_timeout=20 ghost.debug" \
	>"$D/out" 2>"$D/err" &
client=$!
track_pid "$client"
wait "$sender"
check "the sender answered the DISCOVER with 8 bad packets" [ "$(grep -c '^sent' "$D/sender.log")" -eq 8 ]
# The real server only now: the bad answers came first.
check "dnsmasq starts" dnsmasq_start "$M" "$D" --no-ping
wait "$client"
rc=$?
check "net-up exits 0" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$D/err"
addr=$(env_value "$D/out" GHOST_ADDR)
check "the lease is dnsmasq's, not the bad packets' 10.77.0.66 ($addr)" sh -c "[ -n '$addr' ] && [ '$addr' != 10.77.0.66 ]"
check "address configured" has_addr "$C" veth0 "$addr/24"
line=$(grep "ignored" "$D/err")
echo "# $line"
for reason in "1 truncated" "1 oversized" "1 wrong magic" "1 option overrun" "1 unterminated" "1 malformed"; do
	check "counted: $reason" sh -c "echo '$line' | grep -q ', $reason\\|: $reason'"
done
check "counted: wrong xid" sh -c "echo '$line' | grep -qE '[1-9][0-9]* wrong xid'"
check "another MAC's answer dropped before the client read it (0 wrong chaddr)" \
	sh -c "echo '$line' | grep -q ', 0 wrong chaddr'"
check "GHOST_REJECTED at least 7" [ "$(env_value "$D/out" GHOST_REJECTED)" -ge 7 ]

[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
