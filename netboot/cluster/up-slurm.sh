# shellcheck shell=bash
# The master's Slurm in the demo cluster of up.sh (sourced by it, after its master is up):
# munged on the demo's own key, slurmctld configless (the workers' slurmd fetch slurm.conf
# from it) with Slurm's power saving through the installed netboot/slurm programs, and
# slurm-sync. Everything runs in the cluster's namespace, as root (an installed master runs
# slurmctld as slurm and the programs through sudo: docs/operate.md, "Slurm").
# Every Slurm program finds munge's socket at its default path, /run/munge/munge.socket.2 —
# a configless slurmd knows no other before it has fetched its configuration, and the file it
# fetches is this one — so the master's run in a private mount namespace whose /run/munge is
# the demo's folder (in_slurm): nothing of this machine's own munge or Slurm is touched.
# Uses up.sh's variables: ns, dir, gen, watch, gw, stage, CL_*.

# The Slurm times of the demo (an installed master keeps docs/operate.md's: SuspendTime=600).
SLURM_SUSPEND_TIME=${SLURM_SUSPEND_TIME:-30}  # idle that long: suspended (powered off cleanly)
SLURM_SUSPEND_TIMEOUT=45 # a clean shutdown of a TCG worker takes 20-30 s
SLURM_RESUME_TIMEOUT=600

# in_slurm CMD...: CMD in the cluster's namespace, its /run private with the demo's munge
# socket at the default path, SLURM_CONF the demo's. ip, unshare, bash and env each exec the
# next: with IN_SLURM_EXEC set (in a background subshell) CMD keeps the subshell's PID.
in_slurm() {
	${IN_SLURM_EXEC:+exec} ip netns exec "$ns" unshare --mount --uts --propagation private bash -c '
		mount -t tmpfs gb-run /run && mkdir /run/munge && mount --bind "$1" /run/munge && shift &&
		hostname master && exec "$@"' in_slurm "$dir/munge" env SLURM_CONF="$dir/slurm/slurm.conf" "$@"
}

# slurm_munge_start: munged on $out/munge.key (the key mkroot.sh put in the workers' root).
slurm_munge_start() {
	mkdir -p -m 0755 "$dir/munge"
	ip netns exec "$ns" munged --foreground --force --key-file="$out/munge.key" \
		--socket="$dir/munge/munge.socket.2" --pid-file="$dir/munge/munged.pid" \
		--log-file="$dir/munged.log" --seed-file="$dir/munged.seed" >"$dir/munged.out" 2>&1 &
	track_pid "$!"
	local i
	for i in $(seq 50); do [ -S "$dir/munge/munge.socket.2" ] && return 0; sleep 0.1; done
	echo "cluster: munged did not start; see $dir/munged.log" >&2
	return 1
}

# slurm_power_program NAME: $dir/slurm/NAME, which runs the installed netboot/slurm/NAME with
# this cluster's paths. slurmctld runs its power-saving programs with an environment of its
# own (SLURM_CONF and little else): what they need is written into them here.
slurm_power_program() {
	local name=$1
	cat >"$dir/slurm/$name" <<EOF
#!/bin/sh
# Slurm's $name for the demo cluster $CL_NAME (written by netboot/cluster/up-slurm.sh).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin GHOSTWATCH=$gw GB_STATE_DIR=$watch SLURM_CONF=$dir/slurm/slurm.conf
export GHOSTWATCH_POWER="$gw power --power-list $gen/power --ssh-config $dir/ssh_config --state-dir $watch"
echo "\$(date +%T) $name \$*" >>$dir/slurm/power.log
$stage/usr/lib/ghostboot/slurm/$name "\$@" >>$dir/slurm/power.log 2>&1
rc=\$?
echo "\$(date +%T) $name \$* -> \$rc" >>$dir/slurm/power.log
exit \$rc
EOF
	chmod 755 "$dir/slurm/$name"
}

# slurm_conf NODE_LINES: the demo's slurm.conf (docs/operate.md's, with the demo's times).
slurm_conf() {
	cat <<EOF
# The demo cluster's slurm.conf (written by netboot/cluster/up-slurm.sh): configless, the
# workers' slurmd fetch it from slurmctld.
ClusterName=$CL_NAME
SlurmctldHost=master($CL_MASTER)
SlurmctldParameters=enable_configless,power_save_interval=2
SlurmUser=root
MailProg=/bin/true
# A task launch starts slurmstepd and PMIx on the node: slow under TCG (default 10 s).
MessageTimeout=60
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/slurm/state
SlurmctldPidFile=$dir/slurm/slurmctld.pid
SlurmctldLogFile=$dir/slurm/slurmctld.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=pmix
ReturnToService=1
# the node lines: ghostwatch slurm-nodes
$1
PartitionName=all Nodes=ALL Default=YES State=UP
# power saving: ghostwatch powers the nodes (Wake-on-LAN here), a clean shutdown to suspend
SuspendProgram=$dir/slurm/slurm-suspend
ResumeProgram=$dir/slurm/slurm-resume
ResumeFailProgram=$dir/slurm/slurm-resume-fail
SuspendTime=$SLURM_SUSPEND_TIME
SuspendTimeout=$SLURM_SUSPEND_TIMEOUT
ResumeTimeout=$SLURM_RESUME_TIMEOUT
EOF
}

# slurm_master_start: slurmctld on the node lines of `ghostwatch slurm-nodes` (every node must
# have booted once: its inventory), then slurm-sync. 1 when slurmctld does not answer.
slurm_master_start() {
	local lines p i
	lines=$("$gw" slurm-nodes --state-dir "$watch" 2>"$dir/slurm-nodes.err") || {
		sed 's/^/cluster: /' "$dir/slurm-nodes.err" >&2
		return 1
	}
	mkdir -p "$dir/slurm/state"
	: >"$dir/slurm/power.log"
	slurm_conf "$lines" >"$dir/slurm/slurm.conf"
	# Named, not detected: nothing here uses cgroups (proctrack/linuxproc, task/none); the
	# workers' slurmd fetch this file too.
	echo "CgroupPlugin=cgroup/v1" >"$dir/slurm/cgroup.conf"
	for p in slurm-resume slurm-suspend slurm-resume-fail; do slurm_power_program "$p"; done
	(IN_SLURM_EXEC=1 in_slurm slurmctld -D -i) >"$dir/slurm/slurmctld.out" 2>&1 &
	track_pid "$!"
	for i in $(seq 100); do
		in_slurm scontrol ping 2>/dev/null | grep -q UP && break
		sleep 0.2
	done
	in_slurm scontrol ping 2>/dev/null | grep -q UP || {
		echo "cluster: slurmctld does not answer; see $dir/slurm/slurmctld.log" >&2
		return 1
	}
	slurm_up=1
	(IN_SLURM_EXEC=1 in_slurm env GHOSTWATCH="$gw" "$stage/usr/lib/ghostboot/slurm/slurm-sync" --interval 1 \
		--state-dir "$watch") >"$dir/slurm/sync.log" 2>&1 &
	track_pid "$!"
}

# slurm_states: "w1:idle w2:idle~ ..." (sinfo's state of each node, ~ powered down).
slurm_states() { in_slurm sinfo -h -N -o '%N:%T' 2>/dev/null | sort -u | tr '\n' ' '; }
# slurm_node NAME: "STATE|REASON" of one node.
slurm_node() { in_slurm sinfo -h -N -n "$1" -o '%T|%E' 2>/dev/null | head -1; }

# slurm_until SECONDS TEST...: polls TEST every second; 1 when SECONDS pass first.
slurm_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 1
	done
}
