# TAP helpers for shell tests: source it, call ok/not_ok/check, end with tap_done.
# Exits non-zero when any check failed.
tap_failures=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; tap_failures=$((tap_failures + 1)); }
# check "description" command...: ok when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
tap_done() { [ "$tap_failures" -eq 0 ]; }
