#!/bin/bash
# heavy: two Debian workers PXE-booting with systemd and an MPI job, 4–6 minutes
# `make cluster`'s whole story with 2 workers: the debootstrap'd Debian root (systemd, sshd,
# Open MPI) exported read-only by the master, both workers PXE-booted through iPXE onto it under
# their own overlays, ready in ghostwatch, an MPI job over ssh from ghostwatch's hostfile, then a
# power-off through ghostinit's shutdown with the master showing each node's shutdown stages.
# The first run builds the root with debootstrap from Debian's archive (a few minutes).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
out=$(realpath -m build/test-tmp/cluster-mpi)
d=$out/demo
rm -rf "$d"
mkdir -p "$out"
# The Debian root and the master's ssh key are kept between runs (mkroot.sh rebuilds the root
# only when its inputs change): the test reuses the demo's ones when they exist.
if [ -d build/cluster/debian-root ] && [ ! -e "$out/debian-root" ]; then
	cp -a build/cluster/ssh "$out/ssh" 2>/dev/null && cp -a build/cluster/debian-root "$out/debian-root"
fi
start=$SECONDS
CLUSTER_OUT=$out timeout 1100 netboot/cluster/up.sh --once --root debian --workers 2 --timeout 540 >"$out/up.log" 2>&1
rc=$?
check "up.sh --once --root debian with 2 workers exits 0 ($((SECONDS - start)) s)" [ "$rc" -eq 0 ]
sed -n 's/^cluster: \(w[0-9]: PXE-booted.*\)/# \1/p' "$out/up.log"
check "the shared root is a Debian root with systemd, sshd and the MPI program" bash -c \
	"[ -x $out/debian-root/lib/systemd/systemd ] && [ -x $out/debian-root/usr/sbin/sshd ] && [ -x $out/debian-root/usr/local/bin/mpi_ring ] && [ ! -s $out/debian-root/etc/machine-id ]"
check "the export is read-only for the nodes" grep -q "Access_Type = RO;" "$d/var/lib/ghostboot/generated/ganesha.conf"
for n in 1 2; do
	log=$d/w$n.console ip=10.67.0.1$n
	check "w$n: PXE-booted through iPXE with its BOOTIF" bash -c "grep -aq 'ghostboot: cluster demo, 52:54:00:67:62:0$n is $ip' $log && grep -aq 'BOOTIF=01-52-54-00-67-62-0$n' $log"
	check "w$n: systemd came up on the NFS root and the node said it is ready" grep -aq "GHOSTBOOT-NODE-READY w$n" "$log"
	check "w$n: its own name and machine-id, / an overlay over the read-only NFS root" \
		grep -qE "^NODE w$n machine-id=[0-9a-f]{32} root=overlay lower=10.67.0.1:$out/debian-root,nfs4$" "$d/nodes.info"
	check "w$n: ran its MPI rank" grep -q "^MPI rank [01] of 2 on w$n$" "$d/mpi.log"
	# On the real Debian root (systemd, journald, sshd running): issue 17's non-root user.
	check "w$n: no ordinary user can read its key ($(sed -n "s/^cluster: w$n: key audit: as uid 65534, \([0-9]*\) bytes.* and \([0-9]*\) files.*/\1 bytes, \2 files under \/run searched/p" "$out/up.log"))" \
		grep -q "^cluster: w$n: key audit: as uid 65534, [0-9]* bytes .*: its key in none" "$out/up.log"
	check "w$n: shut down through ghostinit (unmounted, powered off)" bash -c \
		"grep -aq 'ghostinit: shutdown: .* 0 hung, 0 left' $log && grep -aq 'ghostinit: shutdown: poweroff after' $log && grep -aq 'reboot: Power down' $log"
	# STATE down, and the shutdown stages' times (SHUTDN, UMOUNT) filled in by the reports
	# (then LINK speed, GUARD restores, LAST ERROR).
	# The last error may name /oldroot/run: the boot-link guardian (running from
	# /run/initramfs, spared to the end on purpose) keeps that tmpfs busy, so it is detached.
	# Nothing on NFS may be named there.
	check "w$n: ghostwatch shows it down with its shutdown stages" \
		grep -qE "^52:54:00:67:62:0$n +w$n +$ip +down .* [0-9]+\.[0-9]+ +[0-9]+\.[0-9]+ +- +[0-9]+ +(-|/oldroot/run \(tmpfs: busy\).*) *$" "$d/ghostwatch.status"
	check "w$n: no NFS mount among what could not be unmounted" \
		bash -c "! grep -E '^52:54:00:67:62:0$n ' '$d/ghostwatch.status' | grep -q nfs"
done
check "the hostfile came from ghostwatch: both nodes, one slot each" bash -c \
	"[ \"\$(cat $d/hostfile.names)\" = \"\$(printf '10.67.0.11 slots=1 # w1\n10.67.0.12 slots=1 # w2')\" ]"
check "the MPI job went round the ring of 2 ranks" grep -q "MPI ring: token 1 (want 1), allreduce 2 of 2 ranks: OK" "$d/mpi.log"
machine_ids=$(sed -n 's/.*machine-id=\([0-9a-f]*\).*/\1/p' "$d/nodes.info" | sort -u | wc -l)
check "the two nodes have different machine-ids ($machine_ids)" [ "$machine_ids" -eq 2 ]
check "nothing was written into the shared root" bash -c "[ ! -s $out/debian-root/etc/machine-id ] && [ ! -e $out/debian-root/etc/hostname ]"
tap_done
