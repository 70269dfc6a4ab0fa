#!/bin/bash
# make faults: runs every fault case (tests/faults/{test,slow}_*.sh, the existing tests that
# are the case for theirs, and the storm engineer's ghostwatch SIGKILL test when it exists),
# each with a hard timeout, and prints the table of their "# fault: case | outcome | seconds"
# lines. Writes build/bench/faults.txt; exits non-zero when any case failed.
set -u
cd "$(dirname "$0")/../.."
logs=build/test-logs/faults
out=build/bench/faults.txt
mkdir -p "$logs" build/bench
cases=(tests/faults/test_*.sh tests/faults/slow_*.sh
	tests/qemu/test_root_nfs_faults.sh # NFS server absent then started; wrong export path
	tests/qemu/test_foundation.sh      # a module file missing from the image
	tests/qemu/test_shutdown.sh        # the NFS server gone before shutdown
	tests/qemu/test_poweroff_impossible.sh # poweroff asked of a machine without ACPI
	tests/qemu/test_running_node.sh    # a crash of the heartbeat daemon; a kernel panic later on
	tests/qemu/test_shutdown_spare.sh  # a user's '@' process at shutdown
	tests/qemu/test_shutdown_unpivoted.sh # /shutdown exec'd as PID 1 without the pivot
	tests/qemu/test_root_stalled.sh    # the NFS server stalls after the root is mounted
	tests/net/test_storm_ghostwatch_kill.sh)
failed=0 rows=()
for t in "${cases[@]}"; do
	[ -x "$t" ] || continue
	name=$(basename "$t" .sh)
	log=$logs/$name.log
	start=$SECONDS
	# test_shutdown's power-off cycles are the soak's (make soak): one is enough here.
	SHUTDOWN_CYCLES=1 timeout -k 10 "${FAULT_TIMEOUT:-1200}" "$t" >"$log" 2>&1
	rc=$?
	echo "$name: status $rc, $(grep -c '^ok' "$log") ok, $(grep -c '^not ok' "$log") not ok, $((SECONDS - start)) s"
	[ "$rc" -eq 0 ] || { failed=$((failed + 1)); grep '^not ok' "$log" | head -n 5 | sed 's/^/    /'; }
	lines=$(sed -n 's/^# fault: //p' "$log")
	[ -n "$lines" ] || lines="$name | no fault line; the script $([ "$rc" -eq 0 ] && echo passed || echo "FAILED (status $rc)") | -"
	[ "$rc" -eq 0 ] || lines=$(echo "$lines" | sed "s# | \([^|]*\) | # | \1 (test failed, see $log) | #")
	while IFS= read -r l; do rows+=("$l"); done <<<"$lines"
done
{
	echo "# make faults, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, QEMU TCG"
	printf '%s\n' "case | outcome | s to that outcome" "${rows[@]}" | column -t -s '|' -o '|'
	echo "# $((${#rows[@]})) cases, $failed test script(s) failed"
} | tee "$out"
[ "$failed" -eq 0 ]
