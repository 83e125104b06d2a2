# bad-input-fixtures.sh - extra fixtures for bad-input.test (sourced).
# A read-only filesystem: a read-only bind mount of $D/ro.
make_file "$D/ro/file" 100
if mount --bind "$D/ro" "$D/ro" 2>/dev/null && mount -o remount,bind,ro "$D/ro" 2>/dev/null; then
	at_exit "umount '$D/ro'"
else
	skip "cannot make a read-only bind mount for the read-only case"
fi
