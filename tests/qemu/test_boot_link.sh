#!/bin/bash
# The boot link guarded through a real boot: ghostinit boots a BusyBox worker from a read-write
# NFSv4 root; before switch_root it leaves the network-manager drop-ins and the resident
# guardian. The worker's init then does what ifupdown's networking.service does at shutdown
# (flushes the boot interface and takes it down) and writes to its NFS root: the guardian puts
# the link back, the write reaches the server, and ghostinit's shutdown powers off cleanly.
# The guardian reports each restore to a real ghostwatch: twice, once handed to the heartbeat
# daemon (ghost.heartbeat=2, which then owns the report sequence) and once sent by the guardian
# itself (no daemon, ghost.heartbeat unset); ghostwatch shows the count and the text for both.
# (The negative control, the same flush without a guardian hanging the node, is in
# tests/qemu/test_shutdown.sh.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/ghostwatch.sh
logs=build/test-logs/qemu
worker_env bootlink
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
# An admin's networkd file for the boot NIC: ghostinit writes its keep-the-link drop-in beside it.
mkdir -p "$WORKER_EXPORT/etc/systemd/network"
printf '[Match]\nName=enp0s2\n\n[Network]\nDHCP=yes\n' >"$WORKER_EXPORT/etc/systemd/network/50-boot.network"
mkdir -p "$WORKER_DIR/gw"
gw_key "$WORKER_DIR/key"
check "a private initramfs of build/ghostinit with the cluster key" \
	worker_initramfs "$QEMU_INITRD" --file "$WORKER_DIR/key:/etc/ghostboot/key"
if nfs_start "$QEMU_NETNS" "$WORKER_EXPORT"; then ok "Ganesha exports the root read-write"; else not_ok "Ganesha exports the root read-write"; fi
# The guest reaches it as 10.0.2.2:7468 (QEMU's user networking), the default master: the
# lease's server.
check "ghostwatch serves in the namespace" gw_start "$QEMU_NETNS" "$WORKER_DIR/gw" --key "$WORKER_DIR/key"

# boot LOG MAC ARGS: one boot that flushes its link and writes; QEMU must exit by itself.
boot() {
	local log=$1 mac=$2 rc
	shift 2
	QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=$mac"
	qemu_boot "$log" 240 "root=nfs:10.0.2.2:$WORKER_EXPORT:vers=4.2 rw panic=-1 ghost.key=/etc/ghostboot/key $* \
worker.ps worker.list=/run/systemd/network worker.flush=enp0s2 worker.write=/var/tmp/after-flush worker.end=ghostinit"
	rc=$?
	check "QEMU exited by itself (status $rc)" [ "$rc" -ne 124 ]
}

# guardian_seen MAC: ghostwatch has the node with at least one restore reported.
guardian_seen() {
	"$GW" status --json --state-dir "$WORKER_DIR/gw/state" | python3 -c '
import json, sys
node = [n for n in json.load(sys.stdin)["nodes"] if n["node"] == sys.argv[1]]
assert node and node[0]["guardian_restores"] >= 1, node
assert " restored: enp0s2 lost" in node[0]["guardian_text"], node
print("# ghostwatch:", node[0]["node"], node[0]["guardian_restores"], repr(node[0]["guardian_text"]))' "$1"
}

# stages_after MAC: ghostwatch has the node's unmounted and reset reports, which the shutdown
# program numbers after whatever the guardian or the daemon sent: had two senders used the
# same sequence numbers, ghostwatch would have refused these. (Its "replayed" count is no
# measure: a retransmit of a report whose ack was late counts there, harmlessly.)
stages_after() {
	"$GW" status --json --state-dir "$WORKER_DIR/gw/state" | python3 -c '
import json, sys
node = [n for n in json.load(sys.stdin)["nodes"] if n["node"] == sys.argv[1]]
assert node and {"shutdown-begin", "unmounted", "reset"} <= set(node[0]["stages_ms"]), node' "$1"
}

# v2_confirmed MAC: the node spoke protocol v2 through its whole life (boot, daemon or guardian,
# shutdown), its boot confirmed by the nonce: heartbeats, the guardian's restore and the
# shutdown's reports all echoed it (a stale or missing nonce is acked but never applied, so
# none of the stages above would be there).
v2_confirmed() {
	"$GW" status --json --state-dir "$WORKER_DIR/gw/state" | python3 -c '
import json, sys
node = [n for n in json.load(sys.stdin)["nodes"] if n["node"] == sys.argv[1]]
assert node and node[0]["protocol"] == 2 and node[0]["boots"] == 1, node
assert {"switch-root", "heartbeat", "unmounted", "reset"} <= set(node[0]["stages_ms"]), node' "$1"
}

log=$logs/boot-link.console
boot "$log" 52:54:00:00:05:01 ghost.heartbeat=2
check "ghostinit left the guardian before switch_root" grep -q 'ghostinit: boot link: enp0s2 guarded (pid [0-9]*)' "$log"
check "the guardian runs under the real init as @ghostinit-guardian" grep -qE 'WORKER-PS .*@ghostinit-guardian --iface enp0s2' "$log"
check "the networkd drop-in for the admin's .network is in /run" grep -qE 'WORKER-LS /run/systemd/network: .*50-boot\.network\.d' "$log"
check "the worker flushed and downed its boot link" grep -q 'WORKER-FLUSHED enp0s2' "$log"
check "the guardian restored it" grep -qE 'ghostinit: guardian: enp0s2 lost .*restored' "$log"
check "the worker's write after the flush went through" grep -q 'WORKER-WROTE /var/tmp/after-flush' "$log"
check "and reached the server" grep -q 'written by worker' "$WORKER_EXPORT/var/tmp/after-flush"
check "ghostinit's shutdown ran with nothing hung" grep -qE 'shutdown: [1-9][0-9]* unmounted, [0-9]+ detached, 0 hung, 0 left' "$log"
check "the machine powered off" grep -q 'reboot: Power down' "$log"
check "ghostwatch shows the restore, handed to the heartbeat daemon" guardian_seen 52:54:00:00:05:01
check "the shutdown's reports after it accepted too (one owner of the sequence at a time)" \
	stages_after 52:54:00:00:05:01

log=$logs/boot-link-noheartbeat.console
boot "$log" 52:54:00:00:05:02
check "without a heartbeat daemon: the guardian restored the link" grep -qE 'ghostinit: guardian: enp0s2 lost .*restored' "$log"
check "without a heartbeat daemon: the write reached the server" grep -q 'WORKER-WROTE /var/tmp/after-flush' "$log"
check "without a heartbeat daemon: ghostwatch shows the restore, sent by the guardian" guardian_seen 52:54:00:00:05:02
check "without a heartbeat daemon: the shutdown's reports after the guardian's accepted too" \
	stages_after 52:54:00:00:05:02
check "v2 from boot to reset, confirmed by the nonce: with the heartbeat daemon" v2_confirmed 52:54:00:00:05:01
check "v2 from boot to reset, confirmed by the nonce: guardian sending itself" v2_confirmed 52:54:00:00:05:02
stale=$(gw_metric "$WORKER_DIR/gw" 'ghostwatch_rejected_total{reason="stale_nonce"}')
v1=$(gw_metric "$WORKER_DIR/gw" ghostwatch_reports_v1_total)
tentative=$(gw_metric "$WORKER_DIR/gw" ghostwatch_reports_tentative_total)
check "ghostwatch: no stale nonce ($stale), no v1 report ($v1), tentative openers only ($tentative >= 2, one per boot and its retransmits)" \
	test "$stale" = 0 -a "$v1" = 0 -a "$tentative" -ge 2
check "no guardian report given up on either console" \
	sh -c "! grep -h 'restore not reported to the master:' '$logs/boot-link.console' '$log'"
nfs_stop
tap_done
