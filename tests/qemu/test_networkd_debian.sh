#!/bin/bash
# heavy: two Debian boots with systemd under TCG, 2-4 minutes each
# systemd-networkd on the real Debian root with the admin's DHCP .network for the boot NIC, on
# the NFS root and under ghost.overlay=tmpfs (see netmgr-debian.sh).
exec env NETMGR_MODES="${NETMGR_MODES:-networkd networkd-overlay}" "$(dirname "$0")/netmgr-debian.sh"
