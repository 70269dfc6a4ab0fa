#!/bin/sh
# Guest side of tests/qemu/capture_net_id.sh: run as init= from a copy of the BusyBox worker
# root; copies, for every network interface, the sysfs attributes net_id reads (the interface,
# each device above it, the PCI slots) into /fixtures/<net_id.capture=NAME>/ with sysfs's own
# layout and symlinks, then powers off. Values are the kernel's own: these are the unit tests'
# fixtures (tests/unit/fixtures/net_id/).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
name=$(sed -n 's/.*net_id\.capture=\([a-z0-9_-]*\).*/\1/p' /proc/cmdline)
out=/fixtures/$name
rm -rf "$out" && mkdir -p "$out"
copy() { # FILE relative to /sys; the first 256 bytes (config: the first 64)
	[ -r "/sys/$1" ] || return 0
	mkdir -p "$out/${1%/*}"
	case $1 in */config) len=64 ;; *) len=256 ;; esac
	head -c $len "/sys/$1" >"$out/$1" 2>/dev/null || rm -f "$out/$1"
}
link() { # SYMLINK relative to /sys, same target
	[ -L "/sys/$1" ] || return 0
	mkdir -p "$out/${1%/*}"
	ln -sfn "$(readlink "/sys/$1")" "$out/$1"
}
for n in /sys/class/net/*; do
	i=${n##*/}
	[ "$i" = lo ] && continue
	link "class/net/$i"
	d=$(readlink -f "$n")
	r=${d#/sys/}
	for a in type ifindex iflink dev_port dev_id phys_port_name uevent address name_assign_type; do copy "$r/$a"; done
	link "$r/device"
	dev=$(readlink -f "$n/device")
	while [ -n "$dev" ] && [ "$dev" != /sys/devices ] && [ -L "$dev/subsystem" ]; do
		r=${dev#/sys/}
		link "$r/subsystem"
		link "$r/physfn"
		for a in acpi_index index label ari_enabled modalias vendor device class config; do copy "$r/$a"; done
		echo "NETID-CAPTURE $i $r $(readlink "$dev/subsystem" | sed 's|.*/||')"
		dev=${dev%/*}
	done
done
for s in /sys/bus/pci/slots/*; do
	[ -e "$s/address" ] && copy "${s#/sys/}/address" && echo "NETID-SLOT ${s##*/} $(cat "$s/address")"
done
sync
echo "NETID-CAPTURE-DONE $name"
poweroff -f
