#!/bin/bash
# alone: 32 workers released at once, each bound by a deadline: nothing else may take the cores
# A short boot storm (the long one is `make storm`): 32 simulated workers, ghostinit's network
# stage and reporter each in its own namespace, released at once against one dnsmasq and one
# ghostwatch: every node leased and seen by ghostwatch, none stuck, no report lost, at most
# 1.5 DHCP exchanges per node (counted by dnsmasq). No timing is asserted: the figures are
# printed, `make storm` measures.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/storm/lib.sh
N=${STORM_CLIENTS:-32}
D=$(dhcp_tmpdir test_storm)
check "$N client namespaces, dnsmasq and ghostwatch" storm_setup "$N" "$D"
storm_launch ghostboot
storm_analyse ghostboot
v() { storm_value ghostboot "$1"; }
echo "# started within $(v spread_ms) ms; time to lease p50/p99/max $(v lease_p50)/$(v lease_p99)/$(v lease_pmax) ms," \
	"to seen $(v seen_p50)/$(v seen_p99)/$(v seen_pmax) ms; reports sent $(v reports_sent), retransmitted $(v reports_retransmits)"
check "every client leased ($(v leased)/$N), none stuck ($(v stuck))" test "$(v leased)" = "$N" -a "$(v stuck)" = 0
check "ghostwatch has every node with its lease stage ($(v lease_seen)/$N)" test "$(v lease_seen)" = "$N"
check "every report received by ghostwatch ($(v gw_accepted) applied + $(v gw_tentative) tentative v2 openers of $(v reports_reports), lost $(v reports_lost))" \
	test "$(v reports_lost)" = 0 -a "$(v reports_reports)" -ge $((4 * N))
check "dnsmasq ACKed $N leases ($(v dhcp_ack))" test "$(v dhcp_ack)" -ge "$N"
check "at most 1.5 DHCP exchanges per node ($(v exchanges_per_node) DISCOVERs per node)" \
	awk -v x="$(v exchanges_per_node)" 'BEGIN { exit !(x <= 1.5) }'
# Each OFFER/ACK is broadcast to all N; the client's socket filter drops the other nodes' in the
# kernel (without it each node reads about 2 * (N - 1) answers that are not its own).
check "other nodes' DHCP answers kept out of each client ($(v dhcp_ignored_per_node) read and ignored per node)" \
	awk -v x="$(v dhcp_ignored_per_node)" -v l="$(v leased)" -v n="$N" 'BEGIN { exit !(x < 1 && l == n) }'
[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
