#!/bin/bash
# The boot-link guardian in a network namespace: a worker namespace on a veth to a master
# namespace; the guardian (ghostinit guardian, run as a normal process) watches the worker's
# end. Taking the link down, flushing the address or deleting the default route (what ifupdown
# does at shutdown) is undone within a bound, and the worker reaches the master again.
# Negative control: with the guardian stopped, the same flush stays.
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh

BOUND=3 # seconds; the guardian reacts to notifications, this only bounds the test
M=$(netns_name gm) W=$(netns_name gw)
logs=build/test-logs/net
mkdir -p "$logs"
log=$logs/guardian.stderr
make -s build/ghostinit >/dev/null || exit 1
netns_add "$M" && netns_add "$W" || { not_ok "namespaces"; exit 1; }
ip link add gb-g0 netns "$W" type veth peer name gb-g1 netns "$M" || { not_ok "veth"; exit 1; }
ip -n "$M" addr add 10.77.9.1/24 dev gb-g1
ip -n "$M" link set gb-g1 up
ip -n "$W" addr add 10.77.9.2/24 dev gb-g0
ip -n "$W" link set gb-g0 up
ip -n "$W" route add default via 10.77.9.1 dev gb-g0

has_addr() { ip -n "$W" -4 addr show dev gb-g0 | grep -q 'inet 10.77.9.2/24'; }
has_route() { ip -n "$W" route show default | grep -q 'default via 10.77.9.1 dev gb-g0'; }
is_up() { ip -n "$W" link show gb-g0 | grep -q '<[^>]*,UP[,>]'; }
# No ping on this machine: one UDP datagram makes the kernel resolve the master's MAC over the
# link, which needs link, address and route (the master's end answers ARP).
reaches_master() {
	local i
	ip -n "$W" neigh flush dev gb-g0 2>/dev/null
	for i in 1 2 3 4 5 6 7 8 9 10; do
		ip netns exec "$W" bash -c 'echo x >/dev/udp/10.77.9.1/9' 2>/dev/null
		sleep 0.1
		ip -n "$W" neigh show 10.77.9.1 dev gb-g0 | grep -q lladdr && return 0
	done
	return 1
}
healthy() { is_up && has_addr && has_route; }

# wait_healthy: seconds (2 decimals) until link, address and route are all back, or fails.
wait_healthy() {
	local t0 i
	t0=$(date +%s.%N)
	for i in $(seq 1 $((BOUND * 50))); do
		if healthy; then
			echo "$(date +%s.%N) $t0" | awk '{ printf "%.2f", $1 - $2 }'
			return 0
		fi
		sleep 0.02
	done
	return 1
}

ip netns exec "$W" build/ghostinit guardian --iface gb-g0 --addr 10.77.9.2/24 --gateway 10.77.9.1 2>"$log" &
gpid=$!
track_pid "$gpid"
for i in $(seq 1 100); do grep -q 'guardian: watching' "$log" && break; sleep 0.05; done
check "guardian started and watches gb-g0" grep -q 'guardian: watching gb-g0 (10.77.9.2/24, default route via 10.77.9.1)' "$log"
check "the worker reaches the master" reaches_master

ip -n "$W" link set gb-g0 down
if took=$(wait_healthy); then ok "link down: link, address and route back in ${took} s"; else not_ok "link down: restored within ${BOUND} s"; fi
check "link down: the worker reaches the master again" reaches_master
check "link down: logged that it had to" grep -q 'guardian: gb-g0 lost link' "$log"

ip -n "$W" addr flush dev gb-g0
if took=$(wait_healthy); then ok "addr flush: address and route back in ${took} s"; else not_ok "addr flush: restored within ${BOUND} s"; fi
check "addr flush: the worker reaches the master again" reaches_master
check "addr flush: logged" grep -q 'guardian: gb-g0 lost address' "$log"

ip -n "$W" route del default
if took=$(wait_healthy); then ok "route del: default route back in ${took} s"; else not_ok "route del: restored within ${BOUND} s"; fi
check "route del: logged" grep -q 'guardian: gb-g0 lost route' "$log"

# ifupdown's "ifdown" does all of it at once.
ip -n "$W" addr flush dev gb-g0 && ip -n "$W" link set gb-g0 down
if took=$(wait_healthy); then ok "flush + down: everything back in ${took} s"; else not_ok "flush + down: restored within ${BOUND} s"; fi
check "flush + down: the worker reaches the master again" reaches_master
check "guardian still running" kill -0 "$gpid"

# SIGUSR1 (shutdown begins): arms the watchdog if there is one, says so, keeps guarding.
kill -USR1 "$gpid"
for i in $(seq 1 50); do grep -q 'guardian: shutdown begins' "$log" && break; sleep 0.05; done
check "SIGUSR1: guardian answers that shutdown begins" grep -q 'guardian: shutdown begins' "$log"

# Negative control: without the guardian, a flush stays flushed.
kill -TERM "$gpid"
wait "$gpid" 2>/dev/null
ip -n "$W" addr flush dev gb-g0
sleep "$BOUND"
check "negative control: without the guardian the address stays gone" bash -c "! ip -n '$W' -4 addr show dev gb-g0 | grep -q 'inet 10.77.9.2/'"
check "negative control: and the master is out of reach" bash -c "! ip netns exec '$W' bash -c 'echo x >/dev/udp/10.77.9.1/9' 2>/dev/null"
sed 's/^/# /' "$log"
tap_done
