#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh SECONDS DIR HARNESS... - run each libFuzzer harness DIR/fuzz-NAME for
# SECONDS on a copy of its seed corpus; a crash is saved and fails the run.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=$1 dir=$2; shift 2
failed=0
for name in "$@"; do
	bin=$dir/fuzz-$name
	work=$(mktemp -d)
	cp -r "$here/corpus/$name/." "$work/" 2>/dev/null
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$dir/crash-$name-" -print_final_stats=1 "$work" \
		>"$dir/fuzz-$name.log" 2>&1; then
		echo "PASS: fuzz-$name ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/fuzz-$name.log" | grep -o '[0-9]*$') runs in ${secs}s)"
	else
		echo "FAIL: fuzz-$name: $(grep -m1 -E 'ERROR|SUMMARY|deadly' "$dir/fuzz-$name.log")"
		echo "      input saved as $(ls "$dir"/crash-"$name"-* 2>/dev/null | head -1);" \
			"add it to tests/fuzz/corpus/$name/ once fixed"
		failed=$((failed + 1))
	fi
	rm -rf "$work"
done
exit $((failed > 0))
