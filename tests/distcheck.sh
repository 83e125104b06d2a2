#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# distcheck.sh [BUILDDIR] - make distcheck (its inner make check limited to
# $DISTCHECK_TESTS: the whole suite runs elsewhere in CI), then check the
# tarball: every file git tracks is in it, and nothing installed is a .la.
# Exit 0 pass, 1 fail, 99 hard error.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
EVMCTL=/nonexistent
. "$top_srcdir/tests/lib.sh"
TEST_NAME=distcheck
dir=${1:-$WORKDIR/build}
quick=${DISTCHECK_TESTS:-tests/cli.test tests/man.test tests/symbols.test tests/unit/test-xattr}
start=$(date +%s)
rm -rf "$dir"
run_capture st out err bash "$top_srcdir/scripts/build.sh" "$dir"
check_eq "configure and build ($(tail -n 15 <<<"$err"))" "$st" 0
[ "$st" = 0 ] || done_testing

run_capture st out err make -C "$dir" distcheck TESTS="$quick"
printf '%s\n%s\n' "$out" "$err" >"$dir/distcheck.out"
check_eq "make distcheck ($(grep -E -B2 -A8 'Error|ERROR|FAIL' "$dir/distcheck.out" | tail -n 30))" "$st" 0
tarball=$(ls "$dir"/*.tar.gz 2>/dev/null | head -n 1)
check "distribution tarball made" test -n "$tarball"
[ -n "$tarball" ] || done_testing
check "make distcheck ran the tests inside the unpacked tarball" grep -q '^PASS: tests/cli.test' "$dir/distcheck.out"

if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	name=$(basename "$tarball" .tar.gz)
	tar -tzf "$tarball" | sed "s|^$name/||" | sort >"$WORKDIR/dist.lst"
	# .gitignore describes a git checkout, not a tarball
	git -C "$top_srcdir" ls-files | grep -v -x -e .gitignore | sort >"$WORKDIR/git.lst"
	missing=$(comm -23 "$WORKDIR/git.lst" "$WORKDIR/dist.lst" | tr '\n' ' ')
	check_eq "every tracked file is in $(basename "$tarball") (add to EXTRA_DIST)" "$missing" ""
	for f in README.md COPYING COPYING.LGPL NEWS debian/rules scripts/install-deps.sh \
		tests/kernel/run-vm.sh tests/fuzz/run.sh examples/sign-and-verify.c man/evmctl.1; do
		check "$f in the tarball" grep -qx "$f" "$WORKDIR/dist.lst"
	done
else
	echo "note: not a git checkout: tarball contents not compared"
fi

# make install: no libtool archive, and uninstall removes the library
dest=$WORKDIR/dest
run_capture st out err make -C "$dir" install DESTDIR="$dest"
check_eq "make install DESTDIR ($err)" "$st" 0
check_eq "no .la installed" "$(find "$dest" -name '*.la')" ""
check "libimaevm.so.5 installed" test -n "$(find "$dest" -name libimaevm.so.5)"
run_capture st out err make -C "$dir" uninstall DESTDIR="$dest"
check_eq "make uninstall ($err)" "$st" 0
check_eq "uninstall leaves no file" "$(find "$dest" -type f -o -type l)" ""
echo "$TEST_NAME: $(($(date +%s) - start)) s"
done_testing
