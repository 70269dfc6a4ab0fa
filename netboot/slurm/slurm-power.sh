# shellcheck shell=bash
# Shared by Slurm's power-saving programs (slurm-resume, slurm-suspend, slurm-resume-fail;
# docs/operate.md, "Slurm"). Slurm runs them as its SlurmUser with one argument, a host list
# in its syntax (w[1-3],w7), which ghostwatch takes as it is. Reading ghostwatch's state and
# powering nodes need root: as another user the program runs itself again through sudo -n
# (the sudoers rule is in docs/operate.md). Environment: GHOSTWATCH, SCONTROL.
GHOSTWATCH=${GHOSTWATCH:-ghostwatch} SCONTROL=${SCONTROL:-scontrol}
GB_STATE_DIR=${GB_STATE_DIR:-/var/lib/ghostboot/watch}
readonly SCONTROL_TIMEOUT_S=10

# power_setup NAME "$@": checks the one argument, becomes root. Exit 2 on a bad call.
power_setup() {
	local name=$1
	shift
	if [ $# -ne 1 ] || [ -z "$1" ]; then
		echo "usage: $name NODES   (a host list, as Slurm gives it: w[1-3],w7)" >&2
		exit 2
	fi
	if [ "$(id -u)" != 0 ] && [ -z "${GB_NO_SUDO:-}" ]; then
		exec sudo -n "$0" "$@"
	fi
	"$GHOSTWATCH" hostlist expand "$1" >/dev/null || exit 2
}

log() { echo "$(basename "$0"): $*" >&2; }

# set_down NODES REASON: DOWN in Slurm with ghostwatch's reason, bounded.
set_down() {
	timeout "$SCONTROL_TIMEOUT_S" "$SCONTROL" update NodeName="$1" State=DOWN Reason="$2" ||
		log "$1: scontrol update State=DOWN failed"
}

# slurmd_start NODE: the SlurmdStartTime Slurm holds for NODE ("None" before its first
# registration); it changes exactly when a slurmd registers anew.
slurmd_start() {
	timeout "$SCONTROL_TIMEOUT_S" "$SCONTROL" show node -o "$1" 2>/dev/null |
		grep -o 'SlurmdStartTime=[^ ]*' | cut -d= -f2
}
