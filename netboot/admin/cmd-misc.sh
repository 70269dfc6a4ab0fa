# ghostboot root build, cmdline explain, key init: the verbs that wrap one existing tool each
# (mkroot.sh, ghostinit cmdline, ghostwatch keygen). Sourced by netboot/admin/ghostboot.
# shellcheck shell=bash

gb_usage_root() {
	cat <<'EOF'
usage: ghostboot root build [--ssh-key PUB] [--slurm-server HOST[:PORT]] [--munge-key FILE] [DIR]
Builds the workers' shared Debian root in DIR (default /srv/ghostboot/root) with debootstrap:
systemd, sshd letting in the key PUB (default ~/.ssh/id_ed25519.pub), Open MPI, slurmd and
munge; with --slurm-server, slurmd runs configless from that slurmctld and munge has the key
FILE (default /etc/munge/munge.key, the master's). Rebuilt only when its inputs changed; the
old root stays until the new one is complete.
EOF
}
gb_usage_cmdline() {
	cat <<'EOF'
usage: ghostboot cmdline explain [--json] [TEXT...]
Prints every parameter ghostinit reads from the kernel command line TEXT (default: the applied
cluster's, /var/lib/ghostboot/generated/cmdline) with the value it takes, defaults included,
and its warnings about the line (exit 1 when it warns).
  --json   one JSON object, parameter -> value
EOF
}
gb_usage_key() {
	cat <<'EOF'
usage: ghostboot key init
Makes the master secret of the per-node keys, /etc/ghostboot/master.key (mode 0600), with
ghostwatch keygen; refuses to overwrite one. The cluster file names it: master-key
/etc/ghostboot/master.key.
EOF
}

gb_noun_root() { gb_verb root gb_usage_root "build" "$@"; }
gb_noun_cmdline() { gb_verb cmdline gb_usage_cmdline "explain" "$@"; }
gb_noun_key() { gb_verb key gb_usage_key "init" "$@"; }

gb_root_build() {
	OPT_ssh_key=${HOME:-/root}/.ssh/id_ed25519.pub OPT_slurm_server= OPT_munge_key=/etc/munge/munge.key
	gb_opts gb_usage_root "--ssh-key= --slurm-server= --munge-key=" "$@"
	gb_nargs gb_usage_root 0 1
	local dir=${ARGS[0]:-$GB_WROOT}
	[ -r "$OPT_ssh_key" ] || gb_die "cannot read the ssh key $OPT_ssh_key (give one with --ssh-key PUB)"
	mkdir -p "$(dirname "$dir")" || gb_die "cannot create the folder of $dir"
	GB_SLURM_SERVER=$OPT_slurm_server GB_MUNGE_KEY=$OPT_munge_key \
		"$GB_LIB/cluster/mkroot.sh" "$dir" "$OPT_ssh_key" || gb_die "the root $dir could not be built"
	gb_say "root $dir ready"
}

gb_cmdline_explain() {
	OPT_json=0
	gb_opts gb_usage_cmdline "--json" "$@"
	local text="${ARGS[*]}" json=()
	[ "$OPT_json" = 0 ] || json=(--json)
	if [ "${#ARGS[@]}" -eq 0 ]; then
		text=$(cat "$GB_GEN/cmdline" 2>/dev/null) ||
			gb_die "no command line given and no cluster applied ($GB_GEN/cmdline)"
	fi
	[ -x "$GB_GHOSTINIT" ] || gb_die "ghostinit is missing ($GB_GHOSTINIT)"
	"$GB_GHOSTINIT" cmdline "${json[@]}" "$text"
}

gb_key_init() {
	gb_opts gb_usage_key "" "$@"
	gb_nargs gb_usage_key 0 0
	[ ! -e "$GB_MASTER_KEY" ] || gb_die "$GB_MASTER_KEY exists: not overwritten (every node's key derives from it)"
	mkdir -p "$GB_ETC" || gb_die "cannot create $GB_ETC"
	(umask 077 && "$GB_GHOSTWATCH" keygen --master-key "$GB_MASTER_KEY") || gb_die "ghostwatch keygen failed"
}
