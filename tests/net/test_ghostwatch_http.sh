#!/bin/bash
# ghostwatch serve --http (issue 21 item 4): /metrics over HTTP with per-node series, checked
# by promtool; the bounds of the web port (16 connections, a 2048-byte head, 5 s a
# connection, GET and HEAD only) while reports keep being acked; the cap on exported nodes;
# the text file unchanged; a forgotten node's series gone; clients that never read a 2.7 MB answer. A real ghostwatch (ASan/UBSan build) in a namespace of its own,
# simulated nodes from 127.0.0.x (the loadgen), curl and Python as clients.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
ns=$(netns_name gwhttp)
netns_add "$ns"
dir=$(mktemp -d /tmp/gb-gwhttp.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
"$GW" keygen --master-key "$dir/master.key" 2>/dev/null
url=http://127.0.0.1:9468
get() { ip netns exec "$ns" curl -s --max-time 10 "$@"; }
series() { awk -v n="$1" 'index($0, n) == 1 { print $2 }' "$dir/metrics"; }
cat >"$dir/nodes" <<'NODES'
w1 02:67:00:00:00:01 -
w2 02:67:00:00:00:02 -
w9 02:67:00:00:00:09 -
NODES
boot() { gw_loadgen "$ns" --master-key "$dir/master.key" --protocol 2 "$@" >/dev/null; }

check "serve --http 127.0.0.1:9468 starts" gw_start "$ns" "$dir" --master-key "$dir/master.key" \
	--cluster "$dir/nodes" --http 127.0.0.1:9468
check "its log names the web port" grep -q "HTTP on 127.0.0.1:9468: /metrics" "$dir/serve.log"
boot --nodes 3 --first 1
boot --nodes 1 --first 3 --boot 2 --fatal-every 1
get -D "$dir/headers" -o "$dir/metrics" "$url/metrics"
check "GET /metrics: 200, text/plain; version=0.0.4" \
	grep -qi '^Content-Type: text/plain; version=0.0.4' "$dir/headers"
promtool check metrics <"$dir/metrics" >"$dir/promtool.out" 2>&1
rc=$?
sed 's/^/# promtool: /' "$dir/promtool.out"
check "promtool check metrics: clean (rc $rc, nothing said)" bash -c "[ $rc = 0 ] && [ ! -s '$dir/promtool.out' ]"
check "w1 up, by its cluster-file name and MAC" \
	test "$(series 'ghostwatch_node_state{node="w1",mac="02:67:00:00:00:01",state="up"}')" = 1
check "... and 0 for its 6 other states" \
	test "$(grep -c '^ghostwatch_node_state{node="w1",.*} 0$' "$dir/metrics")" = 6
check "node 3 (not listed: its reported host name) failed" \
	test "$(series 'ghostwatch_node_state{node="sim00003",mac="02:67:00:00:00:03",state="failed"}')" = 1
check "w9 (listed, never heard from) absent" \
	test "$(series 'ghostwatch_node_state{node="w9",mac="02:67:00:00:00:09",state="absent"}')" = 1
check "w1's stage times: boot, modules, link, lease, root-mounted, switch-root ($(grep -c '^ghostwatch_node_stage_seconds{node="w1"' "$dir/metrics"))" \
	test "$(grep -c '^ghostwatch_node_stage_seconds{node="w1"' "$dir/metrics")" -ge 5
check "w1's boot duration ($(series 'ghostwatch_node_boot_seconds{node="w1"'))" \
	test -n "$(series 'ghostwatch_node_boot_seconds{node="w1"')"
check "w1's guardian restores (0) and last report age (< 30 s)" bash -c "
	[ '$(series 'ghostwatch_node_guardian_restores{node="w1"')' = 0 ] &&
	awk 'BEGIN { exit !($(series 'ghostwatch_node_last_report_age_seconds{node="w1"') < 30) }'"
check "4 nodes exported, none omitted" \
	test "$(series ghostwatch_nodes_exported) $(series ghostwatch_nodes_omitted)" = "4 0"
check "the text file stays, cluster-wide only (no per-node series)" bash -c "
	grep -q '^ghostwatch_nodes{state=\"up\"}' '$dir/state/metrics.prom' && ! grep -q ghostwatch_node_state '$dir/state/metrics.prom'"

# The requests it refuses, each with its status.
code() { get -o /dev/null -w '%{http_code}' "$@"; }
check "GET /nope: 404" test "$(code "$url/nope")" = 404
check "POST /metrics: 405" test "$(code -X POST "$url/metrics")" = 405
check "a 3000-byte header: 431" test "$(code -H "X-Big: $(head -c 3000 /dev/zero | tr '\0' a)" "$url/")" = 431
cat >"$dir/head.py" <<'PY'
import socket
s = socket.create_connection(("127.0.0.1", 9468), timeout=5)
s.sendall(b"HEAD /metrics HTTP/1.0\r\n\r\n")
got = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    got += b
head, _, body = got.partition(b"\r\n\r\n")
length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0]
assert head.startswith(b"HTTP/1.1 200 OK") and length > 1000 and body == b"", (head, length, len(body))
PY
check "HEAD /metrics: 200, the GET's Content-Length, no body" ip netns exec "$ns" python3 "$dir/head.py"

# 20 clients that connect and say nothing: 16 are held (each until its 5 s deadline), 4
# closed at accept; meanwhile reports are acked and /metrics waits for a free slot only.
cat >"$dir/hold.py" <<'PY'
import socket, sys, time
held = [socket.create_connection(("127.0.0.1", 9468)) for _ in range(20)]
time.sleep(float(sys.argv[1]))
PY
ip netns exec "$ns" python3 "$dir/hold.py" 9 &
hold=$!
track_pid "$hold"
sleep 0.5
t0=$(date +%s.%N)
boot --nodes 1 --first 5
t1=$(date +%s.%N)
# Not a time limit (this machine may be loaded): the boot must be acked before the clients let go.
check "reports acked while 16 idle connections are open ($(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s, the clients still there)" \
	kill -0 "$hold"
wait "$hold"
get -o "$dir/metrics" "$url/metrics"
check "4 connections refused at accept, 16 closed at their deadline" \
	test "$(series ghostwatch_http_refused_total) $(series ghostwatch_http_timed_out_total)" = "4 16"
check "2 bad requests counted (the 405 and the 431; a 404 is an answer)" \
	test "$(series ghostwatch_http_bad_requests_total)" = 2
check "node 5's boot arrived meanwhile" test "$(series 'ghostwatch_node_state{node="sim00005",mac="02:67:00:00:00:05",state="up"}')" = 1

# 15 clients that ask for /metrics of 2,000 nodes (2.7 MB) and never read it: serve's sends
# meet full buffers, it moves on (non-blocking) and closes them at their deadline; meanwhile
# reports are acked, and a client that reads gets its whole answer through the 16th slot.
gw_loadgen "$ns" --master-key "$dir/master.key" --protocol 2 --nodes 2000 --first 100 >/dev/null
sleep 1.1 # past the cached answer (WEB_CACHE_MS)
cat >"$dir/stall.py" <<'PY'
import socket, sys, time
held = []
for _ in range(15):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", 9468))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    held.append(s)
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[1]))
PY
get -o "$dir/metrics" "$url/metrics"
before=$(series ghostwatch_http_timed_out_total)
check "/metrics of 2,000 nodes: $(wc -c <"$dir/metrics") bytes" test "$(wc -c <"$dir/metrics")" -gt 1000000
# Small TCP buffers in this namespace (the loopback's default would swallow the 16 answers).
ip netns exec "$ns" sysctl -qw net.ipv4.tcp_wmem="4096 16384 65536" net.ipv4.tcp_rmem="4096 16384 65536"
ip netns exec "$ns" python3 "$dir/stall.py" 10 "$dir/stalling" &
stall=$!
track_pid "$stall"
for _ in $(seq 1 50); do [ -f "$dir/stalling" ] && break; sleep 0.1; done
sleep 0.5 # serve accepts and answers them
t0=$(date +%s.%N)
boot --nodes 1 --first 7
t1=$(date +%s.%N)
check "reports acked while 15 clients stall a 2.7 MB answer ($(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s, the clients still there)" \
	kill -0 "$stall"
get -o "$dir/metrics" "$url/metrics"
check "... and a client that reads gets the whole answer meanwhile ($(wc -c <"$dir/metrics") bytes, ends with the last family)" \
	bash -c "[ \$(wc -c <'$dir/metrics') -gt 1000000 ] && tail -1 '$dir/metrics' | grep -q '^ghostwatch_nodes_omitted 0$'"
wait "$stall"
get -o "$dir/metrics" "$url/metrics"
check "... the 15 closed at their deadline, unfinished ($before -> $(series ghostwatch_http_timed_out_total) timed out)" \
	test "$(series ghostwatch_http_timed_out_total)" = $((before + 15))

# ghostwatch forget (issue 20): a forgotten node's series are gone at the next answer.
check "ghostwatch forget sim00003 (the failed node): done" "$GW" forget sim00003 --state-dir "$dir/state"
sleep 1.1 # past the cached answer
get -o "$dir/metrics" "$url/metrics"
check "... its series are gone from /metrics, the others stay" bash -c "
	! grep -q 'mac=\"02:67:00:00:00:03\"' '$dir/metrics' && grep -q 'mac=\"02:67:00:00:00:01\"' '$dir/metrics'"

# The cap: a restart with --http-max-nodes 2 exports 2 nodes, counts the 3 others; and a list
# without w9 drops w9's series (a node's series come from the table and list as they are).
kill "$GW_PID"
wait "$GW_PID" 2>/dev/null
head -2 "$dir/nodes" >"$dir/nodes2"
check "serve restarts with --http-max-nodes 2 and a list without w9" gw_start "$ns" "$dir" \
	--master-key "$dir/master.key" --cluster "$dir/nodes2" --http 127.0.0.1:9468 --http-max-nodes 2
get -o "$dir/metrics" "$url/metrics"
check "2 nodes exported, the 2,002 others counted out" \
	test "$(series ghostwatch_nodes_exported) $(series ghostwatch_nodes_omitted)" = "2 2002"
check "w9's series are gone" bash -c "! grep -q 'node=\"w9\"' '$dir/metrics'"
check "promtool still clean" bash -c "promtool check metrics <'$dir/metrics' 2>&1 | grep -q . && exit 1 || true"
check "serve --http 127.0.0.1 (no port): refused at start, exit 1" bash -c "
	ip netns exec $ns timeout 5 '$GW' serve --insecure --state-dir '$dir/s2' --port 7469 --http 127.0.0.1 >'$dir/bad.log' 2>&1
	[ \$? = 1 ] && grep -q 'cannot listen on HTTP 127.0.0.1: not IPv4:PORT' '$dir/bad.log'"
tap_done
