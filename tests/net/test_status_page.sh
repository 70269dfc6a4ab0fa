#!/bin/bash
# heavy: two headless Chromium launches (~7 s of both cores each; ~30 s in all)
# The status page of ghostwatch serve --http (issue 21 item 6), in a real browser: Debian's
# Chromium, headless, in the test's namespace, loads http://127.0.0.1:9468/ twice (each launch
# takes the screenshot and dumps the DOM after the page ran). First launch: the screenshot
# shows the table (not blank; the colours of "up" and "failed" in its state cells, which the
# timeline does not use) and the timeline, the DOM
# lists every node with its state, and a node's hostile strings stay text: an error text of
# <script> and <img onerror> is shown escaped, no element comes of it, the title is unchanged;
# a hostile host name is refused by ghostwatch already (shown as "-"). Then w2 reports its
# reset: the second launch's DOM shows w2 down and the summary changed, and its screenshot has
# a third less of the "up" colour. The screenshots are kept in build/test-logs/.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/netns.sh
. tests/lib/ghostwatch.sh
ns=$(netns_name gwpage)
netns_add "$ns"
dir=$(mktemp -d /tmp/gb-gwpage.XXXXXX)
trap 'netns_cleanup; rm -rf "$dir"' EXIT
logs=build/test-logs/status-page
mkdir -p "$logs"
"$GW" keygen --master-key "$dir/master.key" 2>/dev/null
cat >"$dir/nodes" <<'NODES'
w1 02:67:00:00:00:01 127.0.0.2
w2 02:67:00:00:00:02 127.0.0.3
w3 02:67:00:00:00:03 127.0.0.4
w9 02:67:00:00:00:09 -
NODES
boot() { gw_loadgen "$ns" --master-key "$dir/master.key" --protocol 2 --nodes 1 "$@" >/dev/null; }
check "serve --http starts" gw_start "$ns" "$dir" --master-key "$dir/master.key" --cluster "$dir/nodes" \
	--http 127.0.0.1:9468
for i in 1 2 3; do boot --first "$i"; done
hostile='<script>document.title="pwned"</script><img src=x onerror=document.title="pwned">'
boot --first 5 --hostname '<script>x</script>'
boot --first 6 --fatal-every 1 --text "$hostile"
# browse N: one Chromium launch: screenshot N.png, DOM N.html (its own profile, no sandbox:
# it runs as root in the namespace; its D-Bus complaints go to N.err).
browse() {
	ip netns exec "$ns" timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$dir/profile" --window-size=1200,600 --screenshot="$dir/$1.png" \
		--dump-dom http://127.0.0.1:9468/ >"$dir/$1.html" 2>"$dir/$1.err"
}
t0=$(date +%s.%N)
browse first
rc=$?
echo "# chromium: $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $t0 }") s"
cp "$dir/first.png" "$logs/before.png" 2>/dev/null
check "Chromium loaded the page (rc $rc): a screenshot and the DOM" bash -c "[ $rc = 0 ] && [ -s '$dir/first.png' ] && grep -q '</html>' '$dir/first.html'"
read -r w h nonwhite green1 red1 < <(python3 tests/lib/png_colours.py "$dir/first.png" 7fd17f f26d6d)
echo "# first.png: ${w}x$h, $nonwhite pixels not white, $green1 of up's green, $red1 of failed's red"
check "the screenshot is 1200x600 and not blank (${nonwhite} pixels not white)" \
	bash -c "[ '$w $h' = '1200 600' ] && [ '$nonwhite' -gt 20000 ]"
check "it shows three nodes up (the green of their state cells: $green1 pixels) and one failed ($red1)" \
	bash -c "[ '$green1' -gt 3000 ] && [ '$red1' -gt 1000 ]"
rows() { # FILE: "name:state" of each table row, one line
	python3 - "$1" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
rows = re.findall(r'<tr class="([a-z-]+)"><td>([^<]*)</td>', html)
print(" ".join("%s:%s" % (name, state) for state, name in rows))
PY
}
echo "# rows: $(rows "$dir/first.html")"
check "the DOM lists w1 w2 w3 up, the unlisted nodes up and failed, w9 absent" \
	test "$(rows "$dir/first.html")" = "w1:up w2:up w3:up -:up sim00006:failed w9:absent"
check "the hostile error text is text: escaped in the DOM" \
	grep -qF '&lt;script&gt;document.title="pwned"&lt;/script&gt;&lt;img src=x onerror=' "$dir/first.html"
check "... no element came of it: no <script>, no <img> but the timeline's, the title unchanged" bash -c "
	! grep -qi '<script' '$dir/first.html' && [ \"\$(grep -o '<img [^>]*>' '$dir/first.html')\" = '<img src=\"timeline.svg\" alt=\"boot timeline\">' ] &&
	grep -q '<title>ghostboot: nodes</title>' '$dir/first.html'"
check "the hostile host name never reached the page (ghostwatch refused it: '-')" \
	bash -c "! grep -q 'script&gt;x' '$dir/first.html' && grep -q '<tr class=\"up\"><td>-</td><td>02:67:00:00:00:05</td><td>-</td>' '$dir/first.html'"
check "the summary counts every state" grep -q '<p id="summary">0 booting, 4 up, 0 shutting-down, 0 down, 1 failed, 0 lost, 1 absent</p>' "$dir/first.html"
check "the timeline is served (/timeline.svg, an SVG with the nodes)" bash -c "
	ip netns exec $ns curl -s --max-time 5 http://127.0.0.1:9468/timeline.svg | grep -q '<text x=\"10\" y=\"[0-9]*\">sim00001 127.0.0.2</text>'"

# w2 shuts down: a new boot that ends in its reset.
boot --first 2 --boot 2 --stages boot,modules,link,lease,root-mounted,switch-root,shutdown-begin,unmounted,reset
browse second
rc=$?
cp "$dir/second.png" "$logs/after-w2-down.png" 2>/dev/null
echo "# rows: $(rows "$dir/second.html")"
check "after w2's reset the page shows w2 down (rc $rc)" \
	test "$(rows "$dir/second.html")" = "w1:up w2:down w3:up -:up sim00006:failed w9:absent"
check "... and the summary: 3 up, 1 down" grep -q '<p id="summary">0 booting, 3 up, 0 shutting-down, 1 down, 1 failed' "$dir/second.html"
read -r _ _ _ green2 _ < <(python3 tests/lib/png_colours.py "$dir/second.png" 7fd17f f26d6d)
check "... and the screenshot has less of up's green ($green1 -> $green2 pixels)" \
	bash -c "[ '$green2' -gt 0 ] && [ \$(( $green2 * 100 / $green1 )) -le 85 ]"
tap_done
