#!/bin/bash
# `ghostwatch power off|reboot|cycle` through the node's own init over ssh, against a real
# sshd: a "node" namespace on the master's bridge (10.77.0.42) runs OpenSSH's sshd, which
# takes root's key only with a forced command: it records what the master asked and runs it
# with poweroff, reboot and systemctl as stubs that record their arguments (nothing here can
# switch the host off). sshd has a private /run: without /run/systemd/system the node is
# asked for poweroff/reboot; with it (systemd as init), systemctl poweroff. The host key is
# checked (known_hosts given in the ssh_config passed with --ssh-config). The failure paths,
# each bounded and named: no machine at the address (no route), a closed port (refused), a
# node without a known address, --hard for a node without a BMC, cycle of a node that does
# not go down in ghostwatch.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/dhcp.sh
. tests/lib/ghostwatch.sh
m=$(netns_name pssh-m) n=$(netns_name pssh-n)
dir=$(realpath -m "build/test-tmp/power-ssh.$$")
trap 'netns_cleanup; rm -rf "$dir"' EXIT
rm -rf "$dir" && mkdir -p "$dir/fakebin" "$dir/state"
dhcp_master "$m" && dhcp_client_ns "$m" "$n" p1 veth0 &&
	ip -n "$n" addr add 10.77.0.42/24 dev veth0 && ip -n "$n" addr add 10.77.0.44/24 dev veth0 &&
	ip -n "$n" link set veth0 up || { not_ok "topology"; exit 1; }

ssh-keygen -q -t ed25519 -N '' -f "$dir/id" && ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" ||
	{ not_ok "keys"; exit 1; }
for cmd in poweroff reboot systemctl; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/did"\n' "$cmd" "$dir" >"$dir/fakebin/$cmd"
	chmod +x "$dir/fakebin/$cmd"
done
# The node's side of the key: whatever the master asks is recorded, then run by a shell that
# finds only the stubs.
cat >"$dir/node-shell" <<EOF
#!/bin/sh
printf '%s\n' "\$SSH_ORIGINAL_COMMAND" >>"$dir/asked"
PATH=$dir/fakebin exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"
EOF
chmod +x "$dir/node-shell"
echo "command=\"$dir/node-shell\",no-pty,no-port-forwarding,no-agent-forwarding $(cat "$dir/id.pub")" >"$dir/authorized_keys"
cat >"$dir/sshd_config" <<EOF
ListenAddress 10.77.0.42
Port 22
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin forced-commands-only
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $dir/sshd.pid
EOF
# sshd in the node's namespace with a /run of its own (its privilege separation folder, and
# whether systemd "runs" there is the test's to say).
ip netns exec "$n" unshare -m --propagation private sh -c \
	"mount -t tmpfs tmpfs /run && mkdir -p /run/sshd && exec /usr/sbin/sshd -D -e -f '$dir/sshd_config'" \
	>"$dir/sshd.log" 2>&1 &
sshd=$!
track_pid "$sshd"
check "sshd listens in the node's namespace" bash -c \
	"for i in \$(seq 50); do ip netns exec '$n' ss -tln | grep -q '10.77.0.42:22 ' && exit 0; sleep 0.1; done; exit 1"
echo "10.77.0.42 $(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$dir/known_hosts"
cat >"$dir/ssh_config" <<EOF
IdentityFile $dir/id
IdentitiesOnly yes
UserKnownHostsFile $dir/known_hosts
GlobalKnownHostsFile /dev/null
StrictHostKeyChecking yes
EOF
cat >"$dir/power" <<'EOF'
# name mac ip backend
n1 52:54:00:ce:05:01 10.77.0.42 wol 10.77.0.255 br0
n2 52:54:00:ce:05:02 10.77.0.43 wol 10.77.0.255 br0
n3 52:54:00:ce:05:03 10.77.0.44 wol 10.77.0.255 br0
n4 52:54:00:ce:05:04 - wol 10.77.0.255 br0
EOF
out=$dir/out
# power ARGS: `ghostwatch power` in the master's namespace; output in $out, status in rc, time in secs.
power() {
	local t0
	t0=$(date +%s.%N)
	ip netns exec "$m" "$GW" power "$@" --power-list "$dir/power" --ssh-config "$dir/ssh_config" \
		--state-dir "$dir/state" >"$out" 2>&1
	rc=$?
	secs=$(echo "$(date +%s.%N) $t0" | awk '{ printf "%.1f", $1 - $2 }')
	sed 's/^/# /' "$out"
}

power off n1
check "power off n1: exit 0 ($secs s), the node asked over ssh" bash -c \
	"[ $rc -eq 0 ] && grep -qx 'n1: off: ssh poweroff: asked 10.77.0.42' '$out'"
check "... the node ran the master's command once, and its init was asked to power off" bash -c \
	"[ \$(grep -c . '$dir/asked') = 1 ] && grep -q 'systemctl poweroff' '$dir/asked' && [ \"\$(cat '$dir/did')\" = 'poweroff ' ]"
rm -f "$dir/did"
power reboot n1
check "power reboot n1: exit 0, the node's init asked to reboot" bash -c \
	"[ $rc -eq 0 ] && grep -qx 'n1: reboot: ssh reboot: asked 10.77.0.42' '$out' && [ \"\$(cat '$dir/did')\" = 'reboot ' ]"
rm -f "$dir/did"
nsenter -t "$sshd" -m mkdir -p /run/systemd/system
power off n1
check "systemd as the node's init: systemctl poweroff" bash -c "[ $rc -eq 0 ] && [ \"\$(cat '$dir/did')\" = 'systemctl poweroff' ]"
rm -f "$dir/did"

power off n2
check "no machine at n2's address: exit 1 in $secs s (< 15), n2 named with ssh's reason" bash -c \
	"[ $rc -eq 1 ] && [ \$(echo '$secs < 15' | bc) = 1 ] && grep -q '^ghostwatch power off: n2 (wol): ssh 10.77.0.43: .*No route to host' '$out' &&
	 grep -qx 'ghostwatch power off: 1 of 1 failed: n2' '$out'"
power off n3
check "n3's port closed: exit 1 in $secs s, 'Connection refused'" bash -c \
	"[ $rc -eq 1 ] && grep -q '^ghostwatch power off: n3 (wol): ssh 10.77.0.44: .*Connection refused' '$out'"
power off 'n[1-3]'
check "power off n[1-3]: exit 1 in $secs s (in parallel: about the slowest alone), naming n2 and n3 only" bash -c \
	"[ $rc -eq 1 ] && grep -qx 'n1: off: ssh poweroff: asked 10.77.0.42' '$out' && grep -qx 'ghostwatch power off: 2 of 3 failed: n2 n3' '$out' &&
	 [ \$(echo '$secs < 15' | bc) = 1 ]"
power off n4
check "n4 (address from DHCP, never heard from): exit 1, no address known" bash -c \
	"[ $rc -eq 1 ] && grep -q 'n4 (wol): ssh: no address known' '$out'"
rm -f "$dir/did"
power off n1 --hard
check "--hard for a node without a BMC: exit 2, nothing asked" bash -c \
	"[ $rc -eq 2 ] && grep -q 'n1 has no BMC (wol)' '$out' && [ ! -e '$dir/did' ]"
power off n9
check "a name not in the power list: exit 2" bash -c "[ $rc -eq 2 ] && grep -q 'n9 is not in the power list' '$out' && [ ! -e '$dir/did' ]"
power cycle n1 --timeout 2
check "power cycle n1: asked off, then not down in ghostwatch within --timeout 2: exit 1 ($secs s), no packet sent" bash -c \
	"[ $rc -eq 1 ] && grep -q 'n1 (wol): ssh poweroff: asked 10.77.0.42; not down in ghostwatch after 2 s' '$out' && ! grep -q 'magic packet' '$out'"
tap_done
