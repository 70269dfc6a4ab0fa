#!/bin/bash
# agent/'s shape, read from its include lines: every dependency between stages shows in the
# include line (a folder-qualified name), no arrow runs back up. The rules:
#   1. every quoted include names a folder and an existing file ("net/link.h", one -Iagent);
#   2. lib/ includes only lib/ (it is what every stage shares, so it depends on none);
#   3. only main.c includes a stage driver (*_stage.h): the stages do not call each other's
#      (a subcommand that runs its own folder's stage, net/net_up_cmd.c, is the one exception);
#   4. only main.c includes a subcommand (*_cmd.h): a stage never depends on a command line.
# The rules are checked on agent/ and, to show they can fail, on a copy with one breach each.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# include_breaches DIR: one line "file: rule: include" per breach.
include_breaches() {
	local top=$1 file inc rel
	while IFS= read -r file; do
		rel=${file#"$top"/}
		while IFS= read -r inc; do
			case $inc in
			*/*) [ -f "$top/$inc" ] || echo "$rel: no such file: $inc" ;;
			*) echo "$rel: include without its folder: $inc" ;;
			esac
			case $rel in lib/*) [[ $inc == lib/* ]] || echo "$rel: lib/ includes outside lib/: $inc" ;; esac
			[ "$rel" = main.c ] && continue
			[[ $inc == *_stage.h ]] && [ "$inc" != "${rel%.c}.h" ] &&
				! { [[ $rel == *_cmd.c ]] && [ "${inc%/*}" = "${rel%/*}" ]; } && echo "$rel: includes a stage driver: $inc"
			[[ $inc == *_cmd.h ]] && [ "$inc" != "${rel%.c}.h" ] && echo "$rel: includes a subcommand: $inc"
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
	done < <(find "$top" -name '*.[ch]' | sort)
}

breaches=$(include_breaches agent)
echo "$breaches" | sed '/^$/d; s/^/# /'
check "agent/: no include breaks the rules" [ -z "$breaches" ]
check "agent/: one folder per stage, main.c alone on top" \
	[ "$(find agent -maxdepth 1 -name '*.[ch]' -printf '%f\n')" = main.c ]
has_code() { compgen -G "$1/*.c" >/dev/null; }
for d in lib boot net root report guardian shutdown; do
	check "agent/$d/ exists and holds code" has_code "agent/$d"
done

cp -r agent "$tmp/agent"
echo '#include "net/link.h"' >>"$tmp/agent/lib/clock.c"
echo '#include "net/net_stage.h"' >>"$tmp/agent/root/overlay.c"
echo '#include "net/net_stage.h"' >>"$tmp/agent/report/report_cmd.c" # another folder's stage
echo '#include "report/report_cmd.h"' >>"$tmp/agent/net/link.c"
echo '#include "log.h"' >>"$tmp/agent/boot/shell.c"
bad=$(include_breaches "$tmp/agent")
echo "$bad" | sed 's/^/# /'
check "a lib/ file including a stage is caught" grep -q '^lib/clock.c: lib/ includes outside lib/: net/link.h' <<<"$bad"
check "a stage including another stage's driver is caught" grep -q '^root/overlay.c: includes a stage driver' <<<"$bad"
check "a stage including a subcommand is caught" grep -q '^net/link.c: includes a subcommand' <<<"$bad"
check "an include without its folder is caught" grep -q '^boot/shell.c: include without its folder: log.h' <<<"$bad"
check "a subcommand running another folder's stage is caught" grep -q '^report/report_cmd.c: includes a stage driver' <<<"$bad"
check "nothing else is blamed" [ "$(wc -l <<<"$bad")" -eq 5 ]
tap_done
