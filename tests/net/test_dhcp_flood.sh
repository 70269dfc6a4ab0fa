#!/bin/bash
# alone: two senders flood as fast as they can: nothing else may take the cores
# A DHCP flood end to end: two senders in the master's namespace send OFFERs for the client's
# MAC under a foreign xid (past its packet filter, into its parser) as fast as they can, while
# dnsmasq serves the same segment; the client shares one CPU with them at the lowest priority
# (taskset, nice 19), a slow node in front of a fast flooder. ghostinit net-up must end by
# itself within ghost.dhcp_timeout (bound to dnsmasq, or "no DHCP answer" in words, depending
# on whether dnsmasq's answers found room in the full queue) and read the flood. Not a negative
# control: a sender in Python on this 2-core machine cannot refill the queue as fast as the
# client empties it, so the loop that read until the queue was empty (before 2ff0c5c) passes
# here too (FLOOD_AGENT=PATH runs another static ghostinit); the flood that never lets the queue
# empty is tests/unit/test_dhcp_client.c, with the socket layer faked.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

MAC=52:54:00:f1:00:d1
TIMEOUT=10
client=${FLOOD_AGENT:-$GHOSTINIT_STATIC}
dhcp_pair flood "$MAC"
check "dnsmasq starts" dnsmasq_start "$M" "$D" --no-ping
for i in 1 2; do
	ip netns exec "$M" taskset -c 0 python3 tests/net/dhcp_flood_sender.py br0 "$MAC" >"$D/flood$i.log" 2>&1 &
	track_pid $!
done
for _ in $(seq 1 50); do [ "$(cat "$D"/flood*.log | grep -c flooding)" -eq 2 ] && break; sleep 0.1; done
check "two flooders running" [ "$(cat "$D"/flood*.log | grep -c flooding)" -eq 2 ]
sleep 1 # the queue full before the client starts
start=$(date +%s.%N)
mkdir -p "$D/root"
ip netns exec "$C" taskset -c 0 nice -n 19 timeout -s KILL $((TIMEOUT + 30)) "$client" net-up --iface veth0 \
	--root "$D/root" --cmdline "ghost.dhcp_timeout=$TIMEOUT" >"$D/out" 2>"$D/err"
rc=$?
took=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')
addr=$(env_value "$D/out" GHOST_ADDR)
grep -E "lease|ignored|DHCP" "$D/err" | head -n 5 | sed "s/^/# /"
check "net-up ended by itself (status $rc; 137: killed $((TIMEOUT + 30)) s in) within ghost.dhcp_timeout=$TIMEOUT + 10 s (${took} s)" \
	awk -v t="$took" -v rc="$rc" -v lim="$((TIMEOUT + 10))" 'BEGIN { exit !(rc != 137 && t <= lim) }'
check "bound to dnsmasq's address (${addr:-none}) or 'no DHCP answer' in words" \
	bash -c "[ '$rc' -eq 0 ] && [ -n '$addr' ] && [ '$addr' != 10.77.0.66 ] || grep -q 'no DHCP answer on veth0 after' '$D/err'"
check "the flood was read and rejected (wrong xid)" grep -qE 'ignored [0-9]{3,} DHCP packets|[0-9]{3,} bad packets ignored' "$D/err"
[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
