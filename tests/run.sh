#!/bin/bash
# Runs the test suites named as arguments (build unit fuzz net qemu faults), each test with a hard timeout,
# its output kept in build/test-logs/<suite>/<test>.log, and prints one closing line:
# "N passed, N failed". Every test speaks TAP ("ok ..." / "not ok ..."); a test that exits
# non-zero without a "not ok" line counts as one failure.
set -u
cd "$(dirname "$0")/.."
logs=build/test-logs
host=build/host
passed=0 failed=0
failures=()

run_one() { # suite name timeout command...: runs one test, prints its line, leaves <log>.result
	local suite=$1 name=$2 limit=$3
	shift 3
	mkdir -p "$logs/$suite"
	local log="$logs/$suite/$name.log" rc
	local start=$SECONDS
	CMOCKA_MESSAGE_OUTPUT=tap timeout -k 10 "$limit" "$@" >"$log" 2>&1
	rc=$?
	local ok bad
	ok=$(grep -cE '^ok( |$)' "$log")
	bad=$(grep -cE '^not ok( |$)' "$log")
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
		echo "not ok - $name exited with status $rc$([ "$rc" -eq 124 ] && echo ' (timeout)')" >>"$log"
	fi
	echo "$ok $bad" >"$log.result"
	# One write per test, so that lines of tests running side by side do not interleave.
	local text
	text=$(printf '%-6s %-40s %3d ok %3d failed  %4ds' "$suite" "$name" "$ok" "$bad" $((SECONDS - start))
		[ "$bad" -gt 0 ] && grep -E '^not ok' "$log" | head -n 5 | sed 's/^/         /')
	printf '%s\n' "$text"
}

collect() { # log...: adds the results of finished tests to the totals
	local log ok bad
	for log in "$@"; do
		read -r ok bad <"$log.result" 2>/dev/null || { ok=0 bad=1; }
		passed=$((passed + ok))
		failed=$((failed + bad))
		[ "$bad" -gt 0 ] && failures+=("$log")
	done
	return 0
}

run_and_collect() { # suite name timeout command...
	run_one "$@"
	collect "$logs/$1/$2.log"
}

suite_unit() {
	local t
	for t in "$host"/tests/test_*; do
		[ -x "$t" ] || continue
		run_and_collect unit "$(basename "$t")" 300 "$t"
	done
}

# Fuzz targets run TEST_JOBS at a time: each is one process on one core, bounded by time, so
# side by side they cover as much as one after the other, in a fraction of the wall time.
suite_fuzz() { # jobs
	local t name corpus
	for t in "$host"/fuzz/fuzz_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		corpus=tests/fuzz/corpus/$name
		mkdir -p "$corpus" "build/fuzz-corpus/$name"
		pool_run "$1" fuzz "$name" $((FUZZ_SECONDS + 120)) tests/fuzz/run-target.sh "$t" \
			"build/fuzz-corpus/$name" "$corpus" "${FUZZ_SECONDS:-10}"
	done
	pool_collect
}

# Script suites run TEST_JOBS tests side by side (QEMU under TCG keeps one core busy per
# guest and the tests mostly wait for it; the build tests check sizes and files, not time, and
# only read what make check's test-build made; each net test has its own namespace); a test
# that measures the host says "# alone:" and runs by itself.
# Tests marked "# heavy:" (a line of their own, saying why) start first, so that the pool
# does not end with one long test running alone.
ordered_tests() { # suite
	local heavy
	heavy=$(grep -l '^# heavy:' tests/"$1"/test_*.sh 2>/dev/null)
	printf '%s\n' $heavy
	for t in tests/"$1"/test_*.sh; do
		grep -qxF "$t" <<<"$heavy" || echo "$t"
	done
}

# pool_run jobs suite name timeout command...: runs the test in the background, waiting first
# while `jobs` tests run; pool_collect waits for the rest and adds every result up.
pool_logs=() pool_running=0
pool_run() {
	local jobs=$1 suite=$2 name=$3
	shift
	rm -f "$logs/$suite/$name.log.result"
	pool_logs+=("$logs/$suite/$name.log")
	run_one "$@" &
	pool_running=$((pool_running + 1))
	if [ "$pool_running" -ge "$jobs" ]; then
		wait -n
		pool_running=$((pool_running - 1))
	fi
}

pool_collect() {
	wait
	[ ${#pool_logs[@]} -eq 0 ] || collect "${pool_logs[@]}"
	pool_logs=() pool_running=0
}

# A test with a line "# alone: <why>" (it measures time or rates) runs after the others, with
# nothing beside it.
suite_scripts() { # suite jobs [keep]: with keep, leaves the pool running (the next suite joins it)
	local t alone
	alone=$(grep -l '^# alone:' tests/"$1"/test_*.sh 2>/dev/null)
	for t in $(ordered_tests "$1"); do
		[ -x "$t" ] && ! grep -qxF "$t" <<<"$alone" || continue
		pool_run "$2" "$1" "$(basename "$t" .sh)" 1200 "$t"
	done
	if [ -n "$alone" ]; then
		pool_collect
		for t in $alone; do
			[ -x "$t" ] && pool_run 1 "$1" "$(basename "$t" .sh)" 1200 "$t"
		done
	fi
	[ -n "${3:-}" ] || pool_collect
}

[ $# -gt 0 ] || set -- build unit fuzz net qemu faults
for suite in "$@"; do
	[ "$suite" = qemu ] || [ "$suite" = faults ] || pool_collect # the others run on a quiet machine
	case $suite in
	unit) suite_unit ;;
	fuzz) suite_fuzz "${TEST_JOBS:-$(nproc)}" ;;
	build) suite_scripts build "${TEST_JOBS:-$(nproc)}" ;;
	net) suite_scripts net "${TEST_JOBS:-$(nproc)}" ;;
	# The QEMU suites share one pool: the faults' guests start while the last QEMU tests
	# still run, instead of after the pool has drained to one guest.
	qemu | faults) suite_scripts "$suite" "${TEST_JOBS:-$(nproc)}" keep ;;
	*) echo "run.sh: unknown suite $suite" >&2; failed=$((failed + 1)) ;;
	esac
done
pool_collect
for f in "${failures[@]}"; do echo "log of a failure: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
