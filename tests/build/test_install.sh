#!/bin/bash
# make install into a scratch DESTDIR (PREFIX=/usr, as the Debian packaging runs it): the tree
# of the installed layout, and the installed commands run from there with their installed
# library and programs only (ghostinit, BusyBox, mkimage.sh, ghostwatch): -V/--help, an image
# built from build/kernel identical to make's, key init and cluster apply of the installed
# example under --root. Then make uninstall leaves no file, and PREFIX=/usr/local works too.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
top=$(pwd)
t=$(realpath -m build/test-tmp/install)
rm -rf "$t"
D=$t/dest R=$t/root
mkdir -p "$R/etc/ghostboot"
check "make install DESTDIR=... PREFIX=/usr" bash -c "make -s install DESTDIR='$D' PREFIX=/usr >'$t/install.log' 2>&1"
for f in 755:usr/sbin/ghostboot 755:usr/sbin/ghostwatch 755:usr/lib/ghostboot/ghostinit 755:usr/lib/ghostboot/busybox \
	644:usr/lib/ghostboot/VERSION 644:usr/lib/ghostboot/ganesha-conf.sh 644:usr/lib/ghostboot/admin/common.sh \
	644:usr/lib/ghostboot/cluster/cluster.sh 755:usr/lib/ghostboot/cluster/generate.sh 755:usr/lib/ghostboot/cluster/mkroot.sh \
	755:usr/lib/ghostboot/cluster/debian-base.sh 644:usr/lib/ghostboot/cluster/mpi_ring.c \
	755:usr/lib/ghostboot/initramfs/mkimage.sh 644:usr/lib/ghostboot/initramfs/modules.default \
	755:usr/lib/ghostboot/slurm/slurm-sync 755:usr/lib/ghostboot/slurm/slurm-resume 755:usr/lib/ghostboot/slurm/slurm-suspend \
	755:usr/lib/ghostboot/slurm/slurm-resume-fail 644:usr/lib/ghostboot/slurm/slurm-power.sh \
	644:usr/share/doc/ghostboot/examples/cluster; do
	check "installed ${f#*:} (mode ${f%%:*})" bash -c "[ -f '$D/${f#*:}' ] && [ \$(stat -c %a '$D/${f#*:}') = ${f%%:*} ]"
done
# What other parts of the tree bring, wherever they exist: units, kernel hooks, man pages, completion.
for u in netboot/systemd/*.service; do
	[ -f "$u" ] || continue
	check "unit $(basename "$u") in /lib/systemd/system" cmp "$u" "$D/lib/systemd/system/$(basename "$u")"
done
for h in netboot/kernel-hooks/post*.d/*; do
	[ -f "$h" ] || continue
	d=$(basename "$(dirname "$h")")
	check "kernel hook $d/$(basename "$h") in /etc/kernel (executable)" bash -c "cmp '$h' '$D/etc/kernel/$d/$(basename "$h")' && [ -x '$D/etc/kernel/$d/$(basename "$h")' ]"
done
if [ -f docs/man/man.mk ]; then
	for m in docs/man/*.scd; do
		n=$(basename "$m" .scd)
		check "man page $n in /usr/share/man/man${n##*.}" [ -s "$D/usr/share/man/man${n##*.}/$n" ]
	done
fi
[ ! -f netboot/admin/ghostboot.bash-completion ] ||
	check "bash completion" cmp netboot/admin/ghostboot.bash-completion "$D/usr/share/bash-completion/completions/ghostboot"

gb=$D/usr/sbin/ghostboot
# From /, with a PATH without the checkout: only the installed files can answer.
run() { (cd / && env -u GHOSTBOOT_LIB PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"); }
check "installed ghostboot -V: the VERSION file" bash -c "[ \"\$(cd / && '$gb' -V)\" = \"ghostboot \$(cat VERSION)\" ]"
check "installed ghostboot --help, cluster apply --help: exit 0" bash -c "'$gb' --help | grep -q '^usage: ghostboot' && '$gb' cluster apply --help | grep -q '^usage:'"
check "installed ghostboot without its library: says so, exit 1" bash -c \
	"GHOSTBOOT_LIB=/nonexistent '$gb' -V 2>&1 | grep -q 'cannot find its library'; [ \${PIPESTATUS[0]} = 1 ]"
kver=$(cat build/kernel/release)
check "installed image build (installed ghostinit, BusyBox, mkimage.sh): the image make builds" bash -c \
	"$(declare -f run); run '$gb' --root '$R' image build --kernel-tree '$top/build/kernel' >/dev/null 2>&1 &&
	 cmp '$R/var/lib/ghostboot/images/$kver/initramfs.img' build/initramfs.img"
cp "$D/usr/share/doc/ghostboot/examples/cluster" "$R/etc/ghostboot/cluster"
check "installed key init (installed ghostwatch)" bash -c "$(declare -f run); run '$gb' --root '$R' key init >/dev/null 2>&1"
check "installed cluster apply of the installed example: dnsmasq --test passes, per-node key archives" bash -c \
	"$(declare -f run); run '$gb' --root '$R' cluster apply >'$t/apply.out' 2>&1 && dnsmasq --test -C '$R/var/lib/ghostboot/generated/dnsmasq.conf' 2>/dev/null &&
	 [ -s '$R/srv/ghostboot/tftp/10.70.0.12/keys/52-54-00-70-00-02.img' ]"
check "installed cmdline explain (installed ghostinit)" bash -c "$(declare -f run); run '$gb' --root '$R' cmdline explain | grep -qx 'ghost.heartbeat=10'"
check "make uninstall leaves no file" bash -c \
	"make -s uninstall DESTDIR='$D' PREFIX=/usr >/dev/null 2>&1 && [ -z \"\$(find '$D' ! -type d)\" ]"
check "PREFIX=/usr/local: the command finds /usr/local/lib/ghostboot" bash -c \
	"make -s install DESTDIR='$t/local' PREFIX=/usr/local >/dev/null 2>&1 && [ -f '$t/local/usr/local/lib/ghostboot/cluster/cluster.sh' ] &&
	 [ \"\$(cd / && '$t/local/usr/local/sbin/ghostboot' -V)\" = \"ghostboot \$(cat VERSION)\" ]"
tap_done
