#!/bin/bash
# Boot storm (`make storm N=256`): N simulated workers, each ghostinit's network stage and its
# reporter (`net-up --report`) in its own namespace with a veth into one bridge, all released
# at once, against one dnsmasq and one ghostwatch in a master namespace; then klibc's ipconfig
# (initramfs-tools' DHCP client) the same way on the same namespaces and server, in STORM_ROUNDS
# rounds of alternating order (default 2). Prints a table and the goal lines per round;
# exits non-zero when a node is stuck, without a lease, or unseen in any round.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/storm/lib.sh
N=${1:-256}
GW=${STORM_GW:-build/ghostwatch} # the optimised build, as a master runs it
D=$(dhcp_tmpdir storm)
# The nodes' files (leases, resolv.conf, logs) on a tmpfs, as a real node writes them into its
# initramfs: on the build directory's ext4 the N nodes' journal work shared the host's cores.
mount -t tmpfs -o size=1g,mode=0755 ghostboot-storm "$D" || exit 1
trap 'netns_cleanup; [ "${keep:-0}" = 1 ] && cp -a "$D" "$D.kept"; umount "$D"; rm -rf "$D"' EXIT

# Limits that N clients meet on this host, checked before anything starts.
limits() {
	local files thresh
	files=$(ulimit -n)
	[ "$files" -ge $((8 * N + 256)) ] || ulimit -n $((8 * N + 256)) 2>/dev/null ||
		echo "# warning: ulimit -n $files is low for $N clients"
	# A bridge takes at most 1024 ports (BR_MAX_PORTS).
	[ "$N" -le 1000 ] || { echo "storm: at most 1000 clients on one bridge" >&2; exit 2; }
	# The master's neighbour table holds every client (acks, DHCP unicast): past gc_thresh3
	# the kernel drops entries and the master's answers stall.
	thresh=$(sysctl -n net.ipv4.neigh.default.gc_thresh3)
	[ "$thresh" -ge $((N + 16)) ] || echo "# warning: net.ipv4.neigh.default.gc_thresh3=$thresh < $N clients"
	echo "# limits: open files $(ulimit -n), neighbour table gc_thresh3 $thresh, bridge ports $N of 1024," \
		"dnsmasq lease-max 65000, range 10.77.1.0-10.77.254.254, ghostwatch rate limit per source 50/s burst 100"
}

limits
t=$SECONDS
storm_setup "$N" "$D" || { echo "storm: setup failed" >&2; exit 1; }
echo "# $N client namespaces, dnsmasq and ghostwatch up in $((SECONDS - t)) s"
# Rounds in alternating order (ghostboot first, then ipconfig first, ...): whichever runs
# first on freshly made namespaces, or under another user's load peak, is not always the same.
# Each round: a fresh dnsmasq (no leases) and a fresh ghostwatch (empty state).
ROUNDS=${STORM_ROUNDS:-2}
for r in $(seq 1 "$ROUNDS"); do
	order="ghostboot ipconfig"
	[ $((r % 2)) -eq 0 ] && order="ipconfig ghostboot"
	for kind in $order; do
		storm_fresh_dhcp || { echo "storm: dnsmasq restart failed" >&2; exit 1; }
		if [ "$kind" = ghostboot ]; then
			kill -TERM "$GW_PID" && wait "$GW_PID" 2>/dev/null
			rm -rf "$D/gw/state"
			gw_start "$STORM_MASTER" "$D/gw" --key "$D/key" --bind 0.0.0.0 || { echo "storm: ghostwatch" >&2; exit 1; }
			storm_master_priority "$GW_PID"
		fi
		storm_launch "$kind"
		storm_analyse "$kind"
		rm -rf "${D:?}/$kind.$r" && mv "$D/$kind" "$D/$kind.$r"
	done
	echo "# round $r ($order) done"
done

g() { sed -n "s/^$1=//p" "$D/ghostboot.$r/summary"; }
k() { sed -n "s/^$1=//p" "$D/ipconfig.$r/summary"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a == a + 0) printf "%.2f", a / b; else print "-" }'; }
row() { printf '%-34s %12s %12s %12s\n' "$1" "$2" "$3" "${4:-$(ratio "$2" "$3")}"; }

goal() { # TEXT CONDITION...
	local text=$1
	shift
	if "$@"; then echo "goal: $text: PASS"; else echo "goal: $text: MISS"; fi
}
le() { awk -v a="$1" -v b="$2" -v f="${3:-1}" 'BEGIN { exit !(a == a + 0 && b == b + 0 && a <= f * b) }'; }
status=0
for r in $(seq 1 "$ROUNDS"); do
	echo
	echo "boot storm, round $r of $ROUNDS ($([ $((r % 2)) -eq 1 ] && echo ghostboot first || echo ipconfig first)): $N clients, one bridge, one dnsmasq, one ghostwatch ($(date -u +%F), $(nproc) cores," \
		"load $(cut -d' ' -f1 /proc/loadavg))"
	echo "start spread, first to last: released (barrier) ghostboot $(g spread_ms) ms, ipconfig $(k spread_ms) ms;" \
		"exec'd (past ip netns exec) ghostboot $(g exec_spread_ms) ms, ipconfig $(k exec_spread_ms) ms"
	row "" ghostboot ipconfig ratio
	row "leased" "$(g leased)/$N" "$(k leased)/$N" -
	row "stuck (no end within ${STORM_CLIENT_LIMIT} s)" "$(g stuck)" "$(k stuck)" -
	row "time to lease p50 (ms)" "$(g lease_p50)" "$(k lease_p50)"
	row "time to lease p99 (ms)" "$(g lease_p99)" "$(k lease_p99)"
	row "time to lease max (ms)" "$(g lease_pmax)" "$(k lease_pmax)"
	row "all leased, from first start (ms)" "$(g all_leased_ms)" "$(k all_leased_ms)"
	row "DHCP exchanges (DISCOVERs) / node" "$(g exchanges_per_node)" "$(k exchanges_per_node)"
	row "DHCP answers read, not its own / node" "$(g dhcp_ignored_per_node)" "-" "-"
	row "DHCP packets / lease" "$(g dhcp_packets_per_lease)" "$(k dhcp_packets_per_lease)"
	row "master: UDP dropped, receive buffer full" "$(g master_udp_drops)" "$(k master_udp_drops)" -
	row "DHCP NAKs" "$(g dhcp_nak)" "$(k dhcp_nak)" -
	row "seen by ghostwatch (lease stage)" "$(g lease_seen)/$N" "n/a" -
	row "time to seen p50 (ms)" "$(g seen_p50)" "n/a" -
	row "time to seen p99 (ms)" "$(g seen_p99)" "n/a" -
	row "time to seen max (ms)" "$(g seen_pmax)" "n/a" -
	row "reports sent / retransmitted" "$(g reports_sent)/$(g reports_retransmits)" "n/a" -
	row "reports lost (sent, never accepted)" "$(g reports_lost)" "n/a" -
	row "reports given up by the nodes" "$(g reports_given_up)" "n/a" -
	row "ghostwatch: accepted / tentative (v2 first) / replayed" "$(g gw_accepted)/$(g gw_tentative)/$(g gw_replayed)" "n/a" -
	row "ghostwatch: rate limited" "$(g gw_rate_limited)" "n/a" -
	echo "Times are per node from its own exec (ms, nearest-rank percentiles). ipconfig has no"
	echo "reporter: only the lease part compares; its time is its exit (it exits once configured)."
	echo "'all leased' counts from the first release: it includes ip netns exec, which the kernel"
	echo "serialises across namespaces."
	echo "Seen = ghostwatch accepted the node's lease report (its status --json, last_seen_ms)."

	goal "all $N leased and seen by ghostwatch ($(g leased) leased, $(g lease_seen) seen)" \
		test "$(g leased)" = "$N" -a "$(g lease_seen)" = "$N"
	goal "no node stuck ($(g stuck))" test "$(g stuck)" = 0
	goal "p99 <= 2 x p50, time to seen ($(g seen_p99) <= 2 x $(g seen_p50))" le "$(g seen_p99)" "$(g seen_p50)" 2
	goal "p99 <= 2 x p50, time to lease ($(g lease_p99) <= 2 x $(g lease_p50))" le "$(g lease_p99)" "$(g lease_p50)" 2
	goal "<= 1.5 DHCP exchanges per node ($(g exchanges_per_node))" le "$(g exchanges_per_node)" 1.5
	goal "all $N released within 1 s ($(g spread_ms) ms)" le "$(g spread_ms)" 1000
	[ "$(g stuck)" = 0 ] && [ "$(g leased)" = "$N" ] && [ "$(g lease_seen)" = "$N" ] || status=1
done
exit $status
