#!/bin/bash
# The man pages against the code they document (issue 19 item 7), both ways, with the names
# taken mechanically from the parsers:
#   ghostinit(8)        every parameter of agent/boot/cmdline.c's table, and no other;
#   ghostboot-cluster(5) every key netboot/cluster/cluster.sh accepts, and no other;
#   ghostwatch(8)       every subcommand of `ghostwatch --help` and every option of each
#                       `ghostwatch COMMAND --help`; ghostinit(8) every subcommand of its --help.
# And each page renders without a warning (MANWIDTH=80 man --warnings -l). To show the checks
# can fail, they also run on copies with a parameter or key added to the parser only, and a
# parameter added to the page only.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
GW=${GHOSTWATCH:-build/ghostwatch}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# parser_params CMDLINE.C: the names in the params[] table, one a line, sorted.
parser_params() { sed -n '/^} params\[\] = {/,/^};/p' "$1" | grep -o '{ "[^"]*"' | cut -d'"' -f2 | sort -u; }
# cluster_keys CLUSTER.SH: the keys of cl_load's case (two tabs, "key)" or "a | b)").
cluster_keys() { grep -P '^\t\t[a-z][a-z0-9 |-]*\)$' "$1" | tr -d '\t)' | tr '|' '\n' | tr -d ' ' | sort -u; }
# page_terms SCD SECTION: the bold names of the term lines of one section ("*name=*" or
# "*ro*, *rw*" at the start of a line, its text indented below), "=" dropped.
page_terms() {
	awk -v s="# $2" '$0 == s { on = 1; next } /^# / { on = 0 }
		on && /^\t/ && prev ~ /^\*/ { print prev } { prev = $0 }' "$1" |
		grep -o '\*[A-Za-z][A-Za-z0-9._-]*=\?\*' | tr -d '*=' | sort -u
}
# differs WHAT WANT GOT: empty when equal; else the names each lacks.
differs() {
	local missing extra
	missing=$(comm -23 "$2" "$3" | tr '\n' ' ') extra=$(comm -13 "$2" "$3" | tr '\n' ' ')
	[ -z "$missing$extra" ] && return 0
	echo "# $1: not in the page: ${missing:-none}; in the page only: ${extra:-none}"
	return 1
}
params_match() { parser_params "$1" >"$tmp/want"; page_terms "$2" "KERNEL PARAMETERS" >"$tmp/got"; differs "ghostinit(8)" "$tmp/want" "$tmp/got"; }
keys_match() { cluster_keys "$1" >"$tmp/want"; page_terms "$2" "KEYS" >"$tmp/got"; differs "ghostboot-cluster(5)" "$tmp/want" "$tmp/got"; }
export -f params_match keys_match parser_params cluster_keys page_terms differs # for bash -c
export tmp

check "the parser's table has its $(parser_params agent/boot/cmdline.c | wc -l) parameters (the extraction works)" \
	test "$(parser_params agent/boot/cmdline.c | wc -l)" -ge 20
check "ghostinit(8): every parameter of agent/boot/cmdline.c, and no other" \
	params_match agent/boot/cmdline.c docs/man/ghostinit.8.scd
check "cluster.sh accepts $(cluster_keys netboot/cluster/cluster.sh | wc -l) keys (the extraction works)" \
	test "$(cluster_keys netboot/cluster/cluster.sh | wc -l)" -ge 20
check "ghostboot-cluster(5): every key netboot/cluster/cluster.sh accepts, and no other" \
	keys_match netboot/cluster/cluster.sh docs/man/ghostboot-cluster.5.scd

# The checks fail when the parser and the page disagree.
sed 's/^\t{ "ghost.debug", param_debug },/&\n\t{ "ghost.newparam", param_debug },/' agent/boot/cmdline.c >"$tmp/cmdline.c"
check "... a parameter added to the parser only (ghost.newparam): the check fails and names it" \
	bash -c "! params_match '$tmp/cmdline.c' docs/man/ghostinit.8.scd" 2>/dev/null
params_match "$tmp/cmdline.c" docs/man/ghostinit.8.scd | grep -q "not in the page: ghost.newparam" ||
	not_ok "... (the message names ghost.newparam)"
sed 's/^\*ghost.debug\*$/&\n\tMore log lines.\n\n*ghost.oldparam=*/' docs/man/ghostinit.8.scd >"$tmp/ghostinit.8.scd"
check "... a parameter in the page only (ghost.oldparam): the check fails" \
	bash -c "! params_match agent/boot/cmdline.c '$tmp/ghostinit.8.scd'"
sed 's/^\t\tconsole)$/\t\tconsole | color)/' netboot/cluster/cluster.sh >"$tmp/cluster.sh"
check "... a key added to cluster.sh only (color): the check fails" \
	bash -c "! keys_match '$tmp/cluster.sh' docs/man/ghostboot-cluster.5.scd"

# ghostwatch(8): each command and each option its usage lists (gw_lacks PAGE: what it lacks).
commands=$("$GW" --help | awk '$1 == "ghostwatch" && $2 ~ /^[a-z]/ { print $2 }')
gw_lacks() {
	local c o
	for c in $commands; do
		grep -q "^\*$c[* ]" "$1" || echo -n " $c"
		for o in $("$GW" "$c" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z0-9-]+' | grep -oE -- '-{1,2}[a-zA-Z0-9-]+'); do
			grep -qF -- "*$o*" "$1" || echo -n " $c:$o"
		done
	done
}
lacks=$(gw_lacks docs/man/ghostwatch.8.scd)
[ -z "$lacks" ] || echo "# ghostwatch(8) lacks:$lacks"
check "ghostwatch(8): its $(echo $commands | wc -w) commands and every option of their --help" \
	test -n "$commands" -a -z "$lacks"
sed 's/^\*--once\*$/*--one-time*/' docs/man/ghostwatch.8.scd >"$tmp/ghostwatch.8.scd"
check "... a page without --once: the check names status:--once" \
	test "$(gw_lacks "$tmp/ghostwatch.8.scd")" = " status:--once"

# ghostinit(8): each subcommand of `ghostinit --help` has its entry under COMMANDS.
GI=${GHOSTINIT:-build/ghostinit}
gi_commands=$("$GI" --help | sed 's/^usage://' | awk '$1 == "ghostinit" && $2 ~ /^[a-z-]+$/ && $3 != "PID" { print $2 }')
gi_lacks=""
for c in $gi_commands; do
	page_terms "${GHOSTINIT_PAGE:-docs/man/ghostinit.8.scd}" COMMANDS | grep -qx "$c" || gi_lacks+=" $c"
done
[ -z "$gi_lacks" ] || echo "# ghostinit(8) lacks:$gi_lacks"
check "ghostinit(8): the $(echo $gi_commands | wc -w) subcommands of ghostinit --help" test -n "$gi_commands" -a -z "$gi_lacks"

# Each page renders without a warning.
for scd in docs/man/*.scd; do
	page=$tmp/$(basename "$scd" .scd)
	scdoc <"$scd" >"$page" 2>"$tmp/scdoc.err" || { not_ok "$scd: scdoc: $(cat "$tmp/scdoc.err")"; continue; }
	warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warnings" ] || echo "$warnings" | head -5 | sed 's/^/# /'
	check "$(basename "$page"): scdoc builds it, man --warnings -l renders it without a warning" test -z "$warnings"
done
tap_done
