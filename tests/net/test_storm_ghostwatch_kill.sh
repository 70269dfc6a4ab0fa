#!/bin/bash
# alone: a storm of 32 workers: nothing else may take the cores
# Fault: ghostwatch killed with SIGKILL during a boot storm and restarted with the same state
# directory. 32 simulated workers (net-up --report, ghost.heartbeat=1) are released at once;
# once the first lease report is in ghostwatch, it is frozen and killed by PID 50 ms later,
# and started again 0.5 s after that. Every node must be in its table at the end: those
# acked before the kill from the persisted log, those whose reports fell into the gap from their later
# heartbeats. The clients must not be delayed: each one's ack waits stay within the 200 ms
# budget of docs/protocol.md, and every one leases.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/storm/lib.sh
N=${STORM_CLIENTS:-32}
D=$(dhcp_tmpdir test_storm_gwkill)
# The restarted ghostwatch is started by the killer below; its PID file is read here as well,
# so that an interrupted run stops it too.
trap 'kill -TERM "$(cat "$D/gw2.pid" 2>/dev/null)" 2>/dev/null; storm_stop_heartbeats; netns_cleanup' EXIT

check "$N client namespaces, dnsmasq and ghostwatch" storm_setup "$N" "$D"
# -v: one line per accepted report, the trigger below counts lease reports in it.
kill -TERM "$GW_PID" && wait "$GW_PID" 2>/dev/null
# Real-time above the FIFO clients, as storm_setup starts it: at normal priority it ran only once
# every client had blocked, read the whole storm as one batch, and the kill came after it.
check "ghostwatch restarted with -v" gw_start "$STORM_MASTER" "$D/gw" --key "$D/key" --bind 0.0.0.0 -v
storm_master_priority "$GW_PID"
first_pid=$GW_PID

killer() {
	# The first lease report accepted (followed by inotify, within ms) freezes ghostwatch
	# (SIGSTOP), 50 ms later it is killed: a storm of 32 is over in ~150 ms here, and
	# ghostwatch answers in fsynced batches (the second one held the other 31 reports), so a
	# kill timed by a later count or by polling its log landed after the last report.
	# Frozen, it answers nothing more: the kill comes with reports in flight whatever the
	# host's speed.
	local tail_pid
	# Real-time like ghostwatch (tail and grep inherit it): the FIFO clients would otherwise
	# hold both cores until the storm is over, and the freeze would come after it.
	storm_master_priority "$BASHPID"
	exec 7< <(exec timeout 60 tail -n +1 -f "$D/gw/serve.log")
	tail_pid=$!
	grep -m 1 ' lease ' <&7 >/dev/null
	kill -STOP "$first_pid"
	kill -TERM "$tail_pid" 2>/dev/null
	exec 7<&-
	sleep 0.05
	kill -KILL "$first_pid"
	echo "$EPOCHREALTIME" >"$D/killed"
	# Applied reports only: a boot's opener (protocol v2) is acked but tentative, its node not
	# in the table until a report echoes the nonce.
	grep -v '(tentative' "$D/gw/serve.log" | grep -o '^[0-9a-f:]\{17\}' | sort -u >"$D/acked-before"
	sleep 0.5
	gw_start "$STORM_MASTER" "$D/gw" --key "$D/key" --bind 0.0.0.0 && storm_master_priority "$GW_PID" &&
		echo "$GW_PID" >"$D/gw2.pid"
	echo "$EPOCHREALTIME" >"$D/restarted"
}
killer &
killer_pid=$!
track_pid "$killer_pid"
storm_launch ghostboot ghost.heartbeat=1
wait "$killer_pid"
GW_PID=$(cat "$D/gw2.pid" 2>/dev/null)
[ -n "$GW_PID" ] && track_pid "$GW_PID"
check "ghostwatch was killed and restarted" test -s "$D/restarted" -a -n "$GW_PID"

# Every node back in the table: bounded wait for the heartbeats (1 s apart).
in_table() { "$GW" status --json --state-dir "$D/gw/state" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["nodes"]))'; }
for i in $(seq 1 40); do
	[ "$(in_table)" -ge "$N" ] && break
	sleep 0.5
done
all_back=$EPOCHREALTIME
storm_analyse ghostboot
v() { storm_value ghostboot "$1"; }
before=$(wc -l <"$D/acked-before")
after_kill=$(awk -v k="$(cat "$D/killed")" '$2 > k' "$D"/ghostboot/*/times | wc -l)
unacked=$(grep -l "^GHOST_REPORT_ACKED" "$D"/ghostboot/*/out | while read -r f; do
	[ "$(env_value "$f" GHOST_REPORT_ACKED)" -lt "$(env_value "$f" GHOST_REPORT_SEQ)" ] && echo "$f"
done | wc -l)
echo "# killed after $before nodes had reports accepted; $after_kill clients still running then;" \
	"$unacked clients had reports never acked; time to lease p50/p99/max $(v lease_p50)/$(v lease_p99)/$(v lease_pmax) ms"
check "killed mid-storm: clients still running at the kill ($after_kill), reports unacked ($unacked)" \
	test "$after_kill" -gt 0 -a "$unacked" -gt 0
check "the restarted ghostwatch loaded the nodes saved before the kill ($before)" \
	grep -q "listening on UDP .* \([1-9][0-9]*\) nodes known" "$D/gw/serve.log"
known=$(sed -n 's/.* \([0-9]*\) nodes known.*/\1/p' "$D/gw/serve.log")
check "nodes known at restart ($known) >= nodes acked before the kill ($before)" test "${known:-0}" -ge "$before"
check "every node in ghostwatch's table at the end ($(v in_table)/$N)" test "$(v in_table)" = "$N"
check "every client leased ($(v leased)/$N), none stuck ($(v stuck))" test "$(v leased)" = "$N" -a "$(v stuck)" = 0
check "no client waited more than its 200 ms report budget (max $(v reports_waited_max) ms)" \
	test "$(v reports_waited_max)" -le 200
check "no sanitizer report from either ghostwatch" \
	bash -c "! cat '$D/gw/serve.all.log' '$D/gw/serve.log' | grep -q Sanitizer"
outcome="all $(v in_table)/$N nodes in the table, $((N - known)) back by heartbeat, no client delayed past its 200 ms budget"
[ "$tap_failures" -eq 0 ] || outcome="FAILED: $(v in_table)/$N nodes in the table"
# The fault table's line (tests/lib/fault.sh's format): seconds from the kill to every node known.
echo "# fault: ghostwatch SIGKILL during storm | $outcome | $(awk -v a="$(cat "$D/killed")" -v b="$all_back" 'BEGIN { printf "%.1f", b - a }')"
[ "$tap_failures" -eq 0 ] && rm -rf "$D"
tap_done
