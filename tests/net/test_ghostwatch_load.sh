#!/bin/bash
# alone: a load of simulated nodes against one ghostwatch: nothing else may take the cores
# ghostwatch under a load of simulated nodes (real datagrams on loopback inside a namespace,
# each node from its own 127.x address): every report acked and counted, the status table and
# JSON, the hostfile of the nodes up, shutdown stages, lost nodes, the timeline SVG.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
ns=$(netns_name gwload)
netns_add "$ns"
dir=$(mktemp -d /tmp/gb-gwload.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
gw_key "$dir/key"
N=300

check "ghostwatch serve starts with a key" gw_start "$ns" "$dir" --key "$dir/key"

# 300 nodes boot; every 25th fails at the root stage (12 nodes) with a fatal report.
out=$(gw_loadgen "$ns" --key "$dir/key" --nodes $N --fatal-every 25)
echo "# $out"
check "every report of $N booting nodes acked" test "$(echo "$out" | awk '{ print $4 == $6 }')" = 1
# 50 of the nodes that came up shut down (same boot: sequences go on after the 6 boot stages).
out=$(gw_loadgen "$ns" --key "$dir/key" --nodes 50 --first 100 --seq-start 7 \
	--stages shutdown-begin,unmounted,reset)
echo "# $out"
check "every shutdown report acked" test "$(echo "$out" | awk '{ print $4 == $6 }')" = 1

accepted=$(gw_metric "$dir" ghostwatch_reports_accepted_total)
# 288 nodes x 6 stages + 12 failed x 5 (boot..lease, fatal) + 50 x 3 shutdown stages.
check "metrics: 1938 reports accepted (got $accepted)" test "$accepted" = 1938
bad=$(awk '/^ghostwatch_rejected_total/ { s += $2 } END { print s }' "$dir/state/metrics.prom")
check "metrics: nothing rejected (got $bad)" test "$bad" = 0
# Nodes 100 and 125 failed, then shut down: 240 up, 10 failed, 50 down.
check "metrics: 240 up, 10 failed, 50 down" bash -c "grep -q 'ghostwatch_nodes{state=\"up\"} 240' '$dir/state/metrics.prom' &&
	grep -q 'ghostwatch_nodes{state=\"failed\"} 10' '$dir/state/metrics.prom' &&
	grep -q 'ghostwatch_nodes{state=\"down\"} 50' '$dir/state/metrics.prom'"
check "metrics: 288 boot durations" grep -q '^ghostwatch_boot_seconds_count 288$' "$dir/state/metrics.prom"

# status --json, read while serve runs (same state directory, no flags but --state-dir).
"$GW" status --json --state-dir "$dir/state" >"$dir/status.json"
check "status --json: $N nodes with the right states, stages, inventory" python3 - "$dir/status.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
nodes = doc["nodes"]
assert len(nodes) == 300, len(nodes)
by = {}
for n in nodes:
    i = int(n["node"].replace(":", "")[4:], 16)
    by[i] = n
    want = "down" if 100 <= i < 150 else "failed" if i % 25 == 0 else "up"
    assert n["state"] == want, (i, n["state"], want)
    assert n["hostname"] == "sim%05u" % i, n
    # The address its reports came from (the loadgen's 127.x source), not the 10.0.x.y
    # its inventory claims.
    assert n["ip"] == "127.0.%u.%u" % ((i + 1) >> 8, (i + 1) & 255), n
    assert n["cores"] == 4 + i % 4 * 4 and n["threads"] == 2 * n["cores"], n
    assert n["link_mbps"] == 10000 and n["mtu"] == 1500, n
    st = n["stages_ms"]
    if i % 25 == 0:
        assert n["error"] == 110 and n["error_text"] == "nfs mount timed out", n
        assert "switch-root" not in st and "fatal" in st, n
    else:
        assert st["switch-root"] > st["root-mounted"] > st["lease"] > st["link"] > st["boot"], n
    if want == "down":
        assert st["reset"] > st["unmounted"] > st["shutdown-begin"], n
PY

"$GW" hostfile --state-dir "$dir/state" >"$dir/hostfile"
check "hostfile: the 240 nodes up, '<source address> slots=<cores> # simNNNNN', sorted" python3 - "$dir/hostfile" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
want = ["127.0.%u.%u slots=%u # sim%05u" % ((i + 1) >> 8, (i + 1) & 255, 4 + i % 4 * 4, i)
        for i in range(300) if i % 25 and not 100 <= i < 150]
assert lines == want, (len(lines), lines[:3], want[:3])
PY

"$GW" status --once --state-dir "$dir/state" >"$dir/status.txt"
check "status table: a header and one line per node" test "$(wc -l <"$dir/status.txt")" = $((N + 2))
check "status table: the summary line" grep -q "^$N nodes: 0 booting, 240 up, 0 shutting-down, 50 down, 10 failed, 0 lost, 0 absent$" "$dir/status.txt"
check "status table: last error with its errno text" grep -q "nfs mount timed out (Connection timed out)" "$dir/status.txt"

# Live mode redraws in place in a terminal: run it under a pseudo-terminal for 2.5 s.
timeout -s INT 2.5 script -qfec "$GW status --state-dir $dir/state --interval 1" /dev/null >"$dir/live.txt" 2>&1
draws=$(grep -o $'\e\[H\e\[2J' "$dir/live.txt" | wc -l)
check "status in a terminal redraws in place (home + clear, $draws times)" test "$draws" -ge 2

# Nodes that stop mid-boot are lost after --lost-after seconds of silence.
gw_loadgen "$ns" --key "$dir/key" --nodes 5 --first 1000 --stages boot,modules >/dev/null
sleep 2.2
lost=$("$GW" status --json --lost-after 2 --state-dir "$dir/state" | python3 -c '
import json, sys
print(sum(1 for n in json.load(sys.stdin)["nodes"] if n["state"] == "lost"))')
check "5 nodes silent mid-boot are lost after 2 s (got $lost)" test "$lost" = 5

"$GW" timeline "$dir/boot.svg" --state-dir "$dir/state" 2>/dev/null
check "timeline: an SVG with one row per node and a bar per stage" python3 - "$dir/boot.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
titles = [t.text for t in root.iter(ns + "title")]
assert sum(1 for t in titles if t.startswith("boot at")) == 305, len(titles)
assert sum(1 for t in titles if t.startswith("reset at")) == 50
assert sum(1 for t in titles if t.startswith("fatal at")) == 12
PY

check "ghostwatch still running, no sanitizer report" bash -c "kill -0 $GW_PID && ! grep -q 'Sanitizer' '$dir/serve.log'"
kill -TERM "$GW_PID"
wait "$GW_PID" 2>/dev/null
check "SIGTERM: serve saves and stops" grep -q "stopped, 305 nodes saved" "$dir/serve.log"

# Listening on every address (the default), acks leave from the address each report was sent
# to: nodes take acks only from there. 127.0.0.2 is not the address the kernel would choose.
check "serve on every address" gw_start "$ns" "$dir" --key "$dir/key" --bind 0.0.0.0
echo "# kernel's source for a reply: $(ip -n "$ns" route get 127.1.0.9 | head -1)"
out=$(ip netns exec "$ns" "$GW_LOADGEN" --target 127.0.0.2:7468 --key "$dir/key" --nodes 20 \
	--first 2000 --stages boot)
check "reports to 127.0.0.2 acked from 127.0.0.2 ($out)" test "$(echo "$out" | awk '{ print $4 == $6 }')" = 1
tap_done
