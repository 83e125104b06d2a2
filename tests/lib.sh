# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - helpers for the command-level tests (sourced; automake exit codes:
# 0 pass, 1 fail, 77 skip, 99 hard error).
set -u

: "${EVMCTL:?EVMCTL must point at the evmctl under test (run through make check)}"
OLD_EVMCTL=${OLD_EVMCTL:-/usr/bin/evmctl}
# Debian's 1.4 for what only it makes (v1 signatures, import --rsa), even
# when OLD_EVMCTL is 1.6.2 (oracle-1.6.2.test)
EVMCTL_14=${EVMCTL_14:-/usr/bin/evmctl}
TEST_NAME=$(basename "$0" .test)
FAILURES=0
CHECKS=0

skip() { echo "SKIP: $TEST_NAME: $*"; exit 77; }
hard_error() { echo "ERROR: $TEST_NAME: $*" >&2; exit 99; }

# A failed check is counted and reported; the test goes on and fails at the end.
fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { [ -n "${VERBOSE:-}" ] && echo "ok: $*"; return 0; }
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	CHECKS=$((CHECKS + 1))
	if "$@"; then pass "$what"; else fail "$what"; fi
}
check_eq() { # check_eq DESCRIPTION ACTUAL EXPECTED
	CHECKS=$((CHECKS + 1))
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}
done_testing() {
	echo "$TEST_NAME: $CHECKS checks, $FAILURES failed"
	[ "$CHECKS" -gt 0 ] || hard_error "no checks ran"
	[ "$FAILURES" -eq 0 ]
	exit $?
}

need_root() { [ "$(id -u)" = 0 ] || skip "needs root for security.* xattrs"; }
need_cmd() { # need_cmd COMMAND DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 || skip "$1 not found (Debian package $2)"
}
need_old_evmctl() {
	[ -x "$OLD_EVMCTL" ] || skip "reference $OLD_EVMCTL not found (Debian package ima-evm-utils)"
}

# The ima-evm-utils 1.6.2 oracle: $IMAEVM_ORACLES, else ../shared/oracles
# beside the source tree. oracle_dir prints it (empty when absent).
oracle_dir() {
	local d
	for d in "${IMAEVM_ORACLES:-}" "$top_srcdir/../shared/oracles" /work/shared/oracles; do
		[ -n "$d" ] && [ -x "$d/build-ima-evm-utils.sh" ] && { (cd "$d" && pwd); return; }
	done
	return 0
}
# need_ref_evmctl: build 1.6.2 once (cached in /var/cache/imaevm-oracle) and
# set REF_EVMCTL (its binary), REF_LIBDIR (its libimaevm.so.5), REF_SRC and
# REF_RUNNER (run-upstream-tests.sh); skip only when the oracle is absent.
need_ref_evmctl() {
	local d out
	d=$(oracle_dir)
	[ -n "$d" ] || skip "ima-evm-utils 1.6.2 oracle not found (set IMAEVM_ORACLES or provide ../shared/oracles)"
	out=$(flock /var/cache/imaevm-oracle.lock bash "$d/build-ima-evm-utils.sh" 2>&1) ||
		hard_error "building the 1.6.2 oracle failed: $out"
	REF_EVMCTL=$(sed -n 's/^EVMCTL=//p' <<<"$out")
	REF_LIBDIR=$(sed -n 's/^LIBDIR=//p' <<<"$out")
	REF_SRC=$(sed -n 's/^SRC=//p' <<<"$out")
	REF_RUNNER=$d/run-upstream-tests.sh
	[ -x "$REF_EVMCTL" ] || hard_error "1.6.2 oracle: no binary at '$REF_EVMCTL'"
	# the binary needs its own libimaevm.so.5
	REF_EVMCTL_CMD=(env LD_LIBRARY_PATH="$REF_LIBDIR" "$REF_EVMCTL")
}

WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/evmctl-$TEST_NAME.XXXXXX") || hard_error "mktemp"
CLEANUP_HOOKS=""
at_exit() { CLEANUP_HOOKS="$1; $CLEANUP_HOOKS"; }
cleanup() { eval "$CLEANUP_HOOKS"; rm -rf "$WORKDIR"; }
trap cleanup EXIT

# make check-valgrind sets VALGRIND (the valgrind command line) and
# VALGRIND_LOGDIR: evmctl, and the programs a test starts through
# "${UNDER_VALGRIND[@]}", then run under memcheck, one log per process.
UNDER_VALGRIND=()
if [ -n "${VALGRIND:-}" ]; then
	# shellcheck disable=SC2206 # VALGRIND is a command line: split it
	UNDER_VALGRIND=("$top_builddir/libtool" --mode=execute $VALGRIND
			--log-file="$VALGRIND_LOGDIR/%p.log")
	mkdir "$WORKDIR/.valgrind" || hard_error "mkdir"
	real=$(dirname "$EVMCTL")/.libs/$(basename "$EVMCTL")
	[ -x "$real" ] || hard_error "no $real: check-valgrind needs a shared build"
	# The real binary, not libtool's wrapper script (valgrind would check
	# bash), with the library of the build; the log goes to fd 9, opened
	# here, so that a test that closes stdout still sees it closed.
	{
		echo '#!/bin/sh'
		printf 'exec 9>>%q/evmctl-$$.log\n' "$VALGRIND_LOGDIR"
		printf 'LD_LIBRARY_PATH=%q${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\n' \
			"$top_builddir/src/libimaevm/.libs"
		echo 'export LD_LIBRARY_PATH'
		printf 'exec %s --log-fd=9 %q "$@"\n' "$VALGRIND" "$real"
	} >"$WORKDIR/.valgrind/evmctl"
	chmod 755 "$WORKDIR/.valgrind" "$WORKDIR/.valgrind/evmctl"
	EVMCTL=$WORKDIR/.valgrind/evmctl
	export EVMCTL
fi

# run_capture STATUSVAR OUTVAR ERRVAR COMMAND...: run, keep status, stdout, stderr
run_capture() {
	local _st _out _err
	_out=$("${@:4}" 2>"$WORKDIR/.stderr") && _st=0 || _st=$?
	_err=$(cat "$WORKDIR/.stderr")
	printf -v "$1" '%s' "$_st"
	printf -v "$2" '%s' "$_out"
	printf -v "$3" '%s' "$_err"
}

# xattr_hex FILE NAME: the value as lowercase hex, empty if absent
xattr_hex() {
	getfattr --absolute-names -e hex -n "$2" "$1" 2>/dev/null |
		sed -n "s/^$2=0x//p"
}

# make_file PATH SIZE: deterministic pseudo-random content of SIZE bytes
make_file() {
	head -c "$2" /dev/zero | openssl enc -aes-128-ctr -nosalt \
		-K 000102030405060708090a0b0c0d0e0f -iv "$(printf '%032x' "$2")" \
		-out "$1" 2>/dev/null || hard_error "cannot create $1"
}
