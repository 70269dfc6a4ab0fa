#!/bin/bash
# The command-line conventions of ghostinit and ghostwatch (issue 19 item 6), on the built
# binaries (ghostinit is static: it runs here as a normal process): -V prints the top-level
# VERSION; -h/--help after every subcommand prints its usage on stdout and exits 0; stray
# arguments and unknown options are refused with exit 2 and the usage on stderr; ghostinit
# cmdline --json is the same configuration as its name=value lines. ghostwatch's options on a
# real state are in tests/net/test_ghostwatch_cluster.sh.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
GI=${GHOSTINIT:-build/ghostinit}
GW=${GHOSTWATCH:-build/ghostwatch}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(cat VERSION)

check "ghostinit -V and --version: 'ghostinit $version'" \
	bash -c "[ \"\$('$GI' -V)\" = 'ghostinit $version' ] && [ \"\$('$GI' --version)\" = 'ghostinit $version' ]"
check "ghostwatch -V and --version: 'ghostwatch $version'" \
	bash -c "[ \"\$('$GW' -V)\" = 'ghostwatch $version' ] && [ \"\$('$GW' --version)\" = 'ghostwatch $version' ]"

# helps BINARY SUBCOMMAND...: how many print "usage: BINARY SUB" on stdout, nothing on
# stderr, exit 0, for both -h and --help.
helps() {
	local bin=$1 n=0 sub flag good
	shift
	for sub in "$@"; do
		good=1
		for flag in -h --help; do
			"$bin" "$sub" "$flag" >"$tmp/out" 2>"$tmp/err" && grep -q "^usage: $(basename "$bin") $sub" "$tmp/out" &&
				[ ! -s "$tmp/err" ] || { good=0; echo "# $bin $sub $flag: $(head -c 200 "$tmp/err")"; }
		done
		n=$((n + good))
	done
	echo "$n"
}
gi_subs="cmdline report net-up shutdown guardian"
gw_subs="serve status hostfile timeline keygen node-key hostlist"
check "ghostinit SUB -h/--help: usage on stdout, exit 0, for all 5" test "$(helps "$GI" $gi_subs)" = 5
check "ghostwatch SUB -h/--help: usage on stdout, exit 0, for all 7" test "$(helps "$GW" $gw_subs)" = 7
check "ghostinit --help and ghostwatch --help: exit 0, usage on stdout" \
	bash -c "'$GI' --help | grep -q '^usage: ghostinit' && '$GW' --help | grep -q '^usage: ghostwatch'"

# refused EXPECTED-RC BINARY ARGS...: exit code and "usage:" on stderr, nothing on stdout.
refused() {
	local want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[ "$rc" = "$want" ] && grep -q "usage:" "$tmp/err" && [ ! -s "$tmp/out" ] && return 0
	echo "# $*: rc $rc, stderr: $(head -c 300 "$tmp/err" | tr '\n' '|')"
	return 1
}
check "ghostinit cmdline A B (a second TEXT): exit 2" refused 2 "$GI" cmdline 'ip=dhcp' 'root=/dev/nfs'
check "ghostinit cmdline --bogus: exit 2" refused 2 "$GI" cmdline --bogus
check "ghostinit shutdown reboot now (a stray word): exit 2, before any root check" refused 2 "$GI" shutdown reboot now
check "ghostinit guardian --arm 5 x: exit 2" refused 2 "$GI" guardian --arm 5 x
check "ghostinit net-up stray: exit 2" refused 2 "$GI" net-up stray
check "ghostinit report with an unknown option: exit 2" refused 2 "$GI" report --bogus 1 --master 127.0.0.1 boot
check "ghostinit frobnicate (no such command): exit 2" refused 2 "$GI" frobnicate
check "ghostwatch status w1 w2: exit 2" refused 2 "$GW" status w1 w2 --state-dir "$tmp"
check "ghostwatch hostfile --rate 5 (serve's option): exit 2" refused 2 "$GW" hostfile --rate 5 --state-dir "$tmp"
# Even a binary that wrongly accepts these must not touch this machine: serve in a network
# namespace of its own with nothing in it, keygen's secret in the test's folder.
check "ghostwatch serve extra: exit 2" refused 2 timeout 10 unshare -n "$GW" serve extra --insecure --state-dir "$tmp"
check "ghostwatch timeline (no OUT.svg): exit 2" refused 2 "$GW" timeline --state-dir "$tmp"
check "ghostwatch keygen --port 1: exit 2" refused 2 "$GW" keygen --port 1 --master-key "$tmp/master.key"
check "ghostwatch serve --port 70000: exit 2" refused 2 timeout 10 unshare -n "$GW" serve --insecure --state-dir "$tmp" --port 70000
check "ghostwatch serve --port (no value): exit 2" refused 2 timeout 10 unshare -n "$GW" serve --insecure --state-dir "$tmp" --port
check "ghostwatch hostlist expand (no EXPR): exit 2" refused 2 "$GW" hostlist expand
check "ghostwatch hostlist expand 'w[3-1]': exit 2" bash -c "'$GW' hostlist expand 'w[3-1]' >/dev/null 2>&1; [ \$? = 2 ]"
check "ghostwatch frobnicate: exit 2" refused 2 "$GW" frobnicate

# cmdline --json: the same pairs as the text form, and the warnings.
line='ip=dhcp root=/dev/nfs nfsroot=10.0.0.1:/srv/root,vers=4 rd.shell ghost.overlay=tmpfs:size=50% ghost.bogus=1 ifname=lan0:52:54:00:12:34:56'
"$GI" cmdline "$line" >"$tmp/text" 2>/dev/null
"$GI" cmdline --json "$line" >"$tmp/json" 2>"$tmp/json.err"
rc=$?
check "cmdline --json: exit 1 (a warning), the same name=value pairs as the text, the warning in \"warnings\"" python3 - "$tmp/text" "$tmp/json" "$rc" <<'PY'
import json, sys
text = [l.split("=", 1) for l in open(sys.argv[1]).read().splitlines()]
j = json.load(open(sys.argv[2]))
warnings = j.pop("warnings")
assert sys.argv[3] == "1", sys.argv[3]
assert list(j.items()) == [tuple(p) for p in text], (j, text)
assert warnings == ["unknown parameter 'ghost.bogus', ignored"], warnings
assert j["ghost.overlay"] == "tmpfs:size=50%" and j["ifname"] == "lan0:52:54:00:12:34:56", j
PY
printf '%s' 'init=/a\b' >"$tmp/bs"
check "cmdline --json: a backslash in a value stays valid JSON (init /a\\b)" \
	bash -c "'$GI' cmdline --json \"\$(cat '$tmp/bs')\" | python3 -c 'import json, sys; v = json.load(sys.stdin)[\"init\"]; assert v == \"/a\" + chr(92) + \"b\", v'"
tap_done
