#!/bin/bash
# dracut's bare root forms end to end: root=nfs, root=nfs4 and root=/dev/nfs4, each taking the
# path from a DHCP root-path that a real dnsmasq sends (one form of dracut's TEST-20-NFS per
# worker MAC) or from nfsroot=. One boot per case, each short (the BusyBox worker root powers
# off at once). Ganesha answers on 10.77.0.1 and 10.77.0.2: a root-path naming 10.77.0.2 is
# told apart from the fallback to the DHCP server (10.77.0.1) when the path names none.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/nfs.sh
. tests/lib/worker.sh
logs=build/test-logs/qemu
# The NIC's MAC changes per case (QEMU_NET below); the bridge and its tap are worker_env's.
worker_env dracutforms --bridge 52:54:00:dc:00:01 || exit 1
work=$WORKER_DIR # absolute: dnsmasq changes directory
ns=$QEMU_NETNS
ip -n "$ns" addr add 10.77.0.2/24 dev br0 || exit 1
exp=$WORKER_EXPORT
check "private copy of the worker root to export" worker_root_copy "$exp"
check "a private initramfs of build/ghostinit" worker_initramfs "$QEMU_INITRD"
# NFSv3 too, with rpcbind kept: dracut's bare forms give no port=/mountport=, the kernel asks.
if nfs_start "$ns" "$exp" --v3 --keep-rpcbind; then ok "Ganesha serves the root (v3 and v4)"; else not_ok "Ganesha serves the root (v3 and v4)"; fi

# case: name | MAC | command line | root-path ("" = none) | server:path | type | option seen in /proc/mounts
cases=(
	"path-only|52:54:00:dc:00:01|root=nfs|$exp|10.77.0.1:$exp|nfs|vers=3"
	"server-path-opts|52:54:00:dc:00:02|root=nfs4|10.77.0.2:$exp:wsize=4096|10.77.0.2:$exp|nfs4|wsize=4096"
	"proto-server-path-opts|52:54:00:dc:00:03|root=/dev/nfs4|nfs4:10.77.0.2:$exp,wsize=4096|10.77.0.2:$exp|nfs4|wsize=4096"
	"server-path,opts|52:54:00:dc:00:04|root=nfs|10.77.0.2:$exp,wsize=4096|10.77.0.2:$exp|nfs|wsize=4096"
	"nfsroot-path,opts|52:54:00:dc:00:05|root=nfs4 nfsroot=$exp,wsize=4096||10.77.0.1:$exp|nfs4|wsize=4096"
)
dns_args=()
for c in "${cases[@]}"; do
	IFS='|' read -r name mac _ rp _ <<<"$c"
	tag=t${mac##*:}
	dns_args+=("--dhcp-host=$mac,set:$tag")
	[ -z "$rp" ] || dns_args+=("--dhcp-option=tag:$tag,17,$rp")
done
if dnsmasq_start "$ns" "$work" "${dns_args[@]}"; then
	ok "dnsmasq sends one root-path form per worker MAC"
else
	not_ok "dnsmasq sends one root-path form per worker MAC"
fi

for c in "${cases[@]}"; do
	IFS='|' read -r name mac cmd rp want type opt <<<"$c"
	log=$logs/root-dracut-$name.console
	rm -f "$exp/tmp/$name"
	QEMU_NET="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$mac"
	t0=$(now_cs)
	qemu_boot "$log" 150 "$cmd rw panic=-1 worker.write=/tmp/$name"
	rc=$?
	secs=$(echo "$(now_cs) $t0" | awk '{ printf "%.1f", $1 - $2 }')
	label="$cmd${rp:+ (root-path $rp)}"
	check "$label: QEMU powered off by itself (status $rc, ${secs} s)" [ "$rc" -eq 0 ]
	check "$label: ghostinit mounted $want over $type" grep -qE "ghostinit: root: NFSv[0-9.]+ $want \(from (DHCP root-path|nfsroot=)\)" "$log"
	check "$label: / is $type from $want with $opt" grep -qE "WORKER-ROOT $want $type rw,(.*,)?$opt(,|$)" "$log"
	check "$label: the worker's file is in the export" grep -q 'written by worker' "$exp/tmp/$name"
done
nfs_stop
tap_done
