# prometheus.sh: the monitoring files of one cluster, sourced by generate.sh after cluster_load
# (docs/scale.md). prometheus_files OUTDIR writes
#   ghostwatch.env                  GHOSTWATCH_HTTP for ghostwatch.service: "--http MASTER:PORT"
#                                   when the cluster file has metrics-port, else empty (no port)
#   prometheus/ghostboot-scrape.yml a whole Prometheus configuration: ghostwatch's /metrics
#                                   (with metrics-port) and the nodes' node exporters by file
#                                   discovery; its paths are relative to its own folder
#   prometheus/nodes.json           those nodes: each listed node with an address, port 9100
#                                   (Debian's prometheus-node-exporter), labels node and cluster
#   prometheus/ghostboot-rules.yml  alert rules: node lost, boot failed, boot slower than usual,
#                                   ghostwatch down, nodes left out of its series
# promtool check config / check rules accept them, and promtool test rules proves each alert
# fires (tests/build/test_prometheus_rules.sh).
NODE_EXPORTER_PORT=9100

prometheus_files() {
	local out=$1 p=$1/prometheus i sep=
	mkdir -p "$p" || return 1
	{
		echo "# $header"
		if [ -n "$CL_METRICS_PORT" ]; then
			echo "GHOSTWATCH_HTTP=--http $CL_MASTER:$CL_METRICS_PORT"
		else
			echo "GHOSTWATCH_HTTP="
		fi
	} >"$out/ghostwatch.env"
	{
		echo "["
		for i in "${!CL_NODE_NAME[@]}"; do
			[ -n "${CL_NODE_IP[$i]}" ] || continue
			printf '%s  {"targets": ["%s:%s"], "labels": {"node": "%s", "mac": "%s", "cluster": "%s"}}' "$sep" \
				"${CL_NODE_IP[$i]}" "$NODE_EXPORTER_PORT" "${CL_NODE_NAME[$i]}" "${CL_NODE_MAC[$i],,}" "$CL_NAME"
			sep=$',\n'
		done
		[ -z "$sep" ] || echo
		echo "]"
	} >"$p/nodes.json"
	{
		echo "# $header"
		echo "# A whole Prometheus configuration for this cluster: use it as it is"
		echo "# (prometheus --config.file=THIS_FILE, nodes.json and the rules beside it), or copy"
		echo "# its scrape_configs and rule_files into yours (paths relative to this folder)."
		echo "global:"
		echo "  scrape_interval: 15s"
		echo "  evaluation_interval: 15s"
		echo "rule_files:"
		echo "  - ghostboot-rules.yml"
		echo "scrape_configs:"
		if [ -n "$CL_METRICS_PORT" ]; then
			echo "  # ghostwatch on the master: per-node boot states and times (ghostwatch(8), METRICS)"
			echo "  - job_name: ghostwatch"
			echo "    static_configs:"
			echo "      - targets: ['$CL_MASTER:$CL_METRICS_PORT']"
			echo "        labels:"
			echo "          cluster: '$CL_NAME'"
		else
			echo "  # no ghostwatch job: the cluster file has no metrics-port (ghostwatch serves no /metrics)"
		fi
		echo "  # The nodes' node exporters (nodes.json: each node with a fixed address)"
		echo "  - job_name: ghostboot-nodes"
		echo "    file_sd_configs:"
		echo "      - files: ['nodes.json']"
	} >"$p/ghostboot-scrape.yml"
	prometheus_rules >"$p/ghostboot-rules.yml"
}

# The rules do not name the cluster: one file serves every master (each series carries the
# cluster and instance labels of its scrape).
prometheus_rules() {
	cat <<RULES
# $header
groups:
  - name: ghostboot
    rules:
      - alert: GhostbootNodeLost
        # Booting or shutting down and silent past ghostwatch --lost-after, or up and three
        # heartbeats missed.
        expr: ghostwatch_node_state{state="lost"} == 1
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: "node {{ \$labels.node }} ({{ \$labels.mac }}) is lost"
          description: "ghostwatch {{ \$labels.instance }} has not heard from {{ \$labels.node }} past its deadline: ghostwatch status {{ \$labels.node }}"
      - alert: GhostbootBootFailed
        # ghostinit reported a fatal error; the node waits in its rescue path.
        expr: ghostwatch_node_state{state="failed"} == 1
        labels:
          severity: critical
        annotations:
          summary: "node {{ \$labels.node }} failed to boot"
          description: "{{ \$labels.node }} reported a fatal error: ghostwatch status {{ \$labels.node }} shows it"
      - alert: GhostbootBootSlow
        # This boot took half as long again as the node's usual boot (the median of its last
        # week, a sample per scrape) and at least 10 s more: a slow NFS server, a link that
        # renegotiates, a DHCP server that answers late.
        expr: |
          ghostwatch_node_boot_seconds > 1.5 * quantile_over_time(0.5, ghostwatch_node_boot_seconds[7d])
          and
          ghostwatch_node_boot_seconds - quantile_over_time(0.5, ghostwatch_node_boot_seconds[7d]) > 10
        labels:
          severity: warning
        annotations:
          summary: "node {{ \$labels.node }} booted slower than usual ({{ \$value | humanizeDuration }}, usually {{ with printf \"quantile_over_time(0.5, ghostwatch_node_boot_seconds{instance='%s',mac='%s'}[7d])\" \$labels.instance \$labels.mac | query }}{{ . | first | value | humanizeDuration }}{{ end }})"
          description: "ghostwatch status {{ \$labels.node }} shows the stage that took the time"
      - alert: GhostwatchDown
        expr: up{job="ghostwatch"} == 0
        for: 2m
        labels:
          severity: critical
        annotations:
          summary: "ghostwatch on {{ \$labels.instance }} does not answer: its nodes are unwatched"
      - alert: GhostwatchNodesOmitted
        expr: ghostwatch_nodes_omitted > 0
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: "{{ \$value }} nodes have no series: raise ghostwatch serve --http-max-nodes"
RULES
}
