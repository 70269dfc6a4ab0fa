#!/bin/bash
# heavy: a real Prometheus and two ghostwatch in three namespaces (~35 s)
# Many masters, one view (issue 21 item 5): two masters, each a namespace of its own with its
# own ghostwatch (ASan/UBSan build), its node list and its nodes (simulated: the loadgen sends
# their real signed reports from 127.0.0.x), each serving /metrics on its cluster-side address;
# one real Prometheus (Debian's, its own configuration and storage in a temporary folder) in a
# third namespace, linked to both, scrapes them every second and loads the generated alert
# rules. A PromQL query through Prometheus' HTTP API answers "which nodes of either master are
# not up": none while all four are up; then a node of master a reports its reset (down) and
# a node of master b goes silent mid-boot (lost after 3 s), and the answer is exactly those
# two, each with its master.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
dir=$(mktemp -d /tmp/gb-prom.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
prom=$(netns_name prom)
netns_add "$prom"
declare -A ns
for m in a b; do
	ns[$m]=$(netns_name "prom$m")
	netns_add "${ns[$m]}"
done
# master a: 10.91.1.1, master b: 10.91.2.1; Prometheus 10.91.{1,2}.2 on the two links.
i=1
for m in a b; do
	ip link add "gbp$m$$" type veth peer name "gbm$m$$" || exit 1
	ip link set "gbp$m$$" netns "$prom"
	ip link set "gbm$m$$" netns "${ns[$m]}"
	ip -n "$prom" addr add "10.91.$i.2/24" dev "gbp$m$$"
	ip -n "${ns[$m]}" addr add "10.91.$i.1/24" dev "gbm$m$$"
	ip -n "$prom" link set "gbp$m$$" up
	ip -n "${ns[$m]}" link set "gbm$m$$" up
	i=$((i + 1))
done
"$GW" keygen --master-key "$dir/master.key" 2>/dev/null
# Node i of the loadgen is MAC 02:67:00:00:00:<i> from 127.0.0.<i+1>: a1 a2 on a, b1 b2 on b.
printf 'a1 02:67:00:00:00:01 127.0.0.2\na2 02:67:00:00:00:02 127.0.0.3\n' >"$dir/nodes-a"
printf 'b1 02:67:00:00:00:0b 127.0.0.12\nb2 02:67:00:00:00:0c 127.0.0.13\n' >"$dir/nodes-b"
first_a=1 first_b=11
i=1
for m in a b; do
	mkdir -p "$dir/$m"
	check "master $m: ghostwatch serves /metrics on 10.91.$i.1:9468" gw_start "${ns[$m]}" "$dir/$m" \
		--master-key "$dir/master.key" --cluster "$dir/nodes-$m" --lost-after 3 --http "10.91.$i.1:9468"
	i=$((i + 1))
done
boot() { # MASTER FIRST [loadgen args]: one node's boot
	local m=$1 first=$2
	shift 2
	gw_loadgen "${ns[$m]}" --master-key "$dir/master.key" --protocol 2 --nodes 1 --first "$first" "$@" >/dev/null
}
for k in 0 1; do boot a $((first_a + k)); boot b $((first_b + k)); done

# The rule file ghostboot cluster apply generates, loaded by the real Prometheus too.
mkdir -p "$dir/gen/root" && echo k >"$dir/gen/vmlinuz" && echo i >"$dir/gen/initramfs.img"
printf 'name c\ninterface x\nsubnet 10.91.1.0/24\nmaster 10.91.1.1\nkernel vmlinuz\ninitramfs initramfs.img\nroot %s\nmetrics-port 9468\nnode a1 02:67:00:00:00:01 10.91.1.11\n' \
	"$dir/gen/root" >"$dir/gen/c"
netboot/cluster/generate.sh "$dir/gen/c" "$dir/gen/out" >/dev/null 2>&1
cp "$dir/gen/out/prometheus/ghostboot-rules.yml" "$dir/rules.yml"
cat >"$dir/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ['$dir/rules.yml']
scrape_configs:
  - job_name: ghostwatch
    static_configs:
      - targets: ['10.91.1.1:9468']
        labels: { master: a }
      - targets: ['10.91.2.1:9468']
        labels: { master: b }
EOF
ip netns exec "$prom" prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/tsdb" \
	--web.listen-address=127.0.0.1:9090 >"$dir/prometheus.log" 2>&1 &
track_pid $!
api() { ip netns exec "$prom" curl -s --max-time 5 "$@"; }
ready=0
for _ in $(seq 1 100); do
	api -o /dev/null -f http://127.0.0.1:9090/-/ready && { ready=1; break; }
	sleep 0.2
done
check "Prometheus is ready" test "$ready" = 1
# not_up: the answer of the query, "master:node" sorted, one line.
query='ghostwatch_node_state{state="up"} == 0'
not_up() {
	api --get --data-urlencode "query=$query" http://127.0.0.1:9090/api/v1/query |
		python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(" ".join(sorted("%s:%s" % (x["metric"]["master"], x["metric"]["node"]) for x in r)))'
}
# wait_answer WANT: polls the query (a scrape a second) for up to 20 s; the last in $answer.
wait_answer() {
	local i
	for i in $(seq 1 40); do
		answer=$(not_up)
		[ "$answer" = "$1" ] && [ "$(scraped)" = 2 ] && return 0
		sleep 0.5
	done
	return 1
}
scraped() {
	api --get --data-urlencode 'query=count(up{job="ghostwatch"} == 1)' http://127.0.0.1:9090/api/v1/query |
		python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'
}
up_count() {
	api --get --data-urlencode 'query=count(ghostwatch_node_state{state="up"} == 1)' http://127.0.0.1:9090/api/v1/query |
		python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'
}
for _ in $(seq 1 40); do [ "$(up_count)" = 4 ] && break; sleep 0.5; done
check "both masters scraped, the four nodes up in Prometheus ($(up_count))" test "$(up_count)" = 4
wait_answer ""
check "'$query': nobody, while all are up ('$answer')" test -z "$answer"
t0=$(date +%s.%N)
boot a $((first_a + 1)) --boot 2 --stages boot,modules,link,lease,root-mounted,switch-root,shutdown-begin,unmounted,reset
boot b $((first_b + 1)) --boot 2 --stages boot,modules
wait_answer "a:a2 b:b2"
check "a2 reported its reset, b2 went silent mid-boot: the query answers a:a2 b:b2 ('$answer')" test "$answer" = "a:a2 b:b2"
echo "# answered $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $t0 }") s after the two events (b2 counts as lost after 3 s of silence)"
# b2 is "not up" as soon as its new boot begins, "lost" only after 3 s of silence and the next
# scrape: the states are polled (up to 20 s) rather than read once.
states_ok() {
	api --get --data-urlencode 'query=ghostwatch_node_state{state=~"down|lost"} == 1' http://127.0.0.1:9090/api/v1/query >"$dir/states.json"
	python3 -c "
import json
r = json.load(open('$dir/states.json'))['data']['result']
assert sorted((x['metric']['master'], x['metric']['node'], x['metric']['state']) for x in r) == [('a', 'a2', 'down'), ('b', 'b2', 'lost')], r"
}
for _ in $(seq 1 40); do states_ok 2>/dev/null && break; sleep 0.5; done
check "... a2 down on master a, b2 lost on master b" states_ok
api http://127.0.0.1:9090/api/v1/rules >"$dir/rules.json"
check "Prometheus loaded the generated rules (5 alerts)" python3 -c "
import json
g = json.load(open('$dir/rules.json'))['data']['groups']
assert sum(len(x['rules']) for x in g) == 5, g"
grep -q 'level=error' "$dir/prometheus.log" && sed 's/^/# prometheus: /' "$dir/prometheus.log" | grep level=error | head -5
tap_done
