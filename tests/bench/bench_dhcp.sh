#!/bin/bash
# DHCP bench: time to lease (process start to address configured), median over runs, for 1
# client and for 64 clients at once against one dnsmasq; ghostinit net-up and BusyBox udhcpc
# (with a script that configures the address and route, as a BusyBox initramfs does) are
# measured alternately in the same run, on the same namespaces and server.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/dhcp.sh
runs1=${BENCH_RUNS:-11}
runs64=${BENCH_RUNS_64:-5}
clients=${BENCH_CLIENTS:-64}
GI=${GHOSTINIT_STATIC:-build/ghostinit}
UDHCPC=$(command -v udhcpc || echo /usr/sbin/udhcpc)
dir=$(dhcp_tmpdir bench_dhcp)
DNSMASQ_PID=
trap 'netns_cleanup; rm -rf "$dir"' EXIT

cat >"$dir/udhcpc.script" <<'SCRIPT'
#!/bin/sh
# udhcpc event script: configure what the lease says (BusyBox exports ip, mask, router).
case "$1" in
bound | renew)
	ip addr add "$ip/$mask" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
	;;
esac
exit 0
SCRIPT
chmod +x "$dir/udhcpc.script"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

M=$(netns_name bdm)
dhcp_master "$M" || exit 1
for i in $(seq 1 "$clients"); do
	dhcp_client_ns "$M" "$(netns_name bc$i)" "q$i" || exit 1
done

# fresh_state N: a new dnsmasq with an empty lease file, the N client links up with carrier and
# no address, so every measurement starts from the same state. --no-ping: dnsmasq otherwise
# holds each new address's OFFER ~3 s for an ICMP check, which would measure dnsmasq.
fresh_state() {
	local i ns
	if [ -n "$DNSMASQ_PID" ]; then
		kill "$DNSMASQ_PID" 2>/dev/null
		wait "$DNSMASQ_PID" 2>/dev/null
	fi
	rm -f "$dir/leases"
	dnsmasq_start "$M" "$dir" --no-ping --dhcp-range=10.77.0.2,10.77.0.254,255.255.255.0,1h || return 1
	for i in $(seq 1 "$1"); do
		ns=$(netns_name bc$i)
		ip -n "$ns" addr flush dev veth0
		ip -n "$ns" link set veth0 up
	done
	sleep 0.3 # carrier and the bridge ports settled
}

# run_clients KIND N: starts N clients at once; appends each client's ms to DIR/each.KIND.N
# and prints the ms until the last one is configured.
run_clients() {
	local kind=$1 n=$2 i ns pids=() t0 fail=0
	t0=$(now_ms)
	for i in $(seq 1 "$n"); do
		ns=$(netns_name bc$i)
		(
			s=$(now_ms)
			if [ "$kind" = ghostinit ]; then
				ip netns exec "$ns" "$GI" net-up --iface veth0 --root "$dir/root$i" >/dev/null 2>"$dir/err$i"
			else
				ip netns exec "$ns" "$UDHCPC" -f -q -n -i veth0 -t 30 -T 1 -A 1 -s "$dir/udhcpc.script" \
					>/dev/null 2>"$dir/err$i"
			fi
			rc=$?
			echo $(($(now_ms) - s)) >>"$dir/each.$kind.$n"
			exit $rc
		) &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do wait "${pids[$i]}" || fail=$((fail + 1)); done
	local t1
	t1=$(now_ms)
	[ "$fail" -eq 0 ] || echo "# $kind: $fail of $n clients failed" >&2
	echo $((t1 - t0))
}

bench() { # N RUNS
	local n=$1 runs=$2 r kind
	: >"$dir/ghostinit.$n" && : >"$dir/udhcpc.$n" && : >"$dir/each.ghostinit.$n" && : >"$dir/each.udhcpc.$n"
	for r in $(seq 1 "$runs"); do
		for kind in ghostinit udhcpc; do
			fresh_state "$n" || exit 1
			run_clients "$kind" "$n" >>"$dir/$kind.$n"
		done
	done
	local g u
	g=$(median <"$dir/ghostinit.$n")
	u=$(median <"$dir/udhcpc.$n")
	printf '%-22s ghostinit %6s ms   udhcpc %6s ms   ghostinit/udhcpc %s   (median of %d; runs: ghostinit %s; udhcpc %s)\n' \
		"time to lease, $n client$([ "$n" -gt 1 ] && echo s):" "$g" "$u" "$(ratio "$g" "$u")" "$runs" \
		"$(tr '\n' ' ' <"$dir/ghostinit.$n" | sed 's/ $//')" "$(tr '\n' ' ' <"$dir/udhcpc.$n" | sed 's/ $//')"
	if [ "$n" -gt 1 ]; then
		g=$(median <"$dir/each.ghostinit.$n")
		u=$(median <"$dir/each.udhcpc.$n")
		printf '%-22s ghostinit %6s ms   udhcpc %6s ms   ghostinit/udhcpc %s   (median over all %d clients of all runs)\n' \
			"  one client of $n:" "$g" "$u" "$(ratio "$g" "$u")" "$((n * runs))"
	fi
}

bench 1 "$runs1"
bench "$clients" "$runs64"
# Why udhcpc's tail is long with many clients: when dnsmasq offers one address to two clients
# at once, one of them gets a NAK, and udhcpc waits 3 s after a NAK; ghostinit restarts at once
# with a new DISCOVER (RFC 2131 §3.1.5 leaves the delay to the client).
