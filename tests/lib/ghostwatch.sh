# ghostwatch for tests: the sanitizer build serving inside the test's namespace, with its
# own state directory. Source after tests/lib/netns.sh.
#
#   gw_key FILE                     writes a random cluster key (64 hex digits)
#   gw_start NS DIR [serve args]    starts serve on 127.0.0.1:7468 in NS, state DIR/state,
#                                   log DIR/serve.log; waits until it listens; GW_PID is set
#                                   (logs of earlier starts: DIR/serve.all.log)
#   gw_metric DIR NAME              prints one value of DIR/state/metrics.prom (after a refresh)
#   gw_loadgen NS [args]            runs ghostwatch-loadgen in NS against that ghostwatch
GW=${GW:-build/host/ghostwatch}
GW_LOADGEN=${GW_LOADGEN:-build/ghostwatch-loadgen}
GW_PID=

gw_key() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$1"; }

gw_start() {
	local ns=$1 dir=$2
	shift 2
	# Each start has a fresh serve.log; earlier ones are kept in serve.all.log.
	[ -f "$dir/serve.log" ] && cat "$dir/serve.log" >>"$dir/serve.all.log"
	: >"$dir/serve.log"
	ip netns exec "$ns" "$GW" serve --bind 127.0.0.1 --port 7468 --state-dir "$dir/state" "$@" \
		>>"$dir/serve.log" 2>&1 &
	GW_PID=$!
	track_pid "$GW_PID"
	local i
	for i in $(seq 1 100); do
		grep -q "listening on UDP" "$dir/serve.log" && return 0
		kill -0 "$GW_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# Metrics are rewritten every 2 s (write + rename): remove the file and wait for the next one,
# so the value read is from after everything the test sent.
gw_metric() {
	local file=$1/state/metrics.prom i
	rm -f "$file"
	for i in $(seq 1 50); do
		[ -f "$file" ] && break
		sleep 0.1
	done
	awk -v n="$2" '$1 == n { print $2 }' "$file"
}

gw_loadgen() {
	local ns=$1
	shift
	ip netns exec "$ns" "$GW_LOADGEN" --target 127.0.0.1:7468 "$@"
}
