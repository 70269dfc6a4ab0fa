#!/bin/bash
# alone: 64 clients at once within the DHCP timeout: nothing else may take the cores
# 64 clients at once against one dnsmasq, each in its own namespace with a veth into one
# bridge: every one gets a distinct lease, configured, within the default DHCP timeout.
# The static build runs here (64 sanitizer processes would measure ASan, not us).
cd "$(dirname "$0")/../.." || exit 1
source tests/lib/tap.sh
source tests/lib/netns.sh
source tests/lib/dhcp.sh

N=${DHCP_CLIENTS:-64}
M=$(netns_name 6m)
D=$(dhcp_tmpdir dhcp_64)
dhcp_master "$M" || { not_ok "master"; exit 1; }
for i in $(seq 1 "$N"); do
	dhcp_client_ns "$M" "$(netns_name 6c$i)" "p$i" || { not_ok "client namespace $i"; exit 1; }
done
ok "$N client namespaces on one bridge"
check "dnsmasq starts" dnsmasq_start "$M" "$D" --no-ping

pids=()
for i in $(seq 1 "$N"); do
	mkdir -p "$D/$i/root"
	ip netns exec "$(netns_name 6c$i)" "$GHOSTINIT_STATIC" net-up --iface veth0 --root "$D/$i/root" \
		>"$D/$i/out" 2>"$D/$i/err" &
	pids+=($!)
	track_pid "$!"
done
failed=0
for i in $(seq 1 "$N"); do
	wait "${pids[$((i - 1))]}" || { failed=$((failed + 1)); sed "s/^/# client $i: /" "$D/$i/err"; }
done
check "all $N clients exit 0 ($failed failed)" [ "$failed" -eq 0 ]

configured=0
for i in $(seq 1 "$N"); do
	a=$(env_value "$D/$i/out" GHOST_ADDR)
	echo "$a" >>"$D/addresses"
	[ -n "$a" ] && has_addr "$(netns_name 6c$i)" veth0 "$a/24" && configured=$((configured + 1))
done
check "$N addresses configured with infinite lifetime ($configured)" [ "$configured" -eq "$N" ]
distinct=$(sort -u "$D/addresses" | grep -c .)
check "$N distinct addresses ($distinct)" [ "$distinct" -eq "$N" ]
check "dnsmasq ACKed $N leases" [ "$(grep -c 'DHCPACK(br0)' "$D/dnsmasq.log")" -ge "$N" ]
# dnsmasq answers each client by unicast (the broadcast flag is clear), and each client's
# packet filter keeps only answers to its own MAC: no client reads another's answer.
check "no client read another client's answer ($(grep -h 'ignored' "$D"/*/err | wc -l) clients ignored some)" \
	sh -c "! grep -q 'ignored' '$D'/*/err"
times=$(cat "$D"/*/out | sed -n "s/^GHOST_DHCP_MS='\(.*\)'/\1/p" | sort -n)
echo "# time to lease (ms): min $(echo "$times" | head -1), median $(echo "$times" | sed -n "$(((N + 1) / 2))p"), max $(echo "$times" | tail -1)"

[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
