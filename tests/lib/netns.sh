# Network namespaces for tests: every namespace and process a test creates is recorded and
# removed on exit, processes by PID (never by name). Source it; uses bash traps.
GB_NETNS=()
GB_PIDS=()

# netns_add NAME: creates the namespace with lo up; removed at exit.
netns_add() {
	ip netns add "$1" || return 1
	GB_NETNS+=("$1")
	ip -n "$1" link set lo up
}

# track_pid PID: killed (TERM, then KILL) at exit.
track_pid() { GB_PIDS+=("$1"); }

netns_cleanup() {
	local pid ns i
	for pid in "${GB_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for i in 1 2 3 4 5 6 7 8 9 10; do
		local alive=0
		for pid in "${GB_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ "$alive" -eq 0 ] && break
		sleep 0.2
	done
	for pid in "${GB_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	for ns in "${GB_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	GB_PIDS=() GB_NETNS=()
}
trap netns_cleanup EXIT
trap 'exit 130' INT TERM

# A namespace name unique to this test run: gb-<tag>-<pid>.
netns_name() { echo "gb-$1-$$"; }
