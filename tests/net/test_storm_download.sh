#!/bin/bash
# alone: 8 nodes downloading 9 MB each over TFTP then HTTP: nothing else may take the cores
# The download phase of a boot storm, small (the figures at 64 and 256 nodes are `make storm`'s):
# 8 simulated nodes fetch what iPXE fetches (kernel, base + virtio parts, their key archive)
# from the real dnsmasq on a generated `boot tftp` dnsmasq.conf (block size 1432, as iPXE asks)
# and from the real lighttpd on the generated `boot http` lighttpd.conf, all released at once:
# every node gets every file whole over both, each key archive from its own node's folder. No
# timing is asserted (the figures are printed).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
N=${DOWNLOAD_CLIENTS:-8}
out=$(keep=1 tests/storm/download.sh "$N" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
summary=$(echo "$out" | sed -n 's/^DOWNLOAD_SUMMARY //p')
v() { tr ' ' '\n' <<<"$summary" | sed -n "s/^$1=//p"; }
check "download.sh $N: exit 0 (every node served)" [ "$rc" -eq 0 ]
check "TFTP: no node failed ($(v tftp_failed))" [ "$(v tftp_failed)" = 0 ]
check "HTTP: no node failed ($(v http_failed))" [ "$(v http_failed)" = 0 ]
check "dnsmasq sent $((4 * N)) files (4 a node: $(v tftp_sent))" [ "$(v tftp_sent)" = $((4 * N)) ]
check "lighttpd logged $((4 * N)) requests ($(v http_log_lines))" [ "$(v http_log_lines)" = $((4 * N)) ]
d=$(ls -d build/test-tmp/download.* 2>/dev/null | tail -1)
check "each node's key archive over HTTP from its own folder" bash -c \
	"[ \$(grep -c '\"GET /keys/.*\" 200 .*/tftp/10\\.77\\.1\\.[0-9]*/keys/' $d/httplog/access.log) = $N ]"
check "each node's key archive over TFTP from its own folder" bash -c \
	"[ \$(grep -c 'sent .*/tftp/10\\.77\\.1\\.[0-9]*/keys/.* to 10\\.77\\.1\\.' $d/dnsmasq.log) = $N ]"
[ "$tap_failures" -eq 0 ] && rm -rf "$d"
tap_done
