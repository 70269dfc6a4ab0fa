#!/bin/bash
# NFS roots end to end: NFS-Ganesha (v3 and v4) in this test's namespace, the worker in QEMU
# with user networking (10.0.2.2 is the namespace's loopback), ghostinit's network stage, then
# the root stage in every command-line form, each reaching the worker's own init and writing a
# file that must appear in the export on the host.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
logs=build/test-logs/qemu
worker_env rootnfs --user
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT" --v3; then ok "Ganesha serves NFSv3 and NFSv4"; else not_ok "Ganesha serves NFSv3 and NFSv4"; fi
v3ports=port=2049,mountport=20048

# form NAME APPEND ROOT-TYPE: one boot; checks the handover, the root's type and the write.
form() {
	local name=$1 append=$2 type=$3 log=$logs/root-nfs-$1.console rc start=$SECONDS
	rm -f "$WORKER_EXPORT/tmp/$name"
	qemu_boot "$log" 150 "$append panic=-1 worker.write=/tmp/$name"
	rc=$?
	check "$name: QEMU powered off by itself (status $rc, $((SECONDS - start))s)" [ "$rc" -eq 0 ]
	check "$name: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
	check "$name: / is $type from 10.0.2.2:$WORKER_EXPORT" grep -qE "WORKER-ROOT 10.0.2.2:$WORKER_EXPORT $type rw,.*$4" "$log"
	check "$name: the worker's file is in the export" grep -q 'written by worker' "$WORKER_EXPORT/tmp/$name"
	check "$name: ghostinit kept for shutdown" grep -q 'WORKER-SHUTDOWN-COPY present' "$log"
}

form nfs4-dracut "root=nfs4:10.0.2.2:$WORKER_EXPORT rw" nfs4 vers=4.2
form nfs-dracut-v3 "root=nfs:10.0.2.2:$WORKER_EXPORT:$v3ports rw" nfs vers=3
form nfs-dracut-v4 "root=nfs:10.0.2.2:$WORKER_EXPORT:vers=4.1,rw" nfs4 vers=4.1
form kernel-v3 "root=/dev/nfs nfsroot=10.0.2.2:$WORKER_EXPORT,$v3ports rw" nfs vers=3
form kernel-dhcp-server "root=/dev/nfs nfsroot=$WORKER_EXPORT,vers=4.2 rw" nfs4 vers=4.2
form legacy "root=10.0.2.2:$WORKER_EXPORT:vers=4.0 rw" nfs4 vers=4.0
form nfsroot-only "nfsroot=10.0.2.2:$WORKER_EXPORT,vers=4,rw" nfs4 vers=4.2
check "the kernel form without a server took the DHCP server" grep -q 'ghostinit: root: NFSv4.2 10.0.2.2:' "$logs/root-nfs-kernel-dhcp-server.console"
nfs_stop
tap_done
