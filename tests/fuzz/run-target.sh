#!/bin/sh
# Runs one libFuzzer target for a bounded time over the kept corpus (read-only, in the tree)
# plus a scratch corpus in build/, and prints TAP. A crash leaves its input in build/.
set -u
target=$1 scratch=$2 kept=$3 seconds=$4
name=$(basename "$target")
mkdir -p "build/fuzz-crashes/$name"
if "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
	-artifact_prefix="build/fuzz-crashes/$name/" "$scratch" "$kept"; then
	echo "ok - $name ran ${seconds}s clean under ASan/UBSan"
else
	echo "not ok - $name found a crash (inputs in build/fuzz-crashes/$name/)"
	exit 1
fi
