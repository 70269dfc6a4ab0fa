#!/bin/bash
# Fault: a node runs past its DHCP lease while another machine boots. ghostinit never renews (its
# address stays configured as long as the node runs), so with a finite lease the server gives
# the running node's address to the next machine once the lease ends: two nodes, one address.
# The cluster generator therefore writes infinite leases (netboot/cluster/generate.sh; checked
# by tests/net/test_cluster_config.sh). Here both, side by side, against a real dnsmasq with a
# range of one address: node A leases it, both wait past dnsmasq's shortest lease (2 min), then
# node B asks. Finite: B is handed A's address (the hazard). Infinite: B gets nothing, A keeps it.
# (make faults only: it waits 2 min by design.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/dhcp.sh
. tests/lib/fault.sh

# run_case NAME LEASE: master + clients a and b in their namespaces, dnsmasq with a one-address
# range and LEASE, node A leased; the scratch directory in CASE_DIR (not a subshell: the
# namespaces and dnsmasq must be this shell's to clean up).
run_case() {
	local name=$1 lease=$2 m a b
	m=$(netns_name "le${name}m") a=$(netns_name "le${name}a") b=$(netns_name "le${name}b")
	CASE_DIR=$(dhcp_tmpdir "lease_$name")
	mkdir -p "$CASE_DIR/b/root"
	dhcp_master "$m" && dhcp_client_ns "$m" "$a" p1 veth0 52:54:00:1e:00:0a &&
		dhcp_client_ns "$m" "$b" p2 veth0 52:54:00:1e:00:0b || return 1
	DHCP_RANGE=10.77.0.100,10.77.0.100,255.255.255.0,$lease dnsmasq_start "$m" "$CASE_DIR" --no-ping || return 1
	net_up "$a" "$CASE_DIR/a" --iface veth0 --cmdline "ghost.dhcp_timeout=10"
}

check "finite (2 min): node A leased" run_case finite 2m
d_finite=$CASE_DIR
check "infinite: node A leased" run_case inf infinite
d_inf=$CASE_DIR
addr_a=$(env_value "$d_finite/a/out" GHOST_ADDR)
check "node A holds the range's one address (${addr_a:-none}), not renewing" [ "$addr_a" = 10.77.0.100 ]
sleep 130 # past the 2-minute lease; node A keeps its address configured (infinite lifetime)
for c in finite inf; do
	eval "d=\$d_$c"
	ip netns exec "$(netns_name "le${c}b")" "$GHOSTINIT" net-up --root "$d/b/root" --iface veth0 \
		--cmdline "ghost.dhcp_timeout=8" >"$d/b/out" 2>"$d/b/err" &
	track_pid $!
	eval "pid_$c=\$!"
done
wait "$pid_finite"
rc_finite=$?
wait "$pid_inf"
rc_inf=$?
addr_b=$(env_value "$d_finite/b/out" GHOST_ADDR)
check "finite: past its lease, node A's address went to node B (${addr_b:-none}): the hazard" \
	[ "$rc_finite" -eq 0 ] && [ "$addr_b" = "$addr_a" ]
check "infinite: node B got no address (status $rc_inf): node A's stays its own" [ "$rc_inf" -ne 0 ]
check "infinite: node B's failure says why (no DHCP answer)" grep -q 'no DHCP answer on veth0' "$d_inf/b/err"
check "infinite: dnsmasq still holds node A's lease" grep -q '52:54:00:1e:00:0a 10.77.0.100' "$d_inf/leases"
outcome="infinite lease: the running node keeps its address; 2-min lease: given to the next node"
[ "$tap_failures" -eq 0 ] || outcome="FAILED"
fault_line "a node running past its lease, a second node booting" "$outcome" 130
tap_done
