#!/bin/bash
# heavy: a Debian boot with systemd under TCG, then its clean power-off
# `ghostwatch power off` of a real node: the Debian root with OpenSSH's server
# ($DEBIAN_ROOT-ssh: the Debian root plus openssh-server), booted by ghostinit from NFS under a
# tmpfs overlay as a cluster node is; the master's key in root's authorized_keys, the node's
# host key in the master's known_hosts. Once sshd answers, `ghostwatch power off n1` asks the
# node's systemd (systemctl poweroff over ssh); systemd stops, hands over to ghostinit's
# shutdown, which reports to ghostwatch and powers off: `ghostwatch wait --state down` sees it,
# `power status` says down, QEMU ends with the kernel's power-down.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/nfs.sh
. tests/lib/worker.sh
. tests/lib/debian-root.sh
. tests/lib/ghostwatch.sh
logs=build/test-logs/qemu
if ! debian_variant_prepare ssh /usr/sbin/sshd openssh-server; then
	not_ok "the Debian root with openssh-server (see $DEBIAN_ROOT-ssh.apt.log)"
	exit 1
fi
ok "the Debian root with openssh-server ($DEBIAN_ROOT-ssh)"
mac=52:54:00:ce:06:01
worker_env power-deb --bridge "$mac" || exit 1
ns=$QEMU_NETNS
QEMU_NET="$QEMU_NET,addr=0x2"
QEMU_MEM=256
root=$WORKER_DIR/root
mkdir -p "$WORKER_DIR/gw"
gw_key "$WORKER_DIR/key"
check "a private initramfs of build/ghostinit with the cluster key" \
	worker_initramfs "$QEMU_INITRD" --file "$WORKER_DIR/key:/etc/ghostboot/key"
check "a private copy of the root" debian_root_copy "$DEBIAN_ROOT-ssh" "$root"
ssh-keygen -q -t ed25519 -N '' -f "$WORKER_DIR/id"
mkdir -p "$root/root/.ssh" && chmod 700 "$root/root/.ssh" && cp "$WORKER_DIR/id.pub" "$root/root/.ssh/authorized_keys" &&
	chmod 600 "$root/root/.ssh/authorized_keys" || not_ok "root's authorized_keys"
echo "10.77.0.42 $(cut -d' ' -f1,2 "$root/etc/ssh/ssh_host_ed25519_key.pub")" >"$WORKER_DIR/known_hosts"
cat >"$WORKER_DIR/ssh_config" <<EOF
IdentityFile $WORKER_DIR/id
IdentitiesOnly yes
UserKnownHostsFile $WORKER_DIR/known_hosts
GlobalKnownHostsFile /dev/null
StrictHostKeyChecking yes
EOF
printf 'n1 %s 10.77.0.42\n' "$mac" >"$WORKER_DIR/nodes"
printf 'n1 %s 10.77.0.42 wol 10.77.0.255 br0\n' "$mac" >"$WORKER_DIR/power"
if nfs_start "$ns" "$root"; then ok "Ganesha exports the root"; else not_ok "Ganesha exports the root"; fi
check "dnsmasq on the bridge (a fixed address for the worker)" dnsmasq_start "$ns" "$WORKER_DIR" "--dhcp-host=$mac,10.77.0.42"
check "ghostwatch serves on the cluster address" \
	gw_start "$ns" "$WORKER_DIR/gw" --key "$WORKER_DIR/key" --bind 10.77.0.1 --cluster "$WORKER_DIR/nodes"

log=$logs/power-ssh-debian.console
rm -f "$log"
qemu_start "$log" "root=nfs4:10.77.0.1:$root ro ghost.overlay=tmpfs panic=-1 ghost.key=/etc/ghostboot/key BOOTIF=01-${mac//:/-}"
t0=$SECONDS
check "ghostwatch wait n1: up" ip netns exec "$ns" "$GW" wait n1 --timeout 300 --state-dir "$WORKER_DIR/gw/state"
check "the node's sshd answers (multi-user)" ip netns exec "$ns" bash -c \
	'for i in $(seq 600); do (exec 3<>/dev/tcp/10.77.0.42/22) 2>/dev/null && exit 0; sleep 0.5; done; exit 1'
echo "# sshd up $((SECONDS - t0)) s after the start"
power() {
	ip netns exec "$ns" "$GW" power "$@" --power-list "$WORKER_DIR/power" --ssh-config "$WORKER_DIR/ssh_config" \
		--state-dir "$WORKER_DIR/gw/state"
}
out=$WORKER_DIR/out
power status n1 >"$out" 2>&1
sed 's/^/# /' "$out"
check "power status n1: up (ghostwatch)" grep -qE '^n1 +wol +up \(ghostwatch\)$' "$out"
t0=$SECONDS
power off n1 >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check "power off n1: exit 0, systemd asked over ssh" bash -c "[ $rc -eq 0 ] && grep -qx 'n1: off: ssh poweroff: asked 10.77.0.42' '$out'"
check "ghostwatch wait n1 --state down" ip netns exec "$ns" "$GW" wait n1 --state down --timeout 180 --state-dir "$WORKER_DIR/gw/state"
echo "# down $((SECONDS - t0)) s after power off"
qemu_wait 120
rc=$?
check "QEMU ended by itself (status $rc)" [ "$rc" -eq 0 ]
check "... systemd shut down and handed over to ghostinit, which powered off" bash -c \
	"grep -aq 'ghostinit: shutdown: poweroff after' '$log' && grep -aq 'reboot: Power down' '$log'"
power status n1 >"$out" 2>&1
sed 's/^/# /' "$out"
check "power status n1: down (ghostwatch)" grep -qE '^n1 +wol +down \(ghostwatch\)$' "$out"
nfs_stop
tap_done
