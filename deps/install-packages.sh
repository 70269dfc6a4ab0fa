#!/bin/sh
# Installs the Debian packages listed in packages.txt that are missing; silent when all are there.
set -eu
here=$(dirname "$0")
wanted=$(grep -v -e '^#' -e '^$' "$here/packages.txt")
missing=""
for p in $wanted; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's package lists may be empty or stale: refresh once before installing.
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
