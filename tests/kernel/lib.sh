# SPDX-License-Identifier: GPL-2.0-or-later
# kernel/lib.sh - shared by the tests/kernel-*.test: one guest run (run-vm.sh)
# serves them all; the first test to get the lock boots, the others wait and
# read the same results.  Sourced after tests/lib.sh.

KRUN=${top_builddir:?}/tests/kernel-run
KRES=$KRUN/results

# kernel_results: make sure $KRES holds a run of the current evmctl; skip
# (or, with IMAEVM_KERNEL_REQUIRED=1, as in CI, fail) when no kernel or QEMU
kernel_results() {
	local bin=$EVMCTL st=0
	[ -x "$(dirname "$EVMCTL")/.libs/evmctl" ] && bin=$(dirname "$EVMCTL")/.libs/evmctl
	mkdir -p "$top_builddir/tests"
	exec 8>"$KRUN.lock"
	flock 8
	if [ -f "$KRUN/status" ] && [ "$KRUN/status" -nt "$bin" ]; then
		: # a run of this evmctl: reuse it
	else
		rm -rf "$KRUN"
		mkdir -p "$KRUN"
		bash "$top_srcdir/tests/kernel/run-vm.sh" "$KRUN" >"$KRUN.out" 2>&1 || st=$?
		cp "$KRUN.out" "$KRUN/run.out"
		echo "$st" > "$KRUN/status"
	fi
	flock -u 8
	exec 8>&-
	cat "$KRUN/run.out"
	st=$(cat "$KRUN/status")
	case $st in
	0) ;;
	77)
		[ "${IMAEVM_KERNEL_REQUIRED:-0}" = 1 ] &&
			hard_error "real-kernel test required but: $(tail -1 "$KRUN/run.out")"
		skip "$(tail -1 "$KRUN/run.out")" ;;
	*) hard_error "the guest run failed (status $st), see above" ;;
	esac
}

# step_rc "STEP ARG": exit status of the guest's first such step, e.g.
# "read /mnt/a/x", "import _ima" ("none" if not run)
step_rc() {
	local l
	l=$(grep -m1 -E "^[0-9]+ $1 rc=" "$KRES/results") || { echo none; return; }
	l=${l#* rc=}
	echo "${l%% *}"
}
# step_err "STEP ARG": what that step printed
step_err() { grep -m1 -E "^[0-9]+ $1 rc=" "$KRES/results" | sed 's/^[^=]*rc=[0-9]* //'; }
# file_step PATH: the read or exec step of PATH
file_step() { grep -m1 -o -E "^[0-9]+ (read|exec) $1 rc=" "$KRES/results" | cut -d' ' -f2-3; }
# cause_of PATH: the appraisal cause the kernel logged for PATH (empty: none)
cause_of() {
	sed -n "s/.* op=appraise_data cause=\([^ ]*\) .* name=\"${1//\//\\/}\" .*/\1/p" \
		"$KRES/dmesg" | head -1
}

# expect_ok PATH WHAT: the kernel let the guest read/execute PATH
expect_ok() {
	local s
	s=$(file_step "$1")
	check_eq "$2: $1 accepted $(step_err "$s")" "$(step_rc "${s:-none}")" 0
	check_eq "$2: no appraisal failure logged for $1" "$(cause_of "$1")" ""
}
# expect_denied PATH CAUSE WHAT: refused with permission denied, logged CAUSE
expect_denied() {
	local rc s
	s=$(file_step "$1")
	rc=$(step_rc "${s:-none}")
	check "$3: $1 refused (status $rc)" [ "$rc" != 0 ] && [ "$rc" != none ]
	check "$3: $1 refused as permission denied" grep -q "Permission denied" <<<"$(step_err "$s")"
	check_eq "$3: cause logged for $1" "$(cause_of "$1")" "$2"
}
