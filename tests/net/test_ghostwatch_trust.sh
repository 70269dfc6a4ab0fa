#!/bin/bash
# ghostwatch cannot be silenced or fooled (issue 17), with the real serve (ASan/UBSan build)
# and simulated nodes: it fails closed without a key (and says "insecure" everywhere when told
# to run without one); spoofed junk from a node's own source address does not stop that
# node's real reports (the rate limit counts only what passed the HMAC); host names that are
# not RFC 1123 names and claimed addresses reach no output; with per-node keys a node's key
# signs only its own reports, and a master secret others can read is refused.
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

# --- The default keys, in an /etc of the test's own (a tmpfs over /etc in a private mount
# namespace, with only the loader's cache): whatever this machine's /etc holds.
# clean_etc SETUP LOG: serve with no key option for 3 s after the shell commands SETUP.
clean_etc() {
	cp /etc/ld.so.cache "$dir/ld.so.cache"
	ip netns exec "$ns" unshare -m --propagation private bash -c '
		mount -t tmpfs none /etc && cp "$1/ld.so.cache" /etc/ && eval "$2" &&
		exec timeout 3 "$3" serve --bind 127.0.0.1 --state-dir "$1/etc-state"' _ "$dir" "$1" "$GW" >"$2" 2>&1
}
clean_etc true "$dir/nokey.log"
rc=$?
sed 's/^/# /' "$dir/nokey.log"
check "no key at all: serve exits non-zero (rc $rc, not the timeout's 124)" test "$rc" -ne 0 -a "$rc" -ne 124
check "... saying there is no key, naming the default /etc/ghostboot/cluster.key, --key and --insecure" \
	grep -q "no cluster key.*/etc/ghostboot/cluster.key exists.*--key FILE.*--insecure" "$dir/nokey.log"
clean_etc "mkdir /etc/ghostwatch && cp '$dir/key' /etc/ghostwatch/key" "$dir/oldkey.log"
sed 's/^/# /' "$dir/oldkey.log"
check "only the old /etc/ghostwatch/key: serve uses it, and warns to move it to /etc/ghostboot/cluster.key" \
	bash -c "grep -q 'listening on UDP' '$dir/oldkey.log' && grep -q 'reading the cluster key from its old place /etc/ghostwatch/key: move it to /etc/ghostboot/cluster.key' '$dir/oldkey.log'"
clean_etc "mkdir /etc/ghostwatch /etc/ghostboot && cp '$dir/key' /etc/ghostwatch/key && cp '$dir/key' /etc/ghostboot/cluster.key" "$dir/newkey.log"
sed 's/^/# /' "$dir/newkey.log"
check "/etc/ghostboot/cluster.key (the old one beside it): serve uses it, no warning" \
	bash -c "grep -q 'listening on UDP' '$dir/newkey.log' && ! grep -q 'old place' '$dir/newkey.log'"

# --- --insecure: runs, and every output says so.
check "serve --insecure starts" gw_start "$ns" "$dir" --insecure
check "its log says INSECURE" grep -q "INSECURE" "$dir/serve.log"
check "metrics: ghostwatch_insecure 1" test "$(gw_metric "$dir" ghostwatch_insecure)" = 1
gw_loadgen "$ns" --nodes 1 --first 7 --stages boot >/dev/null
"$GW" status --once --state-dir "$dir/state" >"$dir/status.txt"
check "status: the first line says INSECURE" bash -c "head -1 '$dir/status.txt' | grep -q '^INSECURE'"
check "status --json: \"insecure\": true" python3 -c "
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))
assert j['insecure'] is True, j"
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null

# --- Restarted with a key: the insecure marks go.
check "serve restarts with a key" gw_start "$ns" "$dir" --key "$dir/key" --rate 50 --burst 100
check "metrics: ghostwatch_insecure 0" test "$(gw_metric "$dir" ghostwatch_insecure)" = 0
check "status --json: \"insecure\": false" python3 -c "
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))
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
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))
n = [x for x in j['nodes'] if x['node'] == '02:67:00:00:00:2a']; assert n and n[0]['state'] == 'up', n"

# --- What nodes say is checked where it is used: host names that are not RFC 1123 names
# never reach the hostfile, and every output shows the address the reports came from, not
# the one the inventory claims (10.0.0.x; the loadgen's nodes send from 127.0.0.x).
names=("n2 slots=4" "#n3" $'n4\nn5 slots=99' $'n\xc3\xa9' "n6 # x" "good-name")
for k in "${!names[@]}"; do
	gw_loadgen "$ns" --key "$dir/key" --nodes 1 --first $((100 + k)) --hostname "${names[$k]}" >/dev/null
done
"$GW" hostfile --state-dir "$dir/state" >"$dir/hostfile"
sed 's/^/# hostfile: /' "$dir/hostfile"
check "hostfile: every line is '<IPv4> slots=N', then at most '# <RFC 1123 name>'" \
	bash -c "! grep -qvE '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ slots=[0-9]+( # [A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)?\$' '$dir/hostfile'"
check "hostfile: the node with a valid name: its source address, the name as a comment" \
	grep -qx "127\.0\.0\.106 slots=[0-9]* # good-name" "$dir/hostfile"
check "hostfile: the 5 bad names: their source addresses 127.0.0.101-105, no comment" \
	test "$(grep -cE '^127\.0\.0\.10[1-5] slots=[0-9]+$' "$dir/hostfile")" = 5
check "hostfile: no word of a bad name (n2..n6, slots=99)" \
	bash -c "! grep -qE 'n[2-6]|slots=99' '$dir/hostfile'"
check "status --json: bad names empty, every ip the source address, no claimed 10.0.0.x" python3 -c "
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))
for x in j['nodes']:
    assert not x['ip'].startswith('10.'), x['ip']
n = {x['node']: x for x in j['nodes']}
for k in range(6):
    x = n['02:67:00:00:00:%02x' % (100 + k)]
    assert x['ip'] == '127.0.0.%d' % (101 + k), x['ip']
    assert x['hostname'] == ('good-name' if k == 5 else ''), x['hostname']"
"$GW" status --once --state-dir "$dir/state" >"$dir/status.txt"
check "status table: no bad name and no claimed 10.0.0.x address" \
	bash -c "! grep -qE 'slots|#|10\.0\.0\.' '$dir/status.txt'"

# --- The rate limit still works for authentic floods: per node, after the HMAC.
before=$(reject rate_limited)
gw_loadgen "$ns" --key "$dir/key" --bad flood --count 3000 --first 900 >/dev/null
gw_metric "$dir" ghostwatch_datagrams_total >/dev/null
limited=$(($(reject rate_limited) - before))
check "an authentic flood of 3000 from one node is still limited (>= 2500: $limited)" test "$limited" -ge 2500
check "ghostwatch still running, no sanitizer report" bash -c "kill -0 $GW_PID && ! grep -q 'Sanitizer' '$dir/serve.log' '$dir/serve.all.log'"
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null

# --- Per-node keys: one master secret, each node's key derived from it and the node's MAC.
check "ghostwatch keygen writes a master secret, mode 0600" \
	bash -c "'$GW' keygen --master-key '$dir/master.key' 2>/dev/null && [ \$(stat -c %a '$dir/master.key') = 600 ]"
chmod 644 "$dir/master.key"
ip netns exec "$ns" timeout 10 "$GW" serve --bind 127.0.0.1 --state-dir "$dir/state" --master-key "$dir/master.key" >"$dir/open.log" 2>&1
rc=$?
sed 's/^/# /' "$dir/open.log"
check "a group/world-readable master secret: serve refuses (rc $rc) and says chmod 600" \
	bash -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q 'chmod 600' '$dir/open.log'"
chmod 600 "$dir/master.key"
check "serve starts with per-node keys" gw_start "$ns" "$dir" --master-key "$dir/master.key"
check "its log says per-node keys" grep -q "per-node keys" "$dir/serve.log"
quiet() { "$@" >/dev/null; }
check "20 nodes, each signing with its own key: every report acked" \
	quiet gw_loadgen "$ns" --master-key "$dir/master.key" --nodes 20 --first 200
b0=$(gw_metric "$dir" ghostwatch_datagrams_total >/dev/null; reject bad_hmac)
gw_loadgen "$ns" --master-key "$dir/master.key" --bad cross --count 50 --first 300 >/dev/null
gw_metric "$dir" ghostwatch_datagrams_total >/dev/null
check "50 reports for nodes 300-349 signed with node 350's key: all bad_hmac ($(($(reject bad_hmac) - b0)))" \
	test $(($(reject bad_hmac) - b0)) = 50
gw_loadgen "$ns" --key "$dir/key" --nodes 1 --first 400 --stages boot >/dev/null
check "the old cluster key no longer signs for anyone (6 sends, 6 more bad_hmac)" \
	test $(($(gw_metric "$dir" 'ghostwatch_rejected_total{reason="bad_hmac"}') - b0)) = 56
check "status: the 20 keyed nodes up, none of the forged ones" python3 -c "
import json, subprocess; j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))
ids = {int(x['node'].replace(':', '')[-4:], 16) for x in j['nodes']}
assert set(range(200, 220)) <= ids, ids
assert not ids & set(range(300, 351)) and 400 not in ids, sorted(ids)"
check "ghostwatch node-key prints the key the node must hold (64 hex digits, one per MAC)" bash -c "
a=\$('$GW' node-key 02:67:00:00:00:c8 --master-key '$dir/master.key') &&
b=\$('$GW' node-key 02:67:00:00:00:c9 --master-key '$dir/master.key') &&
[[ \$a =~ ^[0-9a-f]{64}\$ ]] && [ \"\$a\" != \"\$b\" ]"
check "ghostwatch still running, no sanitizer report" bash -c "kill -0 $GW_PID && ! grep -q 'Sanitizer' '$dir/serve.log' '$dir/serve.all.log'"
tap_done
