# shellcheck shell=bash
# The real life of the demo cluster (`make cluster`, the Debian root; sourced by up.sh, which
# has brought the master up and plugged the workers in, powered off). Told in the order an
# admin lives it:
#   1. first contact: `ghostwatch power on` wakes every node by Wake-on-LAN; each boots once,
#      and its inventory report is what slurm.conf's node lines are made of (slurm-nodes);
#   2. slurmctld starts; the nodes' configless slurmd fetch slurm.conf and register;
#   3. idle nodes are suspended by Slurm's power saving (slurm-suspend: `ghostwatch power
#      off`, a clean shutdown through the node's systemd and ghostinit, the NIC armed for
#      Wake-on-LAN): ghostwatch sees them down;
#   4. jobs wake them (slurm-resume: Wake-on-LAN, then ghostwatch's up and slurmd's
#      registration): an MPI job across the nodes, then HPL at two sizes, sized by
#      `ghostwatch hpl-dat`, through srun;
#   5. one node's plug is pulled (its QEMU killed): ghostwatch has it lost, Slurm DOWN with
#      ghostwatch's reason within seconds; the others are suspended once idle;
#   6. ghostwatch draws the timeline of it all (timeline.svg).
# The harness's part (the only simulated one): QEMU has no Wake-on-LAN, so each worker has a
# power supply that keeps a paused QEMU ready (the PC off, its NIC listening), and
# tests/lib/wol_watch.py resumes it when its magic packet crosses the bridge.
# Uses up.sh's variables and functions (ns, dir, out, gw, watch, say, stage, key_audit, ...).

# HPL_PERCENTS: the sizes HPL runs at, as --memory-percent of hpl-dat (the share of the nodes'
# usable memory the matrix takes); empty: no HPL. Under TCG a flop costs ~100 times what it
# does on the real CPU, and hpcc runs its other benchmarks (STREAM, FFT, PTRANS, ...) around
# HPL: the demo's sizes are small. On real nodes the rule's default (80) is the one to run.
HPL_PERCENTS=${HPL_PERCENTS-5 15}
# STORY_LAST_SUSPEND=0: the story ends with the pulled plug, the others left up (the test:
# step 3 has shown a suspend already).
STORY_LAST_SUSPEND=${STORY_LAST_SUSPEND:-1}
HARNESS_MARK="=== ghostboot harness:"

# current_boot LOG: a file with the console of the worker's current boot (since its last
# power-on): LOG itself when it was powered on once.
current_boot() {
	local log=$1 n
	n=$(grep -an "^$HARNESS_MARK" "$log" 2>/dev/null | tail -1 | cut -d: -f1)
	if [ -z "$n" ]; then
		echo "$log"
	else
		tail -n +"$n" "$log" >"$log.now"
		echo "$log.now"
	fi
}

# power_supply I: worker I plugged in. Its QEMU waits paused (-S) for the magic packet; when
# the node powers off (QEMU ends) a new paused one takes its place, until the harness
# unplugs it (TERM). <name>.qemu.pid: the running QEMU (killed to pull the plug).
power_supply() {
	local i=$1 name=${CL_NODE_NAME[$1]} boot=0 q=
	trap '[ -z "$q" ] || kill "$q" 2>/dev/null; exit 0' TERM
	while :; do
		boot=$((boot + 1))
		echo "$HARNESS_MARK $name is off; power-on $boot waits for its magic packet ===" >>"$dir/$name.console"
		(worker_qemu "$i" -S -qmp "unix:$dir/$name.qmp,server=on,wait=off") &
		q=$!
		echo "$q" >"$dir/$name.qemu.pid"
		wait "$q" 2>/dev/null # (a pulled plug: "Killed" is no news)
		sleep 1 # a killed QEMU leaves its QMP socket: the next one makes its own
	done
}

wol_watch_start() {
	local i targets=()
	for i in "${!CL_NODE_NAME[@]}"; do targets+=("${CL_NODE_MAC[$i]}=$dir/${CL_NODE_NAME[$i]}.qmp"); done
	ip netns exec "$ns" python3 tests/lib/wol_watch.py "$CL_INTERFACE" "${targets[@]}" >"$dir/wol.log" 2>&1 &
	track_pid "$!"
	for i in $(seq 50); do grep -q "^WATCHING" "$dir/wol.log" && return 0; sleep 0.1; done
	echo "cluster: the Wake-on-LAN harness did not start; see $dir/wol.log" >&2
	return 1
}

# waiting WHAT CMD...: runs CMD; every 10 s a line of where the workers are. CMD's status.
waiting() {
	local what=$1 p start=$SECONDS next=$((SECONDS + 10))
	shift
	"$@" &
	p=$!
	while kill -0 "$p" 2>/dev/null; do
		sleep 1
		[ "$SECONDS" -ge "$next" ] || continue
		next=$((SECONDS + 10))
		say "   ($what, $((SECONDS - start)) s)$(stages)${slurm_up:+  slurm: $(slurm_states)}"
	done
	wait "$p"
}
gwc() { "$gw" "$@" --state-dir "$watch"; }

# story_first_contact ALL: every node woken and up once; what each is, seen over ssh.
story_first_contact() {
	local all=$1 t=$SECONDS i
	say "1. first contact: ghostwatch power on $all (Wake-on-LAN): each node boots once, and its inventory report tells ghostwatch its hardware"
	ip netns exec "$ns" "$gw" power on "$all" --power-list "$gen/power" --state-dir "$watch" | sed 's/^/cluster:    /'
	if ! waiting "first boot" gwc wait --state up --timeout 400 "$all"; then
		say "   the nodes did not come up: $(stages)"
		return 1
	fi
	say "   $all up in ghostwatch after $((SECONDS - t)) s (switched to the NFS root: its systemd starting)"
	for i in "${!CL_NODE_NAME[@]}"; do
		waiting "sshd on ${CL_NODE_NAME[$i]}" ssh_ready "$i" || { say "   no sshd on ${CL_NODE_NAME[$i]} in 180 s"; return 1; }
	done
	# What each node is (its name and machine-id over one shared read-only root), Slurm's own
	# view of its hardware (slurmd -C, against slurm-nodes below) and who may read its key.
	for i in "${!CL_NODE_NAME[@]}"; do
		# shellcheck disable=SC2086 # ssh_opts is a list
		ip netns exec "$ns" timeout 120 ssh $ssh_opts "root@${CL_NODE_IP[$i]}" \
			'echo "NODE $(hostname) machine-id=$(cat /etc/machine-id) root=$(findmnt -no FSTYPE /) lower=$(findmnt -no SOURCE,FSTYPE /run/ghostboot/lower | tr " " ,)"; slurmd -C | head -1 | sed "s/^/SLURMD-C /"' \
			</dev/null >>"$dir/nodes.info" 2>&1
	done
	sed 's/^/cluster:    /' "$dir/nodes.info"
	for i in "${!CL_NODE_NAME[@]}"; do key_audit "$i" || return 1; done
}

# ssh_ready I: node I's sshd answers (tried every 2 s, 180 s at most).
ssh_ready() {
	local end=$((SECONDS + 180))
	# shellcheck disable=SC2086 # ssh_opts is a list
	until ip netns exec "$ns" timeout 60 ssh $ssh_opts "root@${CL_NODE_IP[$1]}" true </dev/null 2>/dev/null; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 2
	done
}

# story_slurm ALL: slurmctld on the node lines of slurm-nodes; every slurmd registered.
story_slurm() {
	local all=$1 t=$SECONDS
	say "2. slurmctld (configless) on the node lines of ghostwatch slurm-nodes:"
	slurm_master_start || return 1
	grep '^NodeName=' "$dir/slurm/slurm.conf" | sed 's/^/cluster:    /'
	# A registered node is idle (a line claiming more than its slurmd finds would drain it).
	if ! waiting "slurmd registering" slurm_until 120 slurm_all idle; then
		say "   not every slurmd registered: $(slurm_states)"
		return 1
	fi
	say "   every slurmd fetched slurm.conf from slurmctld and registered after $((SECONDS - t)) s: $(slurm_states)"
}
# slurm_all STATE: every node in that Slurm state.
slurm_all() { [ "$(in_slurm sinfo -h -N -o '%T' 2>/dev/null | sort -u)" = "$1" ]; }

# story_suspend NODES WHY: Slurm suspends the idle NODES; ghostwatch sees them down.
story_suspend() {
	local nodes=$1 t=$SECONDS
	say "$2: idle for SuspendTime=${SLURM_SUSPEND_TIME} s, Slurm suspends $nodes (slurm-suspend: ghostwatch power off, a clean shutdown through systemd and ghostinit, Wake-on-LAN armed)"
	if ! waiting "suspending" gwc wait --state down --timeout $((SLURM_SUSPEND_TIME + 240)) "$nodes"; then
		say "   not down: $(stages)"
		return 1
	fi
	say "   $nodes down in ghostwatch after $((SECONDS - t)) s; Slurm: $(slurm_states)"
	# What an admin sees now: ghostwatch's table (shutdown stages) and the power state.
	gwc status --once >"$dir/status-suspended" 2>&1
	"$gw" power status "$nodes" --power-list "$gen/power" --state-dir "$watch" >"$dir/power-suspended" 2>&1
	say "   ghostwatch power status: $(awk '{ printf "%s%s %s", NR > 1 ? ", " : "", $1, $3 }' "$dir/power-suspended")"
}

# story_jobs ALL N: an MPI job, then HPL at the two sizes, each through srun on the N nodes.
story_jobs() {
	local all=$1 n=$2 t=$SECONDS pct
	say "4. a job: srun -N$n mpi_ring. Slurm resumes the suspended nodes (slurm-resume: Wake-on-LAN, ghostwatch up, slurmd registered), then runs it"
	if ! waiting "job 1: resuming $all" srun_to "$dir/mpi.log" -N"$n" --ntasks-per-node=1 --chdir=/tmp /usr/local/bin/mpi_ring ||
		! grep -q "MPI ring: .*: OK" "$dir/mpi.log"; then
		sed 's/^/cluster:    srun: /' "$dir/mpi.log" | tail -20
		return 1
	fi
	sed 's/^/cluster:    /' "$dir/mpi.log"
	say "   submitted to done: $((SECONDS - t)) s (the nodes' boot included)"
	for pct in $HPL_PERCENTS; do story_hpl "$n" "$pct" || return 1; done
}

# srun_to FILE ARGS...: srun ARGS on the master, its output (the tasks' too) in FILE; 30 min
# at most.
srun_to() {
	local file=$1
	shift
	in_slurm timeout 1800 srun "$@" >"$file" 2>&1
}

# story_hpl N PERCENT: HPL (hpcc) on the N nodes, HPL.dat from hpl-dat --memory-percent.
story_hpl() {
	local n=$1 pct=$2 inf=$dir/hpccinf-$2.txt res=$dir/hpl-$2.out size gflops t=$SECONDS
	gwc hpl-dat --hpcc --memory-percent "$pct" >"$inf" 2>"$inf.err" || {
		sed 's/^/cluster:    hpl-dat: /' "$inf.err"
		return 1
	}
	size=$(awk 'NR == 6 { n = $1 } NR == 8 { nb = $1 } NR == 11 { p = $1 } NR == 12 { q = $1 } END { print "N=" n " NB=" nb " P*Q=" p "x" q }' "$inf")
	say "   HPL at ${pct}% of the usable memory ($size), srun -N$n hpcc"
	# hpcc reads hpccinf.txt in its directory and rank 0 appends to hpccoutf.txt there: both
	# on the node (/tmp, its overlay; the file of an earlier run removed); rank 0 prints the
	# result back through srun.
	HPCCINF=$(cat "$inf") waiting "HPL" srun_to "$res" -N"$n" --ntasks-per-node=1 --chdir=/tmp \
		sh -c 'rm -f hpccoutf.txt && printf "%s\n" "$HPCCINF" >hpccinf.txt && hpcc && if [ "$SLURM_PROCID" = 0 ]; then cat hpccoutf.txt; fi'
	gflops=$(sed -n 's/^HPL_Tflops=//p' "$res" | head -1)
	if [ -z "$gflops" ]; then
		tail -20 "$res" | sed 's/^/cluster:    hpcc: /'
		return 1
	fi
	gflops=$(awk -v t="$gflops" 'BEGIN { printf "%.3f", t * 1000 }')
	echo "$pct $size GFLOPS=$gflops" >>"$dir/hpl.results"
	say "   HPL: $gflops GFLOPS ($size; the job took $((SECONDS - t)) s)"
}

# story_pull_plug I: worker I's QEMU killed; seconds until lost in ghostwatch, DOWN in Slurm.
story_pull_plug() {
	local i=$1 name=${CL_NODE_NAME[$1]} t lost=
	say "5. $name's plug is pulled (its QEMU killed, no shutdown)"
	t=$(date +%s.%N)
	kill -KILL "$(cat "$dir/$name.qemu.pid")"
	slurm_until 120 node_down_lost "$name" &
	local p=$!
	until [ -n "$lost" ] || ! kill -0 "$p" 2>/dev/null; do
		gwc status --once --state lost 2>/dev/null | grep -qw "$name" && lost=$(elapsed "$t")
		sleep 0.2
	done
	if ! wait "$p"; then
		say "   Slurm did not set $name DOWN: $(slurm_node "$name")"
		return 1
	fi
	say "   ghostwatch: $name lost after ${lost:-?} s; Slurm: DOWN (\"$(slurm_node "$name" | cut -d'|' -f2)\") after $(elapsed "$t") s (Slurm alone: SlurmdTimeout, 300 s by default)"
	echo "$name lost=${lost:-} down=$(elapsed "$t")" >"$dir/pulled"
}
node_down_lost() { [[ $(slurm_node "$1") == down*"|ghostwatch: lost"* ]]; }
elapsed() { awk -v t0="$1" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f", t1 - t0 }'; }

story() {
	local all n=${#CL_NODE_NAME[@]} rest
	all=$("$gw" hostlist compress "${CL_NODE_NAME[@]}")
	rest=$("$gw" hostlist compress "${CL_NODE_NAME[@]:0:n-1}")
	slurm_munge_start || return 1
	story_first_contact "$all" || return 1
	story_slurm "$all" || return 1
	story_suspend "$all" "3. no job yet" || return 1
	story_jobs "$all" "$n" || return 1
	if [ "$once" -eq 0 ] && [ -t 0 ]; then
		# Interactive: the cluster is the user's until Enter.
		say "the cluster is up; jobs wake the nodes: ip netns exec $ns unshare ... (see up-slurm.sh's in_slurm); status:"
		say "    ip netns exec $ns $gw status --state-dir $watch"
		read -r -p "cluster: press Enter to go on (a plug pulled, the rest suspended) " _
	fi
	if [ "$n" -gt 1 ]; then
		story_pull_plug $((n - 1)) || return 1
		[ "$STORY_LAST_SUSPEND" = 0 ] || story_suspend "$rest" "6. the others" || return 1
	else
		[ "$STORY_LAST_SUSPEND" = 0 ] || story_suspend "$all" "6. done" || return 1
	fi
	gwc timeline "$dir/timeline.svg" && say "ghostwatch's timeline of it all: $dir/timeline.svg"
}

# story_verdict I: what worker I lived, in one line; 1 when a part is missing.
story_verdict() {
	local i=$1 n=${CL_NODE_NAME[$1]} log=$dir/${CL_NODE_NAME[$1]}.console woken shutdowns want=2
	woken=$(grep -c "^WAKE ${CL_NODE_MAC[$i]} resumed" "$dir/wol.log")
	shutdowns=$(grep -ac "ghostinit: shutdown: poweroff after" "$log")
	# Suspended after the first contact, and at the end unless its plug was pulled first.
	if grep -q "^$n " "$dir/pulled" 2>/dev/null || [ "$STORY_LAST_SUSPEND" = 0 ]; then want=1; fi
	if [ "$woken" -ge 2 ] && grep -q "on $n\$" "$dir/mpi.log" 2>/dev/null && [ "$shutdowns" -ge "$want" ]; then
		say "$n: woken $woken times by Wake-on-LAN, ran its MPI rank${HPL_PERCENTS:+ and HPL}, $shutdowns clean power-offs through ghostinit$(grep -q "^$n " "$dir/pulled" 2>/dev/null && echo ", its plug pulled")"
	else
		say "$n: did not complete (woken $woken times, $shutdowns clean power-offs; now: $(stage "$log")); see $log"
		return 1
	fi
}
