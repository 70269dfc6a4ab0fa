#!/bin/bash
# The node's key where no ordinary user can read it (issue 17): netboot/cluster/up.sh --once
# with one BusyBox worker of the demo cluster, which has per-node keys (a master secret, the
# generator's per-node initrd archive, ghostwatch --master-key). iPXE loads the worker's archive
# beside the image; ghostinit signs with the key and keeps it 0600 in /run/ghostboot; the
# worker's init (worker.keyscan) then dumps, as uid 65534, every /proc/*/cmdline and environ
# and every file under /run it can read. The key must be in none of them, nor anywhere on the
# console, while ghostwatch accepted the worker's reports (signed with that key).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
out=$(realpath -m build/test-tmp/node-key)
rm -rf "$out"
mkdir -p "$out"
export CLUSTER_OUT=$out
d=$out/demo log=$d/w1.console mac=52:54:00:67:62:01
start=$SECONDS
# worker.sleep=8: the worker stays up past its first heartbeat (every 5 s): with TCG's larger
# translation cache its scan ends within 5 s of switch_root.
timeout 360 netboot/cluster/up.sh --once --root busybox --workers 1 --timeout 240 \
	--worker-args "worker.keyscan worker.ps worker.sleep=8" >"$out/up.log" 2>&1
rc=$?
check "up.sh --once with per-node keys exits 0 ($((SECONDS - start)) s)" [ "$rc" -eq 0 ]
key=$(build/ghostwatch node-key "$mac" --master-key "$out/master.key")
check "the worker's key is 64 hex digits (ghostwatch node-key)" bash -c "[[ '$key' =~ ^[0-9a-f]{64}\$ ]]"
check "iPXE loaded the worker's key archive" grep -aq "ghostboot: per-node key loaded" "$log"
check "the kernel's command line names the archive and holds no key" bash -c \
	"grep -a 'Command line:' '$log' | grep -q 'initrd=nodekey.img' && ! grep -a 'Command line:' '$log' | grep -q 'ghost.key'"
want=$(printf '%s\n' "$key" | sha256sum | cut -d' ' -f1)
check "root keeps the key in /run/ghostboot/node.key, mode 600, owner 0 (its sha256 matches)" \
	grep -aq "WORKER-KEY-KEPT $want 600 0" "$log"
check "the scan ran as uid 65534" grep -aq "WORKER-NONROOT-ID 65534" "$log"
check "it read /proc/cmdline (BOOTIF there) and other processes' command lines" bash -c \
	"grep -a 'WORKER-NONROOT-PROC /proc/cmdline:' '$log' | grep -q BOOTIF= &&
	 [ \$(grep -ac 'WORKER-NONROOT-PROC /proc/[0-9]*/cmdline:' '$log') -ge 3 ]"
check "it read files under /run (the lease in /run/ghostboot/net.env)" \
	grep -aq "WORKER-NONROOT-RUN /run/ghostboot/net.env:" "$log"
check "the scan finished" grep -aq "WORKER-NONROOT-DONE" "$log"
check "the key is in none of them: not in any line uid 65534 could read" \
	bash -c "! grep -a 'WORKER-NONROOT' '$log' | grep -qi '$key'"
check "nor anywhere on the worker's console" bash -c "! grep -aqi '$key' '$log'"
check "the guardian runs, without --key in its arguments" bash -c \
	"grep -a 'WORKER-PS' '$log' | grep -q guardian && ! grep -a 'WORKER-PS' '$log' | grep -q -- '--key'"
check "ghostwatch ran with per-node keys and accepted the worker's reports" bash -c \
	"grep -q 'per-node keys' '$d/ghostwatch.log' && grep -qE '^$mac +w1 ' '$d/ghostwatch.status'"
check "ghostwatch --cluster: the worker listed, on protocol v2, confirmed (its heartbeat daemon's reports applied)" python3 -c "
import json, subprocess
j = json.loads(subprocess.check_output(['build/ghostwatch', 'status', '--json', '--state-dir', '$d/var/lib/ghostboot/watch']))
n = [x for x in j['nodes'] if x['node'] == '$mac']
assert n and n[0]['listed'] and n[0]['protocol'] == 2 and n[0]['ip'] == '10.67.0.11', n
assert {'switch-root', 'heartbeat'} <= set(n[0]['stages_ms']), n"
check "ghostinit reported without a key warning" bash -c \
	"! grep -aE '^ghostinit: .*(reports to the master are off|report key not kept|ghost.key)' '$log' | grep -aq ."
# boot http (the default): lighttpd serves each node's folder to that node's address alone;
# its access log names the file it sent.
archive=$d/srv/ghostboot/tftp/10.67.0.11/keys/${mac//:/-}.img
check "lighttpd served the archive from the worker's own folder, as its user www-data (0400)" bash -c \
	"grep -q '^10.67.0.11 .*\"GET /keys/${mac//:/-}.img HTTP/1.1\" 200 .*\"$archive\"' '$d/var/log/ghostboot/http/access.log' &&
	 [ \"\$(stat -c '%a %U' '$archive')\" = '400 www-data' ] &&
	 [ ! -e '$d/srv/ghostboot/tftp/keys/${mac//:/-}.img' ]"
tap_done
