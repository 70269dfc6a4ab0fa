#!/bin/bash
# up.sh [--once] [--workers N] [--timeout S] [CLUSTER_FILE]: a whole diskless cluster on this
# machine, inside a network namespace made for it: the master (a bridge, dnsmasq, NFS-Ganesha,
# ghostwatch) and one QEMU worker per node of the cluster file, PXE-booting through QEMU's iPXE
# ROM over tap devices. Without CLUSTER_FILE, a demo cluster of N workers (default 3) exporting
# the tiny BusyBox worker root is written to build/cluster/demo/. Everything is torn down on
# exit and on Ctrl-C (processes by PID, the namespace deleted).
# --boot http|tftp|pxelinux / --nfs 3: how the demo cluster boots (default http: iPXE fetches
# the kernel, the image and the key archives from lighttpd; tftp: all over TFTP; pxelinux) /
# mounts NFSv3.
# --root debian (the default): the real life of a cluster (netboot/cluster/up-story.sh). The
# workers share a debootstrap'd Debian root (systemd, sshd, Open MPI, HPL, slurmd configless;
# netboot/cluster/mkroot.sh) and start powered off; the master runs slurmctld. ghostwatch
# wakes them once (Wake-on-LAN) to learn their hardware for slurm.conf; Slurm suspends them
# when idle (a clean shutdown through ghostinit) and wakes them by Wake-on-LAN for its jobs:
# an MPI job and HPL at two sizes (ghostwatch hpl-dat); one node's plug is pulled (its QEMU
# killed) and Slurm has it DOWN within seconds; the timeline of it all is drawn at the end.
# QEMU has no Wake-on-LAN: the harness starts each worker paused and resumes it when its
# magic packet crosses the bridge (tests/lib/wol_watch.py), the only simulated part.
# --root busybox: the tiny BusyBox root of the tests, whose init reports and powers off.
# --once: unattended; exits 0 only when every worker reached its init over NFS and powered off.
# --nic MODEL[,MODEL...]: the workers' QEMU NIC models, one per worker in turn (default
# virtio-net-pci; e1000e is an Intel 82574L, which the image's e1000e part drives).
# --firmware uefi: the workers boot OVMF (Debian package ovmf) instead of SeaBIOS: the NIC's
# EFI iPXE ROM, and the kernel's EFI stub loading the initrd= files from iPXE. --firmware
# uefi-pxe: OVMF without the NIC's iPXE ROM (romfile=), as a real UEFI machine: the firmware's
# own PXE fetches the master's ipxe.efi over TFTP, which then runs the script. A list
# (bios,uefi-pxe) is taken one per worker in turn, like --nic.
# --worker-args ARGS: more parameters on the demo's command line (e.g. the BusyBox root's
# worker.keyscan). The demo cluster has per-node keys: a master secret made once in
# <out>/master.key (ghostwatch keygen), each node's key in its own initrd archive.
# The master runs the installed commands (`make stage`: make install into build/stage,
# PREFIX=/usr): `ghostboot --root <out>/<name> cluster apply` writes its files where an installed
# master has them, under <out>/<name>/ (var/lib/ghostboot/generated/, srv/ghostboot/tftp/, etc/),
# and the installed ghostwatch serves. dnsmasq, lighttpd (boot http) and ghostwatch are started
# here, in the namespace, with the command lines of their units (netboot/systemd/*.service),
# paths under <out>/<name>/.
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
. tests/lib/netns.sh
. tests/lib/worker-root.sh
. netboot/cluster/cluster.sh
. netboot/ganesha-start.sh
. netboot/cluster/up-slurm.sh
. netboot/cluster/up-story.sh

# The installed commands, refreshed from the tree.
make --no-print-directory -s stage || { echo "cluster: make stage (make install into build/stage) failed" >&2; exit 1; }
stage=$top/build/stage
ghostboot=$stage/usr/sbin/ghostboot

# CLUSTER_OUT: where the generated files, states and consoles go (one folder per cluster name).
out=$(realpath -m "${CLUSTER_OUT:-build/cluster}")
once=0 workers=3 timeout=${CLUSTER_TIMEOUT:-900} file= boot=http nfs=4.2 root=debian nics=virtio-net-pci firmware=bios
worker_args=
while [ $# -gt 0 ]; do
	case $1 in
	--once) once=1 ;;
	--workers) workers=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--boot) boot=$2; shift ;;
	--nfs) nfs=$2; shift ;;
	--root) root=$2; shift ;;
	--nic) nics=$2; shift ;;
	--firmware) firmware=$2; shift ;;
	--worker-args) worker_args=$2; shift ;;
	-*) echo "usage: $0 [--once] [--workers N] [--timeout S] [--boot http|tftp|pxelinux] [--nfs 3|4.2] [--root busybox|debian] [--nic MODEL[,MODEL...]] [--firmware bios|uefi|uefi-pxe[,...]] [--worker-args ARGS] [CLUSTER_FILE]" >&2; exit 2 ;;
	*) file=$1 ;;
	esac
	shift
done
say() { echo "cluster: $*"; }

# --- the cluster file --------------------------------------------------------------------
if [ -z "$file" ]; then
	[[ $workers =~ ^[1-9]$ ]] || { echo "cluster: --workers is 1..9" >&2; exit 2; }
	demo=$out/demo
	mkdir -p "$demo"
	release=$(cat build/kernel/release 2>/dev/null)
	for f in "build/kernel/boot/vmlinuz-$release" build/initramfs.img; do
		[ -f "$f" ] || { echo "cluster: $f is missing: run make first" >&2; exit 1; }
	done
	case $root in
	busybox)
		worker_root_copy "$demo/root" || exit 1
		rootdir=$demo/root extra="worker.sleep=3 worker.write=/tmp/hello" mem=160 ;;
	debian)
		# The master's ssh key for the workers' root account, made once.
		mkdir -p "$out/ssh"
		[ -f "$out/ssh/id_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C ghostboot-master -f "$out/ssh/id_ed25519" || exit 1
		# The cluster's munge key, made once: the master's munged and the root's (mkroot.sh).
		[ -f "$out/munge.key" ] || { (umask 077 && dd if=/dev/urandom of="$out/munge.key" bs=1024 count=1 status=none) || exit 1; }
		GB_SLURM_SERVER=10.67.0.1 GB_MUNGE_KEY=$out/munge.key \
			netboot/cluster/mkroot.sh "$out/debian-root" "$out/ssh/id_ed25519.pub" || exit 1
		# systemd, sshd, slurmd and HPL's matrix want more than the BusyBox root's 160 MiB;
		# QEMU allocates guest memory as it is touched. A heartbeat every 2 s: a node whose
		# plug is pulled is lost (3 missed + 5 s) and DOWN in Slurm within seconds.
		rootdir=$out/debian-root extra="systemd.show_status=0" mem=768 heartbeat=2 ;;
	*) echo "cluster: --root is busybox or debian" >&2; exit 2 ;;
	esac
	file=$demo/demo.cluster
	[ -f "$out/master.key" ] || "$stage/usr/sbin/ghostwatch" keygen --master-key "$out/master.key" || exit 1
	{
		echo "# The demo cluster of \`make cluster\` (written by netboot/cluster/up.sh)."
		echo "name        demo"
		echo "interface   br0"
		echo "subnet      10.67.0.0/24"
		echo "master      10.67.0.1"
		echo "dhcp-range  10.67.0.100 10.67.0.199"
		echo "ra-prefix   fd00:6762::"
		echo "kernel      $top/build/kernel/boot/vmlinuz-$release"
		echo "initramfs   $top/build/initramfs.img"
		echo "root        $rootdir"
		echo "nfs-version $nfs"
		# Ganesha has no rpcbind to ask once it is up: NFSv3 clients name its ports.
		[ "$nfs" != 3 ] || echo "nfs-options port=2049,mountport=20048"
		echo "boot        $boot"
		echo "overlay     tmpfs"
		echo "heartbeat   ${heartbeat:-5}"
		echo "console     ttyS0"
		echo "cmdline     panic=5 $extra${worker_args:+ $worker_args}"
		echo "master-key  $out/master.key"
		for i in $(seq 1 "$workers"); do
			echo "node        w$i 52:54:00:67:62:0$i 10.67.0.1$i"
		done
	} >"$file"
fi
cluster_load "$file" || exit 1
[ "${#CL_NODE_NAME[@]}" -gt 0 ] || { echo "cluster: $file has no node to start" >&2; exit 1; }
[ -d "$CL_ROOT" ] || { echo "cluster: the root $CL_ROOT does not exist" >&2; exit 1; }
dir=$out/$CL_NAME
mkdir -p "$dir"
rm -f "$dir"/*.console "$dir"/*.console.now "$dir/lighttpd.log" "$dir/var/log/ghostboot/http/access.log" "$dir/rpcbind.pid" \
	"$dir/nodes.info" "$dir/mpi.log" "$dir"/hostfile* "$dir"/*.qmp "$dir"/*.qemu.pid "$dir/wol.log" "$dir"/hpl* "$dir/pulled" "$dir/timeline.svg"
rm -rf "$dir/slurm" "$dir/munge"
# The installed layout under $dir: generated files, the TFTP root, ghostwatch's state.
gen=$dir/var/lib/ghostboot/generated watch=$dir/var/lib/ghostboot/watch
"$ghostboot" --root "$dir" cluster apply --no-reload "$file" 2>&1 | sed 's/^/cluster: /'
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
rm -rf "$watch" "$gen/state/dnsmasq.leases"

# --- the master --------------------------------------------------------------------------
ns=$(netns_name cluster)
netns_add "$ns" || exit 1
br=$CL_INTERFACE
ip -n "$ns" link add "$br" type bridge stp_state 0 forward_delay 0 &&
	ip -n "$ns" addr add "$CL_MASTER/$CL_PREFIX" dev "$br" &&
	ip -n "$ns" -6 addr add "${CL_RA_PREFIX}1/64" dev "$br" nodad &&
	ip -n "$ns" link set "$br" up || exit 1
for i in "${!CL_NODE_NAME[@]}"; do
	ip -n "$ns" tuntap add dev "tap$i" mode tap &&
		ip -n "$ns" link set "tap$i" master "$br" &&
		ip -n "$ns" link set "tap$i" up || exit 1
done
say "master: namespace $ns, bridge $br $CL_MASTER/$CL_PREFIX, ${#CL_NODE_NAME[@]} taps"

: >"$dir/dnsmasq.log"
# As its own user when there is one (Debian's): it then serves the per-node key archives that
# user alone can read (dnsmasq running as root serves only world-readable files).
dns_user=root
if getent passwd dnsmasq >/dev/null; then
	dns_user=dnsmasq
	touch "$gen/state/dnsmasq.leases" && chown dnsmasq "$dir/dnsmasq.log" "$gen/state/dnsmasq.leases" "$gen/state"
fi
# ghostboot-dnsmasq.service: dnsmasq -k -C /var/lib/ghostboot/generated/dnsmasq.conf
ip netns exec "$ns" dnsmasq -k -C "$gen/dnsmasq.conf" --pid-file= --user="$dns_user" \
	--log-facility="$dir/dnsmasq.log" --log-dhcp &
dnsmasq_pid=$!
track_pid "$dnsmasq_pid"

# boot http: ghostboot-http.service runs lighttpd -D -f /var/lib/ghostboot/generated/lighttpd.conf
# as www-data; started as root here, lighttpd binds and then becomes www-data (its
# configuration says so), who must be able to write the access log.
http_pid=
if [ -f "$gen/lighttpd.conf" ]; then
	mkdir -p "$dir/var/log/ghostboot/http" && chown www-data:www-data "$dir/var/log/ghostboot/http" || exit 1
	ip netns exec "$ns" lighttpd -D -f "$gen/lighttpd.conf" >"$dir/lighttpd.log" 2>&1 &
	http_pid=$!
	track_pid "$http_pid"
fi

# Ganesha in the foreground, by PID; with NFSv3, rpcbind beside it until it has registered.
ganesha_start "$ns" "$gen/ganesha.conf" "$dir" $([ "$CL_NFS_VERSION" != 3 ] || echo --v3)
ganesha_pid=$GANESHA_PID
track_pid "$ganesha_pid"

gw=
if [ -x "$stage/usr/sbin/ghostwatch" ]; then
	gw=$stage/usr/sbin/ghostwatch
	# A cluster file without a key asks for unauthenticated reports: say so (serve fails closed).
	# With master-key: per-node keys, derived by ghostwatch as by the generator.
	gw_key=(--insecure)
	[ -z "$CL_KEY" ] || gw_key=(--key "$CL_KEY")
	[ -z "$CL_MASTER_KEY" ] || gw_key=(--master-key "$CL_MASTER_KEY")
	# --cluster: the generator's node list; a machine not in it is shown, never given ranks, and
	# a node's reports count only from its listed address.
	# ghostwatch.service: ghostwatch serve --state-dir /var/lib/ghostboot/watch --master-key KEY
	# --cluster /var/lib/ghostboot/generated/nodes (its metrics here beside the state).
	ip netns exec "$ns" "$gw" serve --bind "$CL_MASTER" --port "$CL_REPORT_PORT" --state-dir "$watch" \
		"${gw_key[@]}" --cluster "$gen/nodes" >"$dir/ghostwatch.log" 2>&1 &
	gw_pid=$!
	track_pid "$gw_pid"
fi

listening() { ip netns exec "$ns" ss -Hln "$@" 2>/dev/null | grep -q .; }
for i in $(seq 1 100); do
	listening -t "sport = :2049" && grep -q "TFTP root" "$dir/dnsmasq.log" &&
		{ [ -z "$gw" ] || listening -u "sport = :$CL_REPORT_PORT"; } &&
		{ [ -z "$http_pid" ] || listening -t "sport = :$CL_HTTP_PORT"; } && break
	for p in "$dnsmasq_pid" "$ganesha_pid" ${gw:+"$gw_pid"} $http_pid; do
		kill -0 "$p" 2>/dev/null || { echo "cluster: a master service exited; logs in $dir" >&2; exit 1; }
	done
	sleep 0.1
done
if ! listening -t "sport = :2049"; then
	echo "cluster: Ganesha did not come up; see $dir/ganesha.log" >&2
	exit 1
fi
# Registered: the nodes never ask rpcbind (explicit ports), so it goes now.
if rpcbind=$(ganesha_rpcbind_pid "$dir"); then
	track_pid "$rpcbind"
	kill "$rpcbind" 2>/dev/null
fi
say "master: dnsmasq (DHCP, TFTP, RA),${http_pid:+ lighttpd ($(cluster_http_url)),} NFS-Ganesha (NFSv$CL_NFS_VERSION $CL_ROOT, read-only)${gw:+, ghostwatch on UDP $CL_REPORT_PORT} up"
say "nodes boot with: $(cat "$gen/cmdline") BOOTIF=01-<mac>"

# --- the workers -------------------------------------------------------------------------
declare -a qpid=()
t0=$SECONDS
IFS=, read -r -a nic_models <<<"$nics"
IFS=, read -r -a firmwares <<<"$firmware"
OVMF=${OVMF:-/usr/share/OVMF}
# worker_qemu I [QEMU ARGS...]: worker I's QEMU, in the foreground (exec: the caller's PID
# becomes QEMU's), its console appended to <name>.console.
worker_qemu() {
	local i=$1 nic=${nic_models[$1 % ${#nic_models[@]}]} fw=() rom=
	shift
	case ${firmwares[i % ${#firmwares[@]}]} in uefi-pxe) rom=,romfile= ;& uefi)
		# Each worker its own copy of the variable store (the firmware writes its boot entries).
		[ -f "$dir/${CL_NODE_NAME[$i]}.vars.fd" ] || cp "$OVMF/OVMF_VARS_4M.fd" "$dir/${CL_NODE_NAME[$i]}.vars.fd" || exit 1
		fw=(-drive "if=pflash,format=raw,readonly=on,file=$OVMF/OVMF_CODE_4M.fd"
			-drive "if=pflash,format=raw,file=$dir/${CL_NODE_NAME[$i]}.vars.fd") ;;
	esac
	exec ip netns exec "$ns" qemu-system-x86_64 -machine q35 -cpu max -accel tcg,tb-size=512 -m "${mem:-${CLUSTER_MEM:-160}}" -smp 1 \
		-nographic -no-reboot -serial mon:stdio \
		-netdev "tap,id=n0,ifname=tap$i,script=no,downscript=no" \
		-device "$nic,netdev=n0,mac=${CL_NODE_MAC[$i]},bootindex=1$rom" "${fw[@]}" "$@" \
		</dev/null >>"$dir/${CL_NODE_NAME[$i]}.console" 2>&1
}
if [ "$root" = debian ] && [ -n "${demo:-}" ]; then
	# Powered off: a power supply each (up-story.sh), the harness their NICs' Wake-on-LAN.
	for i in "${!CL_NODE_NAME[@]}"; do
		power_supply "$i" &
		qpid[$i]=$!
		track_pid "${qpid[$i]}"
	done
	wol_watch_start || exit 1
	say "workers: ${CL_NODE_NAME[*]} plugged in, powered off (QEMU paused until its magic packet); consoles in $dir/<node>.console"
else
	for i in "${!CL_NODE_NAME[@]}"; do
		(worker_qemu "$i") &
		qpid[$i]=$!
		track_pid "${qpid[$i]}"
	done
	say "workers: ${CL_NODE_NAME[*]} started (QEMU without KVM: PXE to init takes 10-40 s each); consoles in $dir/<node>.console"
fi

# stage LOG: the furthest point a worker's console shows in its current boot.
stage() {
	local log
	log=$(current_boot "$1")
	if [ "$(grep -vac '^=== ghostboot harness:' "$log")" -eq 0 ]; then echo "off"
	elif grep -aq "reboot: Power down" "$log"; then echo "powered off"
	elif grep -aq "ghostinit: shutdown:" "$log"; then echo "shutting down"
	elif grep -aq "GHOSTBOOT-NODE-READY" "$log"; then echo "ready"
	elif grep -aq "WORKER-DONE" "$log"; then echo "init done"
	elif grep -aq "WORKER-INIT-REACHED" "$log"; then echo "in its init"
	elif grep -aq "ghostinit: root: switching" "$log"; then echo "switch_root"
	elif grep -aq "ghostinit: root: mounted" "$log"; then echo "NFS root mounted"
	elif grep -aq "ghostinit: .*: lease" "$log"; then echo "leased $(grep -ao 'lease [0-9.]*' "$log" | head -1 | cut -d' ' -f2)"
	elif grep -aq "ghostinit: ghostboot" "$log"; then echo "ghostinit"
	elif grep -aq "Linux version" "$log"; then echo "kernel"
	elif grep -aq "ghostboot: cluster" "$log"; then echo "iPXE script"
	elif grep -aq "PXELINUX" "$log"; then echo "pxelinux"
	elif grep -aq "iPXE" "$log"; then echo "iPXE"
	else echo "firmware"
	fi
}

# stages: "  w1: <stage>  w2: <stage> ...", every worker's furthest point.
stages() {
	local i line=
	for i in "${!CL_NODE_NAME[@]}"; do line+="  ${CL_NODE_NAME[$i]}: $(stage "$dir/${CL_NODE_NAME[$i]}.console")"; done
	echo "$line"
}

# watch: prints progress every 5 s until every worker has exited, or the timeout; returns 1
# on the timeout.
last=-100
declare -a at_switch=()
watch() {
	local running i log
	while :; do
		running=0
		for i in "${!qpid[@]}"; do
			log=$dir/${CL_NODE_NAME[$i]}.console
			kill -0 "${qpid[$i]}" 2>/dev/null && running=$((running + 1))
			# When each worker got there (1 s resolution), for the summary.
			[ -n "${at_switch[$i]:-}" ] || ! grep -aq 'ghostinit: root: switching' "$log" || at_switch[$i]=$((SECONDS - t0))
		done
		if [ $((SECONDS - last)) -ge 5 ] || [ "$running" -eq 0 ]; then
			last=$SECONDS
			say "$((SECONDS - t0))s$(stages)"
		fi
		[ "$running" -gt 0 ] || return 0
		if [ $((SECONDS - t0)) -ge "$timeout" ]; then
			say "timeout after ${timeout}s"
			return 1
		fi
		sleep 1
	done
}

gw_status() {
	[ -n "$gw" ] || return 0
	"$gw" status --once --state-dir "$watch" >"$dir/ghostwatch.status" 2>&1
	sed 's/^/cluster: ghostwatch: /' "$dir/ghostwatch.status"
}

# key_audit I: no ordinary user on node I can read its key (docs/protocol.md): as uid 65534,
# the node's /proc/cmdline, every /proc/*/cmdline and environ that user may read and every file
# under /run it can open are fetched over ssh and searched here for the node's key (hex, any
# case). Says how much was searched; 1 when the key was found or nothing could be searched.
# KEY_AUDIT_UID=0 scans as root instead: the audit must then find the key (/run/ghostboot/node.key).
key_audit() {
	local i=$1 name=${CL_NODE_NAME[$1]} key scan bytes files audit_uid=${KEY_AUDIT_UID:-65534}
	[ -n "$CL_MASTER_KEY" ] || return 0
	key=$("$gw" node-key "${CL_NODE_MAC[$i]}" --master-key "$CL_MASTER_KEY") || return 1
	scan=$dir/keyscan-$name
	# shellcheck disable=SC2086 # ssh_opts is a list
	ip netns exec "$ns" timeout 120 ssh $ssh_opts "root@${CL_NODE_IP[$i]}" \
		"setpriv --reuid=$audit_uid --regid=$audit_uid --clear-groups sh -c 'cd / && id -u && find /run -path /run/ghostboot/lower -prune -o -type f -readable -print | wc -l && cat /proc/cmdline /proc/[0-9]*/cmdline /proc/[0-9]*/environ; find /run -path /run/ghostboot/lower -prune -o -type f -readable -exec cat {} +' 2>/dev/null" \
		</dev/null >"$scan" 2>&1
	bytes=$(wc -c <"$scan") files=$(sed -n 2p "$scan")
	# (find needs a working directory it can read: hence cd /, root's home is not one. The
	# overlay's lower layer under /run is the shared NFS root: every file of the image, skipped.)
	if [ "$(head -n1 "$scan")" != "$audit_uid" ] || ! [ "${files:-0}" -gt 0 ] 2>/dev/null; then
		say "$name: key audit: the scan as uid $audit_uid did not run ($bytes bytes, ${files:-no} files)"
		return 1
	elif grep -aqiF "$key" "$scan"; then
		say "$name: key audit: ITS KEY IS READABLE by uid $audit_uid ($scan)"
		return 1
	fi
	say "$name: key audit: as uid $audit_uid, $bytes bytes of /proc/cmdline, /proc/*/cmdline, /proc/*/environ and $files files under /run read: its key in none"
}

fail=0
if [ "$root" = debian ] && [ -n "${demo:-}" ]; then
	# The master's ssh to the nodes: the demo's key, the nodes' fresh host keys taken as they
	# come; the same file for `ghostwatch power off` (--ssh-config).
	printf 'Host *\n\tUser root\n\tIdentityFile %s\n\tStrictHostKeyChecking no\n\tUserKnownHostsFile /dev/null\n\tLogLevel ERROR\n\tConnectTimeout 60\n\tBatchMode yes\n' \
		"$out/ssh/id_ed25519" >"$dir/ssh_config"
	ssh_opts="-F $dir/ssh_config"
	story || fail=1
else
	watch || fail=1
fi
gw_status

# --- the verdict -------------------------------------------------------------------------
for i in "${!CL_NODE_NAME[@]}"; do
	n=${CL_NODE_NAME[$i]} log=$dir/${CL_NODE_NAME[$i]}.console
	if [ "$root" = debian ] && [ -n "${demo:-}" ]; then
		story_verdict "$i" || fail=1
	elif grep -aq 'WORKER-INIT-REACHED pid=1' "$log" && grep -aq "WORKER-DONE" "$log" && grep -aq "reboot: Power down" "$log"; then
		say "$n: PXE-booted, reached its init over NFS ${at_switch[$i]:+(switch_root after ${at_switch[$i]} s) }and powered off"
	else
		say "$n: did not complete (furthest: $(stage "$log")); see $log"
		fail=1
	fi
done
[ "$once" -eq 1 ] || say "done; logs in $dir"
exit "$fail"
