# QEMU harness: the Debian kernel (PVH vmlinux: no decompression under TCG) and a ghostboot
# initramfs, serial console into a log, always inside a network namespace the test created,
# always with a hard timeout. Source after tests/lib/netns.sh.
#
#   QEMU_NETNS   namespace to run QEMU in (required; create it with netns_add)
#   QEMU_KERNEL  default build/kernel/boot/vmlinux-<release>
#   QEMU_INITRD  default build/initramfs.img
#   QEMU_MEM     default 128 (MiB; 104 is the smallest that boots the Debian kernel)
#   QEMU_NET     network arguments, default "-nic none"
#   QEMU_MACHINE default q35 (e.g. "pc,acpi=off": a PC without ACPI, so without power-off)
#   QEMU_TCG     the -accel argument, default tcg,tb-size=512 (see below)
#
#   qemu_start LOG APPEND [qemu args...]   starts QEMU in the background; QEMU_PID is set
#   qemu_wait TIMEOUT                      waits for it; returns its status, 124 after killing it
#   qemu_boot LOG TIMEOUT APPEND [args...] both in one
#   log_wait LOG REGEX TIMEOUT             waits until the log matches (extended regex)
#   qemu_time_to LOG REGEX TIMEOUT         the same, printing the seconds since qemu_start

GB_TOP=${GB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
QEMU_KERNEL=${QEMU_KERNEL:-$GB_TOP/build/kernel/boot/vmlinux-$(cat "$GB_TOP/build/kernel/release" 2>/dev/null)}
QEMU_INITRD=${QEMU_INITRD:-$GB_TOP/build/initramfs.img}
QEMU_MEM=${QEMU_MEM:-128}
QEMU_NET=${QEMU_NET:--nic none}
QEMU_MACHINE=${QEMU_MACHINE:-q35}
# TCG's translation cache: at 16 MiB a systemd boot on the Debian root retranslates its code
# over and over (networkd test: 123 s against 37 s at 512 MiB, side by side); the cache costs
# host memory only as it fills.
QEMU_TCG=${QEMU_TCG:-tcg,tb-size=512}
QEMU_PID=

# no_timer_check: TCG guests started together on a loaded host can fail the kernel's IO-APIC
# timer check ("IO-APIC + timer doesn't work" panic); the check proves nothing under QEMU.
qemu_start() {
	local log=$1 append=$2
	shift 2
	: "${QEMU_NETNS:?QEMU_NETNS must name a namespace the test created}"
	mkdir -p "$(dirname "$log")"
	# shellcheck disable=SC2086 # QEMU_NET is a list of arguments
	ip netns exec "$QEMU_NETNS" qemu-system-x86_64 -machine "$QEMU_MACHINE" -cpu max -accel "$QEMU_TCG" \
		-m "$QEMU_MEM" -smp 1 -nographic -no-reboot -serial mon:stdio $QEMU_NET \
		-kernel "$QEMU_KERNEL" -initrd "$QEMU_INITRD" -append "console=ttyS0 no_timer_check $append" "$@" \
		</dev/null >"$log" 2>&1 &
	QEMU_PID=$!
	QEMU_T0=$(date +%s.%N)
	track_pid "$QEMU_PID"
}

# qemu_time_to LOG REGEX TIMEOUT: waits for the log to match, prints seconds since qemu_start.
qemu_time_to() {
	log_wait "$1" "$2" "$3" || return 1
	echo "$(date +%s.%N) $QEMU_T0" | awk '{ printf "%.2f\n", $1 - $2 }'
}

qemu_wait() {
	local limit=$1 waited=0
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		if [ "$waited" -ge $((limit * 10)) ]; then
			kill -KILL "$QEMU_PID" 2>/dev/null
			wait "$QEMU_PID" 2>/dev/null
			return 124
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
	wait "$QEMU_PID"
}

qemu_boot() {
	local log=$1 limit=$2 append=$3
	shift 3
	qemu_start "$log" "$append" "$@"
	qemu_wait "$limit"
}

log_wait() {
	local log=$1 regex=$2 limit=$3 waited=0
	until grep -qE "$regex" "$log" 2>/dev/null; do
		[ "$waited" -ge $((limit * 10)) ] && return 1
		sleep 0.1
		waited=$((waited + 1))
	done
}

# Seconds since the epoch with centiseconds, for host-side durations.
now_cs() { date +%s.%N | cut -c1-13; }
