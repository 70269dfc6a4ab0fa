#!/bin/bash
# ghostwatch serve --cluster FILE (issue 17 item 3): the cluster tools' node list
# (netboot/cluster/generate.sh writes it as OUTDIR/nodes: "name mac ip", "-" for an address
# from the dhcp-range). Nodes not in it are counted and shown (status, JSON, metrics), never
# put in the hostfile; a listed node's reports from another address than its listed one are
# refused and counted (wrong_source): root on a worker signing its own node's reports from a
# spoofed source cannot point that node's slots at another machine. A real ghostwatch (ASan/
# UBSan build) with per-node keys; simulated nodes, each from its own 127.0.0.x source.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
ns=$(netns_name gwcluster)
netns_add "$ns"
dir=$(mktemp -d /tmp/gb-gwcluster.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
"$GW" keygen --master-key "$dir/master.key" 2>/dev/null
reject() { gw_metric "$dir" "ghostwatch_rejected_total{reason=\"$1\"}"; }
# The loadgen's node i is MAC 02:67:00:00:00:<i>, source 127.0.0.<i+1>.
cat >"$dir/nodes" <<'NODES'
# name mac ip (- = from the dhcp-range)
w1 02:67:00:00:00:01 127.0.0.2
w2 02:67:00:00:00:02 127.0.0.99
w3 02:67:00:00:00:03 -
NODES
boot() { gw_loadgen "$ns" --master-key "$dir/master.key" --protocol 2 --nodes 1 --first "$1" >/dev/null; }

printf 'w1 02:67:00:00:00:01 127.0.0.2\nw1b 02:67:00:00:00:01 127.0.0.3\n' >"$dir/bad-nodes"
ip netns exec "$ns" timeout 10 "$GW" serve --bind 127.0.0.1 --state "$dir/state" --master-key "$dir/master.key" \
	--cluster "$dir/bad-nodes" >"$dir/bad.log" 2>&1
rc=$?
sed 's/^/# /' "$dir/bad.log"
check "a list with a MAC twice: serve refuses to start (rc $rc) and names the file" \
	bash -c "[ $rc = 1 ] && grep -q 'cannot use the cluster list $dir/bad-nodes' '$dir/bad.log'"

check "serve --cluster starts" gw_start "$ns" "$dir" --master-key "$dir/master.key" --cluster "$dir/nodes"
check "its log says how many nodes the list has" grep -q "3 nodes in the cluster list" "$dir/serve.log"
for i in 1 2 3 4 5; do boot "$i"; done
"$GW" hostfile --state "$dir/state" >"$dir/hostfile"
sed 's/^/# hostfile: /' "$dir/hostfile"
check "hostfile: w1 (from its listed address) and w3 (listed without one), nothing else" \
	test "$(cut -d' ' -f1 "$dir/hostfile" | tr '\n' ' ')" = "127.0.0.2 127.0.0.4 "
check "w2's reports from 127.0.0.3, not its listed 127.0.0.99: refused as wrong_source ($(reject wrong_source))" \
	test "$(reject wrong_source)" -ge 6
check "status --json: nodes 4 and 5 shown, not listed; w2 nowhere; metrics count 2 unlisted" python3 -c "
import json, subprocess
j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state', '$dir/state']))
n = {x['node']: x for x in j['nodes']}
assert set(n) == {'02:67:00:00:00:%02x' % i for i in (1, 3, 4, 5)}, sorted(n)
assert [n['02:67:00:00:00:%02x' % i]['listed'] for i in (1, 3, 4, 5)] == [True, True, False, False], n
assert all(x['state'] == 'up' for x in n.values()), n"
check "metrics: ghostwatch_nodes_unlisted 2" test "$(gw_metric "$dir" ghostwatch_nodes_unlisted)" = 2
"$GW" status --once --state "$dir/state" >"$dir/status.txt"
sed 's/^/# /' "$dir/status.txt"
check "status table: the unlisted nodes named under the summary" \
	grep -qx "2 not in the cluster file (serve --cluster), never in the hostfile: 02:67:00:00:00:04 02:67:00:00:00:05" "$dir/status.txt"

# Without --cluster (the control: what the flag changes): every node that reports is in the
# hostfile, w2 with the address its reports came from, whatever the cluster file says.
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null
check "serve restarts without --cluster" gw_start "$ns" "$dir" --master-key "$dir/master.key"
boot 2
"$GW" hostfile --state "$dir/state" >"$dir/hostfile2"
check "without it: w2 (127.0.0.3) and the unlisted nodes are in the hostfile" \
	test "$(cut -d' ' -f1 "$dir/hostfile2" | tr '\n' ' ')" = "127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 127.0.0.6 "
check "... and nothing is marked unlisted (the list left the state directory)" \
	bash -c "[ ! -e '$dir/state/cluster' ] && [ \$('$GW' status --json --state '$dir/state' | grep -c '\"listed\":false') = 0 ]"
check "ghostwatch still running, no sanitizer report" bash -c "kill -0 $GW_PID && ! grep -q 'Sanitizer' '$dir/serve.log' '$dir/serve.all.log'"
tap_done
