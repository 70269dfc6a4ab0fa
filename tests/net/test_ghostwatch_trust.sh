#!/bin/bash
# ghostwatch cannot be silenced or fooled (issue 17), with the real serve (ASan/UBSan build)
# and simulated nodes: it fails closed without a key (and says "insecure" everywhere when told
# to run without one), and spoofed junk from a node's own source address does not stop that
# node's real reports (the rate limit counts only what passed the HMAC).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
ns=$(netns_name gwtrust)
netns_add "$ns"
dir=$(mktemp -d /tmp/gb-gwtrust.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
gw_key "$dir/key"
metric() { awk -v n="$1" '$1 == n { print $2 }' "$dir/state/metrics.prom"; }
reject() { metric "ghostwatch_rejected_total{reason=\"$1\"}"; }

# --- Fails closed: no --key and no /etc/ghostwatch/key.
if [ -e /etc/ghostwatch/key ]; then
	ok "# SKIP without a key: this machine has /etc/ghostwatch/key"
else
	ip netns exec "$ns" timeout 10 "$GW" serve --bind 127.0.0.1 --state "$dir/nokey" >"$dir/nokey.log" 2>&1
	rc=$?
	sed 's/^/# /' "$dir/nokey.log"
	check "without a key serve exits non-zero (rc $rc, not the timeout's 124)" test "$rc" -ne 0 -a "$rc" -ne 124
	check "... saying there is no key and naming --key and --insecure" \
		grep -q "no cluster key.*--key FILE.*--insecure" "$dir/nokey.log"
fi

# --- --insecure: runs, and every output says so.
check "serve --insecure starts" gw_start "$ns" "$dir" --insecure
check "its log says INSECURE" grep -q "INSECURE" "$dir/serve.log"
check "metrics: ghostwatch_insecure 1" test "$(gw_metric "$dir" ghostwatch_insecure)" = 1
gw_loadgen "$ns" --nodes 1 --first 7 --stages boot >/dev/null
"$GW" status --once --state "$dir/state" >"$dir/status.txt"
check "status: the first line says INSECURE" bash -c "head -1 '$dir/status.txt' | grep -q '^INSECURE'"
check "status --json: \"insecure\": true" python3 -c "
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state', '$dir/state']))
assert j['insecure'] is True, j"
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null

# --- Restarted with a key: the insecure marks go.
check "serve restarts with a key" gw_start "$ns" "$dir" --key "$dir/key" --rate 50 --burst 100
check "metrics: ghostwatch_insecure 0" test "$(gw_metric "$dir" ghostwatch_insecure)" = 0
check "status --json: \"insecure\": false" python3 -c "
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state', '$dir/state']))
assert j['insecure'] is False, j"

# --- Silencing: 1000 junk datagrams in node 42's name, from its source address, paced over
# 5 s (200/s, four times the rate limit), while node 42 boots. Before the fix the junk spent
# the source's tokens and the real reports were dropped as rate_limited until it stopped.
gw_loadgen "$ns" --key "$dir/key" --bad spoof --count 1000 --first 42 --pace-us 5000 >"$dir/spoof.out" &
spoofer=$!
track_pid "$spoofer"
sleep 1.5 # the junk has emptied a per-source bucket by then (100 burst, +50/s, -200/s)
gw_loadgen "$ns" --key "$dir/key" --nodes 1 --first 42 >"$dir/real.out"
real_rc=$?
wait "$spoofer"
echo "# real node: $(cat "$dir/real.out"); spoofer: $(cat "$dir/spoof.out")"
check "node 42's 6 reports are all acked during the spoofing" test "$real_rc" = 0
check "... each on its first send (no report dropped, no retransmit)" grep -q "reports 6 acked 6 sent 6 " "$dir/real.out"
gw_metric "$dir" ghostwatch_datagrams_total >/dev/null
check "the 1000 junk datagrams counted as bad_hmac ($(reject bad_hmac))" test "$(reject bad_hmac)" = 1000
check "nothing rate limited ($(reject rate_limited))" test "$(reject rate_limited)" = 0
check "status: node 42 is up" python3 -c "
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state', '$dir/state']))
n = [x for x in j['nodes'] if x['node'] == '02:67:00:00:00:2a']; assert n and n[0]['state'] == 'up', n"

# --- What nodes say is checked where it is used: host names that are not RFC 1123 names
# never reach the hostfile, and every output shows the address the reports came from, not
# the one the inventory claims (10.0.0.x; the loadgen's nodes send from 127.0.0.x).
names=("n2 slots=4" "#n3" $'n4\nn5 slots=99' $'n\xc3\xa9' "n6 # x" "good-name")
for k in "${!names[@]}"; do
	gw_loadgen "$ns" --key "$dir/key" --nodes 1 --first $((100 + k)) --hostname "${names[$k]}" >/dev/null
done
"$GW" hostfile --state "$dir/state" >"$dir/hostfile"
sed 's/^/# hostfile: /' "$dir/hostfile"
check "hostfile: every line is '<RFC 1123 name or IPv4> slots=N'" \
	bash -c "! grep -qvE '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])? slots=[0-9]+\$' '$dir/hostfile'"
check "hostfile: the valid name is kept" grep -qx "good-name slots=[0-9]*" "$dir/hostfile"
check "hostfile: the 5 bad names became their source addresses 127.0.0.101-105" \
	test "$(grep -cE '^127\.0\.0\.10[1-5] slots=' "$dir/hostfile")" = 5
check "hostfile: no word of a bad name (n2..n6, #, slots=99), two words a line" \
	bash -c "! grep -qE '#|n[2-6]|slots=99' '$dir/hostfile' && [ -z \"\$(awk 'NF != 2' '$dir/hostfile')\" ]"
check "status --json: bad names empty, every ip the source address, no claimed 10.0.0.x" python3 -c "
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state', '$dir/state']))
for x in j['nodes']:
    assert not x['ip'].startswith('10.'), x['ip']
n = {x['node']: x for x in j['nodes']}
for k in range(6):
    x = n['02:67:00:00:00:%02x' % (100 + k)]
    assert x['ip'] == '127.0.0.%d' % (101 + k), x['ip']
    assert x['hostname'] == ('good-name' if k == 5 else ''), x['hostname']"
"$GW" status --once --state "$dir/state" >"$dir/status.txt"
check "status table: no bad name and no claimed 10.0.0.x address" \
	bash -c "! grep -qE 'slots|#|10\.0\.0\.' '$dir/status.txt'"

# --- The rate limit still works for authentic floods: per node, after the HMAC.
before=$(reject rate_limited)
gw_loadgen "$ns" --key "$dir/key" --bad flood --count 3000 --first 900 >/dev/null
gw_metric "$dir" ghostwatch_datagrams_total >/dev/null
limited=$(($(reject rate_limited) - before))
check "an authentic flood of 3000 from one node is still limited (>= 2500: $limited)" test "$limited" -ge 2500
check "ghostwatch still running, no sanitizer report" bash -c "kill -0 $GW_PID && ! grep -q 'Sanitizer' '$dir/serve.log' '$dir/serve.all.log'"
tap_done
