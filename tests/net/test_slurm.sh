#!/bin/bash
# Slurm follows what ghostwatch sees (issue 20 item 4), without QEMU: real Debian Slurm 22.05
# and munge in network namespaces the test creates. A master namespace (bridge 10.66.0.1) runs
# ghostwatch serve (per-node keys, --cluster), slurmctld (configless, its slurm.conf generated
# here, node lines from `ghostwatch slurm-nodes`) and slurm-sync; three node namespaces
# (w1-w3, 10.66.0.11-13) each run a slurmd that fetches its configuration from slurmctld
# (--conf-server) and send their reports with the real sender (`ghostinit report`, the
# agent's code built for the host: build/storm/ghostinit), inventory included. One munged with
# its own key serves them all; every Slurm process sees its socket at the default path through
# a private mount namespace (a tmpfs /run), as configless slurmd knows no other before it has
# its configuration. Checked: slurm-nodes equals `slurmd -C` on this machine (the same
# inventory code the nodes run) and every slurmd registers against those lines (a mismatch
# drains it); a node reported failed is DOWN with ghostwatch's reason within seconds (printed);
# one gone silent (slurmd killed, heartbeats stopped) is lost -> DOWN, long before Slurm's own
# SlurmdTimeout (10 s here, 300 by default: both measured); up again -> IDLE; an admin's own
# DRAIN is left alone. Slurm's power-saving programs (netboot/slurm/slurm-resume, -suspend,
# -resume-fail) with `ghostwatch power` stubbed (it records its call): argument handling, the
# wait for ghostwatch's up and then for the new slurmd's registration, and their failures.
# Nothing outside the namespaces is addressed; only our PIDs are stopped.
# alone: it measures the seconds from a node's failure to Slurm's DOWN against a 15 s bound
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
GI=${GHOSTINIT_HOST:-build/storm/ghostinit}
SYNC=${SLURM_SYNC:-netboot/slurm/slurm-sync} # SLURM_SYNC=true: the test without it fails
for t in slurmctld slurmd scontrol sinfo munged jq; do
	command -v "$t" >/dev/null || { echo "1..0 # SKIP $t not installed (deps/packages.txt)"; exit 0; }
done
M=$(netns_name slm)
dir=$(mktemp -d /tmp/gb-slurm.XXXXXX)
chmod 755 "$dir"
trap 'netns_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
netns_add "$M"
ip -n "$M" link add br0 type bridge && ip -n "$M" addr add 10.66.0.1/24 dev br0 && ip -n "$M" link set br0 up
declare -A NS MAC
for i in 1 2 3; do
	NS[w$i]=$(netns_name "sl$i") MAC[w$i]=02:66:00:00:00:0$i
	netns_add "${NS[w$i]}"
	ip -n "$M" link add "v$i" type veth peer name eth0 netns "${NS[w$i]}"
	ip -n "$M" link set "v$i" master br0 up
	ip -n "${NS[w$i]}" addr add "10.66.0.1$i/24" dev eth0
	ip -n "${NS[w$i]}" link set eth0 up
done

# in_ns NS HOST CMD...: CMD in NS with the test's munge socket at the default path, the host
# name HOST (its own UTS namespace) and a private /run. ip, unshare and bash each exec the
# next, so with IN_NS_EXEC set (in a background subshell: bg) CMD keeps the subshell's PID.
in_ns() {
	local ns=$1 host=$2
	shift 2
	${IN_NS_EXEC:+exec} ip netns exec "$ns" unshare --mount --uts --propagation private bash -c '
		mount -t tmpfs gb-run /run && mkdir /run/munge && mount --bind "$1/munge" /run/munge &&
		hostname "$2" && shift 2 && exec "$@"' in_ns "$dir" "$host" "$@"
}
in_master() { in_ns "$M" gbmaster env SLURM_CONF="$dir/slurm.conf" "$@"; }
# bg VAR FUNC ARGS...: FUNC (in_ns, in_master) in the background; VAR gets the PID of the
# program itself (tracked: stopped at exit), not of a shell around it.
bg() {
	local var=$1
	shift
	(IN_NS_EXEC=1 "$@") &
	printf -v "$var" '%s' "$!"
	track_pid "$!"
}

# --- munge: its own key, socket, pid file, log and seed in the test's folder
mkdir -m 0755 "$dir/munge"
dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
chmod 600 "$dir/munge.key"
munged --foreground --force --key-file="$dir/munge.key" --socket="$dir/munge/munge.socket.2" \
	--pid-file="$dir/munge/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munged.seed" \
	>"$dir/munged.out" 2>&1 &
track_pid $!
for _ in $(seq 50); do [ -S "$dir/munge/munge.socket.2" ] && break; sleep 0.1; done
check "munged runs on the test's own key and socket" test -S "$dir/munge/munge.socket.2"

# --- ghostwatch: per-node keys, the cluster's node list
"$GW" keygen --master-key "$dir/master.key" 2>/dev/null
for w in w1 w2 w3; do
	echo "$w ${MAC[$w]} 10.66.0.1${w#w}"
	"$GW" node-key "${MAC[$w]}" --master-key "$dir/master.key" >"$dir/$w.key"
done >"$dir/nodes"
mkdir "$dir/gw"
ip netns exec "$M" "$GW" serve --bind 10.66.0.1 --state-dir "$dir/gw/state" --master-key "$dir/master.key" \
	--cluster "$dir/nodes" >"$dir/gw/serve.log" 2>&1 &
track_pid $!
for _ in $(seq 50); do grep -q "listening on UDP" "$dir/gw/serve.log" && break; sleep 0.1; done
check "ghostwatch serve listens on 10.66.0.1" grep -q "listening on UDP" "$dir/gw/serve.log"
# report W [args] STAGE...: W's reports through the real sender, from W's namespace.
report() {
	local w=$1
	shift
	ip netns exec "${NS[$w]}" "$GI" report --master 10.66.0.1 --mac "${MAC[$w]}" --key-file "$dir/$w.key" "$@"
}
boot() { # boot W [args]: a whole boot, the inventory with the lease and switch-root
	local w=$1
	shift
	report "$w" --inventory eth0 "$@" boot modules link lease root-mounted switch-root heartbeat >"$dir/$w.boot" 2>&1
}
for w in w1 w2 w3; do boot "$w"; done
check "three boots reported, every report acked" bash -c "grep -h '^boot id' $dir/w[123].boot | grep -c 'given up 0' | grep -qx 3"
gw() { "$GW" "$@" --state-dir "$dir/gw/state"; }

# --- slurm-nodes against slurmd -C on this machine: the nodes ran the same inventory code
gw slurm-nodes >"$dir/nodes.conf" 2>"$dir/nodes.err"
sed 's/^/# slurm-nodes: /' "$dir/nodes.conf" "$dir/nodes.err"
slurmd -C | head -1 >"$dir/slurmd-C"
sed 's/^/# slurmd -C: /' "$dir/slurmd-C"
fields() { grep -o '\(CPUs\|Boards\|SocketsPerBoard\|CoresPerSocket\|ThreadsPerCore\|RealMemory\)=[0-9]*' | tr '\n' ' '; }
want=$(fields <"$dir/slurmd-C")
check "slurm-nodes: one line per node, named and addressed as the cluster list says" \
	test "$(awk '{ print $1, $2 }' "$dir/nodes.conf" | tr '\n' ' ')" = \
	"NodeName=w1 NodeAddr=10.66.0.11 NodeName=w2 NodeAddr=10.66.0.12 NodeName=w3 NodeAddr=10.66.0.13 "
same=0
while read -r line; do [ "$(echo "$line" | fields)" = "$want" ] && same=$((same + 1)); done <"$dir/nodes.conf"
check "slurm-nodes: CPUs, Boards, sockets, cores, threads, RealMemory equal slurmd -C's on 3 of 3 ($want)" \
	test -n "$want" -a "$same" = 3

# --- slurmctld (configless; the node lines are slurm-nodes') and one configless slurmd a node
mkdir "$dir/ctld"
cat >"$dir/slurm.conf" <<CONF
ClusterName=gbtest
SlurmctldHost=gbmaster(10.66.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldParameters=enable_configless
StateSaveLocation=$dir/ctld
SlurmctldPidFile=$dir/slurmctld.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdSpoolDir=$dir/%n/spool
SlurmdPidFile=$dir/%n/slurmd.pid
SlurmdLogFile=$dir/%n/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=1
SlurmdTimeout=10
$(cat "$dir/nodes.conf")
PartitionName=all Nodes=ALL Default=YES State=UP
CONF
# Named, not detected: a namespace's fresh /sys has no cgroup mounts, and nothing here uses
# them (proctrack/linuxproc, task/none). Configless: slurmctld serves this file too.
echo "CgroupPlugin=cgroup/v1" >"$dir/cgroup.conf"
bg ctld in_master slurmctld -D -i >"$dir/slurmctld.out" 2>&1
ctld_up() { in_master scontrol ping 2>/dev/null | grep -q UP; }
for _ in $(seq 100); do ctld_up && break; sleep 0.1; done
check "slurmctld answers (scontrol ping)" ctld_up
start_slurmd() { # start_slurmd W: slurmd in W's namespace, its configuration from slurmctld
	mkdir -p "$dir/$1/spool"
	local pid
	bg pid in_ns "${NS[$1]}" "$1" slurmd -D --conf-server 10.66.0.1:16817 >"$dir/$1.slurmd.out" 2>&1
	SLURMD[$1]=$pid
}
declare -A SLURMD
for w in w1 w2 w3; do start_slurmd "$w"; done
# node_state W: Slurm's state and reason of W, "STATE|REASON"
node_state() { in_master sinfo -h -N -n "$1" -o '%T|%E' 2>/dev/null | head -1; }
all_idle() { [ "$(in_master sinfo -h -N -o '%T' | sort -u)" = idle ]; }
for _ in $(seq 150); do all_idle && break; sleep 0.2; done
in_master sinfo -N -o '%N %T %c %X %Y %Z %m %E' | sed 's/^/# sinfo: /'
check "w1-w3 registered from their configuration fetched over the network, IDLE with the lines of slurm-nodes (a line that claimed more than slurmd finds would drain the node)" all_idle
# (its conf-cache is resolved before the node name is known: SlurmdSpoolDir's %n is empty there)
check "configless: the slurmds run on the slurm.conf they fetched (conf-cache), none of their own" \
	cmp -s "$dir/spool/conf-cache/slurm.conf" "$dir/slurm.conf"

# --- slurm-sync: ghostwatch's failed / lost -> DOWN with its reason; up again -> RESUME
bg sync in_master env GHOSTWATCH="$GW" "$SYNC" --interval 1 --state-dir "$dir/gw/state" >"$dir/sync.log" 2>&1
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc | xargs printf '%.1f'; }
# until_state W PATTERN SECONDS: waits until W's "STATE|REASON" matches PATTERN (a glob)
until_state() {
	local end=$((SECONDS + $3)) s
	while [ $SECONDS -le $end ]; do
		s=$(node_state "$1")
		# shellcheck disable=SC2053
		[[ $s == $2 ]] && return 0
		sleep 0.2
	done
	echo "# $1: $s"
	return 1
}
sleep 1.5 # a first pass over the nodes as they are (up: nothing to undo)
t=$(now)
report w1 --error 110 --text "root: mount 10.66.0.1:/srv/root: timed out" boot modules link lease fatal >/dev/null 2>&1
check "w1 reported failed: Slurm has it DOWN with ghostwatch's reason within 15 s" \
	until_state w1 'down*|ghostwatch: failed: root: mount 10.66.0.1:/srv/root: timed out' 15
failed_s=$(since "$t")
echo "# failed -> DOWN: $failed_s s"
t=$(now)
boot w1
check "w1 up again: RESUME, IDLE within 15 s" until_state w1 'idle|none' 15
echo "# up -> IDLE: $(since "$t") s"

# A node dies: w2 (heartbeat 1 s, so lost after 3 beats) stops reporting and its slurmd is
# killed; w3's slurmd is killed too, while ghostwatch still sees w3 up: Slurm alone has to
# notice it (SlurmdTimeout 10 s here, to keep the test short), the anchor of the same run.
boot w2 --heartbeat 1
t=$(now)
kill -KILL "${SLURMD[w2]}" "${SLURMD[w3]}"
check "w2 silent: lost in ghostwatch, DOWN in Slurm with ghostwatch's reason within 15 s" \
	until_state w2 'down*|ghostwatch: lost: no report in time' 15
lost_s=$(since "$t")
echo "# silent -> lost -> DOWN: $lost_s s (ghostwatch: 3 heartbeats of 1 s + 5 s; then the sync, every 1 s)"
t_kill=$t
start_slurmd w2
boot w2
check "w2 up again and its slurmd back: RESUME, IDLE within 15 s" until_state w2 'idle|none' 15

# An admin's own drain is theirs: ghostwatch's failed does not replace it, its up not undo it.
in_master scontrol update NodeName=w1 State=DRAIN Reason="admin: memory test"
report w1 --error 5 --text "modules: e1000e: I/O error" boot modules fatal >/dev/null 2>&1
sleep 3
boot w1
sleep 3
check "w1 drained by an admin, then failed and up again in ghostwatch: still drained, the admin's reason kept" \
	until_state w1 'drained|admin: memory test' 1
check "slurm-sync said why it left w1 alone" grep -q "w1: ghostwatch: failed: modules: e1000e: I/O error, but Slurm already has it out (admin: memory test): left alone" "$dir/sync.log"
check "one scontrol a transition: w1 downed once, resumed once, w2 downed once" \
	test "$(grep -c 'w1: DOWN' "$dir/sync.log") $(grep -c 'w1: up again' "$dir/sync.log") $(grep -c 'w2: DOWN' "$dir/sync.log")" = "1 1 1"
sed 's/^/# sync: /' "$dir/sync.log"

# The anchor, measured, not checked: Slurm by itself, on w3 (slurmd killed with w2's).
left=$((30 - $(since "$t_kill" | cut -d. -f1)))
if until_state w3 'down*|Not responding' "$((left > 0 ? left : 1))" >/dev/null; then
	echo "# Slurm alone (w3): DOWN after $(since "$t_kill") s with SlurmdTimeout=10; through ghostwatch (w2): $lost_s s"
else
	echo "# Slurm alone (w3): not DOWN $(since "$t_kill") s after its slurmd died (SlurmdTimeout=10, pings every 3 s); through ghostwatch (w2): $lost_s s"
fi

# --- Slurm's power-saving programs. ghostwatch power is a stub here (the power backends are
# tested on their own): it records its call; the test plays the node's boot around it.
cat >"$dir/power" <<'STUB'
#!/bin/sh
echo "$*" >>"$(dirname "$0")/power.log"
[ ! -e "$(dirname "$0")/power.fail" ]
STUB
chmod 755 "$dir/power"
prog() { # prog NAME [ENV=V...] ARGS...: one of netboot/slurm's programs, as slurmctld would run it
	local name=$1
	shift
	in_master env GHOSTWATCH="$GW" GHOSTWATCH_POWER="$dir/power" GB_STATE_DIR="$dir/gw/state" \
		"netboot/slurm/$name" "$@"
}
prog slurm-resume >/dev/null 2>&1
rc1=$?
prog slurm-resume 'w[1-' >/dev/null 2>&1
check "slurm-resume without a node list, or a bad one: exit 2 ($rc1, $?), nothing powered" \
	bash -c "[ '$rc1 $?' = '2 2' ] && [ ! -e '$dir/power.log' ]"
until_power() { for _ in $(seq 100); do grep -qx "$1" "$dir/power.log" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
report w2 shutdown-begin unmounted reset >/dev/null 2>&1 # w2 powered off (Slurm's suspend)
t=$(now)
RESUME_WAIT=30 bg resume prog slurm-resume w2 >"$dir/resume-w2.log" 2>&1
until_power "on w2" && kill -KILL "${SLURMD[w2]}" && start_slurmd w2 && boot w2
wait "$resume"
rc=$?
sed 's/^/# slurm-resume w2: /' "$dir/resume-w2.log"
check "slurm-resume w2: power on, ghostwatch sees it up, its new slurmd registers: exit 0 ($rc) after $(since "$t") s" \
	bash -c "[ $rc = 0 ] && grep -q 'w2: up and registered' '$dir/resume-w2.log'"
RESUME_WAIT=4 prog slurm-resume w3 >"$dir/resume-w3.log" 2>&1
rc=$?
rc_and_state() { [ "$1" = "$2" ] && until_state "$3" "$4" "$5"; } # rc_and_state RC WANT W PATTERN S
check "slurm-resume w3 (up in ghostwatch, its slurmd dead): exit 1 ($rc) after RESUME_WAIT, DOWN with the reason" \
	rc_and_state "$rc" 1 w3 'down*|ghostwatch: resume: up, slurmd did not register in 4 s' 5
report w3 shutdown-begin unmounted reset >/dev/null 2>&1
RESUME_WAIT=30 bg resume prog slurm-resume w3 >"$dir/resume-w3.log" 2>&1
until_power "on w3" && report w3 --error 19 --text "link: no NIC driver for 8086:10d3" boot modules fatal >/dev/null 2>&1
wait "$resume"
rc=$?
sed 's/^/# slurm-resume w3: /' "$dir/resume-w3.log"
check "slurm-resume w3 whose boot fails: exit 1 ($rc) at once, with ghostwatch's error" \
	bash -c "[ $rc = 1 ] && grep -q 'no NIC driver for 8086:10d3' '$dir/resume-w3.log'"
prog slurm-suspend w2
check "slurm-suspend w2: ghostwatch power off w2 ($?)" grep -qx "off w2" "$dir/power.log"
touch "$dir/power.fail"
prog slurm-suspend w2 2>/dev/null
check "slurm-suspend when power off fails: exit 1 ($?)" test $? = 1
prog slurm-resume-fail w2
check "slurm-resume-fail w2: DOWN with the reason" until_state w2 'down*|ghostwatch: resume failed (ResumeTimeout)*' 5
tap_done
