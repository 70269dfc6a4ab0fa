#!/bin/bash
# The monitoring files `ghostboot cluster apply` generates (netboot/cluster/prometheus.sh, issue
# 21 item 4), checked by Prometheus' own tool: promtool check config accepts the scrape
# configuration (with its file-discovered node exporters) and check rules the alert rules;
# promtool test rules feeds the rules made-up series and proves each alert fires when it
# should and not before: a node lost for a minute, a failed boot at once, a boot three times
# its usual length, ghostwatch unreachable for two minutes. No network, no server.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
t=$(mktemp -d /tmp/gb-promrules.XXXXXX)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/root" "$t/boot"
echo kernel >"$t/boot/vmlinuz"
echo image >"$t/boot/initramfs.img"
od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$t/key"
cluster() {
	cat <<EOF
name        promc
interface   br0
subnet      10.69.0.0/24
master      10.69.0.1
dhcp-range  10.69.0.100 10.69.0.150
kernel      boot/vmlinuz
initramfs   boot/initramfs.img
root        $t/root
key         key
$1
node n1 52:54:00:69:00:01 10.69.0.11
node n2 52:54:00:69:00:02 10.69.0.12
node n3 52:54:00:69:00:03
EOF
}
cluster "metrics-port 9468" >"$t/c"
check "generate.sh writes the files" bash -c "netboot/cluster/generate.sh '$t/c' '$t/out' >/dev/null"
p=$t/out/prometheus
check "ghostwatch.env: --http on the master's cluster address" \
	grep -qx "GHOSTWATCH_HTTP=--http 10.69.0.1:9468" "$t/out/ghostwatch.env"
(cd "$p" && promtool check config ghostboot-scrape.yml) >"$t/config.out" 2>&1
rc=$?
sed 's/^/# /' "$t/config.out"
check "promtool check config: valid (rc $rc), its rule file found" \
	bash -c "[ $rc = 0 ] && grep -q 'SUCCESS: 1 rule files found' '$t/config.out'"
(cd "$p" && promtool check rules ghostboot-rules.yml) >"$t/rules.out" 2>&1
rc=$?
sed 's/^/# /' "$t/rules.out"
check "promtool check rules: 5 rules (rc $rc)" bash -c "[ $rc = 0 ] && grep -q 'SUCCESS: 5 rules found' '$t/rules.out'"
check "nodes.json: n1 and n2 (fixed addresses) on port 9100 with their names; n3 (none) left out" python3 -c "
import json
j = json.load(open('$p/nodes.json'))
assert [(x['targets'], x['labels']['node']) for x in j] == [(['10.69.0.11:9100'], 'n1'), (['10.69.0.12:9100'], 'n2')], j"
check "the scrape configuration scrapes ghostwatch at 10.69.0.1:9468" grep -q "targets: \['10.69.0.1:9468'\]" "$p/ghostboot-scrape.yml"
cluster "" >"$t/c2"
netboot/cluster/generate.sh "$t/c2" "$t/out2" >/dev/null
check "without metrics-port: no web port (GHOSTWATCH_HTTP empty), no ghostwatch job, config still valid" bash -c "
	grep -qx GHOSTWATCH_HTTP= '$t/out2/ghostwatch.env' && ! grep -q 'job_name: ghostwatch\$' '$t/out2/prometheus/ghostboot-scrape.yml' &&
	cd '$t/out2/prometheus' && promtool check config ghostboot-scrape.yml >/dev/null 2>&1"
cluster "metrics-port 70000" >"$t/c3"
netboot/cluster/generate.sh "$t/c3" "$t/out3" >"$t/c3.out" 2>&1
rc=$?
check "metrics-port 70000: refused (rc $rc), the value named" \
	bash -c "[ $rc != 0 ] && grep -q \"metrics-port '70000' is not 1..65535\" '$t/c3.out'"

# Each alert against made-up series, a sample a minute.
m1='job: ghostwatch, instance: "m1:9468"'
cat >"$p/test.yml" <<EOF
rule_files: [ghostboot-rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'ghostwatch_node_state{job="ghostwatch",instance="m1:9468",node="n1",mac="52:54:00:69:00:01",state="lost"}'
        values: '0 0 1 1 1 1'
      - series: 'ghostwatch_node_state{job="ghostwatch",instance="m1:9468",node="n2",mac="52:54:00:69:00:02",state="failed"}'
        values: '0 1 1'
      - series: 'ghostwatch_node_boot_seconds{job="ghostwatch",instance="m1:9468",node="n3",mac="52:54:00:69:00:03"}'
        values: '20x100 60x5'
      - series: 'up{job="ghostwatch",instance="m2:9468"}'
        values: '1 0 0 0 0 0'
    alert_rule_test:
      - { eval_time: 2m, alertname: GhostbootNodeLost, exp_alerts: [] }
      - eval_time: 4m
        alertname: GhostbootNodeLost
        exp_alerts:
          - exp_labels: { severity: critical, $m1, node: n1, mac: "52:54:00:69:00:01", state: lost }
            exp_annotations:
              summary: "node n1 (52:54:00:69:00:01) is lost"
              description: "ghostwatch m1:9468 has not heard from n1 past its deadline: ghostwatch status n1"
      - { eval_time: 0m, alertname: GhostbootBootFailed, exp_alerts: [] }
      - eval_time: 1m
        alertname: GhostbootBootFailed
        exp_alerts:
          - exp_labels: { severity: critical, $m1, node: n2, mac: "52:54:00:69:00:02", state: failed }
            exp_annotations:
              summary: "node n2 failed to boot"
              description: "n2 reported a fatal error: ghostwatch status n2 shows it"
      - { eval_time: 99m, alertname: GhostbootBootSlow, exp_alerts: [] }
      - eval_time: 102m
        alertname: GhostbootBootSlow
        exp_alerts:
          - exp_labels: { severity: warning, $m1, node: n3, mac: "52:54:00:69:00:03" }
            exp_annotations:
              summary: "node n3 booted slower than usual (1m 0s, usually 20s)"
              description: "ghostwatch status n3 shows the stage that took the time"
      - { eval_time: 2m, alertname: GhostwatchDown, exp_alerts: [] }
      - eval_time: 3m
        alertname: GhostwatchDown
        exp_alerts:
          - exp_labels: { severity: critical, job: ghostwatch, instance: "m2:9468" }
            exp_annotations:
              summary: "ghostwatch on m2:9468 does not answer: its nodes are unwatched"
EOF
(cd "$p" && promtool test rules test.yml) >"$t/test.out" 2>&1
rc=$?
sed 's/^/# /' "$t/test.out"
check "promtool test rules: lost after 1 min, failed at once, slow boot, ghostwatch down after 2 min (rc $rc)" \
	bash -c "[ $rc = 0 ] && grep -q SUCCESS '$t/test.out'"
tap_done
