#!/bin/bash
# download.sh N: the download phase of a boot storm. N simulated nodes (one network namespace
# each, a veth into the master's bridge, the node's fixed address) fetch what iPXE fetches for
# a node (the kernel, the image's base and virtio parts, the node's key archive) from the
# master's generated servers: the real dnsmasq on the dnsmasq.conf of a `boot tftp` cluster
# (TFTP, the block size iPXE asks for: 1432, its TFTP_MAX_BLKSIZE) and the real lighttpd on the
# lighttpd.conf of the same cluster with `boot http`, all N released at once, one protocol after
# the other. Prints p50/p99/max of each node's time to "everything downloaded", the failures and
# the server's CPU time, and the goal line (every node served, none failing, HTTP p99 at least
# 5 times below TFTP's, measured in the same run). Exits 1 when a node failed.
# The clients are curl (--tftp-blksize as iPXE, HTTP/1.1 as iPXE), one per node fetching its
# four files one after the other.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/netns.sh
. tests/lib/dhcp.sh
N=${1:-64}
BLKSIZE=1432
TIMEOUT=${DOWNLOAD_TIMEOUT:-600} # each file's bound (curl --max-time)
[[ $N =~ ^[1-9][0-9]*$ ]] && [ "$N" -le 1000 ] || { echo "download: N is 1..1000" >&2; exit 2; }
D=$(realpath -m "build/test-tmp/download.$$")
rm -rf "$D" && mkdir -p "$D/root" "$D/out" || exit 1
trap 'netns_cleanup; [ "${keep:-0}" = 1 ] || rm -rf "$D"' EXIT
release=$(cat build/kernel/release 2>/dev/null)
kernel=build/kernel/boot/vmlinuz-$release image=build/initramfs.img
for f in "$kernel" "$image.nic/base.img" "$image.nic/virtio.img" build/ghostwatch; do
	[ -f "$f" ] || { echo "download: $f is missing: run make first" >&2; exit 1; }
done

node_ip() { echo "10.77.$(($1 / 250 + 1)).$(($1 % 250 + 1))"; }
node_mac() { printf '02:58:00:00:%02x:%02x' $(($1 >> 8)) $(($1 & 255)); }
node_ns() { echo "gb-d$1-$$"; }

# The cluster: N nodes with fixed addresses and per-node keys, generated twice (boot tftp, boot
# http) by the real generator, as `ghostboot cluster apply` would.
(umask 077 && build/ghostwatch keygen --master-key "$D/master.key" >/dev/null 2>&1) || exit 1
cluster() { # BOOT
	echo "name storm"
	echo "interface br0"
	echo "subnet 10.77.0.0/16"
	echo "master 10.77.0.1"
	echo "kernel $(realpath "$kernel")"
	echo "initramfs $(realpath "$image")"
	echo "root $D/root"
	echo "master-key $D/master.key"
	echo "boot $1"
	local i
	for i in $(seq 1 "$N"); do echo "node d$i $(node_mac "$i") $(node_ip "$i")"; done
}
t=$SECONDS
mkdir -p "$D/httplog" && chown www-data "$D/httplog" || exit 1
for boot in tftp http; do
	cluster "$boot" >"$D/$boot.cluster"
	GHOSTWATCH=build/ghostwatch netboot/cluster/generate.sh "$D/$boot.cluster" "$D/$boot" \
		--http-log "$D/httplog/access.log" >"$D/generate-$boot.log" 2>&1 ||
		{ cat "$D/generate-$boot.log" >&2; echo "download: generate.sh failed" >&2; exit 1; }
done
echo "# $N nodes generated twice (boot tftp, boot http) in $((SECONDS - t)) s; dnsmasq.conf: $(grep '^tftp-max' "$D/tftp/dnsmasq.conf")"

# The master and the nodes: one bridge, N namespaces with their fixed addresses (no DHCP here:
# the storm of leases is tests/storm/storm.sh).
t=$SECONDS
master=$(netns_name dmaster)
dhcp_master "$master" 16 || exit 1
for i in $(seq 1 "$N"); do
	ns=$(node_ns "$i")
	dhcp_client_ns "$master" "$ns" "d$i" veth0 "$(node_mac "$i")" &&
		ip -n "$ns" link set veth0 addrgenmode none &&
		ip -n "$ns" addr add "$(node_ip "$i")/16" dev veth0 &&
		ip -n "$ns" link set veth0 up &&
		bridge -n "$master" link set dev "d$i" isolated on || { echo "download: namespace $i" >&2; exit 1; }
done
echo "# $N namespaces up in $((SECONDS - t)) s"

# The servers, as their units run them: dnsmasq as its own user (it then serves the archives
# that user owns), lighttpd started as root (it binds and becomes www-data). Only the server of
# the round runs: the other's CPU is not counted, and cannot steal the cores.
touch "$D/dnsmasq.leases" "$D/dnsmasq.log" && chown dnsmasq "$D/dnsmasq.leases" "$D/dnsmasq.log" "$D/tftp/state" || exit 1
start_server() { # tftp|http: sets SERVER_PID
	if [ "$1" = tftp ]; then
		ip netns exec "$master" dnsmasq -k -C "$D/tftp/dnsmasq.conf" --pid-file= --user=dnsmasq \
			--dhcp-leasefile="$D/dnsmasq.leases" --log-facility="$D/dnsmasq.log" &
	else
		ip netns exec "$master" lighttpd -D -f "$D/http/lighttpd.conf" >"$D/lighttpd.log" 2>&1 &
	fi
	SERVER_PID=$!
	track_pid "$SERVER_PID"
	local i
	for i in $(seq 1 100); do
		if [ "$1" = tftp ]; then grep -q "TFTP root" "$D/dnsmasq.log" && return 0
		else ip netns exec "$master" ss -Hltn 'sport = :8067' | grep -q . && return 0; fi
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "download: the $1 server did not start" >&2
	return 1
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# round PROTO: all N nodes, released at once behind a lock, each fetching its four files one
# after the other; DIR/out/PROTO.I holds "I status milliseconds".
files="vmlinuz base.img nic-virtio.img"
size_of() { stat -L -c %s "$D/$1/tftp/$2"; }
round() {
	local proto=$1 i ns ip mac key url opts c0 c1 pids=()
	start_server "$proto" || return 1
	exec 8>"$D/barrier" && flock -x 8
	rm -f "$D/ready".*
	for i in $(seq 1 "$N"); do
		ns=$(node_ns "$i") ip=$(node_ip "$i") mac=$(node_mac "$i")
		key=keys/${mac//:/-}.img
		# HTTP: a new connection for each file (curl would reuse one): the slower case for HTTP.
		if [ "$proto" = tftp ]; then url=tftp://10.77.0.1/ opts="--tftp-blksize $BLKSIZE"
		else url=http://10.77.0.1:8067/ opts="--header Connection:close"; fi
		# Expected sizes: the shared files, and this node's archive in its own folder.
		local want="" f
		for f in $files; do want+=" $(size_of "$proto" "$f")"; done
		want+=" $(stat -c %s "$D/$proto/tftp/$ip/$key")"
		# One curl for the four files (one after the other, as iPXE), released with the
		# others: no process is started nor a clock read in a child after the release (on
		# these 2 cores, 4 × N process starts inside the timed window were a large part of
		# every node's time, the same over both protocols, which hid the servers' difference).
		ip netns exec "$ns" bash -c '
			i=$1 url=$2 opts=$3 timeout=$4 barrier=$5 out=$6 ready=$7 files=$8 want=$9 args=()
			for f in $files; do args+=(-o /dev/null "$url$f"); done
			: >"$ready"
			flock -s "$barrier" true
			s=${EPOCHREALTIME/./} rc=0
			got=$(curl -sS $opts --max-time "$timeout" -w "%{size_download} " "${args[@]}" 2>>"$out.err")
			e=${EPOCHREALTIME/./}
			[ "$(echo $got)" = "$(echo $want)" ] || { rc=1; echo "sizes: got ${got:-nothing}, want $want" >>"$out.err"; }
			echo "$i $rc $(((e - s) / 1000))" >"$out"' \
			_ "$i" "$url" "$opts" "$TIMEOUT" "$D/barrier" "$D/out/$proto.$i" "$D/ready.$i" "$files $key" "$want" &
		pids+=($!)
	done
	# Every node waiting on the lock (each wrote its ready file just before), then all at once.
	local ready
	for i in $(seq 1 3000); do
		ready=$(find "$D" -maxdepth 1 -name 'ready.*' | wc -l)
		[ "$ready" -ge "$N" ] && break
		sleep 0.1
	done
	[ "$ready" -ge "$N" ] || echo "# warning: $proto: $ready of $N nodes waiting after 300 s: released anyway"
	c0=$(cpu_ticks "$SERVER_PID")
	flock -u 8
	exec 8>&-
	wait "${pids[@]}"
	c1=$(cpu_ticks "$SERVER_PID")
	echo "$(((c1 - c0) * 1000 / $(getconf CLK_TCK)))" >"$D/out/$proto.cpu_ms"
	kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null
}

# stats PROTO: "served failed p50 p99 max cpu_s" of a round (milliseconds; nearest rank).
stats() {
	cat "$D/out/$1".[0-9]* 2>/dev/null | sort -k3,3n | awk -v n="$N" -v cpu="$(cat "$D/out/$1.cpu_ms")" '
		{ if ($2 == 0) ok++; t[++m] = $3 }
		END {
			r50 = int(0.5 * m + 0.999999); r99 = int(0.99 * m + 0.999999)
			if (r50 < 1) r50 = 1; if (r99 < 1) r99 = 1
			printf "%d %d %d %d %d %.1f\n", ok, n - ok, t[r50], t[r99], t[m], cpu / 1000
		}'
}

kb=$(( ($(size_of tftp vmlinuz) + $(size_of tftp base.img) + $(size_of tftp nic-virtio.img)) / 1024 ))
echo "# each node: vmlinuz + base.img + nic-virtio.img + its key archive, $kb KiB; TFTP blksize $BLKSIZE"
for proto in tftp http; do
	t=$SECONDS
	round "$proto" || exit 1
	echo "# $proto round: $((SECONDS - t)) s"
done
read -r t_ok t_fail t50 t99 tmax tcpu <<<"$(stats tftp)"
read -r h_ok h_fail h50 h99 hmax hcpu <<<"$(stats http)"
echo
echo "download storm: $N nodes, $kb KiB each, released at once ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
printf '%-6s %8s %8s %9s %9s %9s %14s\n' "" served failed "p50 ms" "p99 ms" "max ms" "server CPU s"
printf '%-6s %8s %8s %9s %9s %9s %14s\n' TFTP "$t_ok" "$t_fail" "$t50" "$t99" "$tmax" "$tcpu"
printf '%-6s %8s %8s %9s %9s %9s %14s\n' HTTP "$h_ok" "$h_fail" "$h50" "$h99" "$hmax" "$hcpu"
ratio=$(awk -v a="$t99" -v b="$h99" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
echo "p99 TFTP / HTTP: $ratio"
for e in "$D"/out/*.err; do [ -s "$e" ] && sed "s|^|# $(basename "$e" .err): |" "$e" | head -3; done
verdict=MISS
if [ "$t_fail" = 0 ] && [ "$h_fail" = 0 ] && awk -v r="$ratio" 'BEGIN { exit !(r + 0 >= 5) }'; then verdict=PASS; fi
echo "goal: $N nodes all served over both, none failing, HTTP p99 at least 5x below TFTP's: $verdict"
echo "DOWNLOAD_SUMMARY n=$N tftp_failed=$t_fail http_failed=$h_fail tftp_p99=$t99 http_p99=$h99 ratio=$ratio http_log_lines=$(wc -l <"$D/httplog/access.log") tftp_sent=$(grep -c ' sent ' "$D/dnsmasq.log")"
[ "$t_fail" = 0 ] && [ "$h_fail" = 0 ]
