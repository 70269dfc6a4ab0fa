# DHCP test topology: a "master" namespace with a bridge (10.77.0.1/24) and a real dnsmasq,
# client namespaces each with one veth into that bridge. Source after tests/lib/netns.sh and
# tests/lib/tap.sh. Only addresses inside these namespaces are used.

GB_TOP=${GB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# The sanitizer build catches memory errors; the static one is what boots (and what many
# clients at once can afford).
GHOSTINIT=${GHOSTINIT:-$GB_TOP/build/host/ghostinit}
GHOSTINIT_STATIC=${GHOSTINIT_STATIC:-$GB_TOP/build/ghostinit}
DNSMASQ_PID=

# dhcp_tmpdir NAME: a scratch directory under build/, fresh for this run.
dhcp_tmpdir() {
	local d=$GB_TOP/build/test-tmp/$1.$$
	rm -rf "$d" && mkdir -p "$d" && echo "$d"
}

# dhcp_master NS [PREFIX]: the master namespace with br0 = 10.77.0.1/PREFIX (default 24; a
# storm of more than 250 clients needs a larger subnet, with DHCP_RANGE to match).
dhcp_master() {
	netns_add "$1" || return 1
	ip -n "$1" link add br0 type bridge stp_state 0 forward_delay 0 &&
		ip -n "$1" addr add "10.77.0.1/${2:-24}" dev br0 &&
		ip -n "$1" link set br0 up
}

# dhcp_client_ns MASTER NS PORT [IFNAME] [MAC]: NS gets IFNAME (veth0) whose peer PORT is a
# port of br0 in MASTER; both ends up.
dhcp_client_ns() {
	local master=$1 ns=$2 port=$3 ifname=${4:-veth0} mac=${5:-}
	[ -n "$(ip netns list | awk -v n="$ns" '$1 == n')" ] || netns_add "$ns" || return 1
	ip link add "$ifname" netns "$ns" ${mac:+address "$mac"} type veth peer name "$port" netns "$master" || return 1
	ip -n "$master" link set "$port" master br0 &&
		ip -n "$master" link set "$port" up
}

# dnsmasq_start MASTER DIR [dnsmasq options...]: DHCP only (port=0) on br0, log in DIR/dnsmasq.log;
# returns once dnsmasq listens. DHCP_RANGE replaces the default range (10.77.0.100-250/24).
# DNSMASQ_LOG_DHCP=0 leaves out --log-dhcp (each option and tag of each packet): the packet
# lines (DHCPDISCOVER(br0) ...) are logged either way.
dnsmasq_start() {
	local master=$1 dir=$2
	shift 2
	: >"$dir/dnsmasq.log"
	ip netns exec "$master" dnsmasq -k --port=0 --conf-file=/dev/null --interface=br0 --bind-interfaces \
		--dhcp-range="${DHCP_RANGE:-10.77.0.100,10.77.0.250,255.255.255.0,1h}" --dhcp-leasefile="$dir/leases" \
		--dhcp-option=option:router,10.77.0.1 --dhcp-option=option:dns-server,10.77.0.1 \
		--log-facility="$dir/dnsmasq.log" $([ "${DNSMASQ_LOG_DHCP:-1}" = 0 ] || echo --log-dhcp) "$@" &
	DNSMASQ_PID=$!
	track_pid "$DNSMASQ_PID"
	local i
	for i in $(seq 1 50); do
		grep -q "DHCP, IP range" "$dir/dnsmasq.log" 2>/dev/null && return 0
		kill -0 "$DNSMASQ_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# dhcp_pair NAME [MAC]: the usual topology of a DHCP test, set in M (the master namespace), C
# (the client's, its link veth0 [with MAC] in p1 of the master's bridge) and D (a fresh scratch
# directory); a failure ends the test with "not ok - topology".
dhcp_pair() {
	M=$(netns_name "${1}m") C=$(netns_name "${1}c")
	D=$(dhcp_tmpdir "dhcp_$1")
	dhcp_master "$M" && dhcp_client_ns "$M" "$C" p1 ${2:+veth0 "$2"} || { not_ok "topology"; exit 1; }
}

# net_up NS DIR ARGS...: runs `ghostinit net-up --root DIR/root ARGS` in NS; stdout in
# DIR/out, stderr in DIR/err; returns its status.
net_up() {
	local ns=$1 dir=$2
	shift 2
	mkdir -p "$dir/root"
	ip netns exec "$ns" "$GHOSTINIT" net-up --root "$dir/root" "$@" >"$dir/out" 2>"$dir/err"
}

# env_value FILE KEY: the single-quoted value of KEY='...' in FILE.
env_value() { sed -n "s/^$2='\(.*\)'\$/\1/p" "$1" | head -n 1; }

# has_addr NS IF CIDR: the address is on the interface with an infinite lifetime.
has_addr() {
	ip -n "$1" -4 addr show dev "$2" | grep -A1 "inet $3 " | grep -q "valid_lft forever preferred_lft forever"
}

has_default_route() { ip -n "$1" -4 route show default | grep -q "via $2 dev $3"; }
