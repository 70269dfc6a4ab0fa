# The one NFS-Ganesha configuration ghostboot writes, for the cluster's master
# (netboot/cluster/generate.sh) and for the tests' servers (tests/lib/nfs.sh). Source it.
#
#   ganesha_conf EXPORT PROTOCOLS ACCESS CLIENTS RECOVERY [BIND]
#       EXPORT     the exported directory (also its NFSv4 pseudo path: one path for v3 and v4)
#       PROTOCOLS  "4" or "3, 4"
#       ACCESS     RO or RW
#       CLIENTS    "" (everyone gets ACCESS) or a Ganesha client list (only they do)
#       RECOVERY   NFSv4 recovery directory of our own
#       BIND       address to listen on (default: every address)
#   prints the configuration on stdout.
#
# Rules learnt on Debian 12's Ganesha 4.x: never Bind_addr = 0.0.0.0 (in a namespace with only lo, getaddrinfo
# fails and Ganesha exits: leave it out instead); Graceless (no 90 s of refused OPENs after
# each start); no NLM, RQUOTA or UDP (clients mount with nolock over TCP).
ganesha_conf() {
	local export=$1 protocols=$2 access=$3 clients=$4 recovery=$5 bind=${6:-} client_block="" bind_line=""
	if [ -n "$clients" ]; then
		client_block="CLIENT { Clients = $clients; Access_Type = $access; Protocols = $protocols; }"
		access=None
	fi
	[ -z "$bind" ] || bind_line="Bind_addr = $bind;"
	cat <<CONF
NFS_CORE_PARAM {
	$bind_line
	Protocols = $protocols;
	NFS_Port = 2049;
	MNT_Port = 20048;
	Enable_NLM = false;
	Enable_RQUOTA = false;
	Enable_UDP = false;
	Plugins_Dir = /usr/lib/x86_64-linux-gnu/ganesha;
}
NFSv4 {
	Graceless = true;
	Lease_Lifetime = 15;
	RecoveryRoot = $recovery;
	Only_Numeric_Owners = true;
}
EXPORT {
	Export_Id = 1;
	Path = $export;
	Pseudo = $export;
	Protocols = $protocols;
	Access_Type = $access;
	Squash = No_Root_Squash;
	SecType = sys;
	Transports = TCP;
	$client_block
	FSAL { Name = VFS; }
}
LOG {
	Default_Log_Level = EVENT;
}
CONF
}
