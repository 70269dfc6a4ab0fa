#!/bin/bash
# The power-off soak (make soak): SOAK_CYCLES (default 100) cycles of a worker whose root is on
# NFS (Ganesha in the test's namespace) writing 4 MiB without fsync right before poweroff,
# through ghostinit's shutdown. Prints each shutdown's time (start → QEMU exit), then asserts
# 0 lost (md5 on the server) and 0 hangs (each cycle bounded), with median/p99/max.
# Writes build/bench/soak.txt. The same cycles, 10 of them, run in make check
# (tests/qemu/test_shutdown.sh); both use tests/lib/soak.sh.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/soak.sh

CYCLES=${SOAK_CYCLES:-100}
work=build/soak
logs=build/test-logs/soak
out=build/bench/soak.txt
mkdir -p "$logs" build/bench
trap 'netns_cleanup; rm -rf "$SOAK_EXPORT"' EXIT
soak_setup soak "$work" || { not_ok "guest image, namespace and NFS-Ganesha set up"; exit 1; }
start=$SECONDS
soak_cycles "$CYCLES" "$logs" | tee "$out.cycles"
# soak_cycles ran in a pipeline (a subshell): count again from the lines it printed.
SOAK_LOST=$(grep -c ', LOST' "$out.cycles")
SOAK_HANGS=$(grep -c ', HANG' "$out.cycles")
guest=$(sed -n 's/^# cycle [0-9]*: shutdown \([0-9.]*\) s guest.*/\1/p' "$out.cycles")
host=$(sed -n 's/.* s guest, \([0-9.]*\) s host.*/\1/p' "$out.cycles")
{
	echo "# soak: $CYCLES power-off cycles in $((SECONDS - start)) s; $SOAK_LOST lost, $SOAK_HANGS hangs"
	echo "# shutdown start → power down, guest clock: $(soak_stats $guest)"
	echo "# shutdown start seen on the console → QEMU exit, host clock: $(soak_stats $host)"
} | tee "$out.summary"
cat "$out.cycles" "$out.summary" >"$out" && rm -f "$out.cycles" "$out.summary"
check "$CYCLES power-offs: the data written without fsync complete on the server ($SOAK_LOST lost)" [ "$SOAK_LOST" -eq 0 ]
check "$CYCLES power-offs: each shutdown over within ${SOAK_SHUTDOWN_LIMIT} s ($SOAK_HANGS hangs)" [ "$SOAK_HANGS" -eq 0 ]
check "$CYCLES cycles ran" [ "$(grep -c '^# cycle' "$out")" -eq "$CYCLES" ]
tap_done
