#!/bin/bash
# `ghostwatch power` against a real BMC: OpenIPMI's ipmi_sim serves IPMI over LAN (lanplus) on
# an address of the test's master namespace (10.77.1.3, on a bridge of its own: the BMC
# network) and, as a BMC does, owns the worker's power: `chassis power on` runs its startcmd,
# which starts the worker's QEMU; QEMU connects back to it (ipmi-bmc-extern over a local TCP
# socket) so that `chassis power off` switches that machine off and `status` tells the truth.
# The node and its BMC come from a cluster file (power n1 ipmi 10.77.1.3) through generate.sh;
# the password from a mode-600 credentials file, never a command line. The worker boots its
# NFS root, ghostwatch sees it up (`ghostwatch wait`); `power off` asks its init over ssh first
# (this BusyBox root has no sshd: refused) and, the node still on after --timeout, has the BMC
# switch it off. A BMC that does not answer fails within ipmitool's bound, naming the node.
# heavy: a QEMU worker booted by its BMC, several ipmitool round trips
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/worker.sh
. tests/lib/nfs.sh
. tests/lib/ghostwatch.sh
logs=build/test-logs/qemu
mac=52:54:00:ce:04:01
worker_env power-ipmi --bridge "$mac" || exit 1
ns=$QEMU_NETNS
mkdir -p "$WORKER_DIR/gw" "$WORKER_DIR/bmc-state"
gw_key "$WORKER_DIR/key"
check "private copy of the worker root to export" worker_root_copy "$WORKER_EXPORT"
check "a private initramfs of build/ghostinit with the cluster key" \
	worker_initramfs "$QEMU_INITRD" --file "$WORKER_DIR/key:/etc/ghostboot/key"
if nfs_start "$ns" "$WORKER_EXPORT"; then ok "Ganesha exports the root"; else not_ok "Ganesha exports the root"; fi
check "dnsmasq on the bridge (a fixed address for the worker)" dnsmasq_start "$ns" "$WORKER_DIR" "--dhcp-host=$mac,10.77.0.42"

# The cluster: n1 is the worker, its BMC ipmi_sim; n2's BMC (10.77.1.99) does not exist.
cat >"$WORKER_DIR/cluster" <<EOF
interface  br0
subnet     10.77.0.0/24
master     10.77.0.1
kernel     $QEMU_KERNEL
initramfs  $QEMU_INITRD
root       $WORKER_EXPORT
node n1 $mac 10.77.0.42
node n2 52:54:00:ce:04:02 10.77.0.43
power n1 ipmi 10.77.1.3
power n2 ipmi 10.77.1.99
EOF
gen=$WORKER_DIR/gen
check "generate.sh: the power list names n1's and n2's BMCs" bash -c \
	"netboot/cluster/generate.sh '$WORKER_DIR/cluster' '$gen' >/dev/null && grep -qx 'n1 $mac 10.77.0.42 ipmi 10.77.1.3' '$gen/power' &&
	 grep -qx 'n2 52:54:00:ce:04:02 10.77.0.43 ipmi 10.77.1.99' '$gen/power'"
check "... and no ghost.wol=g for nodes with a BMC" bash -c "! grep -q ghost.wol '$gen/cmdline' '$gen/tftp/boot.ipxe'"
check "ghostwatch serves on the cluster address, naming nodes from the list" \
	gw_start "$ns" "$WORKER_DIR/gw" --key "$WORKER_DIR/key" --bind 10.77.0.1 --cluster "$gen/nodes"

# The BMC network: a bridge of its own in the master namespace, the master 10.77.1.1, the BMC
# 10.77.1.3 (ipmi_sim listens there only).
ip -n "$ns" link add bmcnet type bridge && ip -n "$ns" addr add 10.77.1.1/24 dev bmcnet &&
	ip -n "$ns" addr add 10.77.1.3/24 dev bmcnet && ip -n "$ns" link set bmcnet up ||
	not_ok "the BMC network"
password=gb-$RANDOM$RANDOM
# The worker's power, as the BMC sees it: this script is its startcmd (a power-on runs it;
# ipmi_sim keeps the process as the machine: it exists, the power is on).
vmlog=$logs/power-ipmi.console
rm -f "$vmlog"
cat >"$WORKER_DIR/vm.sh" <<EOF
#!/bin/sh
echo \$\$ >"$WORKER_DIR/vm.pid"
exec qemu-system-x86_64 -machine q35 -cpu max -accel "$QEMU_TCG" -m "$QEMU_MEM" -smp 1 -nographic -no-reboot \
	-serial mon:stdio $QEMU_NET -kernel "$QEMU_KERNEL" -initrd "$QEMU_INITRD" \
	-append "console=ttyS0 no_timer_check root=nfs4:10.77.0.1:$WORKER_EXPORT ro panic=-1 ghost.key=/etc/ghostboot/key BOOTIF=01-${mac//:/-} worker.sleep=600" \
	-chardev socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect=2 \
	-device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-bt,bmc=bmc0 \
	</dev/null >>"$vmlog" 2>&1
EOF
chmod +x "$WORKER_DIR/vm.sh"
cat >"$WORKER_DIR/lan.conf" <<EOF
name "gbtest"
set_working_mc 0x20
  startlan 1
    addr 10.77.1.3 623
    priv_limit admin
    allowed_auths_callback md5
    allowed_auths_user md5
    allowed_auths_operator md5
    allowed_auths_admin md5
    guid a123456789abcdefa123456789abcdef
  endlan
  serial kcs 127.0.0.1 9002 codec VM
  startcmd "$WORKER_DIR/vm.sh"
  startnow false
  poweroff_wait 10
  kill_wait 5
  user 2 true "gbadmin" "$password" admin 10 md5
EOF
printf 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr\nmc_enable 0x20\n' \
	>"$WORKER_DIR/bmc.emu"
ip netns exec "$ns" ipmi_sim -c "$WORKER_DIR/lan.conf" -f "$WORKER_DIR/bmc.emu" -s "$WORKER_DIR/bmc-state" -n \
	>"$WORKER_DIR/ipmi_sim.log" 2>&1 &
track_pid $!
sleep 1
check "ipmi_sim runs (the BMC)" kill -0 $!
# ipmi_sim does not list its cipher suites: ipmitool would wait 6 s each time before it falls
# back to suite 3 (a real BMC usually answers). The credentials file says which to use.
printf 'user gbadmin\npassword %s\ncipher-suite 3\n' "$password" >"$WORKER_DIR/ipmi.credentials"
chmod 600 "$WORKER_DIR/ipmi.credentials"
power() {
	ip netns exec "$ns" "$GW" power "$@" --power-list "$gen/power" --credentials "$WORKER_DIR/ipmi.credentials" \
		--state-dir "$WORKER_DIR/gw/state"
}
out=$WORKER_DIR/out

# status_is WORD: `power status n1` says the BMC's answer is WORD.
status_is() {
	local got
	got=$(power status n1)
	echo "# $got"
	[[ $got =~ ^n1\ +ipmi\ +$1$ ]]
}
check "power status n1: off (the BMC's answer)" status_is off
check "power on n1 (chassis power on)" power on n1
check "... the BMC started the machine (its startcmd)" bash -c "for i in \$(seq 50); do [ -s '$WORKER_DIR/vm.pid' ] && exit 0; sleep 0.1; done; exit 1"
vm=$(cat "$WORKER_DIR/vm.pid" 2>/dev/null)
[ -n "$vm" ] && track_pid "$vm"
check "... QEMU connected back to the BMC" bash -c "for i in \$(seq 100); do ip netns exec '$ns' ss -tn state established '( sport = :9002 )' | grep -q 127.0.0.1 && exit 0; sleep 0.1; done; exit 1"
t0=$(now_cs)
check "ghostwatch wait n1: up" ip netns exec "$ns" "$GW" wait n1 --timeout 240 --state-dir "$WORKER_DIR/gw/state"
echo "# up $(echo "$(now_cs) $t0" | awk '{ printf "%.1f", $1 - $2 }') s after the power-on"
check "... its init runs" log_wait "$vmlog" "WORKER-INIT-REACHED" 60
check "power status n1: on" status_is on
power status n1 --json >"$out"
echo "# $(cat "$out")"
check "power status --json" python3 -c 'import json,sys; n=json.load(open(sys.argv[1])); assert n == [{"node":"n1","backend":"ipmi","action":"status","ok":True,"source":"bmc","state":"on"}], n' "$out"

# While power off runs (ipmitool polls the BMC for 5 s), every ipmitool's arguments are kept:
# the password must be in none of them.
printf '%s\n' "$password" >"$WORKER_DIR/password"
: >"$WORKER_DIR/ipmitool-argv"
touch "$WORKER_DIR/sampling"
( while [ -e "$WORKER_DIR/sampling" ]; do
	pgrep -a -x ipmitool >>"$WORKER_DIR/ipmitool-argv" # reads the command lines, kills nothing
	sleep 0.02
done ) &
sampler=$!
t0=$(now_cs)
power off n1 --timeout 5 >"$out" 2>&1
rc=$?
rm -f "$WORKER_DIR/sampling"
wait "$sampler"
echo "# ipmitool seen running $(wc -l <"$WORKER_DIR/ipmitool-argv") times: $(head -1 "$WORKER_DIR/ipmitool-argv")"
check "the password is in no ipmitool's arguments (ipmitool seen running)" bash -c \
	"[ -s '$WORKER_DIR/ipmitool-argv' ] && ! grep -qF -f '$WORKER_DIR/password' '$WORKER_DIR/ipmitool-argv'"
secs=$(echo "$(now_cs) $t0" | awk '{ printf "%.1f", $1 - $2 }')
sed 's/^/# /' "$out"
check "power off n1: exit 0 in $secs s" [ "$rc" -eq 0 ]
check "... asked its init over ssh first (refused: no sshd in this root), then the BMC switched it off" \
	grep -qE '^n1: off: ssh 10.77.0.42: .*(refused|closed).*; not off after 5 s.*; chassis power off; BMC says off after' "$out"
check "... QEMU is gone (the machine is off)" bash -c "for i in \$(seq 150); do kill -0 $vm 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
check "power status n1: off" status_is off

# cycle --hard: the BMC's off (already off), off confirmed, on: the machine starts again.
rm -f "$WORKER_DIR/vm.pid"
power cycle n1 --hard >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check "power cycle n1 --hard: exit 0, off then on through the BMC" bash -c \
	"[ $rc -eq 0 ] && grep -qE '^n1: cycle: chassis power off; BMC says off after [0-9.]+ s; chassis power on\$' '$out'"
check "... the machine started again" bash -c "for i in \$(seq 50); do [ -s '$WORKER_DIR/vm.pid' ] && exit 0; sleep 0.1; done; exit 1"
vm=$(cat "$WORKER_DIR/vm.pid" 2>/dev/null)
[ -n "$vm" ] && track_pid "$vm"
check "power status n1: on" status_is on
power off n1 --hard >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check "power off n1 --hard: exit 0, the BMC at once (no ssh)" bash -c \
	"[ $rc -eq 0 ] && grep -qE '^n1: off: chassis power off; BMC says off after [0-9.]+ s\$' '$out'"
check "... QEMU is gone" bash -c "for i in \$(seq 150); do kill -0 $vm 2>/dev/null || exit 0; sleep 0.1; done; exit 1"

t0=$(now_cs)
power on n2 >"$out" 2>&1
rc=$?
secs=$(echo "$(now_cs) $t0" | awk '{ printf "%.1f", $1 - $2 }')
sed 's/^/# /' "$out"
check "power on n2 (its BMC does not answer): exit 1 after $secs s (< 15)" bash -c "[ $rc -eq 1 ] && [ \$(echo '$secs < 15' | bc) = 1 ]"
check "... the message names n2, its BMC and what ipmitool said, then the failed nodes" bash -c \
	"grep -q 'ghostwatch power on: n2 (ipmi): ipmitool: BMC 10.77.1.99: .*Unable to establish' '$out' && grep -qx 'ghostwatch power on: 1 of 1 failed: n2' '$out'"
chmod 644 "$WORKER_DIR/ipmi.credentials"
rm -f "$WORKER_DIR/vm.pid"
power on n1 >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
sleep 1
check "credentials others may read: refused, exit 1, the machine left off" bash -c \
	"[ $rc -eq 1 ] && grep -q 'not a private regular file (mode 644).*chmod 600' '$out' && [ ! -e '$WORKER_DIR/vm.pid' ]"
nfs_stop
tap_done
