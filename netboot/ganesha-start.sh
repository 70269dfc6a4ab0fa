# The one way ghostboot starts NFS-Ganesha, for the cluster's master (netboot/cluster/up.sh) and
# the tests' servers (tests/lib/nfs.sh): in the foreground inside a network namespace, so that
# the caller owns it by PID (no daemon to find by name). Source it.
#
#   ganesha_start NS CONF DIR [--v3]   starts ganesha.nfsd on CONF in the background and sets
#                                      GANESHA_PID; its log, output and pid file go to DIR
#       --v3   Ganesha refuses to start with NFSv3 unless it can register with a portmapper:
#              rpcbind runs beside it in a private mount namespace (its own tmpfs /run, so its
#              socket stays away from the host's); its PID is written to DIR/rpcbind.pid
#   ganesha_listening NS PORT          true when something listens on TCP PORT in NS
#   ganesha_wait NS [--v3]             waits (10 s at most) until Ganesha listens on 2049 (and
#                                      MNT on 20048 with --v3) or has exited; true when 2049 listens
#   ganesha_rpcbind_pid DIR            prints the PID of the rpcbind started with --v3
#
# Once Ganesha has registered, clients that name the ports (port=2049,mountport=20048) never
# ask rpcbind: the callers stop it then, unless a client must ask it.

GANESHA_PID=

ganesha_start() {
	local ns=$1 conf=$2 dir=$3
	rm -f "$dir/rpcbind.pid" # an old run's PID names another process by now
	if [ "${4:-}" = --v3 ]; then
		# The shell execs Ganesha, so GANESHA_PID is Ganesha's own PID.
		ip netns exec "$ns" unshare -m --propagation private sh -c '
			mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/rpcbind /run/ganesha || exit 1
			rpcbind -f -w & echo $! >"$2/rpcbind.pid"
			i=0; until [ -S /run/rpcbind.sock ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
			exec ganesha.nfsd -F -f "$1" -L "$2/ganesha.log" -p /run/ganesha/ganesha.pid -N NIV_EVENT
		' sh "$conf" "$dir" >"$dir/ganesha.stdout" 2>&1 &
	else
		ip netns exec "$ns" ganesha.nfsd -F -f "$conf" -L "$dir/ganesha.log" \
			-p "$dir/ganesha.pid" -N NIV_EVENT >"$dir/ganesha.stdout" 2>&1 &
	fi
	GANESHA_PID=$!
}

ganesha_listening() { ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q LISTEN; }

ganesha_wait() {
	local ns=$1 v3=${2:-} i
	for i in $(seq 1 100); do
		if ganesha_listening "$ns" 2049 && { [ "$v3" != --v3 ] || ganesha_listening "$ns" 20048; }; then
			break
		fi
		kill -0 "$GANESHA_PID" 2>/dev/null || break
		sleep 0.1
	done
	ganesha_listening "$ns" 2049
}

ganesha_rpcbind_pid() { [ -s "$1/rpcbind.pid" ] && cat "$1/rpcbind.pid"; }
