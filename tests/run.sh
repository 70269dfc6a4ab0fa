#!/bin/bash
# Runs the test suites named as arguments (build unit fuzz net qemu), each test with a hard timeout,
# its output kept in build/test-logs/<suite>/<test>.log, and prints one closing line:
# "N passed, N failed". Every test speaks TAP ("ok ..." / "not ok ..."); a test that exits
# non-zero without a "not ok" line counts as one failure.
set -u
cd "$(dirname "$0")/.."
logs=build/test-logs
host=build/host
passed=0 failed=0
failures=()

run_one() { # suite name timeout command...
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
	passed=$((passed + ok))
	failed=$((failed + bad))
	printf '%-6s %-40s %3d ok %3d failed  %4ds\n' "$suite" "$name" "$ok" "$bad" $((SECONDS - start))
	if [ "$bad" -gt 0 ]; then
		failures+=("$log")
		grep -E '^not ok' "$log" | head -n 5 | sed 's/^/         /'
	fi
}

suite_unit() {
	local t
	for t in "$host"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one unit "$(basename "$t")" 300 "$t"
	done
}

suite_fuzz() {
	local t name corpus
	for t in "$host"/fuzz/fuzz_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		corpus=tests/fuzz/corpus/$name
		mkdir -p "$corpus" "build/fuzz-corpus/$name"
		run_one fuzz "$name" $((FUZZ_SECONDS + 120)) tests/fuzz/run-target.sh "$t" \
			"build/fuzz-corpus/$name" "$corpus" "${FUZZ_SECONDS:-10}"
	done
}

suite_scripts() { # suite
	local t
	for t in tests/"$1"/test_*.sh; do
		[ -x "$t" ] || continue
		run_one "$1" "$(basename "$t" .sh)" 1200 "$t"
	done
}

[ $# -gt 0 ] || set -- build unit fuzz net qemu
for suite in "$@"; do
	case $suite in
	unit) suite_unit ;;
	fuzz) suite_fuzz ;;
	build | net | qemu) suite_scripts "$suite" ;;
	*) echo "run.sh: unknown suite $suite" >&2; failed=$((failed + 1)) ;;
	esac
done
for f in "${failures[@]}"; do echo "log of a failure: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
