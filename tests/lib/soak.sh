# The power-off soak, shared by tests/qemu/test_shutdown.sh (its 4 cycles in make check) and
# tests/soak/soak.sh (make soak, 100): a guest with an NFSv4 root at /oldroot (served by
# NFS-Ganesha in the test's namespace) writes data without fsync right before it hands over to
# ghostinit's shutdown; each cycle checks the data on the server and bounds the shutdown.
# Sources tests/lib/{netns,qemu,nfs}.sh; source it after tests/lib/tap.sh.
#
#   soak_setup TAG WORK          image with tests/qemu/shutdown-guest.sh, a namespace, QEMU user
#                                networking, Ganesha exporting WORK/export-PID; sets SOAK_EXPORT
#   soak_boot LOG VERB CMDLINE [QEMU ARGS...]
#                                starts the guest (st.export is added); it writes st.file=NAME
#   soak_shutdown_secs LOG       guest seconds, shutdown program's first line → kernel's last
#   soak_cycles N LOGDIR         N power-off cycles, one "# cycle" line each; sets SOAK_LOST,
#                                SOAK_HANGS, SOAK_TIMES (guest s), SOAK_HOST_TIMES (host s)
#   soak_stats TIMES...          "median X s, p99 Y s, max Z s"

GB_TOP=${GB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$GB_TOP/tests/lib/netns.sh"
. "$GB_TOP/tests/lib/qemu.sh"
. "$GB_TOP/tests/lib/nfs.sh"
SOAK_BOOT_LIMIT=${SOAK_BOOT_LIMIT:-120} # a whole VM's hard limit; the shutdown's own is tighter
SOAK_SHUTDOWN_LIMIT=${SOAK_SHUTDOWN_LIMIT:-30} # shutdown start seen on the console → QEMU gone
SOAK_EXPORT=
SOAK_AGENT=${SOAK_AGENT:-$GB_TOP/build/ghostinit} # another build for a negative control

soak_setup() {
	local tag=$1 work=$2 busybox=()
	mkdir -p "$work"
	make -s -C "$GB_TOP" build/ghostinit >/dev/null || return 1
	# The guest stands in for a worker's userland (awk, md5sum, switch_root): Debian's full
	# BusyBox, where the image builder lets us choose it.
	grep -q -- '--busybox PATH' "$GB_TOP/initramfs/mkimage.sh" && busybox=(--busybox /bin/busybox)
	"$GB_TOP/initramfs/mkimage.sh" --output "$work/initramfs.img" --agent "$SOAK_AGENT" \
		"${busybox[@]}" --file "$GB_TOP/tests/qemu/shutdown-guest.sh:/shutdown-guest" || return 1
	QEMU_INITRD=$work/initramfs.img
	QEMU_NETNS=$(netns_name "$tag")
	netns_add "$QEMU_NETNS" || return 1
	QEMU_NET="-nic user,model=virtio-net-pci"
	SOAK_EXPORT=$work/export-$$
	rm -rf "$SOAK_EXPORT"
	mkdir -p "$SOAK_EXPORT/scratch"
	nfs_start "$QEMU_NETNS" "$SOAK_EXPORT"
}

# Each boot its own file name: files changed behind Ganesha's back confuse its cache.
soak_boot() {
	qemu_start "$1" "rdinit=/bin/sh st.export=$(realpath "$SOAK_EXPORT") st.verb=$2 $3 -- /shutdown-guest" "${@:4}"
}

soak_shutdown_secs() {
	awk -F'[][]' '/ghostinit: shutdown: .* within/ && a == "" { a = $2 } /reboot: / { b = $2 }
		END { if (a != "" && b != "") printf "%.2f", b - a }' "$1"
}

# soak_cycle I LOG: one cycle; prints its line, returns 0 (good), 1 (data lost), 2 (hang).
soak_cycle() {
	local i=$1 log=$2 rc t0 host guest want got verdict=ok
	soak_boot "$log" poweroff "st.file=data-$i"
	if log_wait "$log" 'ghostinit: shutdown: .* within' "$SOAK_BOOT_LIMIT"; then
		t0=$(date +%s.%N)
		qemu_wait "$SOAK_SHUTDOWN_LIMIT"
		rc=$?
		host=$(echo "$(date +%s.%N) $t0" | awk '{ printf "%.2f", $1 - $2 }')
	else
		qemu_wait 1
		rc=$?
		host=
	fi
	guest=$(soak_shutdown_secs "$log")
	want=$(awk '/^ST-DATA / { print $2 }' "$log" | tr -d '\r')
	got=$(md5sum <"$SOAK_EXPORT/data-$i" 2>/dev/null | cut -d' ' -f1)
	if [ -z "$host" ] || [ "$rc" -ne 0 ] || ! grep -q 'reboot: Power down' "$log"; then
		verdict=HANG
	elif [ -z "$want" ] || [ "$want" != "$got" ]; then
		verdict=LOST
	fi
	echo "# cycle $i: shutdown ${guest:-?} s guest, ${host:-?} s host (start → QEMU exit), $verdict$(
		[ "$verdict" = ok ] || echo " (status $rc, guest md5 '$want', server md5 '$got', log $log)")"
	[ -n "$guest" ] && SOAK_TIMES="$SOAK_TIMES $guest"
	[ -n "$host" ] && SOAK_HOST_TIMES="$SOAK_HOST_TIMES $host"
	rm -f "$SOAK_EXPORT/data-$i" # keep the export small over 100 cycles
	case $verdict in ok) return 0 ;; LOST) return 1 ;; *) return 2 ;; esac
}

soak_cycles() {
	local n=$1 logdir=$2 i
	SOAK_LOST=0 SOAK_HANGS=0 SOAK_TIMES="" SOAK_HOST_TIMES=""
	mkdir -p "$logdir"
	for i in $(seq 1 "$n"); do
		soak_cycle "$i" "$logdir/data-$i.console"
		case $? in 1) SOAK_LOST=$((SOAK_LOST + 1)) ;; 2) SOAK_HANGS=$((SOAK_HANGS + 1)) ;; esac
	done
}

soak_stats() {
	printf '%s\n' "$@" | grep . | sort -n | awk '{ v[NR] = $1 }
		END { if (NR == 0) { print "no times"; exit }
			p = int(0.99 * NR + 0.999); if (p < 1) p = 1
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "median %.2f s, p99 %.2f s, max %.2f s (n=%d)\n", m, v[p], v[NR], NR }'
}
