#!/bin/bash
# Bad input to ghostwatch (the ASan/UBSan build): truncated, oversized, wrong version, wrong
# magic, bad HMAC, random bytes, replays, a flood from one source, and reports signed with
# another key. Each is dropped and counted under its reason, nothing crashes, no node is
# created by anything unauthenticated, and memory stays bounded.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
ns=$(netns_name gwbad)
netns_add "$ns"
dir=$(mktemp -d /tmp/gb-gwbad.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
gw_key "$dir/key"
gw_key "$dir/other-key"
C=500

check "ghostwatch serve starts" gw_start "$ns" "$dir" --key "$dir/key" --rate 50 --burst 100
rss_before=$(awk '/VmRSS/ { print $2 }' /proc/"$GW_PID"/status)

metric() { awk -v n="$1" '$1 == n { print $2 }' "$dir/state/metrics.prom"; }
reject() { metric "ghostwatch_rejected_total{reason=\"$1\"}"; }

# Each kind from its own range of sources (--first), so the rate limit never mixes in.
send() { gw_loadgen "$ns" --key "$dir/key" --bad "$1" --count "$2" --first "$3" >/dev/null; }
send truncated $C 0
send oversized $C 1000
send bad-version $C 2000
send bad-magic $C 3000
send bad-hmac $C 4000
send replay $C 5000
gw_loadgen "$ns" --key "$dir/other-key" --nodes 20 --first 6000 --stages boot >/dev/null
gw_metric "$dir" ghostwatch_datagrams_total >/dev/null
check "truncated: $C counted ($(reject truncated))" test "$(reject truncated)" = $C
check "oversized: $C counted ($(reject oversized))" test "$(reject oversized)" = $C
check "wrong version: $C counted ($(reject bad_version))" test "$(reject bad_version)" = $C
check "wrong magic: $C counted ($(reject bad_magic))" test "$(reject bad_magic)" = $C
# bad-hmac: $C datagrams; other key: 20 nodes x 6 sends (the loadgen retransmits unacked).
check "bad HMAC and wrong key: $((C + 120)) counted ($(reject bad_hmac))" test "$(reject bad_hmac)" = $((C + 120))
check "replays: $C counted ($(reject replayed)), the originals accepted" \
	test "$(reject replayed)" = $C -a "$(metric ghostwatch_reports_accepted_total)" = $C
check "a replayed report is acked again (its first ack may have been lost)" \
	test "$(metric ghostwatch_acks_sent_total)" = $((2 * C))

# Random bytes: half start like a v1 datagram. Whatever the reason, every one is refused.
before=$(metric ghostwatch_datagrams_total)
send random 5000 7000
gw_metric "$dir" ghostwatch_datagrams_total >/dev/null
after=$(metric ghostwatch_datagrams_total)
check "random: 5000 received ($((after - before)))" test $((after - before)) = 5000
check "random: none accepted" test "$(metric ghostwatch_reports_accepted_total)" = $C
sum=$(awk '/^ghostwatch_rejected_total/ { s += $2 } END { print s }' "$dir/state/metrics.prom")
check "every datagram is accepted or refused for one reason ($after = $C + $sum)" test "$after" = $((C + sum))

# Flood: 3000 authentic reports from one source as fast as it can; 50/s, burst 100 let few in.
send flood 3000 9000
gw_metric "$dir" ghostwatch_datagrams_total >/dev/null
limited=$(reject rate_limited)
echo "# flood: $limited of 3000 rate limited"
check "flood: most of 3000 rate limited (>= 2500: $limited)" test "$limited" -ge 2500
check "flood: what passed was accepted (accepted + limited = 3000)" \
	test $(($(metric ghostwatch_reports_accepted_total) - C + limited)) = 3000

"$GW" status --json --state-dir "$dir/state" >"$dir/status.json"
check "only authentic reports made nodes ($C replay nodes + 1 flood node)" python3 -c "
import json; n = json.load(open('$dir/status.json'))['nodes']; assert len(n) == $C + 1, len(n)"

rss_after=$(awk '/VmRSS/ { print $2 }' /proc/"$GW_PID"/status)
echo "# RSS (ASan build) before ${rss_before} kB, after ${rss_after} kB"
check "memory bounded: RSS grew by less than 64 MiB under ASan (${rss_before} -> ${rss_after} kB)" \
	test $((rss_after - rss_before)) -lt 65536
check "ghostwatch still running, no sanitizer report" bash -c "kill -0 $GW_PID && ! grep -q 'Sanitizer' '$dir/serve.log'"
tap_done
