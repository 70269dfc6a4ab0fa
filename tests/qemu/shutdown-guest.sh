#!/bin/sh
# Guest side of tests/qemu/test_shutdown.sh, run as PID 1 (rdinit=/bin/sh -- /shutdown-guest):
# stands in for a worker's last moments on an NFS root mounted at /oldroot (with a tmpfs on top
# and a process keeping it busy), writes data without fsync, then hands over to ghostinit
# exactly as systemd-shutdown does: exec /shutdown VERB --options, as PID 1.
# Kernel parameters: st.export=PATH st.verb=VERB st.mode=good|serverdown|naive st.size=MiB
# st.file=NAME (a new name each boot: the test never touches the export behind the server)
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mode=good verb=poweroff export=/export size=4 file=data
for a in $(cat /proc/cmdline); do
	case $a in
	st.mode=*) mode=${a#*=} ;;
	st.verb=*) verb=${a#*=} ;;
	st.export=*) export=${a#*=} ;;
	st.size=*) size=${a#*=} ;;
	st.file=*) file=${a#*=} ;;
	esac
done
while read -r group path; do insmod "$path" 2>/dev/null; done </etc/ghostboot/modules
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
mkdir -p /oldroot
i=0
until mount -t nfs4 -o vers=4.2,addr=10.0.2.2 "10.0.2.2:$export" /oldroot; do
	i=$((i + 1))
	[ $i -ge 20 ] && { echo "ST-MOUNT-FAILED"; poweroff -f; }
	sleep 0.5
done
mount -t tmpfs tmpfs /oldroot/scratch
echo "ST-MOUNTED"
(cd /oldroot && exec sleep 100000) &
holder=$!
# Written, never fsynced: only the shutdown's sync can bring it to the server.
dd if=/dev/urandom of="/oldroot/$file" bs=1048576 count="$size" 2>/dev/null
echo "ST-DATA $(md5sum <"/oldroot/$file" | cut -d' ' -f1)"
case $mode in
naive)
	# The bug: the link goes down first, then the unmount. This must hang.
	kill "$holder"
	wait "$holder" 2>/dev/null
	echo "ST-NAIVE link down, then umount"
	ip link set eth0 down
	umount /oldroot/scratch
	umount /oldroot
	echo "ST-NAIVE-RETURNED"
	poweroff -f
	;;
serverdown)
	# A writer with its file open while the server is up; the test kills the server on
	# ST-READY, then the writer dirties pages that can never reach it (and its exit, which
	# flushes on close, blocks in the kernel: a process SIGKILL cannot end).
	(
		exec 3>/oldroot/late
		echo "ST-READY"
		sleep 2
		head -c 1048576 /dev/urandom >&3
		exec sleep 100000
	) &
	sleep 4
	;;
esac
ln -s /init /shutdown
echo "ST-HANDOVER"
exec /shutdown "$verb" --log-level=6 --timeout=90000000us --log-target=kmsg --log-color --exit-code=0
