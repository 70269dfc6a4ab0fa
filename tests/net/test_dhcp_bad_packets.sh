#!/bin/bash
# Malformed DHCP answers (truncated, oversized, wrong magic, wrong xid, wrong chaddr, option
# overrun, unterminated, no message type) are ignored, each counted by its reason or dropped
# by the kernel before the client reads it; the real dnsmasq that starts afterwards still
# gives the lease. Twice: as the boot runs (answers read from a packet socket) and with
# net-up --broadcast (the fallback: broadcast answers read from the UDP socket).
# The packet socket's filter takes unfragmented UDP to port 68 with our chaddr: the answer
# for another MAC and the oversized one (1.7 KB, fragmented on this 1500-byte link) never
# reach the client. The UDP socket's filter drops the other MAC's answer too.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

dhcp_pair bad

# one_run MODE [net-up options]: the bad answers first, then dnsmasq; MODE names the checks.
one_run() {
	local mode=$1 sender client rc addr
	shift
	ip netns exec "$M" python3 tests/net/dhcp_bad_sender.py br0 >"$D/sender.log" 2>&1 &
	sender=$!
	track_pid "$sender"
	for _ in $(seq 1 50); do grep -q listening "$D/sender.log" && break; sleep 0.1; done
	rm -rf "$D/root" && mkdir -p "$D/root"
	ip -n "$C" addr flush dev veth0
	ip netns exec "$C" "$GHOSTINIT" net-up --iface veth0 --root "$D/root" --cmdline "ghost.dhcp_timeout=20 ghost.debug" \
		"$@" >"$D/out" 2>"$D/err" &
	client=$!
	track_pid "$client"
	wait "$sender"
	check "$mode: the sender answered the DISCOVER with 8 bad packets" [ "$(grep -c '^sent' "$D/sender.log")" -eq 8 ]
	# The real server only now: the bad answers came first.
	check "$mode: dnsmasq starts" dnsmasq_start "$M" "$D" --no-ping
	wait "$client"
	rc=$?
	check "$mode: net-up exits 0" [ "$rc" -eq 0 ]
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$D/err"
	kill -TERM "$DNSMASQ_PID" && wait "$DNSMASQ_PID" 2>/dev/null
	addr=$(env_value "$D/out" GHOST_ADDR)
	check "$mode: the lease is dnsmasq's, not the bad packets' 10.77.0.66 ($addr)" sh -c "[ -n '$addr' ] && [ '$addr' != 10.77.0.66 ]"
	check "$mode: address configured" has_addr "$C" veth0 "$addr/24"
	line=$(grep "ignored" "$D/err")
	echo "# $mode: $line"
}

counted() {
	local mode=$1 reason
	shift
	for reason in "$@"; do
		check "$mode: counted: $reason" sh -c "echo '$line' | grep -q ', $reason\\|: $reason'"
	done
}

one_run "packet socket"
counted "packet socket" "1 wrong xid" "1 truncated" "1 wrong magic" "1 option overrun" "1 unterminated" "1 malformed"
counted "packet socket (dropped by the kernel)" "0 wrong chaddr" "0 oversized"
check "packet socket: GHOST_REJECTED is 6" [ "$(env_value "$D/out" GHOST_REJECTED)" -eq 6 ]

one_run "UDP fallback" --broadcast
counted "UDP fallback" "1 wrong xid" "1 truncated" "1 oversized" "1 wrong magic" "1 option overrun" "1 unterminated" "1 malformed"
counted "UDP fallback (dropped by the kernel)" "0 wrong chaddr"
check "UDP fallback: GHOST_REJECTED is 7" [ "$(env_value "$D/out" GHOST_REJECTED)" -eq 7 ]

[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
