#!/bin/bash
# heavy: a Debian boot with systemd and NetworkManager under TCG, 3-4 minutes
# Debian's NetworkManager with its default configuration on the real Debian root (see
# netmgr-debian.sh).
exec env NETMGR_MODES="${NETMGR_MODES:-nm}" "$(dirname "$0")/netmgr-debian.sh"
