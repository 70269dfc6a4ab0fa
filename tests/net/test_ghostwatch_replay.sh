#!/bin/bash
# The freshness proof (protocol v2, issue 17 item 3): the reports of a captured earlier boot,
# replayed after the node rebooted, change nothing in `ghostwatch status --json`. A real
# ghostwatch (ASan/UBSan build) with per-node keys, and real `ghostinit report` senders (the
# agent's own code, built for the host with OpenSSL's HMAC: build/storm/ghostinit, as the
# storm's nodes; this host's kernel has no AF_ALG). A relay records boot 1 as an attacker on
# the segment would; the node then boots 5 more times (ghostwatch remembers the last 4 boot
# ids, so boot 1 is forgotten by the replay window); the capture is sent again. The same with
# protocol v1 (`--protocol 1`, what every node spoke before v2) shows what v2 prevents: the
# replay takes the node's record over.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
GI=${GHOSTINIT_HOST:-build/storm/ghostinit}
ns=$(netns_name gwreplay)
netns_add "$ns"
dir=$(mktemp -d /tmp/gb-gwreplay.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
"$GW" keygen --master-key "$dir/master.key" 2>/dev/null
check "serve starts with per-node keys" gw_start "$ns" "$dir" --master-key "$dir/master.key"

json() { "$GW" status --json --state-dir "$dir/state"; }
# One node's entry of status --json, everything but the derived "state".
node_entry() {
	json | python3 -c "
import json, sys
n = [x for x in json.load(sys.stdin)['nodes'] if x['node'] == '$1']
print(json.dumps(n[0] if n else None, sort_keys=True))"
}
metric() { gw_metric "$dir" "$1"; }
# node_boot MAC PORT [args]: one boot of the node through the real sender, all stages acked.
node_boot() {
	local mac=$1 port=$2
	shift 2
	ip netns exec "$ns" "$GI" report --master "127.0.0.1:$port" --mac "$mac" --key-file "$dir/$mac.key" "$@" \
		boot modules link lease root-mounted switch-root heartbeat
}

run_case() { # run_case NAME MAC [ghostinit report args]: capture boot 1, 5 more boots, replay
	local name=$1 mac=$2
	shift 2
	"$GW" node-key "$mac" --master-key "$dir/master.key" >"$dir/$mac.key"
	ip netns exec "$ns" python3 tests/net/udp_capture.py relay 7469 7468 "$dir/$name.cap" &
	local relay=$! i
	track_pid "$relay"
	for i in $(seq 50); do [ -e "$dir/$name.cap" ] && break; sleep 0.1; done # it opens the log once bound
	node_boot "$mac" 7469 "$@" >"$dir/$name.boot1" 2>&1
	local rc=$?
	kill "$relay"; wait "$relay" 2>/dev/null
	sed "s/^/# $name boot 1: /" "$dir/$name.boot1"
	check "$name: boot 1 (through the capturing relay): every report acked" test "$rc" = 0
	local b
	for b in 2 3 4 5 6; do
		node_boot "$mac" 7468 "$@" >"$dir/$name.boot$b" 2>&1 || echo "# $name boot $b: $(tail -1 "$dir/$name.boot$b")"
	done
	check "$name: boots 2-6 acked" bash -c "tail -qn1 $dir/$name.boot[2-6] | grep -c 'acked 7, given up 0' | grep -qx 5"
	boot6=$(awk '/^boot id/ { print $3 }' "$dir/$name.boot6" | tr -d :)
	before=$(node_entry "$mac")
	echo "# $name before the replay: $before"
	ip netns exec "$ns" python3 tests/net/udp_capture.py replay 7468 "$dir/$name.cap" | sed 's/^/# /'
	gw_metric "$dir" ghostwatch_datagrams_total >/dev/null # metrics written after the replay
	after=$(node_entry "$mac")
	echo "# $name after the replay:  $after"
}

# --- v2: the node speaks as it boots by default.
mac=02:aa:00:00:00:02
run_case v2 "$mac"
check "v2: the node's record is boot 6's, protocol 2, confirmed (up)" python3 -c "
import json; n = json.loads('''$before''')
assert n['boot_id'] == '$boot6' and n['protocol'] == 2 and n['boots'] == 6 and n['state'] == 'up', n"
check "v2: boot 1 replayed after 5 reboots: status --json of the node unchanged" test "$before" = "$after"
check "v2: the wire: boot 1's first ack is a v2 ack (70 bytes) with a nonce, its next report echoes it" \
	python3 - "$dir/v2.cap" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1])]
up = [bytes.fromhex(d) for w, d in lines if w == "up"]
down = [bytes.fromhex(d) for w, d in lines if w == "down"]
assert up[0][2] == 2 and up[0][22:38] == bytes(16), up[0][:38].hex()   # opener: zeros
ack = down[0]
assert len(ack) == 70 and ack[2] == 2 and ack[3] == 2 and ack[22:38] != bytes(16), ack.hex()
assert all(u[22:38] == ack[22:38] for u in up[1:]), "later reports echo the nonce"
PY
check "v2: the replayed opener counted tentative, the rest stale_nonce (no replayed: boot 1 is forgotten)" \
	bash -c "[ \$(awk '\$1 == \"ghostwatch_rejected_total{reason=\\\"stale_nonce\\\"}\" { print \$2 }' '$dir/state/metrics.prom') -ge 6 ]"
check "metrics: ghostwatch_nodes_protocol{version=\"2\"} 1, no v1 report yet" \
	bash -c "grep -qx 'ghostwatch_nodes_protocol{version=\"2\"} 1' '$dir/state/metrics.prom' && grep -qx 'ghostwatch_reports_v1_total 0' '$dir/state/metrics.prom'"

# --- v1 (ghost.protocol=1 on a node; every node before v2): the same replay takes over.
mac1=02:aa:00:00:00:01
run_case v1 "$mac1" --protocol 1
check "v1: boot 1 replayed after 5 reboots takes the record over (boot 6 -> boot 1): why v2" python3 -c "
import json; b = json.loads('''$before'''); a = json.loads('''$after''')
assert b['boot_id'] == '$boot6' and b['protocol'] == 1, b
assert a['boot_id'] != b['boot_id'] and a['boots'] == 7, a"
"$GW" status --once --state-dir "$dir/state" >"$dir/status.txt"
sed 's/^/# /' "$dir/status.txt"
check "status table: column V says 1 for the v1 node, 2 for the v2 node" bash -c "
[ \"\$(awk '\$1 == \"$mac1\" { print \$7 }' '$dir/status.txt')\" = 1 ] &&
[ \"\$(awk '\$1 == \"$mac\" { print \$7 }' '$dir/status.txt')\" = 2 ]"
check "metrics: v1 reports counted, one node on v1" bash -c "
grep -qx 'ghostwatch_nodes_protocol{version=\"1\"} 1' '$dir/state/metrics.prom' &&
[ \$(awk '\$1 == \"ghostwatch_reports_v1_total\" { print \$2 }' '$dir/state/metrics.prom') -ge 42 ]"

# --- ghostinit report takes its key from a file (--key-file, above): the key itself on its
# command line would be in /proc/<pid>/cmdline for every local user; --key is gone.
ip netns exec "$ns" "$GI" report --master 127.0.0.1:7468 --mac "$mac" --key "$(cat "$dir/$mac.key")" boot \
	>"$dir/hex.out" 2>"$dir/hex.err"
rc=$?
check "ghostinit report --key HEX is refused (rc $rc: usage), nothing sent" \
	bash -c "[ $rc = 2 ] && grep -q -- '--key-file FILE' '$dir/hex.err' && [ ! -s '$dir/hex.out' ]"

# --- Once every node speaks v2: --require-v2 refuses v1 (and its replays).
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null
check "serve restarts with --require-v2" gw_start "$ns" "$dir" --master-key "$dir/master.key" --require-v2
node_boot "$mac1" 7468 --protocol 1 >"$dir/v1-refused" 2>&1
check "--require-v2: a v1 boot is not acked" grep -q "acked 0," "$dir/v1-refused"
check "... and counted bad_version" test "$(gw_metric "$dir" 'ghostwatch_rejected_total{reason="bad_version"}')" -ge 7
node_boot "$mac" 7468 >"$dir/v2-after" 2>&1
check "... while a v2 boot is acked and confirmed" python3 -c "
import json, subprocess
j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))
n = [x for x in j['nodes'] if x['node'] == '$mac'][0]
assert n['boots'] == 7 and n['protocol'] == 2 and n['state'] == 'up', n"
check "ghostwatch still running, no sanitizer report" bash -c "kill -0 $GW_PID && ! grep -q 'Sanitizer' '$dir/serve.log' '$dir/serve.all.log'"
tap_done
