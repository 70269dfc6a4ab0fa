#!/bin/bash
# The admin command, netboot/admin/ghostboot, under --root in a scratch folder (no namespace:
# nothing is served): key init, image build from build/kernel (the same image `make` builds),
# cluster check and apply of the shipped example (netboot/admin/cluster.example) with the real
# dnsmasq --test, the exports fragment and /etc/hosts block, a second apply that changes no file,
# bad cluster files (FILE:LINE:, exit 2) and a failing check (a dnsmasq that refuses) that leave
# the tree byte-identical, and every subcommand's --help and stray arguments.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
top=$(pwd)
gb=${GHOSTBOOT:-$top/netboot/admin/ghostboot}
t=$(realpath -m build/test-tmp/admin-cli)
rm -rf "$t"
R=$t/root
mkdir -p "$R/etc/ghostboot" "$t/bin"
quiet() { "$@" >/dev/null 2>&1; }
# snap: every file, link and folder under the scratch root with its mode, owner, size, mtime and
# content (a folder's mtime left out: apply's temporary folder beside its targets touches it).
snap() {
	(cd "$R" && find . \( -type d -printf '%p d %m %u\n' \) -o -printf '%p %y %m %u %s %T@ %l\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
}
printf '127.0.0.1\tlocalhost\n10.1.1.1\tkeepme\n' >"$R/etc/hosts"
cp netboot/admin/cluster.example "$R/etc/ghostboot/cluster"

# --- key, image --------------------------------------------------------------------------
check "key init writes master.key, mode 0600" bash -c \
	"'$gb' --root '$R' key init >/dev/null 2>&1 && [ \$(stat -c %a '$R/etc/ghostboot/master.key') = 600 ]"
sum=$(sha256sum <"$R/etc/ghostboot/master.key")
check "key init again refuses (exit 1) and keeps the secret" bash -c \
	"'$gb' --root '$R' key init 2>'$t/key.err'; [ \$? = 1 ] && grep -q 'not overwritten' '$t/key.err' && [ \"\$(sha256sum <'$R/etc/ghostboot/master.key')\" = '$sum' ]"
kver=$(cat build/kernel/release)
check "cluster check without kernel/initramfs and no image: exit 2, names the images folder" bash -c \
	"'$gb' --root '$R' cluster check 2>&1 >/dev/null | grep -q 'no image in $R/var/lib/ghostboot/images'; [ \${PIPESTATUS[0]} = 2 ]"
check "image build $kver from build/kernel" quiet "$gb" --root "$R" image build --kernel-tree=build/kernel
img=$R/var/lib/ghostboot/images/$kver
check "the image is the one make builds (kernel, initramfs, NIC parts)" bash -c \
	"cmp '$img/vmlinuz' build/kernel/boot/vmlinuz-$kver && cmp '$img/initramfs.img' build/initramfs.img &&
	 cmp '$img/initramfs.img.nic/pci.map' build/initramfs.img.nic/pci.map && ! ls -a '$img/..' | grep -q '^\.$kver'"
check "image list --json is JSON naming it with its NIC parts" bash -c \
	"'$gb' --root '$R' image list --json | python3 -c 'import json,sys; l=json.load(sys.stdin); assert l[0][\"kernel\"]==\"$kver\" and \"virtio\" in l[0][\"nic_parts\"], l'"

# --- cluster check, apply ----------------------------------------------------------------
check "cluster check: the example is valid, kernel from the newest image, root /srv/ghostboot/root" bash -c \
	"'$gb' --root '$R' cluster check >'$t/check.out' && grep -qx '  kernel $img/vmlinuz' '$t/check.out' &&
	 grep -q '^  root $R/srv/ghostboot/root ' '$t/check.out'"
check "cluster apply (the example)" bash -c "'$gb' --root '$R' cluster apply >'$t/apply1.out' 2>&1"
gen=$R/var/lib/ghostboot/generated tftp=$R/srv/ghostboot/tftp
check "the generated dnsmasq.conf passes the real dnsmasq --test" quiet dnsmasq --test -C "$gen/dnsmasq.conf"
check "dnsmasq.conf serves the installed TFTP root, leases in generated/state" bash -c \
	"grep -qx 'tftp-root=$tftp' '$gen/dnsmasq.conf' && grep -qx 'dhcp-leasefile=$gen/state/dnsmasq.leases' '$gen/dnsmasq.conf'"
check "TFTP root: kernel and image from the image folder, boot.ipxe, NIC parts, n01's key archive" bash -c \
	"cmp '$tftp/vmlinuz' '$img/vmlinuz' && cmp '$tftp/initramfs.img' '$img/initramfs.img' && [ -s '$tftp/nic-virtio.img' ] &&
	 head -1 '$tftp/boot.ipxe' | grep -qx '#!ipxe' && [ -s '$tftp/10.70.0.11/keys/52-54-00-70-00-01.img' ]"
check "exports fragment: the worker root, read-only for the subnet" \
	grep -q "^$R/srv/ghostboot/root 10.70.0.0/24(ro," "$R/etc/exports.d/ghostboot.exports"
check "/etc/hosts: the admin's lines kept, the nodes' names in the ghostboot block" bash -c \
	"head -2 '$R/etc/hosts' | diff - <(printf '127.0.0.1\tlocalhost\n10.1.1.1\tkeepme\n') >/dev/null &&
	 sed -n '/^# ghostboot begin/,/^# ghostboot end/p' '$R/etc/hosts' | grep -P '^10\.70\.0\.1[123]\tn0[123]$' | wc -l | grep -qx 3"
check "the monitoring files: ghostwatch.env (no metrics-port: no web port) and prometheus/" bash -c \
	"grep -qx GHOSTWATCH_HTTP= '$gen/ghostwatch.env' && [ -s '$gen/prometheus/ghostboot-scrape.yml' ] &&
	 [ -s '$gen/prometheus/ghostboot-rules.yml' ] && grep -q '\"node\": \"n01\"' '$gen/prometheus/nodes.json'"
check "cmdline explain: the applied cluster's line through ghostinit's parser" bash -c \
	"'$gb' --root '$R' cmdline explain >'$t/explain' && grep -qx 'ghost.master=10.70.0.1:7468' '$t/explain' &&
	 grep -qx 'root=nfs4:10.70.0.1:$R/srv/ghostboot/root:vers=4.2' '$t/explain' && grep -qx 'ghost.heartbeat=10' '$t/explain'"
check "cmdline explain TEXT" bash -c "'$gb' cmdline explain 'root=nfs:1.2.3.4:/r ro' | grep -qx root_access=ro"
check "cmdline explain --json: one JSON object" bash -c \
	"'$gb' --root '$R' cmdline explain --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"ghost.heartbeat\"]==\"10\", d'"
check "cmdline explain of a line ghostinit warns about: the warning, exit 1" bash -c \
	"'$gb' cmdline explain ghost.key=0011 2>&1 >/dev/null | grep -q .; [ \${PIPESTATUS[0]} = 1 ]"
echo '10.1.1.2	after-block' >>"$R/etc/hosts"
check "apply with a line added below the block: unchanged, the block stays where it was" bash -c \
	"'$gb' --root '$R' cluster apply >'$t/apply2.out' 2>&1 && grep -q 'cluster hpc: unchanged' '$t/apply2.out' && tail -1 '$R/etc/hosts' | grep -q after-block"
before=$(snap)
check "a second apply of the same file says unchanged" bash -c \
	"'$gb' --root '$R' cluster apply >'$t/apply3.out' 2>&1 && grep -q 'cluster hpc: unchanged' '$t/apply3.out' && ! grep -q updated '$t/apply3.out'"
same() { snap >"$t/after"; echo "$before" >"$t/before"; diff "$t/before" "$t/after" >&2; }
check "... and changes no file (names, modes, sizes, mtimes, contents)" same
# A new node: what depends on the node list changes, the exports do not.
echo 'node        n04 52:54:00:70:00:04 10.70.0.14' >>"$R/etc/ghostboot/cluster"
check "apply after adding a node: dnsmasq.conf, nodes, power, TFTP root and hosts updated, exports unchanged" bash -c \
	"'$gb' --root '$R' cluster apply >'$t/apply4.out' 2>&1 && grep -q 'updated   $gen/dnsmasq.conf' '$t/apply4.out' &&
	 grep -q 'updated   $gen/nodes' '$t/apply4.out' && grep -q 'updated   $gen/power' '$t/apply4.out' && grep -q 'updated   $tftp/' '$t/apply4.out' && grep -q 'updated   $R/etc/hosts' '$t/apply4.out' &&
	 grep -q 'unchanged $R/etc/exports.d/ghostboot.exports' '$t/apply4.out' && grep -qP '^10\.70\.0\.14\tn04$' '$R/etc/hosts'"
check "boot http (the example's default): lighttpd.conf installed, its log under the root, the boot folder its document root" bash -c \
	"grep -qx 'accesslog.filename = \"$R/var/log/ghostboot/http/access.log\"' '$gen/lighttpd.conf' &&
	 grep -qx 'server.document-root = \"$tftp\"' '$gen/lighttpd.conf'"
check "3-4 nodes: nothing tuned for the node count (no nfs.conf.d, sysctl.d file; no tftp-max)" bash -c \
	"[ ! -e '$R/etc/nfs.conf.d/ghostboot.conf' ] && [ ! -e '$R/etc/sysctl.d/60-ghostboot.conf' ] && ! grep -q '^tftp-max' '$gen/dnsmasq.conf'"
# 104 nodes: the settings tuned for the count are installed, then removed with the small file.
# (Without master-key: 100 key archives would only make the test slow.)
sed '/^master-key /d' "$R/etc/ghostboot/cluster" >"$t/big.cluster"
for i in $(seq 20 119); do printf 'node n%d 52:54:00:70:01:%02x 10.70.0.%d\n' "$i" "$i" "$i"; done >>"$t/big.cluster"
check "apply of 104 nodes: nfs.conf.d/ghostboot.conf (26 threads) and sysctl.d/60-ghostboot.conf installed, tftp-max 208" bash -c \
	"'$gb' --root '$R' cluster apply '$t/big.cluster' >'$t/apply-big.out' 2>&1 &&
	 grep -q 'updated   $R/etc/nfs.conf.d/ghostboot.conf' '$t/apply-big.out' && grep -q 'updated   $R/etc/sysctl.d/60-ghostboot.conf' '$t/apply-big.out' &&
	 [ \"\$(nfsconf --file '$R/etc/nfs.conf.d/ghostboot.conf' --get nfsd threads)\" = 26 ] &&
	 grep -qx 'net.ipv4.neigh.default.gc_thresh1 = 168' '$R/etc/sysctl.d/60-ghostboot.conf' && grep -qx 'tftp-max=208' '$gen/dnsmasq.conf'"
check "... applied again: unchanged" bash -c \
	"'$gb' --root '$R' cluster apply '$t/big.cluster' >'$t/apply-big2.out' 2>&1 && grep -q 'cluster hpc: unchanged' '$t/apply-big2.out'"
check "back to 4 nodes: both removed" bash -c \
	"'$gb' --root '$R' cluster apply >'$t/apply-small.out' 2>&1 && grep -q 'removed   $R/etc/nfs.conf.d/ghostboot.conf' '$t/apply-small.out' &&
	 grep -q 'removed   $R/etc/sysctl.d/60-ghostboot.conf' '$t/apply-small.out' &&
	 [ ! -e '$R/etc/nfs.conf.d/ghostboot.conf' ] && [ ! -e '$R/etc/sysctl.d/60-ghostboot.conf' ]"

# --- bad files and a failing check change nothing ----------------------------------------
before=$(snap)
bad() { # NAME LINE MESSAGE SED-EXPRESSION: exit 2, FILE:LINE: MESSAGE, the tree as it was
	local f=$t/$1.cluster out rc
	sed -e "$4" "$R/etc/ghostboot/cluster" >"$f"
	cp "$R/etc/ghostboot/master.key" "$t/master.key"
	for verb in check apply; do
		out=$("$gb" --root "$R" cluster "$verb" "$f" 2>&1)
		rc=$?
		if [ "$rc" = 2 ] && echo "$out" | grep -q "^$f:$2: .*$3" && same; then
			ok "$1: cluster $verb exits 2 with $f:$2:, nothing changed"
		else
			not_ok "$1: cluster $verb: exit $rc, '$out'"
		fi
	done
}
bad unknown-key 7 "unknown key 'netmask'" '7i netmask 255.255.255.0'
bad bad-mac 14 "MAC '52:54:00:70:00' is not" 's/^node        n02 52:54:00:70:00:02/node n02 52:54:00:70:00/'
bad kernel-alone 9 "'kernel' and 'initramfs': give both" "9i kernel $img/vmlinuz"
bad same-ip 16 "address 10.70.0.11 already on line 13" 's/10.70.0.14$/10.70.0.11/'
missing() { "$gb" --root "$R" cluster apply "$t/none" 2>"$t/none.err"; [ $? = 2 ] && grep -q "$t/none: cannot read" "$t/none.err" && same; }
check "a missing cluster file: exit 2, named, nothing changed" missing
# A dnsmasq that refuses every configuration: the check fails, nothing is replaced.
printf '#!/bin/sh\necho "dnsmasq: bad option at line 1 of %s" >&2\nexit 1\n' "\$3" >"$t/bin/dnsmasq"
chmod +x "$t/bin/dnsmasq"
sed -i 's/^heartbeat .*/heartbeat 20/' "$R/etc/ghostboot/cluster"
before=$(snap)
refused() {
	PATH="$t/bin:$PATH" "$gb" --root "$R" cluster apply 2>"$t/fail.err"
	[ $? = 1 ] && grep -q 'fails dnsmasq --test: nothing changed' "$t/fail.err" && same
}
check "a failing dnsmasq --test: exit 1, says nothing changed, and nothing did" refused
# Two commands at once: the second waits for the first's lock (a kernel hook during an apply).
locked() { # holds the lock 5 s: the apply started meanwhile must still be waiting, then finish
	local pid waiting rc
	exec 8>>"$R/var/lib/ghostboot/.lock"
	flock 8
	"$gb" --root "$R" cluster apply >"$t/locked.out" 2>&1 8>&- &
	pid=$!
	sleep 5
	kill -0 "$pid" 2>/dev/null
	waiting=$?
	exec 8>&-
	wait "$pid"
	rc=$?
	[ "$waiting" = 0 ] && [ "$rc" = 0 ]
}
check "apply waits for another command's lock, then runs" locked
check "no temporary folder left beside the targets" bash -c "! find '$R' -name '.apply.*' -o -name '.tftp.*' | grep -q ."

# --- images removed ----------------------------------------------------------------------
check "image remove $kver" bash -c "'$gb' --root '$R' image remove '$kver' >/dev/null && [ ! -e '$img' ]"
check "image remove again: nothing to do, exit 0" quiet "$gb" --root "$R" image remove "$kver"

# --- conventions: --help, -V, stray arguments --------------------------------------------
for cmd in "" "cluster" "cluster check" "cluster apply" "image" "image build" "image remove" "image list" \
	"root" "root build" "cmdline" "cmdline explain" "key" "key init"; do
	# shellcheck disable=SC2086 # cmd is words
	check "ghostboot $cmd --help: exit 0, a usage on stdout" bash -c "'$gb' $cmd --help 2>/dev/null | grep -q '^usage: ghostboot'"
done
check "ghostboot -V and ghostboot image list -V: the VERSION file" bash -c \
	"[ \"\$('$gb' -V)\" = \"ghostboot \$(cat VERSION)\" ] && [ \"\$('$gb' image list -V)\" = \"ghostboot \$(cat VERSION)\" ]"
for cmd in "" "frobnicate" "cluster" "cluster frob" "cluster check a b" "cluster check --json" "cluster apply --rate 5" \
	"image list x" "image list --kernel-tree /" "image list --json=1" "image remove" "image remove a b" "image remove ../etc" "image build --bogus" \
	"root build a b" "key init x" "key init --force" "cmdline explain --jsn" "--root"; do
	# shellcheck disable=SC2086 # cmd is words
	check "ghostboot $cmd: usage error, exit 2" bash -c "'$gb' --root '$R' $cmd >/dev/null 2>'$t/usage.err'; [ \$? = 2 ] && grep -q usage: '$t/usage.err'"
done

# --- completion and man page -------------------------------------------------------------
if [ -f /usr/share/bash-completion/bash_completion ]; then
	complete_words() { # WORDS...: what the completion offers for the last word
		bash -c '. /usr/share/bash-completion/bash_completion && . netboot/admin/ghostboot.bash-completion &&
			COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) && COMP_LINE="$*" && COMP_POINT=${#COMP_LINE} &&
			_ghostboot ghostboot "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}" && echo "${COMPREPLY[*]}"' _ "$@"
	}
	check "completion: the nouns" bash -c "[ \"\$($(declare -f complete_words); complete_words ghostboot '')\" = 'cluster image root cmdline key --root --help --version' ]"
	check "completion: image's verbs after --root DIR" bash -c "[ \"\$($(declare -f complete_words); complete_words ghostboot --root /tmp image '')\" = 'build remove list --help' ]"
	check "completion: cluster apply's options" bash -c "$(declare -f complete_words); complete_words ghostboot cluster apply -- | grep -qw -- --no-reload"
	check "completion: image remove offers the built images" bash -c \
		"mkdir -p '$R/var/lib/ghostboot/images/9.9.9-test' && [ \"\$($(declare -f complete_words); complete_words ghostboot --root '$R' image remove 9)\" = 9.9.9-test ]"
fi
for cmd in "cluster check" "cluster apply" "image build" "image remove" "image list" "root build" "cmdline explain" "key init"; do
	check "man page: $cmd" grep -q "^\*$cmd\*" docs/man/ghostboot.8.scd
done
! command -v scdoc >/dev/null || check "man page: scdoc builds it" bash -c "scdoc <docs/man/ghostboot.8.scd >/dev/null"
tap_done
