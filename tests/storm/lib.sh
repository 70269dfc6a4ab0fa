# Boot storm harness: one master namespace (bridge, dnsmasq, ghostwatch) and N client
# namespaces with a veth into its bridge; N clients started at once behind a barrier; per
# node start, end, exit status and output kept for tests/storm/analyse.py. Sources
# tests/lib/{netns,dhcp,ghostwatch}.sh; source it after tests/lib/tap.sh.
#
#   storm_setup N DIR          namespaces, key, dnsmasq (fresh), ghostwatch (state DIR/gw/state)
#   storm_fresh_dhcp           a new dnsmasq with no leases, client addresses flushed
#   storm_launch KIND [ARGS]   KIND ghostboot (ARGS: more command-line words) or ipconfig; all
#                              N at once (each waits inside its namespace for the release);
#                              returns when every client ended (each is bounded)
#   storm_analyse KIND         prints the figures of the last launch of KIND (key=value lines
#                              in DIR/KIND/summary)
GB_TOP=${GB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$GB_TOP/tests/lib/netns.sh"
. "$GB_TOP/tests/lib/dhcp.sh"
. "$GB_TOP/tests/lib/ghostwatch.sh"
STORM_AGENT=${STORM_AGENT:-$GB_TOP/build/storm/ghostinit}
IPCONFIG=${IPCONFIG:-/usr/lib/klibc/bin/ipconfig}
STORM_CLIENT_LIMIT=${STORM_CLIENT_LIMIT:-120} # s: a client still running then is stuck
STORM_N=0 STORM_DIR= STORM_MASTER=

# The host's cores stand in for N + 1 machines. Under the default scheduler N nodes woken at
# once were interleaved in slices, the nodes that woke last ran first (a sleeper's credit) and
# the master waited behind them all: the tail measured this host's scheduler (nodes that
# started first sent their DISCOVER 0.5-0.7 s later, runnable all along; dnsmasq's receive
# buffer overflowed while 256 nodes ran). So every simulated node is SCHED_FIFO at one
# priority: a node's CPU work runs to its next wait without another node cutting in, as on
# its own CPU; and the master's daemons are real-time above them, as on the master's own.
# Bounded: each node's work between waits is a few ms, and the kernel's real-time throttling
# (sched_rt_runtime_us) leaves the host 5 % in any case.
# Where real-time scheduling is not allowed (no CAP_SYS_NICE, a container's RT budget of 0) the
# storm runs under the default scheduler, and says so: its figures are then the host's.
STORM_CLIENT_PRIO=1
if chrt --fifo "$STORM_CLIENT_PRIO" true 2>/dev/null; then
	STORM_CLIENT_SCHED=(chrt --fifo "$STORM_CLIENT_PRIO")
else
	STORM_CLIENT_SCHED=()
	echo "# storm: real-time scheduling refused here: nodes and master share the default scheduler"
fi
storm_master_priority() {
	[ "${#STORM_CLIENT_SCHED[@]}" -eq 0 ] || chrt --rr --pid $((STORM_CLIENT_PRIO + 1)) "$1"
}

storm_client_ns() { echo "gb-s$1-$$"; }
storm_mac() { printf '02:57:00:00:%02x:%02x' $(($1 >> 8)) $(($1 & 255)); }

storm_setup() {
	STORM_N=$1 STORM_DIR=$2
	STORM_MASTER=$(netns_name smaster)
	# More than 250 clients need more than a /24: 10.77.0.0/16, leases from 10.77.1.0 on.
	dhcp_master "$STORM_MASTER" 16 || return 1
	local i
	for i in $(seq 1 "$STORM_N"); do
		dhcp_client_ns "$STORM_MASTER" "$(storm_client_ns "$i")" "s$i" veth0 "$(storm_mac "$i")" || return 1
		# No IPv6 link-local on the clients: N links coming up at once would flood the bridge
		# with DAD, router solicitations and MLD (N x N deliveries) during the first round
		# only; both DHCP clients here are IPv4.
		ip -n "$(storm_client_ns "$i")" link set veth0 addrgenmode none || return 1
		# Isolated bridge ports: a node's broadcasts reach the master only, not the N - 1 other
		# simulated nodes. On real hardware each node drops the others' DISCOVERs on its own
		# CPU; here all N would share this host's cores (N x N deliveries queued in front of
		# the master's copy). The master's broadcasts still reach every node.
		bridge -n "$STORM_MASTER" link set dev "s$i" isolated on || return 1
	done
	mkdir -p "$STORM_DIR/gw"
	gw_key "$STORM_DIR/key"
	storm_fresh_dhcp || return 1
	# Every address, so that acks leave from 10.77.0.1, where the nodes sent (the DHCP server).
	gw_start "$STORM_MASTER" "$STORM_DIR/gw" --key "$STORM_DIR/key" --bind 0.0.0.0 && storm_master_priority "$GW_PID"
}

# --no-ping: dnsmasq would otherwise hold each new address's OFFER about 3 s for an ICMP
# check, which measures dnsmasq's caution, not the clients. --dhcp-rapid-commit as the
# cluster's own dnsmasq configuration has it (netboot/cluster/generate.sh): clients that ask
# for it (ghostinit) get the ACK to their DISCOVER; klibc's ipconfig does not ask. Without
# --log-dhcp (a master's default): its dozens of lines per packet slowed dnsmasq so much
# that its receive buffer overflowed in a storm; the packet lines counted here remain.
storm_fresh_dhcp() {
	if [ -n "$DNSMASQ_PID" ]; then
		kill -TERM "$DNSMASQ_PID" 2>/dev/null
		wait "$DNSMASQ_PID" 2>/dev/null
	fi
	rm -f "$STORM_DIR/leases"
	local i ns
	for i in $(seq 1 "$STORM_N"); do
		ns=$(storm_client_ns "$i")
		ip -n "$ns" addr flush dev veth0
		ip -n "$ns" link set veth0 up
	done
	DHCP_RANGE=10.77.1.0,10.77.254.254,255.255.0.0,1h DNSMASQ_LOG_DHCP=0 \
		dnsmasq_start "$STORM_MASTER" "$STORM_DIR" --no-ping --dhcp-lease-max=65000 --dhcp-rapid-commit || return 1
	storm_master_priority "$DNSMASQ_PID"
	sleep 2 # carrier and bridge ports settled: every round starts from the same quiet state
}

# STORM_CMD: the command of a client of KIND with its directory D (run after
# `ip netns exec NS sh -c 'mount /run; exec "$@"'`); ARGS: more kernel command-line words.
storm_command() {
	local kind=$1 d=$2
	shift 2
	case $kind in
	ghostboot) STORM_CMD=("$STORM_AGENT" net-up --iface veth0 --root "$d/root" --report
		--cmdline "ip=dhcp ghost.key=$(cat "$STORM_DIR/key") $*") ;;
	ipconfig) STORM_CMD=("$IPCONFIG" -t 60 veth0) ;;
	esac
}

# UDP datagrams the master's kernel dropped because a socket's receive buffer was full
# (RcvbufErrors in its namespace's /proc/net/snmp): DHCP requests dnsmasq never saw.
storm_master_drops() {
	ip netns exec "$STORM_MASTER" awk '$1 == "Udp:" && n++ { print $6 }' /proc/net/snmp
}

storm_launch() {
	local kind=$1 i d ns go=$STORM_DIR/$1.go pids=()
	shift
	rm -rf "${STORM_DIR:?}/$kind" && mkdir -p "$STORM_DIR/$kind"
	storm_master_drops >"$STORM_DIR/$kind/drops.before"
	rm -f "$go" && mkfifo "$go"
	exec 9<>"$go" # the barrier: readers see end-of-file when this, the last writer, closes
	for i in $(seq 1 "$STORM_N"); do
		d=$STORM_DIR/$kind/$i
		ns=$(storm_client_ns "$i")
		mkdir -p "$d/root" "$d/run"
		storm_command "$kind" "$d" "$@"
		(
			exec 9>&-
			# Each client runs SCHED_FIFO (see STORM_CLIENT_PRIO) and is inside its namespace,
			# /run mounted, before the barrier opens: `ip netns exec` and the mount are
			# serialised by the kernel across namespaces (seconds for 256), so done after the
			# release they would spread the starts and load the host with N launchers while
			# the first clients run. The release is then
			# one read() returning and one exec per node. bash for $EPOCHREALTIME (no fork).
			timeout -k 5 "$STORM_CLIENT_LIMIT" "${STORM_CLIENT_SCHED[@]}" ip netns exec "$ns" bash -c '
				d=$0
				mount --bind "$d/run" /run || exit 97
				: >"$d/ready"
				read -r -u 8 _
				exec 8<&-
				echo "$EPOCHREALTIME" >"$d/run/exec_start"
				exec "$@"' "$d" "${STORM_CMD[@]}" 8<"$go" >"$d/out" 2>"$d/err" &
			# The cleanup stops this subshell by PID: the client (timeout passes the signal
			# on to it) goes with it.
			client=$!
			trap 'kill -TERM "$client" 2>/dev/null' TERM INT
			wait "$client"
			status=$?
			start= && read -r start <"$d/run/exec_start" 2>/dev/null # a builtin: no fork while others run
			echo "${start:-$EPOCHREALTIME} $EPOCHREALTIME $status" >"$d/times"
		) &
		pids+=($!)
		track_pid "$!"
	done
	local waited=0
	while [ "$(find "$STORM_DIR/$kind" -name ready | wc -l)" -lt "$STORM_N" ] && [ "$waited" -lt 600 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	echo "$EPOCHREALTIME" >"$STORM_DIR/$kind/released"
	exec 9>&-
	for i in "${pids[@]}"; do wait "$i"; done
	# Heartbeat daemons (ghost.heartbeat=) outlive net-up: stopped at exit by PID.
	local pid
	for pid in $(sed -n "s/^GHOST_HEARTBEAT_PID='\([1-9][0-9]*\)'$/\1/p" "$STORM_DIR/$kind"/*/out); do
		track_pid "$pid"
	done
}

# Heartbeat daemons named in the nodes' state files (root/run/ghostboot/report, last field),
# for an exit that came before storm_launch tracked them.
storm_stop_heartbeats() {
	local f pid
	for f in "$STORM_DIR"/*/*/root/run/ghostboot/report; do
		[ -f "$f" ] || continue
		pid=$(awk '{ print $NF }' "$f")
		[ "${pid:-0}" -gt 1 ] && kill -TERM "$pid" 2>/dev/null
	done
	return 0
}

# Wall-clock ms minus CLOCK_BOOTTIME ms now: converts the nodes' report times (boottime).
storm_clock_offset() {
	python3 -c 'import time; print(round(time.time() * 1000 - time.clock_gettime(time.CLOCK_BOOTTIME) * 1000))'
}

storm_analyse() {
	local kind=$1
	if [ "$kind" = ghostboot ]; then
		"$GW" status --json --state-dir "$STORM_DIR/gw/state" >"$STORM_DIR/$kind/status.json"
		gw_metric "$STORM_DIR/gw" ghostwatch_reports_accepted_total >"$STORM_DIR/$kind/accepted"
		# A v2 boot's first report is logged and acked but tentative until the next one
		# echoes its nonce (docs/protocol.md): received, not lost.
		gw_metric "$STORM_DIR/gw" ghostwatch_reports_tentative_total >"$STORM_DIR/$kind/tentative"
		gw_metric "$STORM_DIR/gw" 'ghostwatch_rejected_total{reason="replayed"}' >"$STORM_DIR/$kind/replayed"
		gw_metric "$STORM_DIR/gw" 'ghostwatch_rejected_total{reason="rate_limited"}' >"$STORM_DIR/$kind/rate_limited"
	fi
	cp "$STORM_DIR/dnsmasq.log" "$STORM_DIR/$kind/dnsmasq.log"
	echo $(($(storm_master_drops) - $(cat "$STORM_DIR/$kind/drops.before"))) >"$STORM_DIR/$kind/master_drops"
	python3 "$GB_TOP/tests/storm/analyse.py" "$STORM_DIR/$kind" "$kind" "$STORM_N" "$(storm_clock_offset)" \
		>"$STORM_DIR/$kind/summary"
}

# storm_value KIND KEY: one figure of the last analysis.
storm_value() { sed -n "s/^$2=//p" "$STORM_DIR/$1/summary"; }
