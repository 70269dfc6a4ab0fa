# Guest side of tests/qemu/test_report_afalg.sh, run by BusyBox sh as PID 1 (rdinit=/bin/sh
# -- /report-guest.sh): loads the image's modules (af_alg and algif_hash among them), puts
# eth0 on QEMU's user network, and sends reports with the real `ghostinit report`.
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
while read -r group path _; do insmod "$path" 2>/dev/null; done </etc/ghostboot/modules
echo "GUEST: modules loaded"
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
sleep 1
mac=$(cat /sys/class/net/eth0/address)
echo qnode >/proc/sys/kernel/hostname # a name for ghostwatch slurm-nodes' line
# What the kernel says of its CPUs and memory, for the test to hold slurm-nodes' line against
# (hwloc reads the same sysfs topology; slurmd's RealMemory is MemTotal in MiB below 64 GiB).
echo "GUEST: cpus $(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)" \
	"packages $(cat /sys/devices/system/cpu/cpu[0-9]*/topology/physical_package_id | sort -u | wc -l)" \
	"cores $(for t in /sys/devices/system/cpu/cpu[0-9]*/topology; do echo "$(cat $t/physical_package_id) $(cat $t/core_id)"; done | sort -u | wc -l)" \
	"memtotal_mib $(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) / 1024))"
# Slurm's own view of this machine, when the test put slurmd in the image.
if [ -e /usr/sbin/slurmd ]; then
	chmod 755 /usr/sbin/slurmd /lib64/ld-linux-x86-64.so.2 # the image builder adds files 0600
	echo "GUEST: slurmd -C: $(/usr/sbin/slurmd -C 2>&1 | head -1)"
fi
/init report --master 10.0.2.2 --key-file /etc/ghostboot/key --mac "$mac" --inventory eth0 \
	boot modules link lease root-mounted switch-root
echo "GUEST: boot reports rc=$?"
/init report --master 10.0.2.2 --key-file /etc/ghostboot/key --mac "$mac" --error 110 \
	--text "guest says fatal" boot fatal
echo "GUEST: fatal report rc=$?"
# Nothing listens on 7999: the reports cost at most the 200 ms budget, then give up.
/init report --master 10.0.2.2:7999 --key-file /etc/ghostboot/key --mac "$mac" boot modules link lease
echo "GUEST: dead master rc=$?"
# A wrong key: ghostwatch refuses it (bad HMAC) and never acks.
echo 00112233445566778899aabbccddeeff >/tmp/wrong.key
/init report --master 10.0.2.2 --key-file /tmp/wrong.key --mac 52:54:00:00:00:99 boot
echo "GUEST: wrong key rc=$?"
echo "GUEST: done"
poweroff -f
