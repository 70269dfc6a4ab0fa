#!/bin/bash
# agent/'s shape, and ghostwatch's, read from their include lines: every dependency between
# folders shows in the include line (a folder-qualified name). agent/, no arrow runs back up:
#   1. every quoted include names a folder and an existing file ("net/link.h", one -Iagent);
#   2. lib/ includes only lib/ (it is what every stage shares, so it depends on none);
#   3. only main.c includes a stage driver (*_stage.h): the stages do not call each other's
#      (a subcommand that runs its own folder's stage, net/net_up_cmd.c, is the one exception);
#   4. only main.c includes a subcommand (*_cmd.h): a stage never depends on a command line.
# ghostwatch (netboot/ghostwatch/, built with -Iagent -Inetboot/ghostwatch) has one folder per
# job the same way (netboot/netboot.mk lists them), main.c and cli.c alone on top. Its rules:
#   5. every quoted include names an existing file of either root with its folder
#      ("state/nodes.h"), or one of the top (cli.h); no folder shares a name with one of
#      agent/'s (-Iagent comes first: "net/x.h" would be agent's);
#   6. its leaf folders include only themselves and agent/'s lib/: util/ (host lists, JSON) and
#      keys/ (which may also take the report wire format, report/, that it signs).
# The rules are checked on agent/ and ghostwatch and, to show they can fail, on copies with one
# breach each.
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

# caught WHAT LINE: the breaches found in a copy ($bad) hold one that starts with LINE.
caught() { check "$1 is caught" grep -q "^$2" <<<"$bad"; }

cp -r agent "$tmp/agent"
echo '#include "net/link.h"' >>"$tmp/agent/lib/clock.c"
echo '#include "net/net_stage.h"' >>"$tmp/agent/root/overlay.c"
echo '#include "net/net_stage.h"' >>"$tmp/agent/report/report_cmd.c" # another folder's stage
echo '#include "report/report_cmd.h"' >>"$tmp/agent/net/link.c"
echo '#include "log.h"' >>"$tmp/agent/boot/shell.c"
bad=$(include_breaches "$tmp/agent")
echo "$bad" | sed 's/^/# /'
caught "a lib/ file including a stage" 'lib/clock.c: lib/ includes outside lib/: net/link.h'
caught "a stage including another stage's driver" 'root/overlay.c: includes a stage driver'
caught "a stage including a subcommand" 'net/link.c: includes a subcommand'
caught "an include without its folder" 'boot/shell.c: include without its folder: log.h'
caught "a subcommand running another folder's stage" 'report/report_cmd.c: includes a stage driver'
check "nothing else is blamed" [ "$(wc -l <<<"$bad")" -eq 5 ]

# gw_breaches DIR: the same for ghostwatch's tree at DIR, one line "file: rule: include" a breach.
gw_breaches() {
	local top=$1 file inc rel dir
	while IFS= read -r dir; do
		[ -d "agent/$dir" ] && echo "$dir/: a folder named as agent/'s"
	done < <(find "$top" -mindepth 1 -maxdepth 1 -type d -printf '%f\n')
	while IFS= read -r file; do
		rel=${file#"$top"/}
		while IFS= read -r inc; do
			case $inc in
			*/*) [ -f "$top/$inc" ] || [ -f "agent/$inc" ] || echo "$rel: no such file: $inc" ;;
			*) [ -f "$top/$inc" ] || echo "$rel: include without its folder: $inc" ;;
			esac
			case $rel in
			util/*) [[ $inc == util/* || $inc == lib/* ]] || echo "$rel: util/ includes outside util/: $inc" ;;
			keys/*) [[ $inc == keys/* || $inc == lib/* || $inc == report/* ]] ||
				echo "$rel: keys/ includes outside keys/: $inc" ;;
			esac
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
	done < <(find "$top" -name '*.[ch]' | sort)
}

gw=netboot/ghostwatch
breaches=$(gw_breaches $gw)
echo "$breaches" | sed '/^$/d; s/^/# /'
check "$gw/: no include breaks the rules" [ -z "$breaches" ]
check "$gw/: one folder per job, main.c and cli.c alone on top" \
	[ "$(find $gw -maxdepth 1 -name '*.[ch]' -printf '%f\n' | sort | tr '\n' ' ')" = "cli.c cli.h main.c " ]
for d in util keys state serve web view jobs power; do
	check "$gw/$d/ exists and holds code" has_code "$gw/$d"
done

cp -r $gw "$tmp/gw"
echo '#include "power/wake.h"' >>"$tmp/gw/util/json.c"
echo '#include "state/nodes.h"' >>"$tmp/gw/keys/node_key.c"
echo '#include "nodes.h"' >>"$tmp/gw/view/status.c"
echo '#include "state/node.h"' >>"$tmp/gw/web/page.c"
mkdir "$tmp/gw/net" && touch "$tmp/gw/net/x.c"
bad=$(gw_breaches "$tmp/gw")
echo "$bad" | sed 's/^/# /'
caught "a util/ file including power/" 'util/json.c: util/ includes outside util/: power/wake.h'
caught "a keys/ file including state/" 'keys/node_key.c: keys/ includes outside keys/: state/nodes.h'
caught "a ghostwatch include without its folder" 'view/status.c: include without its folder: nodes.h'
caught "a ghostwatch include of no file" 'web/page.c: no such file: state/node.h'
caught "a ghostwatch folder named as agent/'s" "net/: a folder named as agent/'s"
check "nothing else of ghostwatch is blamed" [ "$(wc -l <<<"$bad")" -eq 5 ]
tap_done
