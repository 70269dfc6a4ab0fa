# NFS-Ganesha as the tests' NFS server, inside a network namespace the test created (the host
# kernel has no nfsd). Source after tests/lib/netns.sh; processes are tracked and stopped by PID.
#
#   nfs_start NS DIR [options]   exports DIR (on ext4: the VFS FSAL needs file handles) and
#                                waits until the server listens; sets NFS_PID
#       --v3            NFSv3 too: rpcbind runs beside Ganesha in a private mount namespace
#                       (own tmpfs /run) only until Ganesha has registered; MNT on TCP 20048
#       --ro            read-only export
#       --clients ADDR  only ADDR may mount (others get "access denied")
#       --keep-rpcbind  with --v3: rpcbind stays up (clients that cannot be given mountport=,
#                       such as klibc's nfsmount in initramfs-tools, ask it for the ports)
#   nfs_stop                     stops the server started last (TERM, then KILL)
#
# The export's pseudo path (NFSv4) is DIR itself, so one path mounts with v3 and v4.
# NFSv3 clients need port=2049,mountport=20048 (there is no rpcbind to ask once the server is
# up) and nolock. Logs and state live in build/nfs/<NS>/.

GB_TOP=${GB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NFS_PID=
NFS_DIR=

. "$GB_TOP/netboot/ganesha-conf.sh"
. "$GB_TOP/netboot/ganesha-start.sh"

nfs_write_config() { # conf export protocols access clients recovery
	ganesha_conf "$2" "$3" "$4" "$5" "$6" >"$1"
}

# nfs_listening NS PORT: true when something listens on TCP PORT in the namespace.
nfs_listening() { ganesha_listening "$@"; }

nfs_start() {
	local ns=$1 export=$2 v3="" access=RW clients="" protocols=4 keep_rpcbind=0 rpcbind up
	shift 2
	while [ $# -gt 0 ]; do
		case $1 in
		--v3) v3=--v3 protocols="3, 4" ;;
		--ro) access=RO ;;
		--clients) clients=$2; shift ;;
		--keep-rpcbind) keep_rpcbind=1 ;;
		*) echo "nfs_start: unknown option $1" >&2; return 2 ;;
		esac
		shift
	done
	export=$(realpath "$export") || return 1
	NFS_DIR=$GB_TOP/build/nfs/$ns
	rm -rf "$NFS_DIR"
	mkdir -p "$NFS_DIR/recovery"
	nfs_write_config "$NFS_DIR/ganesha.conf" "$export" "$protocols" "$access" "$clients" "$NFS_DIR/recovery"
	ganesha_start "$ns" "$NFS_DIR/ganesha.conf" "$NFS_DIR" $v3
	NFS_PID=$GANESHA_PID
	track_pid "$NFS_PID"
	ganesha_wait "$ns" $v3
	up=$?
	if rpcbind=$(ganesha_rpcbind_pid "$NFS_DIR"); then
		track_pid "$rpcbind"
		[ "$keep_rpcbind" -eq 1 ] || kill "$rpcbind" 2>/dev/null
	fi
	if [ "$up" -ne 0 ]; then
		echo "nfs_start: Ganesha did not come up; see $NFS_DIR/ganesha.log" >&2
		return 1
	fi
}

nfs_stop() {
	local pid=$NFS_PID i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	NFS_PID=
}
