#!/bin/bash
# Network stage end to end with the Debian kernel in QEMU: ghostinit as PID 1 gets a lease
# from QEMU's user networking, from a real dnsmasq on a bridge (tap), and picks the BOOTIF
# NIC out of two. No root is given, so each boot ends in the fatal path after the lease.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/qemu.sh
logs=$PWD/build/test-logs/qemu
mkdir -p "$logs"
QEMU_NETNS=$(netns_name qnet)
netns_add "$QEMU_NETNS"

# The master side inside the same namespace: br0 with dnsmasq, tap0 for the guest.
ns=$QEMU_NETNS
ip -n "$ns" link add br0 type bridge stp_state 0 forward_delay 0
ip -n "$ns" addr add 10.77.0.1/24 dev br0
ip -n "$ns" link set br0 up
ip -n "$ns" tuntap add dev tap0 mode tap
ip -n "$ns" link set tap0 master br0
ip -n "$ns" link set tap0 up
: >"$logs/network-dnsmasq.log"
ip netns exec "$ns" dnsmasq -k --port=0 --conf-file=/dev/null --interface=br0 --bind-interfaces \
	--dhcp-range=10.77.0.100,10.77.0.200,255.255.255.0,1h --dhcp-leasefile="$logs/network-dnsmasq.leases" \
	--dhcp-option=option:router,10.77.0.1 --dhcp-host=52:54:00:12:34:02,10.77.0.42,worker42 \
	--log-facility="$logs/network-dnsmasq.log" --log-dhcp &
track_pid $!
check "dnsmasq started" log_wait "$logs/network-dnsmasq.log" "DHCP, IP range" 10

common="panic=-1 ghost.dhcp_timeout=30"

# 1. QEMU's user networking (its built-in DHCP server, 10.0.2.2).
log=$logs/network-user.console
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:01" \
	qemu_boot "$log" 120 "$common"
check "user net: lease 10.0.2.15/24 from 10.0.2.2 on the console" \
	grep -qE "ghostinit: enp0s2: lease 10\.0\.2\.15/24 from 10\.0\.2\.2 in [0-9]+ ms" "$log"
check "user net: gateway and dns line" grep -q "ghostinit: enp0s2: gateway 10.0.2.2, dns 10.0.2.3" "$log"
check "user net: modules loaded around DHCP" grep -qE "ghostinit: modules: [1-9][0-9]* loaded" "$log"
# Only the drivers of devices present: a virtio NIC leaves the Intel and Realtek drivers out;
# no root is named, so both NFS versions load; no overlay is asked.
skipped=$(grep -aoE 'not needed here \([^)]*\)' "$log")
check "user net: e1000e, igb and r8169 not loaded for a virtio NIC ($skipped)" \
	bash -c 'for m in e1000e igb r8169 overlay; do grep -qw "$m" <<<"$0" || exit 1; done' "$skipped"
check "user net: virtio_net, nfsv3 and nfsv4 loaded" \
	bash -c 'for m in virtio_net nfsv3 nfsv4; do grep -qw "$m" <<<"$0" && exit 1; done; exit 0' "$skipped"
check "user net: the boot goes on to the fatal path (no root given)" grep -q "ghostinit: fatal: " "$log"
check "user net: no kernel panic" bash -c "! grep -q 'Kernel panic' '$log'"

# 2. A real dnsmasq on a bridge, through a tap device.
log=$logs/network-tap.console
QEMU_NET="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:02" \
	qemu_boot "$log" 120 "$common"
check "tap: lease 10.77.0.42/24 from dnsmasq on the console" \
	grep -qE "ghostinit: enp0s2: lease 10\.77\.0\.42/24 from 10\.77\.0\.1 in [0-9]+ ms" "$log"
check "tap: hostname worker42 from DHCP" grep -q "hostname 'worker42'" "$log"
check "tap: dnsmasq ACKed the guest" grep -q "DHCPACK(br0) 10.77.0.42 52:54:00:12:34:02 worker42" "$logs/network-dnsmasq.log"
check "tap: vendor class ghostboot seen by dnsmasq" grep -q "vendor class: ghostboot" "$logs/network-dnsmasq.log"
check "tap: the boot goes on to the fatal path" grep -q "ghostinit: fatal: " "$log"

# 3. Two NICs: user networking first (enp0s2), the dnsmasq bridge second (enp0s3). BOOTIF names
# the second: only it is configured, although enp0s2 would answer too.
log=$logs/network-bootif.console
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:01 \
-netdev tap,id=n1,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n1,mac=52:54:00:12:34:02" \
	qemu_boot "$log" 120 "$common BOOTIF=01-52-54-00-12-34-02"
check "BOOTIF: lease on enp0s3 from dnsmasq" grep -qE "ghostinit: enp0s3: lease 10\.77\.0\.42/24 from 10\.77\.0\.1" "$log"
check "BOOTIF: nothing on enp0s2" bash -c "! grep -q 'ghostinit: enp0s2: lease' '$log'"

# 4. Two NICs and no BOOTIF: DHCP on both at once, the first lease wins (either is right).
log=$logs/network-both.console
QEMU_NET="-netdev user,id=n0 -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:01 \
-netdev tap,id=n1,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n1,mac=52:54:00:12:34:02" \
	qemu_boot "$log" 120 "$common"
check "two NICs: exactly one lease line" [ "$(grep -cE 'ghostinit: enp0s[23]: lease ' "$log")" -eq 1 ]

# 5. Nobody answers: a tap on a bridge without a server; ghost.dhcp_timeout=3 bounds it and
# the fatal path says what happened.
ip -n "$ns" link add br1 type bridge stp_state 0 forward_delay 0
ip -n "$ns" link set br1 up
ip -n "$ns" tuntap add dev tap1 mode tap
ip -n "$ns" link set tap1 master br1
ip -n "$ns" link set tap1 up
log=$logs/network-silent.console
QEMU_NET="-netdev tap,id=n0,ifname=tap1,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:03" \
	qemu_boot "$log" 120 "panic=-1 ghost.dhcp_timeout=3"
check "silent network: fatal 'no DHCP answer on enp0s2 after 3 s (N DISCOVERs)'" \
	grep -qE "ghostinit: fatal: no DHCP answer on enp0s2 after 3 s \([0-9]+ DISCOVERs?\)" "$log"
check "silent network: the machine resets" grep -q "reboot: Restarting system" "$log"

# 6. No NIC at all: the fatal message lists the links seen.
log=$logs/network-nonic.console
QEMU_NET="-nic none" qemu_boot "$log" 120 "panic=-1"
check "no NIC: fatal 'no usable link' with the links seen" \
	grep -q "ghostinit: fatal: no usable link: no Ethernet link among the links seen: lo (carrier)" "$log"
check "no NIC: no driver matched, so every NIC driver was tried" \
	grep -q "ghostinit: no device matches the image's NIC drivers: loading them all" "$log"

# 7. An Intel NIC (QEMU's e1000e, an 82574L): its driver is found by its PCI alias and loaded,
# virtio's is not; an NFSv4 root rules out NFSv3 (the server is absent: the boot ends in
# the bounded fatal path).
log=$logs/network-e1000e.console
QEMU_NET="-netdev user,id=n0 -device e1000e,netdev=n0,mac=52:54:00:12:34:05" \
	qemu_boot "$log" 120 "$common root=nfs4:10.0.2.9:/nowhere ghost.root_timeout=2"
skipped=$(grep -aoE 'not needed here \([^)]*\)' "$log")
check "e1000e: lease over the Intel NIC" grep -qE "ghostinit: enp0s2: lease 10\.0\.2\.15/24" "$log"
check "e1000e: virtio_net, igb, r8169 and nfsv3 not loaded ($skipped)" \
	bash -c 'for m in virtio_net igb r8169 nfsv3; do grep -qw "$m" <<<"$0" || exit 1; done' "$skipped"
check "e1000e: e1000e and nfsv4 loaded" \
	bash -c 'for m in e1000e nfsv4; do grep -qw "$m" <<<"$0" && exit 1; done; exit 0' "$skipped"

tap_done
