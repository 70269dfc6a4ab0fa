#!/bin/bash
# ghostwatch serve --cluster FILE (issue 17 item 3): the cluster tools' node list
# (netboot/cluster/generate.sh writes it as OUTDIR/nodes: "name mac ip", "-" for an address
# from the dhcp-range). Nodes not in it are counted and shown (status, JSON, metrics), never
# put in the hostfile; a listed node's reports from another address than its listed one are
# refused and counted (wrong_source): root on a worker signing its own node's reports from a
# spoofed source cannot point that node's slots at another machine. A real ghostwatch (ASan/
# UBSan build) with per-node keys; simulated nodes, each from its own 127.0.0.x source.
# Then the command-line conventions on that state (issue 19 item 6): status NODES in the host
# list syntax, options refused where they do not belong, --help, -V, --state renamed; and
# what issue 20 item 1 adds: names in status, status --state STATES, forget NODES.
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
ip netns exec "$ns" timeout 10 "$GW" serve --bind 127.0.0.1 --state-dir "$dir/state" --master-key "$dir/master.key" \
	--cluster "$dir/bad-nodes" >"$dir/bad.log" 2>&1
rc=$?
sed 's/^/# /' "$dir/bad.log"
check "a list with a MAC twice: serve refuses to start (rc $rc) and names the file" \
	bash -c "[ $rc = 1 ] && grep -q 'cannot use the cluster list $dir/bad-nodes' '$dir/bad.log'"

check "serve --cluster starts" gw_start "$ns" "$dir" --master-key "$dir/master.key" --cluster "$dir/nodes"
check "its log says how many nodes the list has" grep -q "3 nodes in the cluster list" "$dir/serve.log"
for i in 1 2 3 4 5; do boot "$i"; done
"$GW" hostfile --state-dir "$dir/state" >"$dir/hostfile"
sed 's/^/# hostfile: /' "$dir/hostfile"
check "hostfile: w1 (from its listed address) and w3 (listed without one), nothing else" \
	test "$(cut -d' ' -f1 "$dir/hostfile" | tr '\n' ' ')" = "127.0.0.2 127.0.0.4 "
check "w2's reports from 127.0.0.3, not its listed 127.0.0.99: refused as wrong_source ($(reject wrong_source))" \
	test "$(reject wrong_source)" -ge 6
check "status --json: nodes 4 and 5 shown, not listed; w2 (never heard from its address) absent; metrics count 2 unlisted" python3 -c "
import json, subprocess
j = json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))
n = {x['node']: x for x in j['nodes']}
assert set(n) == {'02:67:00:00:00:%02x' % i for i in (1, 2, 3, 4, 5)}, sorted(n)
assert [n['02:67:00:00:00:%02x' % i]['listed'] for i in (1, 2, 3, 4, 5)] == [True, True, True, False, False], n
assert [n['02:67:00:00:00:%02x' % i]['state'] for i in (1, 2, 3, 4, 5)] == ['up', 'absent', 'up', 'up', 'up'], n
assert n['02:67:00:00:00:02']['ip'] == '127.0.0.99', n"
check "metrics: ghostwatch_nodes_unlisted 2" test "$(gw_metric "$dir" ghostwatch_nodes_unlisted)" = 2
"$GW" status --once --state-dir "$dir/state" >"$dir/status.txt"
sed 's/^/# /' "$dir/status.txt"
check "status table: the unlisted nodes named under the summary" \
	grep -qx "2 not in the cluster file (serve --cluster), never in the hostfile: 02:67:00:00:00:04 02:67:00:00:00:05" "$dir/status.txt"

# hpl-dat (issue 20 item 5): sized from the inventory of the listed nodes that are up — w1
# (8 cores) and w3 (16 cores), 16 GiB each (the loadgen's); 4 and 5 are not listed: no rank.
# Each keeps 10% (1638 MiB): 29492 MiB usable, 80% of it is N = 55,488 (a multiple of 192);
# 24 ranks on a 4 x 6 grid. w1 alone: N = 39,168, 8 ranks on 2 x 4.
dat_line() { sed -n "${1}p" | awk '{ print $1 }'; }
"$GW" hpl-dat --state-dir "$dir/state" >"$dir/HPL.dat"
sed -n 2p "$dir/HPL.dat" | sed 's/^/# /'
check "hpl-dat: N 55488, NB 192, P x Q 4 x 6 for w1 and w3" \
	test "$(for l in 6 8 11 12; do dat_line $l <"$dir/HPL.dat"; done | tr '\n' ' ')" = "55488 192 4 6 "
check "hpl-dat w1: N 39168 on 2 x 4" \
	test "$("$GW" hpl-dat w1 --state-dir "$dir/state" | sed -n '6p;11p;12p' | awk '{ print $1 }' | tr '\n' ' ')" = "39168 2 4 "
check "hpl-dat --hpcc: hpccinf.txt, HPL's 31 lines and PTRANS's 5" \
	test "$("$GW" hpl-dat --hpcc --state-dir "$dir/state" | wc -l)" = 36
check "hpl-dat for nodes none of which is up: exit 1, said on stderr" \
	bash -c "'$GW' hpl-dat nosuch --state-dir '$dir/state' 2>&1 >/dev/null | grep -q 'no node up'; [ \${PIPESTATUS[0]} = 1 ]"

# wait (issue 20 item 2): by the cluster file's names, else the reported host names.
check "wait 'w[1,3],sim00004': all up, exit 0" "$GW" wait 'w[1,3],sim00004' --timeout 5 --state-dir "$dir/state"
"$GW" wait 'w[1-3]' --timeout 2 --state-dir "$dir/state" >/dev/null 2>"$dir/wait.err"
rc=$?
sed 's/^/# /' "$dir/wait.err"
check "wait 'w[1-3]' --timeout 2: exit 1 after 2 s, naming w2 (its reports were refused: absent)" \
	bash -c "[ $rc = 1 ] && grep -qx 'ghostwatch wait: 2 of 3 up after 2 s; not yet: w2 (absent)' '$dir/wait.err'"
gw_loadgen "$ns" --master-key "$dir/master.key" --protocol 2 --nodes 1 --first 6 --fatal-every 1 >/dev/null
"$GW" wait 'w1,sim00006' --timeout 30 --state-dir "$dir/state" >/dev/null 2>"$dir/wait.err"
rc=$?
sed 's/^/# /' "$dir/wait.err"
check "wait for a node that failed: exit 3 at once, with its error" \
	bash -c "[ $rc = 3 ] && grep -qx 'ghostwatch wait: failed: sim00006: nfs mount timed out' '$dir/wait.err'"
check "wait --state down w1 --timeout 1: exit 1 (w1 is up)" bash -c "'$GW' wait --state down w1 --timeout 1 --state-dir '$dir/state' 2>/dev/null; [ \$? = 1 ]"
check "wait --state sideways: exit 2" bash -c "'$GW' wait --state sideways w1 --state-dir '$dir/state' 2>/dev/null; [ \$? = 2 ]"

# status NODES (issue 19 item 6, issue 20 item 1): a host list of the cluster file's names.
names() { python3 -c 'import json, sys; print(" ".join(x["node"][-2:] for x in json.load(sys.stdin)["nodes"]))'; }
check "status 'w[1,3]' --json: exactly w1 and w3 (by the cluster file's names)" \
	test "$("$GW" status 'w[1,3]' --json --state-dir "$dir/state" | names)" = "01 03"
check "status w1 --once: one node line" \
	test "$("$GW" status w1 --once --state-dir "$dir/state" | grep -c '^02:67')" = 1
"$GW" status 'w[3-1]' --state-dir "$dir/state" >"$dir/bad.out" 2>"$dir/bad.err"
rc=$?
sed 's/^/# /' "$dir/bad.err"
check "status 'w[3-1]': exit 2, the fault shown (byte 6, under its ']'), nothing on stdout" \
	bash -c "[ $rc = 2 ] && grep -q 'bad node list at byte 6' '$dir/bad.err' && [ ! -s '$dir/bad.out' ]"
check "status w1 w2 (a second positional): refused, exit 2" \
	bash -c "'$GW' status w1 w2 --state-dir '$dir/state' >/dev/null 2>'$dir/e'; [ \$? = 2 ] && grep -q \"unexpected argument 'w2'\" '$dir/e'"
check "hostfile --rate 5 (serve's option): refused, exit 2" \
	bash -c "'$GW' hostfile --rate 5 --state-dir '$dir/state' >/dev/null 2>'$dir/e'; [ \$? = 2 ] && grep -q \"unknown option '--rate'\" '$dir/e'"
check "hostfile --json: the same hosts as the text hostfile" bash -c "
	[ \"\$('$GW' hostfile --json --state-dir '$dir/state' | python3 -c 'import json, sys; print(\" \".join(\"%s slots=%d # %s\" % (h[\"address\"], h[\"slots\"], h[\"name\"]) for h in json.load(sys.stdin)[\"hosts\"]))')\" = \"\$(tr '\n' ' ' <'$dir/hostfile' | sed 's/ \$//')\" ]"
helps=0
for c in serve status hostfile timeline keygen node-key hostlist forget; do
	"$GW" "$c" --help >"$dir/help" 2>"$dir/help.err" && grep -q "^usage: ghostwatch $c " "$dir/help" && [ ! -s "$dir/help.err" ] && helps=$((helps + 1))
done
check "COMMAND --help: usage on stdout, exit 0, for each of the 8 subcommands ($helps)" test "$helps" = 8
check "ghostwatch -V: 'ghostwatch $(cat VERSION)'" test "$("$GW" -V)" = "ghostwatch $(cat VERSION)"
"$GW" hostfile --state "$dir/state" >"$dir/old.out" 2>"$dir/old.err"
rc=$?
check "the old --state DIR still works where it meant the directory (hostfile, rc $rc), with a warning" \
	bash -c "[ $rc = 0 ] && grep -q '^127.0.0.2 ' '$dir/old.out' && grep -qx 'ghostwatch: --state is deprecated, use --state-dir' '$dir/old.err'"

# Names (issue 20 item 1): the cluster file's, else the reported host name.
"$GW" status --once --state-dir "$dir/state" >"$dir/status.txt"
check "status table: a NAME column with w1, w2, w3 (the cluster file's) and sim00004 (reported)" bash -c "
	[ \"\$(awk '\$1 ~ /^02:67/ { print \$2 }' '$dir/status.txt' | sort | tr '\n' ' ')\" = 'sim00004 sim00005 sim00006 w1 w2 w3 ' ]"
check "status --json: \"name\" beside the reported \"hostname\"" python3 -c "
import json, subprocess
n = {x['node'][-2:]: x for x in json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))['nodes']}
assert (n['01']['name'], n['01']['hostname'], n['04']['name']) == ('w1', 'sim00001', 'sim00004'), n['01']"

# status --state STATES: a filter by state, as wait's --state.
states() { "$GW" status --json --state-dir "$dir/state" "$@" | python3 -c 'import json, sys; print(" ".join(x["name"] + ":" + x["state"] for x in json.load(sys.stdin)["nodes"]))'; }
check "status --state absent: w2 alone" test "$(states --state absent)" = "w2:absent"
check "status --state failed,absent: sim00006 and w2" test "$(states --state failed,absent | tr ' ' '\n' | sort | tr '\n' ' ')" = "sim00006:failed w2:absent "
check "status 'w[1-3]' --state up: w1 and w3" test "$(states 'w[1-3]' --state up)" = "w1:up w3:up"
"$GW" status --state sideways --state-dir "$dir/state" >/dev/null 2>"$dir/e"
rc=$?
check "status --state sideways: exit 2, the states listed" bash -c "[ $rc = 2 ] && grep -q \"'sideways' is not a state (booting, up\" '$dir/e'"
"$GW" status --state "$dir/state" >/dev/null 2>"$dir/e"
rc=$?
check "status --state DIR (the old spelling): exit 2 with the hint --state-dir" bash -c "[ $rc = 2 ] && grep -q 'the state directory is --state-dir now' '$dir/e'"

# forget NODES|MAC (issue 20 item 1): serve drops them and saves; a restart keeps them gone.
"$GW" forget 'w1,sim00005' 02:67:00:00:00:04 --state-dir "$dir/state" >"$dir/forget.out" 2>"$dir/forget.err"
rc=$?
sed 's/^/# /' "$dir/forget.out" "$dir/forget.err"
check "forget 'w1,sim00005' 02:67:00:00:00:04: exit 0, three forgotten, w1 said to come back as absent" bash -c "
	[ $rc = 0 ] && [ \$(grep -c '^forgot ' '$dir/forget.out') = 3 ] &&
	grep -qx 'forgot w1 (02:67:00:00:00:01): listed in the cluster file, shown as absent until it reports' '$dir/forget.out'"
check "status: sim00004 and sim00005 gone, w1 absent" test "$(states | tr ' ' '\n' | sort | tr '\n' ' ')" = "sim00006:failed w1:absent w2:absent w3:up "
check "serve's log says so" grep -q "forgot 3 nodes (ghostwatch forget)" "$dir/serve.log"
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null
check "serve restarts with the list" gw_start "$ns" "$dir" --master-key "$dir/master.key" --cluster "$dir/nodes"
check "after the restart they are still gone (the snapshot, not the log)" \
	test "$(states | tr ' ' '\n' | sort | tr '\n' ' ')" = "sim00006:failed w1:absent w2:absent w3:up "
check "forget w2 (listed, never heard from): exit 0, nothing to forget" bash -c "
	'$GW' forget w2 --state-dir '$dir/state' | grep -qx 'w2 (02:67:00:00:00:02): never heard from, nothing to forget (listed in the cluster file)'"
"$GW" forget 'w3,nosuch' --state-dir "$dir/state" >/dev/null 2>"$dir/e"
rc=$?
check "forget 'w3,nosuch': exit 2, nosuch named, w3 not forgotten" \
	bash -c "[ $rc = 2 ] && grep -q \"no node is named 'nosuch'\" '$dir/e' && [ \"\$('$GW' status w3 --json --state-dir '$dir/state' | grep -c '\"state\":\"up\"')\" = 1 ]"
for i in 1 4 5; do boot "$i"; done
check "the forgotten nodes report again: back, as new nodes (one boot each)" python3 -c "
import json, subprocess
n = {x['node'][-2:]: x for x in json.loads(subprocess.check_output(['$GW', 'status', '--json', '--state-dir', '$dir/state']))['nodes']}
assert [(n[i]['state'], n[i]['boots']) for i in ('01', '04', '05')] == [('up', 1)] * 3, n"
check "hostlist expand 'r[1-2]n[01-02],x': one name a line" \
	test "$("$GW" hostlist expand 'r[1-2]n[01-02],x' | tr '\n' ' ')" = "r1n01 r1n02 r2n01 r2n02 x "
check "hostlist compress (names on stdin): 'n[01-03],w[1-3,7]'" \
	test "$(printf 'w3 w1\nw2 w7\nn01 n02 n03\n' | "$GW" hostlist compress)" = "n[01-03],w[1-3,7]"
check "hostlist compress 'bad name': exit 1" bash -c "echo 'w_1' | '$GW' hostlist compress 2>/dev/null; [ \$? = 1 ]"

# Without --cluster (the control: what the flag changes): every node that reports is in the
# hostfile, w2 with the address its reports came from, whatever the cluster file says.
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null
check "serve restarts without --cluster" gw_start "$ns" "$dir" --master-key "$dir/master.key"
boot 2
"$GW" hostfile --state-dir "$dir/state" >"$dir/hostfile2"
check "without it: w2 (127.0.0.3) and the unlisted nodes are in the hostfile" \
	test "$(cut -d' ' -f1 "$dir/hostfile2" | tr '\n' ' ')" = "127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 127.0.0.6 "
check "... and nothing is marked unlisted (the list left the state directory)" \
	bash -c "[ ! -e '$dir/state/cluster' ] && [ \$('$GW' status --json --state-dir '$dir/state' | grep -c '\"listed\":false') = 0 ]"
check "ghostwatch still running, no sanitizer report" bash -c "kill -0 $GW_PID && ! grep -q 'Sanitizer' '$dir/serve.log' '$dir/serve.all.log'"
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null
"$GW" forget sim00001 --timeout 1 --state-dir "$dir/state" >/dev/null 2>"$dir/e"
rc=$?
check "forget with no serve running: exit 1 after --timeout 1, said, the request withdrawn" bash -c "
	[ $rc = 1 ] && grep -q 'serve did not answer within 1 s' '$dir/e' && [ -z \"\$(ls '$dir/state/forget.d')\" ]"
tap_done
