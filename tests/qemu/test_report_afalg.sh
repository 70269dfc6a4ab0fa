#!/bin/bash
# The node's report path with the real Debian kernel: `ghostinit report` in the guest signs
# with the kernel's AF_ALG hmac(sha256) (modules from the image's default list) and talks to
# ghostwatch in the test's namespace over QEMU's user network (10.0.2.2 = the namespace's
# loopback). Checks acks, what ghostwatch stored (inventory from the guest's /proc and /sys),
# the 200 ms budget with no master, and that a wrong key is refused. The guest has 2 sockets of
# 2 cores (-smp 4,sockets=2,cores=2,threads=1): `ghostwatch slurm-nodes` gives Slurm's line of
# that topology and the guest kernel's memory (issue 20 item 4).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
. tests/lib/ghostwatch.sh
logs=build/test-logs/qemu
mkdir -p "$logs"
QEMU_NETNS=$(netns_name qreport)
netns_add "$QEMU_NETNS"
dir=$(mktemp -d /tmp/gb-qreport.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
gw_key "$dir/key"

# Slurm's own slurmd (deps/packages.txt) and the libraries it loads, at their paths: the guest
# runs `slurmd -C` (no slurm.conf needed) for slurm-nodes' line to be held against.
slurmd_files=()
for f in /usr/sbin/slurmd $(ldd /usr/sbin/slurmd 2>/dev/null | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
	slurmd_files+=(--file "$(readlink -f "$f"):$f")
done
check "image with the key, the guest script and slurmd" initramfs/mkimage.sh --output "$dir/report.img" \
	--agent build/ghostinit --file "$dir/key:/etc/ghostboot/key" \
	--file tests/qemu/report-guest.sh:/report-guest.sh "${slurmd_files[@]}"
check "ghostwatch serves in the namespace" gw_start "$QEMU_NETNS" "$dir" --key "$dir/key"

log=$logs/report-afalg.console
QEMU_INITRD=$dir/report.img \
	QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56" \
	qemu_boot "$log" 180 "panic=-1 rdinit=/bin/sh -- /report-guest.sh" -smp 4,sockets=2,cores=2,threads=1
check "the guest ran to the end" grep -q "GUEST: done" "$log"
check "six boot stages acked by ghostwatch (AF_ALG HMAC accepted)" grep -q "GUEST: boot reports rc=0" "$log"
# Every one of the six acked, none given up. Retransmits are allowed: an ack late from a busy
# host (the ASan ghostwatch, a 4-CPU TCG guest on 2 cores) is not a fault of the HMAC path.
check "the guest's sender: all 6 acked, none given up ($(grep -ao 'sent [0-9]*, retransmits [0-9]*, acked 6[^,]*, given up [0-9]*' "$log" | head -1))" \
	grep -aqE "sent [0-9]+, retransmits [0-9]+, acked 6, given up 0" "$log"
check "fatal report acked" grep -q "GUEST: fatal report rc=0" "$log"
check "dead master: not acked, exit 1" grep -q "GUEST: dead master rc=1" "$log"
# The sender's summary line just before "GUEST: dead master".
summary=$(grep -B1 "GUEST: dead master" "$log" | head -1)
n=$(echo "$summary" | sed -n 's/.*waited \([0-9]*\) ms.*/\1/p')
echo "# dead master: $summary"
check "dead master: 4 reports waited at most 200 ms in total (${n:-?} ms)" test -n "$n" -a "${n:-999}" -le 200
check "wrong key: not acked" grep -q "GUEST: wrong key rc=1" "$log"

"$GW" status --json --state-dir "$dir/state" >"$dir/status.json"
release=$(cat build/kernel/release)
check "ghostwatch stored the node, its two boots and the guest's inventory" python3 - "$dir/status.json" "$release" <<'PY'
import json, sys
nodes = json.load(open(sys.argv[1]))["nodes"]
assert len(nodes) == 1, nodes  # the wrong-key node was never created
n = nodes[0]
assert n["node"] == "52:54:00:12:34:56", n
assert n["state"] == "failed" and n["error"] == 110 and n["error_text"] == "guest says fatal", n
assert n["kernel"] == sys.argv[2], n
assert n["threads"] == 4 and n["cores"] == 4 and n["sockets"] == 2 and 64 <= n["mem_mib"] <= 256, n
assert n["mtu"] == 1500 and n["cpu"], n
# Each `ghostinit report` run is a boot of its own (a new boot id): the fatal one is boot 2,
# and the inventory of boot 1 is kept. Protocol v2: each boot's first report (boot) is its
# tentative opener, applied by none; the next ones echo the nonce of its ack.
assert n["boots"] == 2 and list(n["stages_ms"]) == ["fatal"] and n["protocol"] == 2, n
PY
# slurm-nodes against what the guest's kernel said of itself: CPUs, packages, cores (sysfs, as
# hwloc counts them) and MemTotal in MiB (slurmd's RealMemory below 64 GiB).
read -r cpus packages cores mem < <(sed -n 's/.*GUEST: cpus \([0-9]*\) packages \([0-9]*\) cores \([0-9]*\) memtotal_mib \([0-9]*\).*/\1 \2 \3 \4/p' "$log")
line=$("$GW" slurm-nodes --state-dir "$dir/state" 2>&1)
echo "# guest: $cpus CPUs, $packages packages, $cores cores, $mem MiB; slurm-nodes: $line"
check "slurm-nodes: the guest's 2 x 2 topology and memory as slurmd -C would print them" test "$line" = \
	"NodeName=qnode NodeAddr=127.0.0.1 CPUs=$cpus Boards=1 SocketsPerBoard=$packages CoresPerSocket=$((cores / packages)) ThreadsPerCore=$((cpus / cores)) RealMemory=$mem"
slurmd_c=$(sed -n 's/.*GUEST: slurmd -C: \(NodeName=.*RealMemory=[0-9]*\).*/\1/p' "$log" | tr -d '\r')
echo "# guest's slurmd -C: $slurmd_c"
check "slurm-nodes equals the guest's own slurmd -C (Slurm 22.05, hwloc), NodeAddr aside" \
	test -n "$slurmd_c" -a "$slurmd_c" = "$(echo "$line" | sed 's/ NodeAddr=[^ ]*//')"
bad=$(gw_metric "$dir" 'ghostwatch_rejected_total{reason="bad_hmac"}')
check "the wrong key's datagrams counted as bad_hmac ($bad)" test "$bad" -ge 1
tap_done
