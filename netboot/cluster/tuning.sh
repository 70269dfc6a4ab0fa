# The master's settings that depend on the number of nodes (docs/real-hardware.md has the table):
# each computed from N, the cluster file's node lines, by one rule, and written only when it
# differs from the default (a small cluster changes nothing). Source after cluster_load; each
# function prints its lines (with the rule as a comment), or nothing when nothing is needed.
# shellcheck shell=bash

# The defaults the rules are measured against: dnsmasq's and Debian's (nfs-utils, the kernel).
TUNING_TFTP_MAX=50 TUNING_LEASE_MAX=1000 TUNING_NFSD_THREADS=8
TUNING_GC_THRESH1=128 TUNING_GC_THRESH2=512 TUNING_GC_THRESH3=1024 TUNING_RMEM=212992

tuning_nodes() { echo "${#CL_NODE_NAME[@]}"; }

# tuning_range: the number of addresses of the dhcp-range (0 without one).
tuning_range() {
	[ -n "$CL_RANGE_START" ] || { echo 0; return; }
	echo $(($(cl_ip2int "$CL_RANGE_END") - $(cl_ip2int "$CL_RANGE_START") + 1))
}

# tuning_dnsmasq: dnsmasq.conf lines.
tuning_dnsmasq() {
	local n tftp leases
	n=$(tuning_nodes)
	tftp=$((2 * n)) leases=$((n + $(tuning_range)))
	if [ "$tftp" -gt "$TUNING_TFTP_MAX" ]; then
		echo "# $n nodes: tftp-max = 2 x nodes (default $TUNING_TFTP_MAX). Each node has one TFTP transfer at a"
		echo "# time (the firmware's loader, then with boot tftp iPXE's files in turn), and a node that"
		echo "# reset in the middle leaves one behind until dnsmasq's retries run out: past the limit"
		echo "# the others wait, and a firmware's PXE gives up (PXE-E32: TFTP open timeout)."
		echo "tftp-max=$tftp"
	fi
	if [ "$leases" -gt "$TUNING_LEASE_MAX" ]; then
		echo "# $n nodes + $(tuning_range) addresses in the dhcp-range: dhcp-lease-max = their sum (default"
		echo "# $TUNING_LEASE_MAX): past it dnsmasq answers no more machines, fixed addresses included."
		echo "dhcp-lease-max=$leases"
	fi
}

# tuning_nfs: nfs.conf lines for /etc/nfs.conf.d/ghostboot.conf (the kernel NFS server).
tuning_nfs() {
	local n threads
	n=$(tuning_nodes)
	threads=$(((n + 3) / 4))
	[ "$threads" -le 256 ] || threads=256
	[ "$threads" -gt "$TUNING_NFSD_THREADS" ] || return 0
	echo "# $n nodes: one nfsd thread per 4 nodes, at most 256 (Debian starts $TUNING_NFSD_THREADS). A booting node"
	echo "# keeps a thread busy for each read of the root (its init, libraries, units): a storm"
	echo "# of nodes queues behind $TUNING_NFSD_THREADS threads. Each thread holds about 1 MiB of buffers."
	echo "[nfsd]"
	echo "threads=$threads"
}

# tuning_sysctl: lines for /etc/sysctl.d/60-ghostboot.conf. Both are global to the master (the
# neighbour table's limits exist only in the first network namespace, the buffers' too).
tuning_sysctl() {
	local n t1 t2 t3 rmem
	n=$(tuning_nodes)
	t1=$((n + 64)) t2=$((2 * (n + 64))) t3=$((4 * (n + 64)))
	rmem=$((2560 * n))
	if [ "$t1" -gt "$TUNING_GC_THRESH1" ]; then
		echo "# $n nodes: the neighbour (ARP) table holds every node plus 64 other neighbours (gc_thresh1 ="
		echo "# nodes + 64: never collected below it), twice that before it is collected eagerly"
		echo "# (gc_thresh2), 4 times that at most (gc_thresh3); never below the kernel's 128/512/1024."
		echo "# Past gc_thresh3 the kernel drops entries (\"neighbour table overflow\") and the master's"
		echo "# answers to the nodes it dropped stall."
		echo "net.ipv4.neigh.default.gc_thresh1 = $t1"
		[ "$t2" -le "$TUNING_GC_THRESH2" ] || echo "net.ipv4.neigh.default.gc_thresh2 = $t2"
		[ "$t3" -le "$TUNING_GC_THRESH3" ] || echo "net.ipv4.neigh.default.gc_thresh3 = $t3"
	fi
	if [ "$rmem" -gt "$TUNING_RMEM" ]; then
		echo "# $n nodes: receive buffers of 2560 bytes per node (kernel default $TUNING_RMEM): room for two"
		echo "# datagrams of each node at once (a DHCP datagram takes ~1.3 KiB of buffer) in dnsmasq's"
		echo "# socket (rmem_default: it asks for no size) and ghostwatch's (it asks for 8 MiB, capped at"
		echo "# rmem_max). A full buffer drops the datagram: the node waits a retransmission timer."
		echo "net.core.rmem_default = $rmem"
		echo "net.core.rmem_max = $rmem"
	fi
}
