#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# upstream-guest.sh - PID 1 of the guest of kernel-upstream.test, on the
# host's root shared read-only: set up what one of 1.6.2's kernel tests
# expects of the machine it runs on, run it unchanged, write its output and
# exit status to /run/job and power off.
#
# /run/job/job (written by upstream-vm.sh) sets: TEST (the script's name),
# TST_LIST (only those of its cases),
# STAGE (a directory with tests/ and src/evmctl, copied to a writable place
# because the tests write next to themselves), EVMCTL_LIBDIR, TST_KEY_PATH,
# and for an HMAC test KMK and EVMKEY_BLOB (a user master key and an
# encrypted evm-key around the test's own HMAC key), RULES (see below).
job=/run/job
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TMPDIR=/tmp LANG=C
. $job/job

off() {
	sync
	echo 1 > /proc/sys/kernel/sysrq
	echo o > /proc/sysrq-trigger
	# PID 1 must not exit (a panic) before the power-off is done
	while :; do :; done
}
say() { echo "$*" >> $job/setup.log; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t securityfs securityfs /sys/kernel/security
echo 0 > /proc/sys/kernel/printk_ratelimit
cp -a "$STAGE" /tmp/upstream || { say "cannot copy $STAGE"; off; }

# SELinux (booted with lsm=...selinux): load the distribution's policy, as a
# system running SELinux has it, so new files get security.selinux
if grep -q selinux /sys/kernel/security/lsm; then
	mount -t selinuxfs selinuxfs /sys/fs/selinux >> $job/setup.log 2>&1
	pol=$(ls /etc/selinux/default/policy/policy.* 2>/dev/null | tail -1)
	# one write(2) of the whole file, as selinuxfs wants
	if [ -n "$pol" ] && dd if="$pol" of=/sys/fs/selinux/load bs=64M iflag=fullblock \
		status=none 2>> $job/setup.log; then
		say "selinux: loaded $pol, enforce=$(cat /sys/fs/selinux/enforce)"
	else
		say "selinux: no policy loaded (Debian package selinux-policy-default)"
	fi
fi
# the HMAC key of an EVM HMAC test: the kernel cannot take the key's value
# from user space (no CONFIG_USER_DECRYPTED_DATA), so an encrypted key made
# on the host around that value is loaded here; the test turns HMAC on
if [ -n "${EVMKEY_BLOB:-}" ]; then
	keyctl padd user kmk @u < "$KMK" >> $job/setup.log 2>&1
	keyctl add encrypted evm-key "$(cat "$EVMKEY_BLOB")" @u >> $job/setup.log 2>&1
fi
# RULES (a test whose IMA rules are fixed): Debian's kernel takes a single
# policy write and cannot show the policy (no CONFIG_IMA_WRITE_POLICY,
# CONFIG_IMA_READ_POLICY), while the test reads the policy and adds its
# rules one by one.  So its rules are loaded now, in that one write, and the
# ima directory is shown through a read-only copy whose policy file lists
# them (every other entry a link to the real one).  The test also adds keys
# to the .ima/.evm keyrings, which a kernel without
# CONFIG_INTEGRITY_TRUSTED_KEYRING calls _ima/_evm: a keyctl in front maps
# the names.
if [ -n "${RULES:-}" ]; then
	sec=/sys/kernel/security
	if cat "$RULES" > $sec/ima/policy 2>> $job/setup.log; then
		say "policy: loaded $(wc -l < "$RULES") rules in the one write: $(tr '\n' ';' < "$RULES")"
	else
		say "policy: the kernel refused the rules"
	fi
	mkdir -p /run/securityfs /run/ima-view
	mount -t securityfs securityfs /run/securityfs
	for f in /run/securityfs/integrity/ima/*; do ln -s "$f" /run/ima-view/; done
	cp "$RULES" /run/ima-view/policy
	mount --bind /run/ima-view $sec/integrity/ima &&
		mount -o remount,bind,ro $sec/integrity/ima
	for r in _ima _evm; do keyctl newring $r @u >> $job/setup.log; done
	mkdir -p /tmp/upstream/shim
	cat > /tmp/upstream/shim/keyctl <<-'SHIM'
	#!/bin/bash
	a=()
	for x in "$@"; do
		case $x in %keyring:.ima) x=%keyring:_ima ;; %keyring:.evm) x=%keyring:_evm ;; esac
		a+=("$x")
	done
	exec /usr/bin/keyctl "${a[@]}"
	SHIM
	chmod 755 /tmp/upstream/shim/keyctl
	export PATH=/tmp/upstream/shim:$PATH
fi
say "lsm: $(cat /sys/kernel/security/lsm)"
say "evm: $(cat /sys/kernel/security/evm 2>&1)"

export LD_LIBRARY_PATH=$EVMCTL_LIBDIR TST_KEY_PATH TST_EVM_CHANGE_MODE=1
[ -n "${TST_LIST:-}" ] && export TST_LIST
start=$(date +%s)
bash /tmp/upstream/tests/"$TEST" > $job/log 2>&1 < /dev/null
echo $? > $job/rc
echo $(( $(date +%s) - start )) > $job/seconds
cat /sys/kernel/security/evm > $job/evm 2>&1
dmesg > $job/dmesg
echo done > $job/complete
off
