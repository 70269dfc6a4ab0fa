#!/bin/bash
# mkroot.sh DIR SSH_PUBKEY: the shared Debian root of the cluster's workers, made with debootstrap
# from Debian's archive (debian-base.sh, which makes it fit to be exported read-only): systemd,
# an sshd that lets the master in with SSH_PUBKEY, Open MPI and the demo's MPI program
# (mpi_ring.c), HPL (Debian's hpcc, on OpenBLAS); no network configuration (the boot interface is ghostinit's), journal in RAM.
# Rebuilt only when its inputs change. GB_MIRROR, GB_CACHE: see debian-base.sh.
# Slurm: slurmd and munge are in every root; with GB_SLURM_SERVER=HOST[:PORT] (the master's
# slurmctld) slurmd runs configless (--conf-server: slurm.conf lives on the master only) and
# GB_MUNGE_KEY (default /etc/munge/munge.key) becomes the root's munge key, the master's; one
# shared image means one key every node holds (docs/operate.md, "Slurm": what that means).
# Without GB_SLURM_SERVER neither runs with a key of the master's (slurmd's unit needs a
# slurm.conf, which the root has not got).
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 DIR SSH_PUBKEY" >&2; exit 2; }
dir=$(realpath -m "$1") pub=$2
[ -r "$pub" ] || { echo "mkroot: cannot read $pub" >&2; exit 1; }
# hpcc's BLAS is any libblas.so.3: OpenBLAS named, or minbase would pick the reference BLAS.
pkgs=systemd-sysv,openssh-server,openmpi-bin,iproute2,procps,slurmd,munge,hpcc,libopenblas0-pthread
slurm=${GB_SLURM_SERVER:-} munge_key=${GB_MUNGE_KEY:-/etc/munge/munge.key}
if [ -n "$slurm" ]; then
	[[ $slurm =~ ^[A-Za-z0-9.-]+(:[0-9]+)?$ ]] || { echo "mkroot: GB_SLURM_SERVER='$slurm': HOST[:PORT]" >&2; exit 2; }
	[ -r "$munge_key" ] || { echo "mkroot: cannot read the munge key $munge_key (GB_MUNGE_KEY)" >&2; exit 1; }
fi
key=$( { echo "$pkgs $slurm"; cat "$pub" "$0" "$here/debian-base.sh" "$here/mpi_ring.c"
	[ -z "$slurm" ] || cat "$munge_key"; } | sha256sum | cut -d' ' -f1)
if [ -f "$dir/etc/ghostboot-root" ] && [ "$(cat "$dir/etc/ghostboot-root")" = "$key" ]; then
	exit 0
fi
command -v mpicc >/dev/null || { echo "mkroot: mpicc is missing (make deps)" >&2; exit 1; }
tmp=$dir.tmp
"$here/debian-base.sh" "$tmp" "$pkgs" || exit 1
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$tmp/etc/hosts"

install -d -m 0700 "$tmp/root/.ssh"
install -m 0600 "$pub" "$tmp/root/.ssh/authorized_keys"
mkdir -p "$tmp/etc/ssh/sshd_config.d"
printf 'PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n' >"$tmp/etc/ssh/sshd_config.d/ghostboot.conf"

mkdir -p "$tmp/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=8M\n' >"$tmp/etc/systemd/journald.conf.d/ghostboot.conf"
# Nothing that writes periodically or waits for hardware a diskless node has not got (the
# gettys and e2scrub_reap are off in every root: debian-base.sh).
for unit in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer \
	systemd-timesyncd.service; do
	ln -sf /dev/null "$tmp/etc/systemd/system/$unit"
done
# One line on the console when the node can take jobs: what tests and the demo wait for.
cat >"$tmp/etc/systemd/system/ghostboot-ready.service" <<'EOF'
[Unit]
Description=ghostboot: tell the console this node is ready
After=ssh.service multi-user.target
Wants=ssh.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "GHOSTBOOT-NODE-READY $(hostname) $(cat /proc/uptime)" >/dev/console'

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/ghostboot-ready.service "$tmp/etc/systemd/system/multi-user.target.wants/ghostboot-ready.service"

# slurmd in configless mode (SlurmctldParameters=enable_configless on the master): the unit's
# condition on a local slurm.conf goes, the address of slurmctld comes in. A configless slurmd
# that cannot fetch its configuration exits; a diskless node may well come up before slurmctld
# (a power cut, the first boot before the node lines exist): systemd starts it again every
# 10 s, without end. munged with the master's key, readable by munge only (the package made
# its own at install: replaced).
if [ -n "$slurm" ]; then
	mkdir -p "$tmp/etc/systemd/system/slurmd.service.d"
	cat >"$tmp/etc/systemd/system/slurmd.service.d/ghostboot.conf" <<'EOF'
[Unit]
# configless: slurm.conf is fetched from slurmctld at start
ConditionPathExists=
StartLimitIntervalSec=0

[Service]
Restart=always
RestartSec=10
EOF
	echo "SLURMD_OPTIONS=\"--conf-server $slurm\"" >"$tmp/etc/default/slurmd"
	install -m 0400 "$munge_key" "$tmp/etc/munge/munge.key"
	chroot "$tmp" chown munge:munge /etc/munge/munge.key || exit 1
fi

# srun's MPI launch (MpiDefault=pmix): slurmstepd's PMIx plugin opens the library by its
# unversioned name, which only libpmix-dev (and the compilers it pulls in) ships.
ln -sf libpmix.so.2 "$tmp/usr/lib/x86_64-linux-gnu/pmix2/lib/libpmix.so" || exit 1

# Same Debian release as this master, so the master's mpicc builds for the image's libmpi.
mkdir -p "$tmp/usr/local/bin"
mpicc -O2 -o "$tmp/usr/local/bin/mpi_ring" "$here/mpi_ring.c" || exit 1

rm -rf "$tmp"/var/cache/apt/*.bin "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*_Packages
echo "$key" >"$tmp/etc/ghostboot-root"
rm -rf "$dir"
mv "$tmp" "$dir"
echo "mkroot: $dir ready ($(du -sm "$dir" | cut -f1) MB)"
