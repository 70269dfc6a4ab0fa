#!/bin/bash
# The test NFS server (tests/lib/nfs.sh): NFS-Ganesha comes up in a namespace of this test,
# v4-only on 2049 alone, v3 with MOUNT on 20048 and its helper rpcbind gone afterwards, and
# stops by PID. (The host kernel has no NFS client: mounts are tested in tests/qemu.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/nfs.sh
. tests/lib/worker-root.sh
ns=$(netns_name nfssrv)
netns_add "$ns"
export_dir=build/nfs-export/$ns
check "worker root builds" worker_root_build
check "worker root rebuild is a no-op when nothing changed" bash -c \
	". tests/lib/worker-root.sh; before=\$(stat -c %Y build/worker-root.stamp); worker_root_build; [ \"\$(stat -c %Y build/worker-root.stamp)\" = \"\$before\" ]"
check "worker init is executable" test -x build/worker-root/sbin/init
worker_root_copy "$export_dir"

if nfs_start "$ns" "$export_dir"; then ok "v4-only Ganesha started (pid $NFS_PID)"; else not_ok "v4-only Ganesha started"; fi
check "v4-only: listens on 2049" nfs_listening "$ns" 2049
check "v4-only: no MOUNT port, no portmapper" bash -c "! ip netns exec $ns ss -Hltn | grep -qE ':(20048|111) '"
check "v4-only: export path is the pseudo path" grep -q "Pseudo = $(realpath "$export_dir");" "$NFS_DIR/ganesha.conf"
pid=$NFS_PID
nfs_stop
check "v4-only: stopped by PID" bash -c "! kill -0 $pid 2>/dev/null"

if nfs_start "$ns" "$export_dir" --v3 --ro --clients 10.255.0.1; then ok "v3 Ganesha started (pid $NFS_PID)"; else not_ok "v3 Ganesha started"; fi
check "v3: listens on 2049 and 20048" bash -c "ip netns exec $ns ss -Hltn | grep -q ':2049 ' && ip netns exec $ns ss -Hltn | grep -q ':20048 '"
sleep 0.3
check "v3: rpcbind stopped once Ganesha registered" bash -c "! ip netns exec $ns ss -Hltn | grep -q ':111 '"
check "v3: read-only, client-restricted config" bash -c "grep -q 'Clients = 10.255.0.1; Access_Type = RO' $NFS_DIR/ganesha.conf && grep -q 'Access_Type = None' $NFS_DIR/ganesha.conf"
check "v3: host's /run untouched by rpcbind" bash -c "! [ -S /run/rpcbind.sock ] || [ \"\$(stat -c %Y /run/rpcbind.sock)\" -lt $(date +%s) ]"
pid=$NFS_PID
nfs_stop
check "v3: stopped by PID" bash -c "! kill -0 $pid 2>/dev/null"
rm -rf "$export_dir"
tap_done
