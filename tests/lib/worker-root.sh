# The tiny worker root the end-to-end tests boot: busybox-static with its applets, and an
# /sbin/init that proves it was reached, reports what it sees and powers off. Source it.
#
#   worker_root_build [DIR]   builds DIR (default build/worker-root) when its inputs changed;
#                             deterministic: same busybox + same script = same tree
#   worker_root_copy DIR      a private writable copy of the worker root for one test
#   worker_root_ext4 IMG LABEL UUID   an ext4 image holding the worker root (mkfs.ext4 -d)
#   worker_initramfs IMG [mkimage args]   a private ghostboot image of build/ghostinit for one
#                             test (build/initramfs.img may be rebuilt by a parallel make);
#                             WORKER_AGENT=PATH takes another build (a negative control)
#
# The worker's /sbin/init reads these kernel parameters (ghostinit leaves them alone):
#   worker.write=/PATH     writes a line naming this boot into PATH (in the worker's root)
#   worker.list=/DIR       prints "WORKER-LS /DIR: <names>"
#   worker.sleep=N         waits N seconds before powering off (lets a second worker overlap)
#   worker.flush=IF        flushes IF's addresses and takes it down (what ifupdown does)
#   worker.ps              prints WORKER-PS with every process's command line
#   worker.keyscan         as uid 65534, prints every /proc/*/cmdline, environ and readable file
#                          under /run below 32 KiB (the shutdown program's copy of ghostinit is
#                          not text) (WORKER-NONROOT-*), and the sha256 of the key root keeps
#   worker.end=ghostinit   powers off through `/run/initramfs/shutdown shutdown poweroff`
# and prints, one per line: WORKER-INIT-REACHED pid=<pid>, WORKER-ARGS, WORKER-ROOT (the mount
# of /), WORKER-HOSTNAME, WORKER-MACHINE-ID, WORKER-NFS4-ID, WORKER-SHUTDOWN-COPY, WORKER-WROTE, WORKER-DONE.

GB_TOP=${GB_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WORKER_ROOT=${WORKER_ROOT:-$GB_TOP/build/worker-root}

worker_init_script() {
	cat <<'EOS'
#!/bin/sh
# The worker's real init in the tests: proves the handover and reports, then powers off.
export PATH=/bin:/sbin
echo "WORKER-INIT-REACHED pid=$$"
echo "WORKER-ARGS $*"
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
echo "WORKER-ROOT $(awk '$2 == "/" { r = $1 " " $3 " " $4 } END { print r }' /proc/mounts)"
echo "WORKER-MOUNTS $(awk '{ printf "%s:%s ", $2, $3 }' /proc/mounts)"
echo "WORKER-HOSTNAME $(cat /etc/hostname 2>/dev/null)"
echo "WORKER-MACHINE-ID $(cat /etc/machine-id 2>/dev/null)"
echo "WORKER-NFS4-ID $(cat /sys/module/nfs/parameters/nfs4_unique_id 2>/dev/null)"
if [ -x /run/initramfs/shutdown ]; then echo "WORKER-SHUTDOWN-COPY present"; else echo "WORKER-SHUTDOWN-COPY missing"; fi
for arg in $(cat /proc/cmdline); do
	case $arg in
	worker.write=*)
		f=${arg#worker.write=}
		if echo "written by worker $(cat /etc/machine-id 2>/dev/null) at $(cut -d' ' -f1 /proc/uptime)" >"$f" && sync; then
			echo "WORKER-WROTE $f"
		else
			echo "WORKER-WRITE-FAILED $f"
		fi ;;
	worker.list=*)
		d=${arg#worker.list=}
		echo "WORKER-LS $d: $(ls "$d" 2>/dev/null | tr '\n' ' ')" ;;
	worker.sleep=*)
		sleep "${arg#worker.sleep=}" ;;
	worker.flush=*)
		# What ifupdown's networking.service does at shutdown: the boot link taken away.
		i=${arg#worker.flush=}
		ip addr flush dev "$i"; ip link set "$i" down
		echo "WORKER-FLUSHED $i"
		sleep 1 ;;
	worker.ps)
		echo "WORKER-PS $(ps -o args | tr '\n' '|')" ;;
	worker.keyscan)
		# What an ordinary user sees: every command line, environment and readable file
		# under /run, dumped as uid 65534 for the test to search for the node's key; and the
		# key root keeps (its sha256 only, never the key, and its mode and owner).
		grep -q '^nobody:' /etc/passwd 2>/dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
		echo "WORKER-KEY-KEPT $(sha256sum </run/ghostboot/node.key 2>/dev/null | cut -d' ' -f1) $(stat -c '%a %u' /run/ghostboot/node.key 2>/dev/null)"
		su -s /bin/sh nobody -c '
			echo "WORKER-NONROOT-ID $(id -u)"
			for f in /proc/cmdline /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do
				[ -r "$f" ] && echo "WORKER-NONROOT-PROC $f: $(tr "\0" " " <"$f" 2>/dev/null)"
			done
			find /run -type f -size -32k 2>/dev/null | while read -r f; do
				[ -r "$f" ] && cat "$f" 2>/dev/null | sed "s|^|WORKER-NONROOT-RUN $f: |"
			done
			echo "WORKER-NONROOT-DONE"' ;;
	esac
done
echo "WORKER-DONE"
# worker.end=ghostinit: end as a BusyBox-init system configured per docs/shutdown.md would
# (ghostinit pivots back into /run/initramfs, unmounts the root, powers off); else at once.
case " $(cat /proc/cmdline) " in
*" worker.end=ghostinit "*) /run/initramfs/shutdown shutdown poweroff; echo "WORKER-SHUTDOWN-RETURNED $?" ;;
esac
sync
poweroff -f
EOS
}

worker_root_build() {
	local dir=${1:-$WORKER_ROOT} stamp key applet
	key=$( { sha256sum /bin/busybox; worker_init_script; } | sha256sum | cut -d' ' -f1)
	stamp=$dir.stamp
	if [ -d "$dir" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
		return 0
	fi
	rm -rf "$dir" "$stamp"
	mkdir -p "$dir"/{bin,sbin,etc,proc,sys,dev,run,tmp,var/tmp,root,mnt} || return 1
	chmod 1777 "$dir/tmp" "$dir/var/tmp"
	install -m 0755 /bin/busybox "$dir/bin/busybox" || return 1
	for applet in $(/bin/busybox --list | LC_ALL=C sort); do
		[ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
	done
	worker_init_script >"$dir/sbin/init"
	chmod 0755 "$dir/sbin/init"
	# Empty, as a freshly installed image has it: the overlay writes a per-node one.
	: >"$dir/etc/machine-id"
	echo "root:x:0:0:root:/root:/bin/sh" >"$dir/etc/passwd"
	find "$dir" -exec touch -h -d @0 {} +
	echo "$key" >"$stamp"
}

worker_root_copy() {
	local dest=$1
	worker_root_build || return 1
	rm -rf "$dest"
	mkdir -p "$(dirname "$dest")"
	cp -a "$WORKER_ROOT" "$dest"
}

worker_root_ext4() {
	local img=$1 label=$2 uuid=$3
	worker_root_build || return 1
	rm -f "$img"
	mkdir -p "$(dirname "$img")"
	# -E root_owner: the tree belongs to root whoever builds it; no journal keeps it small.
	mkfs.ext4 -q -F -O ^has_journal -L "$label" -U "$uuid" -E root_owner=0:0 -d "$WORKER_ROOT" "$img" 16M
}

worker_initramfs() {
	local img=$1
	shift
	mkdir -p "$(dirname "$img")"
	"$GB_TOP/initramfs/mkimage.sh" --output "$img" --agent "${WORKER_AGENT:-$GB_TOP/build/ghostinit}" "$@"
}
