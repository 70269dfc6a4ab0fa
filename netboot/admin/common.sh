# What every ghostboot command shares: the paths (under --root), option parsing, messages and
# replacing a file only when its content changes. Sourced by netboot/admin/ghostboot.
# shellcheck shell=bash disable=SC2034 # the GB_* paths are read by the other admin/*.sh

gb_say() { echo "ghostboot: $*"; }
gb_warn() { echo "ghostboot: $*" >&2; }
gb_die() { echo "ghostboot: $*" >&2; exit 1; }

gb_version() {
	local v
	v=$(cat "$GB_VERSION_FILE" 2>/dev/null) || v=unknown
	echo "ghostboot $v"
}

# gb_bad_usage USAGE_FN MESSAGE: the message and the command's usage on stderr, exit 2.
gb_bad_usage() {
	echo "ghostboot: $2" >&2
	"$1" >&2
	exit 2
}

# gb_set_root DIR: every path of the installed layout under DIR ("" = /). The cluster file
# parser reads GHOSTBOOT_ROOT for its own defaults (the images, the worker root).
gb_set_root() {
	GB_ROOT=
	if [ -n "$1" ]; then
		GB_ROOT=$(realpath -m "$1") || gb_die "bad --root $1"
		[ "$GB_ROOT" != / ] || GB_ROOT=
	fi
	export GHOSTBOOT_ROOT=$GB_ROOT
	GB_ETC=$GB_ROOT/etc/ghostboot
	GB_VAR=$GB_ROOT/var/lib/ghostboot
	GB_SRV=$GB_ROOT/srv/ghostboot
	GB_CLUSTER=$GB_ETC/cluster
	GB_MASTER_KEY=$GB_ETC/master.key
	GB_IMAGES=$GB_VAR/images
	GB_GEN=$GB_VAR/generated
	GB_TFTP=$GB_SRV/tftp
	GB_WROOT=$GB_SRV/root
	GB_EXPORTS=$GB_ROOT/etc/exports.d/ghostboot.exports
	GB_HOSTS=$GB_ROOT/etc/hosts
	GB_HTTP_LOG=$GB_ROOT/var/log/ghostboot/http/access.log
	GB_NFSCONF=$GB_ROOT/etc/nfs.conf.d/ghostboot.conf
	GB_SYSCTL=$GB_ROOT/etc/sysctl.d/60-ghostboot.conf
}

# gb_opts USAGE_FN "SPEC" ARGS...: parses a command's arguments. SPEC lists the options it takes
# ("--json --kernel-tree=": a trailing = takes a value); each sets OPT_<name> ("-" -> "_"),
# the positionals go to ARGS. -h/--help print the usage and exit 0, -V/--version the version;
# --root DIR is taken everywhere; anything else is a usage error (exit 2).
gb_opts() {
	local usage=$1 spec=" $2 " o name
	shift 2
	ARGS=()
	while [ $# -gt 0 ]; do
		o=$1
		case $o in
		-h | --help) "$usage"; exit 0 ;;
		-V | --version) gb_version; exit 0 ;;
		--root) [ $# -ge 2 ] || gb_bad_usage "$usage" "--root needs a folder"; gb_set_root "$2"; shift ;;
		--) shift; ARGS+=("$@"); break ;;
		--?*=*) # --opt=value: as --opt value (a flag takes none)
			[[ $spec != *" ${o%%=*} "* ]] || gb_bad_usage "$usage" "${o%%=*} takes no value"
			set -- "${o%%=*}" "${o#*=}" "${@:2}"
			continue ;;
		--*)
			name=${o#--}
			name=${name//-/_}
			if [[ $spec == *" $o "* ]]; then
				printf -v "OPT_$name" 1
			elif [[ $spec == *" $o= "* ]]; then
				[ $# -ge 2 ] || gb_bad_usage "$usage" "$o needs a value"
				printf -v "OPT_$name" '%s' "$2"
				shift
			else
				gb_bad_usage "$usage" "unknown option $o"
			fi ;;
		-?*) gb_bad_usage "$usage" "unknown option $o" ;;
		*) ARGS+=("$o") ;;
		esac
		shift
	done
}

# gb_nargs USAGE_FN MIN MAX: the positionals' count (ARGS) within MIN..MAX, else exit 2.
gb_nargs() {
	[ "${#ARGS[@]}" -ge "$2" ] || gb_bad_usage "$1" "missing argument"
	[ "${#ARGS[@]}" -le "$3" ] || gb_bad_usage "$1" "unexpected argument '${ARGS[$3]}'"
}

# gb_verb NOUN USAGE_FN VERBS ARGS...: runs gb_<noun>_<verb> for one of VERBS.
gb_verb() {
	local noun=$1 usage=$2 verbs=" $3 "
	shift 3
	case ${1:-} in
	-h | --help) "$usage"; exit 0 ;;
	-V | --version) gb_version; exit 0 ;;
	"") gb_bad_usage "$usage" "$noun: a verb is needed" ;;
	esac
	[[ $verbs == *" $1 "* ]] || gb_bad_usage "$usage" "$noun: unknown verb '$1'"
	local verb=$1
	shift
	"gb_${noun}_$verb" "$@"
}

# gb_replace SRC DST: DST gets SRC's content (a new file beside DST, renamed over it) unless it
# holds it already; prints "updated DST" or "unchanged DST"; returns 0 when updated, 1 when
# unchanged, 2 when it could not write.
gb_replace() {
	local src=$1 dst=$2
	if [ -f "$dst" ] && cmp -s "$src" "$dst"; then
		echo "  unchanged $dst"
		return 1
	fi
	if ! { mkdir -p "${dst%/*}" && cp "$src" "$dst.ghostboot-new" && mv -f "$dst.ghostboot-new" "$dst"; }; then
		rm -f "$dst.ghostboot-new"
		gb_warn "cannot write $dst"
		return 2
	fi
	echo "  updated   $dst"
	return 0
}

# gb_lock: one command at a time changes the state (an admin's apply and a kernel hook's image
# build may meet); waits at most 120 s for the other. The lock file is opened for appending, so
# taking it changes no file.
gb_lock() {
	mkdir -p "$GB_VAR" || gb_die "cannot create $GB_VAR"
	exec 9>>"$GB_VAR/.lock" || gb_die "cannot open $GB_VAR/.lock"
	flock -w 120 9 || gb_die "another ghostboot command still holds $GB_VAR/.lock after 120 s"
}

# gb_json_str S: S as a JSON string.
gb_json_str() {
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	printf '"%s"' "$s"
}
