# ghostboot cluster check|apply: the cluster file (docs/cluster-file.md) made into the master's
# files. Apply generates beside its targets, checks the result with dnsmasq --test, then
# replaces only what changed, so a second apply of the same file changes nothing and a bad file
# or a failed check changes nothing at all. Sourced by netboot/admin/ghostboot.
# shellcheck shell=bash

# shellcheck source=netboot/cluster/cluster.sh
. "$GB_LIB/cluster/cluster.sh"

gb_usage_cluster() {
	cat <<'EOF'
usage: ghostboot cluster check [FILE]
       ghostboot cluster apply [--no-reload] [FILE]
FILE defaults to /etc/ghostboot/cluster. A bad file: FILE:LINE: message, exit 2, nothing changed.
EOF
}
gb_usage_cluster_check() {
	cat <<'EOF'
usage: ghostboot cluster check [FILE]
Parses the cluster file (default /etc/ghostboot/cluster) and says what it describes; a bad
file prints FILE:LINE: message and exits 2.
EOF
}
gb_usage_cluster_apply() {
	cat <<'EOF'
usage: ghostboot cluster apply [--no-reload] [FILE]
Writes what the cluster file (default /etc/ghostboot/cluster) describes, each file only when
its content changes: /var/lib/ghostboot/generated/ (dnsmasq.conf, nodes, power, cmdline,
ganesha.conf, ghostwatch.env, prometheus/; lighttpd.conf with boot http), the boot folder /srv/ghostboot/tftp,
/etc/exports.d/ghostboot.exports, the nodes' names in /etc/hosts (between
"# ghostboot begin" and "# ghostboot end") and, for a cluster large enough to need them,
/etc/nfs.conf.d/ghostboot.conf and /etc/sysctl.d/60-ghostboot.conf (removed when it no
longer does). The new dnsmasq.conf must pass dnsmasq --test
(and lighttpd.conf lighttpd -tt) first. Then exportfs -ra and systemctl
try-reload-or-restart for ghostboot-dnsmasq, ghostboot-http and ghostwatch, for what changed
(ghostboot-http stopped when the cluster no longer boots over http); the sysctl file's
values set, rpc.nfsd with the threads nfs.conf now says when the kernel NFS server runs.
  --no-reload   write the files, reload nothing (always so under --root)
exit: 0 applied (or unchanged), 1 failed (nothing changed when the check failed), 2 bad file
EOF
}

gb_noun_cluster() { gb_verb cluster gb_usage_cluster "check apply" "$@"; }

# gb_cluster_load FILE: the parser's verdict; a bad file exits 2 (its message is FILE:LINE: ...).
gb_cluster_load() {
	cluster_load "$1" || exit 2
}

gb_cluster_check() {
	gb_opts gb_usage_cluster_check "" "$@"
	gb_nargs gb_usage_cluster_check 0 1
	local file=${ARGS[0]:-$GB_CLUSTER}
	gb_cluster_load "$file"
	echo "$file: cluster $CL_NAME, ${#CL_NODE_NAME[@]} nodes on $CL_INTERFACE $CL_SUBNET/$CL_PREFIX, master $CL_MASTER"
	echo "  kernel $CL_KERNEL"
	echo "  initramfs $CL_INITRAMFS"
	echo "  root $CL_ROOT (NFSv$CL_NFS_VERSION, boot $CL_BOOT)"
}

# gb_tree_sum DIR: names, types, modes, owners, link targets and contents of a tree.
gb_tree_sum() {
	(cd "$1" && find . -printf '%p %y %m %u %l\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
}

# gb_tftp_install NEW: the TFTP root becomes a copy of NEW unless it is one already (same
# return codes as gb_replace). The copy is made beside it and renamed into place.
gb_tftp_install() {
	local new=$1 stage old=
	if [ -d "$GB_TFTP" ] && [ "$(gb_tree_sum "$new")" = "$(gb_tree_sum "$GB_TFTP")" ]; then
		echo "  unchanged $GB_TFTP/"
		return 1
	fi
	if ! { stage=$(mktemp -d "$GB_SRV/.tftp.XXXXXX") && cp -a "$new/." "$stage/" && chmod --reference="$new" "$stage"; }; then
		rm -rf "${stage:-}"
		gb_warn "cannot copy the TFTP root to $GB_SRV"
		return 2
	fi
	if [ -e "$GB_TFTP" ]; then
		old=$GB_SRV/.tftp.old.$$
		mv "$GB_TFTP" "$old" || { rm -rf "$stage"; gb_warn "cannot replace $GB_TFTP"; return 2; }
	fi
	mv "$stage" "$GB_TFTP" || { gb_warn "cannot move the new TFTP root to $GB_TFTP"; return 2; }
	[ -z "$old" ] || rm -rf "$old"
	echo "  updated   $GB_TFTP/"
	return 0
}

# gb_hosts_new BLOCK: /etc/hosts with its ghostboot block replaced by the file BLOCK (in place,
# so that lines the admin keeps after it stay after it), or BLOCK appended when it has none.
gb_hosts_new() {
	local old=$GB_HOSTS
	[ -f "$old" ] || old=/dev/null
	awk -v block="$1" '
		function put(l) { while ((getline l < block) > 0) print l; done = 1 }
		/^# ghostboot begin/ { skip = 1; put() }
		!skip { print }
		skip && /^# ghostboot end/ { skip = 0 }
		END { if (!done) put() }' "$old"
}

# gb_hosts_block: the nodes with a fixed address, for MPI and Slurm to use their names.
gb_hosts_block() {
	local i n=0
	for i in "${!CL_NODE_NAME[@]}"; do [ -z "${CL_NODE_IP[$i]}" ] || n=$((n + 1)); done
	[ "$n" -gt 0 ] || return 0
	echo "# ghostboot begin: cluster $CL_NAME (ghostboot cluster apply rewrites these lines)"
	for i in "${!CL_NODE_NAME[@]}"; do
		[ -z "${CL_NODE_IP[$i]}" ] || printf '%s\t%s\n' "${CL_NODE_IP[$i]}" "${CL_NODE_NAME[$i]}"
	done
	echo "# ghostboot end"
}

# gb_tuning_reload SYSCTL NFS: the settings tuned for the node count, live (1 = changed). The
# sysctl file's "key = value" lines are written to /proc/sys as systemd-sysctl does at boot
# (procps' sysctl may not be installed); a removed file leaves its values until the next boot.
# nfsd's threads go back to what nfs.conf says without ours (nfsconf), live, without a restart
# (which would start a grace period).
gb_tuning_reload() {
	local key value threads
	if [ "$1" = 1 ] && [ -f "$GB_SYSCTL" ]; then
		while read -r key value; do
			echo "$value" >"/proc/sys/${key//.//}" || gb_warn "cannot set $key = $value"
		done < <(sed -n 's/^\([a-z0-9_.]*\) = \([0-9]*\)$/\1 \2/p' "$GB_SYSCTL")
	fi
	if [ "$2" = 1 ] && [ "$(cat /proc/fs/nfsd/threads 2>/dev/null || echo 0)" -gt 0 ] && command -v rpc.nfsd >/dev/null; then
		threads=$(nfsconf --get nfsd threads 2>/dev/null) || threads=8
		rpc.nfsd "$threads" || gb_warn "rpc.nfsd $threads failed: the kernel NFS server keeps its threads"
	fi
}

# gb_reload DNSMASQ EXPORTS NODES HTTP: the services whose files changed (1 = changed; HTTP 2 =
# lighttpd.conf removed: the web server stops, its unit's condition keeps it from starting).
gb_reload() {
	if [ "$2" = 1 ] && command -v exportfs >/dev/null; then
		exportfs -ra || gb_warn "exportfs -ra failed: the kernel NFS server still exports the old list"
	fi
	[ -d /run/systemd/system ] || return 0
	local units=()
	[ "$1" = 0 ] || units+=(ghostboot-dnsmasq)
	[ "$3" = 0 ] || units+=(ghostwatch)
	[ "$4" != 1 ] || units+=(ghostboot-http)
	if [ "$4" = 2 ]; then
		systemctl stop ghostboot-http || gb_warn "systemctl stop ghostboot-http failed"
	fi
	[ "${#units[@]}" -eq 0 ] || systemctl try-reload-or-restart "${units[@]}" ||
		gb_warn "systemctl try-reload-or-restart ${units[*]} failed"
}

# gb_install_or_remove SRC DST: as gb_replace when SRC exists; else DST removed if it exists
# ("removed DST", 0), nothing to do (1), or not removable (2).
gb_install_or_remove() {
	if [ -f "$1" ]; then
		gb_replace "$1" "$2"
		return
	fi
	[ -e "$2" ] || return 1
	rm -f "$2" || { gb_warn "cannot remove $2"; return 2; }
	echo "  removed   $2"
	return 0
}

# gb_count RC: counts gb_replace's verdict in the caller's updated and failed; true when updated.
gb_count() {
	case $1 in
	0) updated=$((updated + 1)); return 0 ;;
	2) failed=1 ;;
	esac
	return 1
}

gb_cluster_apply() {
	OPT_no_reload=0
	gb_opts gb_usage_cluster_apply "--no-reload" "$@"
	gb_nargs gb_usage_cluster_apply 0 1
	local file=${ARGS[0]:-$GB_CLUSTER} tmp f updated=0 failed=0 dns=0 exp=0 nodes=0 http=0 sysctl=0 nfs=0
	gb_cluster_load "$file"
	command -v dnsmasq >/dev/null || gb_die "dnsmasq is not installed: the generated configuration cannot be checked"
	mkdir -p "$GB_VAR" "$GB_SRV" || gb_die "cannot create $GB_VAR and $GB_SRV"
	gb_lock
	tmp=$(mktemp -d "$GB_VAR/.apply.XXXXXX") || gb_die "cannot create a folder in $GB_VAR"
	# shellcheck disable=SC2064 # tmp is fixed now
	trap "rm -rf '$tmp'" EXIT
	if ! GHOSTWATCH=$GB_GHOSTWATCH "$GB_LIB/cluster/generate.sh" "$file" "$tmp/gen" \
		--state "$GB_GEN/state" --tftp-root "$GB_TFTP" --http-log "$GB_HTTP_LOG" >"$tmp/log" 2>&1; then
		sed 's/^/  /' "$tmp/log" >&2
		gb_die "cannot generate the files of $file: nothing changed"
	fi
	grep -i 'warning' "$tmp/log" >&2
	if ! dnsmasq --test -C "$tmp/gen/dnsmasq.conf" >"$tmp/test" 2>&1; then
		sed 's/^/  /' "$tmp/test" >&2
		gb_die "the generated dnsmasq.conf fails dnsmasq --test: nothing changed"
	fi
	if [ -f "$tmp/gen/lighttpd.conf" ]; then
		command -v lighttpd >/dev/null || gb_die "boot http needs lighttpd (apt install lighttpd), or 'boot tftp' in $file: nothing changed"
		if ! lighttpd -tt -f "$tmp/gen/lighttpd.conf" >"$tmp/test" 2>&1; then
			sed 's/^/  /' "$tmp/test" >&2
			gb_die "the generated lighttpd.conf fails lighttpd -tt: nothing changed"
		fi
	fi
	realpath "$file" >"$tmp/gen/cluster-file"
	gb_hosts_block >"$tmp/block"
	gb_hosts_new "$tmp/block" >"$tmp/hosts"
	chmod 0644 "$tmp/hosts"
	[ ! -f "$GB_HOSTS" ] || chmod --reference="$GB_HOSTS" "$tmp/hosts"

	gb_say "cluster $CL_NAME from $file:"
	gb_tftp_install "$tmp/gen/tftp"
	gb_count $?
	for f in dnsmasq.conf nodes power cmdline ganesha.conf cluster-file lighttpd.conf; do
		if [ ! -f "$tmp/gen/$f" ]; then
			# lighttpd.conf with boot http only: gone, the web server stops.
			[ -f "$GB_GEN/$f" ] || continue
			rm -f "$GB_GEN/$f" || { gb_warn "cannot remove $GB_GEN/$f"; failed=1; continue; }
			echo "  removed   $GB_GEN/$f"
			updated=$((updated + 1)) http=2
			continue
		fi
		gb_replace "$tmp/gen/$f" "$GB_GEN/$f"
		gb_count $? || continue
		case $f in dnsmasq.conf) dns=1 ;; nodes) nodes=1 ;; lighttpd.conf) http=1 ;; esac
	done
	# The monitoring files (netboot/cluster/prometheus.sh): a new web port restarts ghostwatch.
	for f in ghostwatch.env prometheus/ghostboot-scrape.yml prometheus/ghostboot-rules.yml prometheus/nodes.json; do
		gb_replace "$tmp/gen/$f" "$GB_GEN/$f"
		gb_count $? || continue
		[ "$f" != ghostwatch.env ] || nodes=1
	done
	gb_replace "$tmp/gen/exports" "$GB_EXPORTS"
	! gb_count $? || exp=1
	# Tuned for the node count (netboot/cluster/tuning.sh): installed when the count needs them,
	# removed when it no longer does.
	gb_install_or_remove "$tmp/gen/sysctl.conf" "$GB_SYSCTL"
	! gb_count $? || sysctl=1
	gb_install_or_remove "$tmp/gen/nfs.conf" "$GB_NFSCONF"
	! gb_count $? || nfs=1
	gb_replace "$tmp/hosts" "$GB_HOSTS"
	gb_count $?
	[ "$failed" = 0 ] || gb_die "cluster $CL_NAME: some files could not be written (see above)"
	if [ "$updated" -eq 0 ]; then
		gb_say "cluster $CL_NAME: unchanged"
		return 0
	fi
	gb_say "cluster $CL_NAME: $updated updated"
	if [ "$OPT_no_reload" = 1 ] || [ -n "$GB_ROOT" ]; then
		return 0
	fi
	gb_tuning_reload "$sysctl" "$nfs"
	gb_reload "$dns" "$exp" "$nodes" "$http"
}
