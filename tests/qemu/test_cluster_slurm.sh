#!/bin/bash
# heavy: two Debian workers booted twice each under TCG with systemd and Slurm, 4–6 minutes
# `make cluster`'s story with 2 workers (netboot/cluster/up-story.sh), HPL left to the demo:
# the debootstrap'd Debian root (systemd, sshd, Open MPI, slurmd configless, munge) exported
# read-only; the workers start powered off. First contact: `ghostwatch power on` wakes both by
# Wake-on-LAN (the harness resumes a paused QEMU when its magic packet crosses the bridge),
# they PXE-boot onto the root under their own overlays; slurm-nodes' lines must equal each
# node's `slurmd -C`; slurmctld starts on them and both slurmd register. Idle, Slurm suspends
# them: `ghostwatch power off` over ssh, systemd hands over to ghostinit's shutdown (Wake-on-LAN
# armed), ghostwatch sees them down. A job (srun mpi_ring) makes Slurm resume both through
# Wake-on-LAN; it runs a rank on each. Then w2's QEMU is killed: ghostwatch has it lost and
# slurm-sync has Slurm set it DOWN with ghostwatch's reason (seconds printed; Slurm alone:
# SlurmdTimeout, 300 s by default). For make check's time: SuspendTime=10 (the demo: 30), and
# the demo's last act (the others suspended again once idle) is left out: step 3 showed it.
# The first run builds the root with debootstrap from Debian's archive (a few minutes).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
out=$(realpath -m build/test-tmp/cluster-slurm)
d=$out/demo
rm -rf "$d"
mkdir -p "$out"
# The Debian root, the master's ssh key and the munge key are kept between runs (mkroot.sh
# rebuilds the root only when its inputs change): the test reuses the demo's when they exist.
if [ -d build/cluster/debian-root ] && [ ! -e "$out/debian-root" ]; then
	cp -a build/cluster/ssh "$out/ssh" 2>/dev/null && cp -a build/cluster/munge.key "$out/munge.key" 2>/dev/null &&
		cp -a build/cluster/debian-root "$out/debian-root"
fi
start=$SECONDS
HPL_PERCENTS= SLURM_SUSPEND_TIME=10 STORY_LAST_SUSPEND=0 CLUSTER_OUT=$out timeout 1100 netboot/cluster/up.sh --once --root debian --workers 2 --timeout 540 >"$out/up.log" 2>&1
rc=$?
check "up.sh --once --root debian with 2 workers exits 0 ($((SECONDS - start)) s)" [ "$rc" -eq 0 ]
grep -E '^cluster: ( *[0-9]\. |   .* after |w[0-9]: )' "$out/up.log" | sed 's/^cluster: */# /'
check "the shared root: systemd, sshd, the MPI program, slurmd, munge and HPL" bash -c \
	"cd $out/debian-root && [ -x lib/systemd/systemd ] && [ -x usr/sbin/sshd ] && [ -x usr/local/bin/mpi_ring ] && [ -x usr/sbin/slurmd ] && [ -x usr/sbin/munged ] && [ -x usr/bin/hpcc ] && [ ! -s etc/machine-id ]"
check "... its slurmd is configless, from the master" grep -qx 'SLURMD_OPTIONS="--conf-server 10.67.0.1"' "$out/debian-root/etc/default/slurmd"
check "the export is read-only for the nodes" grep -q "Access_Type = RO;" "$d/var/lib/ghostboot/generated/ganesha.conf"
check "slurm.conf exists on the master only" bash -c "[ -f $d/slurm/slurm.conf ] && [ ! -e $out/debian-root/etc/slurm/slurm.conf ]"
fields() { grep -o '\(CPUs\|Boards\|SocketsPerBoard\|CoresPerSocket\|ThreadsPerCore\|RealMemory\)=[0-9]*' | tr '\n' ' '; }
for n in 1 2; do
	log=$d/w$n.console ip=10.67.0.1$n mac=52:54:00:67:62:0$n
	check "w$n: powered on by its magic packet, twice (first contact, then Slurm's resume)" \
		test "$(grep -c "^WAKE $mac resumed" "$d/wol.log")" -eq 2
	check "w$n: PXE-booted through iPXE with its BOOTIF, twice" \
		test "$(grep -ac "ghostboot: cluster demo, $mac is $ip" "$log")" -eq 2 -a "$(grep -ac "BOOTIF=01-52-54-00-67-62-0$n" "$log")" -ge 2
	check "w$n: its own name and machine-id, / an overlay over the read-only NFS root" \
		grep -qE "^NODE w$n machine-id=[0-9a-f]{32} root=overlay lower=10.67.0.1:$out/debian-root,nfs4$" "$d/nodes.info"
	mine=$(grep "^NodeName=w$n " "$d/slurm/slurm.conf" | fields)
	theirs=$(grep "^SLURMD-C NodeName=w$n " "$d/nodes.info" | fields)
	check "w$n: slurm.conf's line (ghostwatch slurm-nodes) equals its slurmd -C ($theirs)" test -n "$mine" -a "$mine" = "$theirs"
	check "w$n: slurm.conf addresses it as the cluster file does" grep -q "^NodeName=w$n NodeAddr=$ip " "$d/slurm/slurm.conf"
	check "w$n: no ordinary user can read its key ($(sed -n "s/^cluster: w$n: key audit: as uid 65534, \([0-9]*\) bytes.* and \([0-9]*\) files.*/\1 bytes, \2 files under \/run searched/p" "$out/up.log"))" \
		grep -q "^cluster: w$n: key audit: as uid 65534, [0-9]* bytes .*: its key in none" "$out/up.log"
	check "w$n: ran its MPI rank, through srun" grep -q "^MPI rank [01] of 2 on w$n$" "$d/mpi.log"
	check "w$n: suspended cleanly: systemd handed over to ghostinit, which armed Wake-on-LAN (virtio-net has none: said so) and powered off" bash -c \
		"grep -aq 'ghostinit: shutdown: .* 0 hung, 0 left' $log && grep -aq 'ghostinit: shutdown: cannot set Wake-on-LAN g on' $log && grep -aq 'ghostinit: shutdown: poweroff after' $log && grep -aq 'reboot: Power down' $log"
done
check "first contact: both up, then each node's sshd" grep -q "^cluster:    w\[1-2\] up in ghostwatch after" "$out/up.log"
check "both slurmd fetched slurm.conf and registered: idle" grep -q "^cluster:    every slurmd fetched slurm.conf from slurmctld and registered after .*w1:idle w2:idle" "$out/up.log"
# (Slurm suspends each node SuspendTime after it went idle: one call for both, or one each.)
suspends=$(sed '/slurm-resume/q' "$d/slurm/power.log")
check "Slurm suspended both when idle: slurm-suspend (ghostwatch power off over ssh) asked each, exit 0, both down in ghostwatch" bash -c \
	"grep -qx 'w1: off: ssh poweroff: asked 10.67.0.11' <<<'$suspends' && grep -qx 'w2: off: ssh poweroff: asked 10.67.0.12' <<<'$suspends' &&
	 grep -q 'slurm-suspend .* -> ' <<<'$suspends' && ! grep 'slurm-suspend .* -> ' <<<'$suspends' | grep -qv ' -> 0$' &&
	 grep -q '^cluster:    w\[1-2\] down in ghostwatch after' $out/up.log"
check "the job made Slurm resume both: slurm-resume w[1-2] (Wake-on-LAN, up, registered) exit 0" bash -c \
	"grep -q 'w1: on: magic packet sent to 10.67.0.255 out of br0' $d/slurm/power.log && grep -q 'slurm-resume: w\[1-2\]: up and registered' $d/slurm/power.log && grep -q 'slurm-resume w\[1-2\] -> 0' $d/slurm/power.log"
check "the MPI job went round the ring of 2 ranks" grep -q "MPI ring: token 1 (want 1), allreduce 2 of 2 ranks: OK" "$d/mpi.log"
read -r _ lost down <"$d/pulled" 2>/dev/null
echo "# w2's plug pulled: ghostwatch ${lost:-lost=?} s, Slurm ${down:-down=?} s (goal 15 s; Slurm alone: SlurmdTimeout, 300 s by default)"
check "w2's plug pulled: lost in ghostwatch, DOWN in Slurm with ghostwatch's reason within 60 s" bash -c \
	"grep -q '^w2 lost=[0-9.]* down=[0-9.]*$' $d/pulled && awk '{ sub(\"down=\", \"\", \$3); exit !(\$3 <= 60) }' $d/pulled && grep -q 'slurm-sync: w2: DOWN (ghostwatch: lost: no report in time)' $d/slurm/sync.log"
# Once suspended (step 3), ghostwatch's table shows each node down with its shutdown stages
# (SHUTDN, UMOUNT filled in by its reports; the last error may name /oldroot/run, which the
# boot-link guardian keeps busy on purpose, never an NFS mount), and power status says down.
sed 's/^/# after the suspend: /' "$d/power-suspended"
for n in 1 2; do
	check "w$n suspended: ghostwatch shows it down with its shutdown stages" \
		grep -qE "^52:54:00:67:62:0$n +w$n +10.67.0.1$n +down .* [0-9]+\.[0-9]+ +[0-9]+\.[0-9]+ +- +[0-9]+ +(-|/oldroot/run \(tmpfs: busy\).*) *$" "$d/status-suspended"
	check "... no NFS mount among what could not be unmounted" bash -c "! grep -E '^52:54:00:67:62:0$n ' '$d/status-suspended' | grep -q nfs"
	check "... power status w$n: down (ghostwatch)" grep -qE "^w$n +wol +down \(ghostwatch\)$" "$d/power-suspended"
done
check "w2 lost in ghostwatch's status at the end" grep -qE "^52:54:00:67:62:02 +w2 +10.67.0.12 +lost " "$d/ghostwatch.status"
check "ghostwatch drew the timeline of both nodes' boots and shutdowns" bash -c "grep -q '<svg' $d/timeline.svg && grep -q w1 $d/timeline.svg && grep -q w2 $d/timeline.svg"
machine_ids=$(sed -n 's/.*machine-id=\([0-9a-f]*\).*/\1/p' "$d/nodes.info" | sort -u | wc -l)
check "the two nodes have different machine-ids ($machine_ids)" [ "$machine_ids" -eq 2 ]
check "nothing was written into the shared root" bash -c "[ ! -s $out/debian-root/etc/machine-id ] && [ ! -e $out/debian-root/etc/hostname ]"
tap_done
