#!/bin/bash
# Fault: a malformed value for every ghost.* parameter, the list read from the parser's own
# table (agent/boot/cmdline.c), so a new parameter is covered without touching this test. Each is
# warned about with the value quoted (a key's only by its length: it is never shown), on the
# console and in the boot report to ghostwatch,
# and the boot goes on with the defaults: NFS root, reports to the DHCP server, no overlay,
# shutdown through ghostinit with the default reset and bound.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/ghostwatch.sh
. tests/lib/fault.sh
logs=build/test-logs/faults
params=$(sed -n 's/^\t{ "\(ghost\.[a-z_]*\)", param_.*/\1/p' agent/boot/cmdline.c)
n=$(echo "$params" | wc -w)
check "the parser's table lists the ghost.* parameters ($n)" [ "$n" -ge 10 ]
check "worker root, image and namespace" fault_user_worker badparams
check "Ganesha serves the root" nfs_start "$QEMU_NETNS" "$WORKER_EXPORT"
check "ghostwatch listens where the DHCP server is" gw_start "$QEMU_NETNS" "$WORKER_DIR" --insecure -v

# A value no parameter accepts: not a number, an address, a path, hex or a word of any list.
bad='@bad%'
append=""
for p in $params; do append="$append $p=$bad"; done
log=$logs/bad-params.console
qemu_start "$log" "root=nfs4:10.0.2.2:$WORKER_EXPORT rw panic=-1 $append worker.end=ghostinit"
qemu_wait 180
rc=$?
check "QEMU powered off by itself (status $rc)" [ "$rc" -eq 0 ]
# The warning each parameter gets: its value quoted, except a key's, never shown (its length).
warning() { if [ "$1" = ghost.key ]; then echo "$1= (${#bad} characters, not shown)"; else echo "$1='$bad' "; fi; }
missing=""
for p in $params; do
	grep -qF "ghostinit: $(warning "$p")" "$log" || missing="$missing $p"
done
check "every parameter warned with its value quoted on the console, a key's never shown (missing:${missing:- none})" [ -z "$missing" ]
check "the boot went on: the worker's init runs as PID 1" grep -q 'WORKER-INIT-REACHED pid=1[[:space:]]*$' "$log"
check "ghost.overlay default (none): / is the NFS root itself" grep -q "WORKER-ROOT 10.0.2.2:$WORKER_EXPORT nfs4 " "$log"
check "ghost.reset and ghost.shutdown_timeout defaults (pci, 15 s) at the shutdown" \
	grep -q 'ghostinit: shutdown: poweroff (reset pci) within 15000 ms' "$log"
"$GW" status --json --state-dir "$WORKER_DIR/state" >"$WORKER_DIR/status.json"
check "ghost.master default (the DHCP server): ghostwatch saw the boot to switch-root" python3 - "$WORKER_DIR/status.json" <<'PY'
import json, sys
nodes = json.load(open(sys.argv[1]))["nodes"]
assert len(nodes) == 1 and "switch-root" in nodes[0]["stages_ms"], nodes
PY
unreported=""
for p in $params; do
	grep ' boot [0-9]* ms ' "$WORKER_DIR/serve.log" | grep -qF " $(warning "$p")" || unreported="$unreported $p"
done
check "every warning reached ghostwatch in a boot report (missing:${unreported:- none})" [ -z "$unreported" ]
nfs_stop
outcome="warned ($n/$n quoted), booted on defaults"
[ "$tap_failures" -eq 0 ] || outcome="FAILED"
fault_line "malformed value for every ghost.* parameter" "$outcome" "$(fault_secs "$log" 'ghostboot .* starting' 'root: switching')"
tap_done
