# The master kit: `make cluster` boots a whole diskless cluster on this machine (the master in a
# namespace of its own, workers PXE-booting in QEMU); CLUSTER_ARGS=--once for the unattended run
# (exit 0 only when every worker came up), e.g. CLUSTER_ARGS="--once --workers 2". Its master
# runs the installed commands: up.sh runs `make stage` (install.mk) and build/stage's ghostboot.
# `make cluster-config CLUSTER_FILE=F CLUSTER_CONFIG_OUT=DIR` writes a real master's files
# (dnsmasq.conf, TFTP root, exports, ganesha.conf) from a cluster file (docs/cluster-file.md).
CLUSTER_ARGS ?=
CLUSTER_CONFIG_OUT ?= $(BUILD)/cluster-config

.PHONY: cluster cluster-config
cluster: all $(BUILD)/ghostwatch | $(KERNEL)/.key
	@netboot/cluster/up.sh $(CLUSTER_ARGS)

cluster-config: | $(BUILD)/.packages
	@test -n "$(CLUSTER_FILE)" || { echo "usage: make cluster-config CLUSTER_FILE=F [CLUSTER_CONFIG_OUT=DIR]"; exit 2; }
	@netboot/cluster/generate.sh "$(CLUSTER_FILE)" "$(CLUSTER_CONFIG_OUT)"
