#!/bin/bash
# kill -9 and restart keep every node: ghostwatch acks a report only after it is in its
# append log, so nothing a node was told is saved can be lost, even mid-stream.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
ns=$(netns_name gwkill)
netns_add "$ns"
dir=$(mktemp -d /tmp/gb-gwkill.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
gw_key "$dir/key"

nodes_in_state() { # STATE...: how many nodes status --json shows in those states
	"$GW" status --json --state-dir "$dir/state" | python3 -c '
import json, sys
print(sum(1 for n in json.load(sys.stdin)["nodes"] if n["state"] in sys.argv[1:]))' "$@"
}

# 1. 400 nodes boot, every report acked; kill -9 at once; restart: all 400 are there.
check "serve starts" gw_start "$ns" "$dir" --key "$dir/key"
out=$(gw_loadgen "$ns" --key "$dir/key" --nodes 400)
check "400 nodes booted, every report acked ($out)" test "$(echo "$out" | awk '{ print $4 == $6 }')" = 1
kill -KILL "$GW_PID"
wait "$GW_PID" 2>/dev/null
check "no snapshot of this run was written: the nodes are only in the log" \
	test "$(find "$dir/state" -name 'log.*' -size +100k | wc -l)" = 1
check "status reads the state of a killed server: 400 up" test "$(nodes_in_state up)" = 400
check "serve restarts after kill -9" gw_start "$ns" "$dir" --key "$dir/key"
check "the restarted server loaded 400 nodes" grep -q "400 nodes known" "$dir/serve.log"

# 2. The same reports again are replays: the replay windows survived the restart.
gw_loadgen "$ns" --key "$dir/key" --nodes 10 --stages boot >/dev/null
check "old reports replayed after the restart are refused" \
	test "$(gw_metric "$dir" 'ghostwatch_rejected_total{reason="replayed"}')" = 10

# 3. kill -9 in the middle of a stream: 1500 nodes of a new boot (paced to last about 3 s),
# the server killed after 1 s and restarted; the nodes retransmit until acked, every node kept.
gw_loadgen "$ns" --key "$dir/key" --nodes 1500 --first 400 --boot 1 --pace-us 300 >"$dir/stream.out" &
lg=$!
track_pid "$lg"
sleep 1
kill -KILL "$GW_PID"
wait "$GW_PID" 2>/dev/null
booting=$(nodes_in_state booting)
echo "# nodes still booting when killed: $booting"
gw_start "$ns" "$dir" --key "$dir/key"
wait "$lg"
rc=$?
stream=$(cat "$dir/stream.out")
check "the stream finished with every report acked across the kill ($stream)" test "$rc" = 0
check "killed mid-stream: nodes still booting then ($booting), reports retransmitted" \
	test "$booting" -gt 0 -a "$(echo "$stream" | awk '{ print ($8 > $4) }')" = 1
check "1900 nodes up after kill -9 and restart" test "$(nodes_in_state up)" = 1900
kill -KILL "$GW_PID"
wait "$GW_PID" 2>/dev/null
check "and still 1900 after another kill -9" test "$(nodes_in_state up)" = 1900
check "no sanitizer report in any run" bash -c "! cat '$dir/serve.all.log' '$dir/serve.log' | grep -q Sanitizer"
tap_done
