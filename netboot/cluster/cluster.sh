# The cluster file parser (format: docs/cluster-file.md). Source it, then `cluster_load FILE`:
# every line is checked, the first error is printed as "FILE:LINE: what" and 1 is returned.
#
# On success these are set (paths made absolute, relative ones taken from the file's folder):
#   CL_FILE CL_NAME CL_SUBNET CL_PREFIX CL_NETMASK CL_MASTER CL_RANGE_START CL_RANGE_END
#   CL_LEASE CL_KERNEL CL_INITRAMFS CL_ROOT CL_NFS_VERSION CL_NFS_OPTIONS CL_BOOT CL_OVERLAY
#   CL_RESET CL_HEARTBEAT CL_REPORT_PORT CL_METRICS_PORT CL_KEY CL_MASTER_KEY CL_CMDLINE CL_CONSOLE CL_INTERFACE
#   CL_RA_PREFIX CL_HTTP_PORT
#   CL_NODE_NAME[] CL_NODE_MAC[] CL_NODE_IP[] (IP empty: the node takes one from dhcp-range)
#   CL_NODE_POWER[] ("wol", or "ipmi BMC": the power key; wol by default)
# kernel, initramfs and root may be left out: cl_defaults says what they become.
# shellcheck shell=bash disable=SC2034 # the CL_* are read by the scripts that source this file

# cl_ip2int A.B.C.D: prints the address as an integer; fails on anything else.
cl_ip2int() {
	local IFS=. a b c d extra
	[[ $1 =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || return 1
	read -r a b c d extra <<<"$1"
	for x in "$a" "$b" "$c" "$d"; do
		[[ $x =~ ^(0|[1-9][0-9]*)$ ]] && [ "$x" -le 255 ] || return 1
	done
	echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

cl_int2ip() { echo "$((($1 >> 24) & 255)).$((($1 >> 16) & 255)).$((($1 >> 8) & 255)).$(($1 & 255))"; }

# cl_in_subnet IP: true when IP is a host address of the cluster's subnet (not network/broadcast).
cl_in_subnet() {
	local ip net mask
	ip=$(cl_ip2int "$1") || return 1
	net=$(cl_ip2int "$CL_SUBNET")
	mask=$(((0xffffffff << (32 - CL_PREFIX)) & 0xffffffff))
	[ $((ip & mask)) -eq "$net" ] && [ "$ip" -ne "$net" ] && [ "$ip" -ne $((net | (~mask & 0xffffffff))) ]
}

cl_err() { echo "$CL_FILE:$cl_line: $*" >&2; }

cl_seconds() { [[ $1 =~ ^[0-9]+(\.[0-9]{1,3})?$ ]]; }

# cl_hex_key FILE: the file holds a key as ghostinit and ghostwatch read one
# (report_wire_parse_key): 32 to 128 hex digits, an even count, white space around them only.
cl_hex_key() {
	local hex
	hex=$(<"$1") || return 1
	hex=${hex#"${hex%%[![:space:]]*}"}
	hex=${hex%"${hex##*[![:space:]]}"}
	[[ $hex =~ ^[0-9a-fA-F]{32,128}$ ]] && [ $((${#hex} % 2)) -eq 0 ]
}

# cl_hostlist EXPR: the names of a host list (w[1-3],w7), one a line, as ghostwatch reads them
# (its parser: one syntax everywhere; GHOSTWATCH or the admin command's GB_GHOSTWATCH, else the
# tree's build, else PATH); fails, printing why, on a bad list.
cl_hostlist() {
	local gw=${GHOSTWATCH:-${GB_GHOSTWATCH:-}} top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	if [ -z "$gw" ]; then
		if [ -x "$top/build/ghostwatch" ]; then gw=$top/build/ghostwatch
		else gw=$(command -v ghostwatch) || { echo "ghostwatch is needed to read host lists (make, or GHOSTWATCH=path)"; return 1; }; fi
	fi
	command -v "$gw" >/dev/null || { echo "ghostwatch ($gw) is needed to read host lists"; return 1; }
	local out
	out=$("$gw" hostlist expand "$1" 2>&1) || { out=${out%%$'\n'*}; echo "${out#ghostwatch: }"; return 1; }
	echo "$out"
}

# cl_power: the power lines (pw_line[] pw_nodes[] pw_rest[]) onto CL_NODE_POWER[], each checked:
# the nodes exist, each gets one backend, an ipmi line has as many BMCs as nodes (a host list
# too: n[01-04] ipmi 10.70.1.[1-4]), each an IPv4 address or a host name.
cl_power() {
	local -A index=() given=()
	local i k names bmcs backend args extra name
	for i in "${!CL_NODE_NAME[@]}"; do
		index[${CL_NODE_NAME[$i]}]=$i
		CL_NODE_POWER[i]=wol
	done
	for k in "${!pw_line[@]}"; do
		cl_line=${pw_line[$k]}
		read -r backend args extra <<<"${pw_rest[$k]}"
		if ! names=$(cl_hostlist "${pw_nodes[$k]}"); then
			cl_err "power: nodes '${pw_nodes[$k]}': $names"
			return 1
		fi
		mapfile -t names <<<"$names"
		if [ "$backend" = wol ]; then
			[ -z "$args" ] || { cl_err "power: wol takes no value, got '$args'"; return 1; }
		elif [ "$backend" = ipmi ]; then
			if [ -z "$args" ] || [ -n "$extra" ]; then
				cl_err "power: ipmi needs the nodes' BMCs: power NODES ipmi BMCS (one address or name a node)"
				return 1
			fi
			if ! bmcs=$(cl_hostlist "$args"); then
				cl_err "power: BMCs '$args': $bmcs"
				return 1
			fi
			mapfile -t bmcs <<<"$bmcs"
			if [ "${#bmcs[@]}" -ne "${#names[@]}" ]; then
				cl_err "power: ${#names[@]} node(s) but ${#bmcs[@]} BMC(s) in '$args'"
				return 1
			fi
			for i in "${!bmcs[@]}"; do
				if [[ ${bmcs[$i]} =~ ^[0-9.]+$ ]] && ! cl_ip2int "${bmcs[$i]}" >/dev/null; then
					cl_err "power: BMC '${bmcs[$i]}' is not an IPv4 address"
					return 1
				fi
			done
		else
			cl_err "power: backend '$backend' is not wol or ipmi"
			return 1
		fi
		for i in "${!names[@]}"; do
			name=${names[$i]}
			[ -n "${index[$name]:-}" ] || { cl_err "power: '$name' is not a node of this file"; return 1; }
			[ -z "${given[$name]:-}" ] || { cl_err "power: node $name already has a backend (line ${given[$name]})"; return 1; }
			given[$name]=$cl_line
			if [ "$backend" = ipmi ]; then CL_NODE_POWER[${index[$name]}]="ipmi ${bmcs[$i]}"; else CL_NODE_POWER[${index[$name]}]=wol; fi
		done
	done
}

# cl_newest_image DIR: the newest image `ghostboot image build` made in DIR (DIR/<kver>/ with
# vmlinuz and initramfs.img; newest = highest kernel version); fails when there is none.
cl_newest_image() {
	local kver best=
	[ -d "$1" ] || return 1
	while IFS= read -r kver; do
		[ -f "$1/$kver/vmlinuz" ] && [ -f "$1/$kver/initramfs.img" ] && best=$1/$kver
	done < <(find "$1" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | sort -V)
	[ -n "$best" ] && echo "$best"
}

# cl_defaults: what an installed master fills in (GHOSTBOOT_ROOT moves it all under a scratch
# folder): kernel and initramfs from the newest image, the worker root /srv/ghostboot/root. A
# kernel and an image must match (its modules are that kernel's): both given, or neither.
cl_defaults() {
	local images=${GHOSTBOOT_ROOT:-}/var/lib/ghostboot/images img
	[ -n "${seen[root]:-}" ] || CL_ROOT=${GHOSTBOOT_ROOT:-}/srv/ghostboot/root
	if [ -n "${seen[kernel]:-}" ] && [ -n "${seen[initramfs]:-}" ]; then
		return 0
	elif [ -n "${seen[kernel]:-}${seen[initramfs]:-}" ]; then
		cl_line=${seen[kernel]:-${seen[initramfs]:-}}
		cl_err "'kernel' and 'initramfs': give both, or neither for the newest image of $images"
		return 1
	fi
	if ! img=$(cl_newest_image "$images"); then
		cl_err "no 'kernel' and 'initramfs', and no image in $images to default to (ghostboot image build makes one)"
		return 1
	fi
	CL_KERNEL=$img/vmlinuz CL_INITRAMFS=$img/initramfs.img
}

cluster_load() {
	local file=$1 dir raw key rest i
	local -A seen=() names=() macs=() ips=()
	CL_FILE=$file
	if [ ! -r "$file" ]; then
		echo "$file: cannot read the cluster file" >&2
		return 1
	fi
	dir=$(cd "$(dirname "$file")" && pwd)
	CL_NAME=cluster CL_SUBNET= CL_PREFIX= CL_NETMASK= CL_MASTER= CL_RANGE_START= CL_RANGE_END=
	CL_LEASE=infinite CL_KERNEL= CL_INITRAMFS= CL_ROOT= CL_NFS_VERSION=4.2 CL_NFS_OPTIONS= CL_BOOT=http
	CL_OVERLAY=tmpfs CL_RESET=pci CL_HEARTBEAT= CL_REPORT_PORT=7468 CL_METRICS_PORT= CL_KEY= CL_MASTER_KEY= CL_CMDLINE= CL_CONSOLE=
	CL_INTERFACE= CL_RA_PREFIX=fd00:6762:: CL_HTTP_PORT=8067
	CL_NODE_NAME=() CL_NODE_MAC=() CL_NODE_IP=() CL_NODE_POWER=()
	local -a node_lines=() pw_line=() pw_nodes=() pw_rest=()
	cl_line=0
	while IFS= read -r raw || [ -n "$raw" ]; do
		cl_line=$((cl_line + 1))
		raw=${raw%%#*}
		raw=${raw//$'\t'/ }
		raw=${raw%$'\r'}
		read -r key rest <<<"$raw"
		[ -n "$key" ] || continue
		if [[ $raw =~ [^[:print:]] ]]; then
			cl_err "unprintable character"
			return 1
		fi
		if [ "$key" != node ] && [ "$key" != power ]; then
			if [ -n "${seen[$key]:-}" ]; then
				cl_err "'$key' given twice (first on line ${seen[$key]})"
				return 1
			fi
			seen[$key]=$cl_line
			if [ -z "$rest" ]; then
				cl_err "'$key' needs a value"
				return 1
			fi
		fi
		# Single-word keys: a second word is a mistake, not something to ignore.
		case $key in
		node | dhcp-range | cmdline | power) ;;
		*)
			if [[ $rest == *" "* ]]; then
				cl_err "'$key' takes one value, got '$rest'"
				return 1
			fi ;;
		esac
		case $key in
		name)
			[[ $rest =~ ^[A-Za-z0-9][A-Za-z0-9-]{0,31}$ ]] || { cl_err "name '$rest': letters, digits and '-', at most 32"; return 1; } 
			CL_NAME=$rest ;;
		subnet)
			local net prefix mask
			# One test per step: bash gives || and && the same precedence, so a chain of them
			# let 'subnet 10.0.0.0' through with no prefix at all.
			prefix=
			if [[ $rest =~ ^[0-9.]+/([1-9][0-9]?)$ ]]; then prefix=${BASH_REMATCH[1]}; fi
			if [ -z "$prefix" ] || [ "$prefix" -lt 8 ] || [ "$prefix" -gt 30 ] || ! net=$(cl_ip2int "${rest%/*}"); then
				cl_err "subnet '$rest' is not A.B.C.D/8..30"
				return 1
			fi
			mask=$(((0xffffffff << (32 - prefix)) & 0xffffffff))
			if [ $((net & mask)) -ne "$net" ]; then
				cl_err "subnet '$rest' has host bits set (the network is $(cl_int2ip $((net & mask))))"
				return 1
			fi
			CL_SUBNET=$(cl_int2ip "$net") CL_PREFIX=$prefix CL_NETMASK=$(cl_int2ip "$mask") ;;
		master)
			cl_ip2int "$rest" >/dev/null || { cl_err "master '$rest' is not an IPv4 address"; return 1; }
			CL_MASTER=$rest ;;
		dhcp-range)
			local a b extra
			read -r a b extra <<<"$rest"
			if [ -z "$b" ] || [ -n "$extra" ] || ! cl_ip2int "$a" >/dev/null || ! cl_ip2int "$b" >/dev/null; then
				cl_err "dhcp-range '$rest' is not two IPv4 addresses (first last)"
				return 1
			fi
			if [ "$(cl_ip2int "$a")" -gt "$(cl_ip2int "$b")" ]; then
				cl_err "dhcp-range: $a comes after $b"
				return 1
			fi
			CL_RANGE_START=$a CL_RANGE_END=$b ;;
		lease)
			[[ $rest =~ ^[0-9]+[smh]?$|^infinite$ ]] || { cl_err "lease '$rest' is not N, Ns, Nm, Nh or infinite"; return 1; }
			CL_LEASE=$rest ;;
		kernel | initramfs)
			local p=$rest
			[ "${p#/}" != "$p" ] || p=$dir/$p
			if [ ! -f "$p" ]; then
				cl_err "$key '$rest': no such file ($p)"
				return 1
			fi
			if [ "$key" = kernel ]; then CL_KERNEL=$p; else CL_INITRAMFS=$p; fi ;;
		root)
			[[ $rest =~ ^/[A-Za-z0-9._/+-]*$ ]] || { cl_err "root '$rest' is not an absolute path (letters, digits, . _ / + -)"; return 1; }
			[[ /$rest/ != */../* ]] || { cl_err "root '$rest' contains '..'"; return 1; }
			CL_ROOT=${rest%/}
			[ -n "$CL_ROOT" ] || { cl_err "root '/' cannot be exported"; return 1; } ;;
		nfs-version)
			case $rest in 3 | 4 | 4.0 | 4.1 | 4.2) CL_NFS_VERSION=$rest ;;
			*) cl_err "nfs-version '$rest' is not 3, 4, 4.0, 4.1 or 4.2"; return 1 ;;
			esac ;;
		nfs-options)
			[[ $rest =~ ^[A-Za-z0-9_=.,-]+$ ]] || { cl_err "nfs-options '$rest': comma-separated mount options"; return 1; }
			CL_NFS_OPTIONS=$rest ;;
		boot)
			# ipxe: the name tftp had before http existed (iPXE, everything over TFTP).
			case $rest in http | tftp | pxelinux) CL_BOOT=$rest ;;
			ipxe) CL_BOOT=tftp ;;
			*) cl_err "boot '$rest' is not http, tftp, ipxe or pxelinux"; return 1 ;;
			esac ;;
		http-port)
			[[ $rest =~ ^[1-9][0-9]{0,4}$ ]] && [ "$rest" -le 65535 ] || { cl_err "http-port '$rest' is not 1..65535"; return 1; }
			CL_HTTP_PORT=$rest ;;
		overlay)
			[[ $rest =~ ^(none|tmpfs|tmpfs:size=[0-9]+[kmg%]?)$ ]] || { cl_err "overlay '$rest' is not none, tmpfs or tmpfs:size=N[k,m,g,%]"; return 1; }
			CL_OVERLAY=$rest ;;
		reset)
			case $rest in pci | acpi | kbd | efi | triple) CL_RESET=$rest ;;
			*) cl_err "reset '$rest' is not pci, acpi, kbd, efi or triple"; return 1 ;;
			esac ;;
		heartbeat)
			cl_seconds "$rest" || { cl_err "heartbeat '$rest' is not a number of seconds"; return 1; }
			CL_HEARTBEAT=$rest ;;
		report-port)
			[[ $rest =~ ^[1-9][0-9]{0,4}$ ]] && [ "$rest" -le 65535 ] || { cl_err "report-port '$rest' is not 1..65535"; return 1; }
			CL_REPORT_PORT=$rest ;;
		metrics-port)
			[[ $rest =~ ^[1-9][0-9]{0,4}$ ]] && [ "$rest" -le 65535 ] || { cl_err "metrics-port '$rest' is not 1..65535"; return 1; }
			CL_METRICS_PORT=$rest ;;
		key)
			local k=$rest
			[ "${k#/}" != "$k" ] || k=$dir/$k
			if [ ! -r "$k" ]; then
				cl_err "key '$rest': cannot read $k"
				return 1
			fi
			cl_hex_key "$k" || { cl_err "key file $k does not hold 32 to 128 hex digits"; return 1; }
			CL_KEY=$k ;;
		master-key)
			# Per-node keys (docs/protocol.md): each node's key derived from this secret and its
			# MAC, delivered as a per-node initrd file, never on the command line.
			local mk=$rest
			[ "${mk#/}" != "$mk" ] || mk=$dir/$mk
			if [ ! -r "$mk" ]; then
				cl_err "master-key '$rest': cannot read $mk (ghostwatch keygen --master-key $mk makes one)"
				return 1
			fi
			local mode
			mode=$(stat -L -c %a "$mk")
			[ $((8#$mode & 8#077)) -eq 0 ] || { cl_err "master-key $mk: mode $mode lets others read it (chmod 600 it)"; return 1; }
			cl_hex_key "$mk" || { cl_err "master-key file $mk does not hold 32 to 128 hex digits"; return 1; }
			CL_MASTER_KEY=$mk ;;
		interface)
			[[ $rest =~ ^[A-Za-z0-9_.@-]{1,15}$ ]] || { cl_err "interface '$rest' is not a network interface name"; return 1; }
			CL_INTERFACE=$rest ;;
		ra-prefix)
			[[ ${rest,,} =~ ^f[cd][0-9a-f]{2}(:[0-9a-f]{1,4}){0,3}::$ ]] || { cl_err "ra-prefix '$rest' is not a ULA /64 prefix like fd00:6762::"; return 1; }
			CL_RA_PREFIX=${rest,,} ;;
		console)
			[[ $rest =~ ^[A-Za-z0-9,]+$ ]] || { cl_err "console '$rest' is not like ttyS0,115200"; return 1; }
			CL_CONSOLE=$rest ;;
		cmdline)
			# Quotes and shell or iPXE metacharacters would mean something else in one of the
			# generated files: keep the extra arguments plain.
			[[ $rest =~ ^[A-Za-z0-9_=.,:/@+-]+( [A-Za-z0-9_=.,:/@+-]+)*$ ]] ||
				{ cl_err "cmdline '$rest': only letters, digits and _ = . , : / @ + - allowed"; return 1; }
			CL_CMDLINE=$rest ;;
		node)
			local nm mac ip extra
			read -r nm mac ip extra <<<"$rest"
			if [ -z "$mac" ] || [ -n "$extra" ]; then
				cl_err "node needs: node <name> <mac> [<ip>]"
				return 1
			fi
			[[ $nm =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || { cl_err "node name '$nm' is not a host name (a-z, 0-9, '-')"; return 1; }
			[[ $mac =~ ^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$ ]] || { cl_err "node $nm: MAC '$mac' is not aa:bb:cc:dd:ee:ff"; return 1; }
			mac=${mac,,}
			[ $((0x${mac:1:1} & 1)) -eq 0 ] || { cl_err "node $nm: MAC $mac is a multicast address"; return 1; }
			[ -z "${names[$nm]:-}" ] || { cl_err "node name '$nm' already on line ${names[$nm]}"; return 1; }
			[ -z "${macs[$mac]:-}" ] || { cl_err "node $nm: MAC $mac already on line ${macs[$mac]}"; return 1; }
			if [ -n "$ip" ]; then
				cl_ip2int "$ip" >/dev/null || { cl_err "node $nm: '$ip' is not an IPv4 address"; return 1; }
				[ -z "${ips[$ip]:-}" ] || { cl_err "node $nm: address $ip already on line ${ips[$ip]}"; return 1; }
				ips[$ip]=$cl_line
			fi
			names[$nm]=$cl_line macs[$mac]=$cl_line
			CL_NODE_NAME+=("$nm") CL_NODE_MAC+=("$mac") CL_NODE_IP+=("$ip") node_lines+=("$cl_line") ;;
		power)
			# Checked once every node is known (cl_power): a power line may come first.
			local pn prest
			read -r pn prest <<<"$rest"
			[ -n "$prest" ] || { cl_err "power needs: power NODES wol|ipmi [BMCS]"; return 1; }
			pw_line+=("$cl_line") pw_nodes+=("$pn") pw_rest+=("$prest") ;;
		*)
			cl_err "unknown key '$key'"
			return 1 ;;
		esac
	done <"$file"
	# Whole-file checks, reported on the line that is wrong (or the last line when a key is missing).
	for key in subnet master interface; do
		if [ -z "${seen[$key]:-}" ]; then
			cl_err "'$key' is missing (required: subnet, master, interface)"
			return 1
		fi
	done
	cl_defaults || return 1
	cl_line=${seen[master]}
	cl_in_subnet "$CL_MASTER" || { cl_err "master $CL_MASTER is not a host address of $CL_SUBNET/$CL_PREFIX"; return 1; }
	if [ -n "$CL_RANGE_START" ]; then
		cl_line=${seen[dhcp-range]}
		for i in "$CL_RANGE_START" "$CL_RANGE_END"; do
			cl_in_subnet "$i" || { cl_err "dhcp-range: $i is not a host address of $CL_SUBNET/$CL_PREFIX"; return 1; }
		done
		local m s e
		m=$(cl_ip2int "$CL_MASTER") s=$(cl_ip2int "$CL_RANGE_START") e=$(cl_ip2int "$CL_RANGE_END")
		[ "$m" -lt "$s" ] || [ "$m" -gt "$e" ] || { cl_err "dhcp-range contains the master $CL_MASTER"; return 1; }
	fi
	for i in "${!CL_NODE_NAME[@]}"; do
		cl_line=${node_lines[$i]}
		ip=${CL_NODE_IP[$i]}
		if [ -n "$ip" ]; then
			cl_in_subnet "$ip" || { cl_err "node ${CL_NODE_NAME[$i]}: $ip is not a host address of $CL_SUBNET/$CL_PREFIX"; return 1; }
			[ "$ip" != "$CL_MASTER" ] || { cl_err "node ${CL_NODE_NAME[$i]}: $ip is the master's address"; return 1; }
		elif [ -z "$CL_RANGE_START" ]; then
			cl_err "node ${CL_NODE_NAME[$i]} has no address and there is no dhcp-range to take one from"
			return 1
		fi
	done
	cl_power || return 1
	if [ -n "$CL_KEY" ] && [ -n "$CL_MASTER_KEY" ]; then
		cl_line=${seen[master-key]}
		cl_err "'key' and 'master-key': give one (per-node keys need no cluster key)"
		return 1
	fi
	if [ "${#CL_NODE_NAME[@]}" -eq 0 ] && [ -z "$CL_RANGE_START" ]; then
		cl_err "no node and no dhcp-range: nothing could boot"
		return 1
	fi
	return 0
}

# cluster_http_url: where iPXE fetches its files with boot http (the master's web server,
# lighttpd.conf); empty with tftp and pxelinux.
cluster_http_url() {
	[ "$CL_BOOT" = http ] || return 0
	echo "http://$CL_MASTER:$CL_HTTP_PORT/"
}

# cluster_nfs_root: the root= parameter for the nodes (dracut syntax, which ghostinit reads).
cluster_nfs_root() {
	local opts=$CL_NFS_OPTIONS vers
	case $CL_NFS_VERSION in
	3) vers=vers=3 ;;
	4) vers=vers=4.2 ;;
	*) vers=vers=$CL_NFS_VERSION ;;
	esac
	opts=$vers${opts:+,$opts}
	if [ "$CL_NFS_VERSION" = 3 ]; then
		echo "root=nfs:$CL_MASTER:$CL_ROOT:$opts"
	else
		echo "root=nfs4:$CL_MASTER:$CL_ROOT:$opts"
	fi
}

# cluster_cmdline [EXTRA]: the kernel command line every node boots with, without BOOTIF (the
# boot loader adds it: iPXE from the NIC it booted from, pxelinux with IPAPPEND 2). EXTRA (the
# generator's ghost.wol=g) comes before the file's cmdline, so that the admin's word is last
# and wins.
cluster_cmdline() {
	local c="" key
	[ -z "$CL_CONSOLE" ] || c="console=$CL_CONSOLE "
	c+="$(cluster_nfs_root) ro"
	# The shared image is exported read-only: without an overlay the root stays read-only.
	c+=" ghost.overlay=$CL_OVERLAY ghost.reset=$CL_RESET ghost.master=$CL_MASTER:$CL_REPORT_PORT"
	[ -z "$CL_HEARTBEAT" ] || c+=" ghost.heartbeat=$CL_HEARTBEAT"
	if [ -n "$CL_KEY" ]; then
		key=$(tr -d ' \t\r\n' <"$CL_KEY")
		c+=" ghost.key=$key"
	fi
	[ -z "${1:-}" ] || c+=" $1"
	[ -z "$CL_CMDLINE" ] || c+=" $CL_CMDLINE"
	echo "$c"
}
