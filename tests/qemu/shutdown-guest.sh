#!/bin/sh
# Guest side of tests/qemu/test_shutdown.sh, run as PID 1 (rdinit=/bin/sh -- /shutdown-guest):
# stands in for a worker's last moments on an NFS root mounted at /oldroot (with a tmpfs on top
# and a process keeping it busy), writes data without fsync, then hands over to ghostinit
# exactly as systemd-shutdown does: exec /shutdown VERB --options, as PID 1.
# Kernel parameters: st.export=PATH st.verb=VERB st.size=MiB st.wdparam=PARAM (for watchdog.ko)
# st.mode=good|serverdown|naive|busybox|busybox-serverdown (busybox*: BusyBox init's own end
# instead of ghostinit, the anchor of tests/bench/bench_shutdown.sh)
# st.file=NAME (a new name each boot: the test never touches the export behind the server)
# st.mode=otherinit: like another init (BusyBox init, sysvinit, runit) on a real root: first
# switch_root into a tmpfs "real root" that mounts the NFS share at /mnt/nfs, then run
# `/run/initramfs/shutdown shutdown VERB` as a child of PID 1, which pivots by itself.
# st.mode=ifdown|ifdown-noguard: before the data is written, the boot interface is flushed and
# taken down as ifupdown's networking.service stop does; with the boot-link guardian running
# (ifdown) or without it (ifdown-noguard: the negative control, which must hang).
# st.mode=selfexec: the same real root, but PID 1 execs `/run/initramfs/shutdown VERB` itself
# (a hand-written init, not systemd-shutdown: nobody pivoted).
# st.mode=guardhalt: the boot-link guardian runs (it arms the watchdog when the shutdown
# begins): for a halt, which must disarm it.
# st.mode=atspare: a root and a user process whose argv[0] starts with '@' (only root's is
# spared by the shutdown; the user's works in the NFS root).
# st.mode=linkdown: no guardian; the link goes down right before the handover, and the boot's
# /run/ghostboot/net.env tells ghostinit which link to check before sync and unmount.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mode=good verb=poweroff export=/export size=4 file=data wdparam=
for a in $(cat /proc/cmdline); do
	case $a in
	st.mode=*) mode=${a#*=} ;;
	st.verb=*) verb=${a#*=} ;;
	st.export=*) export=${a#*=} ;;
	st.size=*) size=${a#*=} ;;
	st.file=*) file=${a#*=} ;;
	st.wdparam=*) wdparam=${a#*=} ;;
	esac
done
mnt=/oldroot
if [ "$mode" = otherinit ] || [ "$mode" = selfexec ]; then
	if [ ! -e /.stage2 ]; then
		while read -r group path _; do insmod "$path" 2>/dev/null; done </etc/ghostboot/modules
		mkdir -p /realroot
		mount -t tmpfs tmpfs /realroot
		mkdir -p /realroot/proc /realroot/sys /realroot/dev /realroot/run /realroot/tmp /realroot/mnt/nfs
		cp -a /bin /realroot/
		cp /init /realroot/ghostinit
		cp /shutdown-guest /realroot/
		: >/realroot/.stage2
		umount /proc /sys /dev
		exec switch_root /realroot /bin/sh /shutdown-guest
	fi
	# The real root: ghostinit's copy in /run/initramfs, as the boot leaves it.
	mount -t tmpfs -o mode=755 tmpfs /run
	mkdir -p /run/initramfs
	cp /ghostinit /run/initramfs/shutdown
	mnt=/mnt/nfs
	echo "ST-STAGE2 pid=$$"
else
	# st.wdparam=stop_on_reboot=0: the watchdog core keeps a running watchdog running through
	# halt, power-off and reset (by default the kernel stops i6300esb's at reboot(2)).
	while read -r group path _; do
		case $path in
		*/watchdog.ko) insmod "$path" $wdparam 2>/dev/null ;;
		*) insmod "$path" 2>/dev/null ;;
		esac
	done </etc/ghostboot/modules
fi
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
mkdir -p "$mnt"
i=0
until mount -t nfs4 -o vers=4.2,addr=10.0.2.2 "10.0.2.2:$export" "$mnt"; do
	i=$((i + 1))
	[ $i -ge 20 ] && { echo "ST-MOUNT-FAILED"; poweroff -f; }
	sleep 0.5
done
mount -t tmpfs tmpfs "$mnt/scratch"
echo "ST-MOUNTED"
(cd "$mnt" && exec sleep 100000) &
holder=$!
case $mode in
guardhalt)
	# The boot-link guardian as the boot leaves it (it arms the watchdog when the shutdown
	# tells it), for a halt that must stay a halt.
	ln -s /init /bin/@ghostinit-guardian
	@ghostinit-guardian --iface eth0 --addr 10.0.2.15/24 --gateway 10.0.2.2 &
	mkdir -p /run/ghostboot && echo $! >/run/ghostboot/guardian.pid
	i=0
	until dmesg | grep -q 'guardian: watching eth0' || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	;;
ifdown*)
	if [ "$mode" = ifdown ]; then
		# Started by its name through PATH, so that argv[0] is "@ghostinit-guardian".
		ln -s /init /bin/@ghostinit-guardian
		@ghostinit-guardian --iface eth0 --addr 10.0.2.15/24 --gateway 10.0.2.2 &
		# Its pid where the shutdown program looks, written by the parent as the boot does.
		mkdir -p /run/ghostboot && echo $! >/run/ghostboot/guardian.pid
		i=0
		until dmesg | grep -q 'guardian: watching eth0' || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	fi
	echo "ST-IFDOWN"
	ip addr flush dev eth0
	ip link set eth0 down
	sleep 1
	;;
esac
# A daemon's data: written, never fsynced, its file still open at the handover (NFS would
# flush a closed file at once; an open one is left to the kernel's writeback and the shutdown).
head -c $((size * 1048576)) /dev/urandom >/tmp/data
echo "ST-DATA $(md5sum </tmp/data | cut -d' ' -f1)"
(
	exec 3>"$mnt/$file"
	cat /tmp/data >&3
	: >/tmp/written
	exec sleep 100000
) &
writer=$!
i=0
while [ ! -e /tmp/written ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
rm -f /tmp/data
echo "ST-DIRTY $(awk '/^(Dirty|Writeback):/ { s += $2 } END { print s }' /proc/meminfo) kB"
case $mode in
*serverdown)
	# A second writer with its file open while the server is up; the test freezes the server
	# on ST-READY, then this one dirties pages that can never reach it.
	(
		exec 3>"$mnt/late"
		echo "ST-READY"
		# Write only once the server is silent (a busy host may take seconds to freeze it): a
		# lookup of a new name then gets no answer and is killed after 1 s (status 137).
		i=0
		while [ $i -lt 60 ]; do
			timeout -s KILL 1 stat "$mnt/.probe-$i" >/dev/null 2>&1
			[ $? -eq 137 ] && break
			i=$((i + 1))
			sleep 0.2
		done
		echo "ST-SERVER-SILENT after $i lookups"
		: >/tmp/silent
		head -c 1048576 /dev/urandom >&3
		exec sleep 100000
	) &
	i=0
	until [ -e /tmp/silent ] || [ $i -ge 150 ]; do sleep 0.2; i=$((i + 1)); done
	sleep 2 # the late megabyte into the page cache
	echo "ST-DIRTY-AT-HANDOVER $(awk '/^(Dirty|Writeback):/ { s += $2 } END { print s }' /proc/meminfo) kB"
	;;
esac
if [ "$mode" = atspare ]; then
	# Two '@' processes (ghostinit's guardian watching lo for 10 min; argv[0] from -a):
	# root's, which the shutdown spares as systemd does, and a user's, which it must not. The
	# user's works in the NFS root: had it survived, the root would stay busy.
	(cd / && exec start-stop-daemon -S -x /init -a @rootd -- --iface lo --addr 127.0.0.1/8 --for 600000) &
	root_at=$!
	grep -q '^root:' /etc/passwd 2>/dev/null || echo "root:x:0:0:root:/:/bin/sh" >>/etc/passwd
	echo "user:x:1000:1000:user:/:/bin/sh" >>/etc/passwd
	echo "user:x:1000:" >>/etc/group
	cp /init /bin/init-user # start-stop-daemon starts nothing when its -x is already running
	(cd "$mnt" && exec start-stop-daemon -S -x /bin/init-user -a @userd -c user:user -- --iface lo --addr 127.0.0.1/8 --for 600000) &
	user_at=$!
	sleep 2
	for p in $root_at $user_at; do
		echo "ST-AT pid=$p uid=$(awk '/^Uid:/ { print $2 }' /proc/$p/status) argv=$(tr '\0' ' ' </proc/$p/cmdline)"
	done
fi
if [ "$mode" = linkdown ]; then
	mkdir -p /run/ghostboot
	printf "GHOST_IFACE='eth0'\nGHOST_ADDR='10.0.2.15'\nGHOST_PREFIX='24'\nGHOST_GATEWAY='0.0.0.0'\n" >/run/ghostboot/net.env
	ip link set eth0 down
	echo "ST-LINKDOWN"
fi
# The same start mark for every variant, with the kernel's timestamp (benchmarks).
echo "ST-HANDOVER" >/dev/kmsg
case $mode in
naive)
	# The bug: the link goes down first, then the unmount. This must hang.
	kill "$holder" "$writer"
	wait "$holder" "$writer" 2>/dev/null
	echo "ST-NAIVE link down, then umount"
	ip link set eth0 down
	umount "$mnt/scratch"
	umount "$mnt"
	echo "ST-NAIVE-RETURNED"
	poweroff -f
	;;
busybox*)
	# What BusyBox init does at the end (TERM, 1 s, KILL, sync, reboot), plus the unmounts.
	kill -TERM -1
	sleep 1
	kill -KILL -1
	sync
	echo "ST-BUSYBOX synced" >/dev/kmsg
	umount "$mnt/scratch"
	umount "$mnt"
	echo "ST-BUSYBOX unmounted: $?" >/dev/kmsg
	if [ "$verb" = poweroff ]; then poweroff -f; else reboot -f; fi
	;;
selfexec)
	# A hand-written init's end: PID 1 execs the shutdown program itself, without any pivot.
	exec /run/initramfs/shutdown "$verb"
	;;
otherinit)
	# Another init's shutdown line: ghostinit runs as a child of PID 1 and never returns.
	/run/initramfs/shutdown shutdown "$verb"
	echo "ST-OTHERINIT-RETURNED $?"
	exec sleep 100000
	;;
esac
ln -s /init /shutdown
exec /shutdown "$verb" --log-level=6 --timeout=90000000us --log-target=kmsg --log-color --exit-code=0
