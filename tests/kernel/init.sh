#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# init.sh - /init of the real-kernel test guest: load the modules, mount the
# test filesystems read-only, run the steps of /test/plan, then write the
# results (step outcomes, kernel log, measurement lists, event log, PCRs) as
# a tar to the last virtio disk and power off.
#
# Plan lines: "STEP ARG...", one of
#   policy FILE          write FILE to the IMA policy
#   import KEYRING CERT  evmctl import CERT into KEYRING (created under @u)
#   evm VALUE            write VALUE to /sys/kernel/security/evm
#   read FILE            read FILE            (result: rc and error text)
#   exec FILE            execute FILE
#   sh LABEL COMMAND...  run a shell command  (result: rc and output)
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t securityfs securityfs /sys/kernel/security
# appraisal failures are reported by audit through printk: keep every line
echo 0 > /proc/sys/kernel/printk_ratelimit
while read -r m; do insmod "/modules/$m" 2>/dev/null; done < /modules/order

out=/out
mkdir -p $out /mnt/a /mnt/b
# ramfs, not the tmpfs root: once EVM has its HMAC key, creating a file on
# tmpfs oopses this kernel (NULL name in evm_inode_init_security)
mount -t ramfs ramfs $out
i=0
while [ ! -b /dev/vdc ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
mount -t ext4 -o ro /dev/vda /mnt/a 2>$out/mount-a.err
mount -t ext4 -o ro /dev/vdb /mnt/b 2>$out/mount-b.err

n=0
while read -r step a1 a2 <&3; do
	case $step in ''|'#'*) continue ;; esac
	n=$((n + 1))
	case $step in
	policy) cat "$a1" > /sys/kernel/security/ima/policy 2>$out/err ;;
	import)
		keyctl describe "%keyring:$a1" >/dev/null 2>&1 ||
			keyctl newring "$a1" @u >/dev/null
		evmctl import "$a2" "$a1" >/dev/null 2>$out/err ;;
	evm) echo "$a1" > /sys/kernel/security/evm 2>$out/err ;;
	read) cat "$a1" >/dev/null 2>$out/err ;;
	exec) "$a1" >/dev/null 2>$out/err ;;
	sh) sh -c "$a2" >$out/err 2>&1 ;;
	*) echo "unknown step" > $out/err; false ;;
	esac
	echo "$n $step $a1 rc=$? $(tr '\n' ' ' < $out/err)" >> $out/results
done 3< /test/plan
rm -f $out/err

sec=/sys/kernel/security
# PCRs first: the list read after them may only be longer
for bank in /sys/class/tpm/tpm0/pcr-*; do
	[ -d "$bank" ] || continue
	alg=${bank##*/pcr-}
	for p in 0 1 2 3 4 5 6 7 8 9 10; do
		echo "PCR-$(printf %02d $p): $(cat $bank/$p)"
	done > $out/pcrs-$alg
done
cat $sec/ima/binary_runtime_measurements > $out/binary_runtime_measurements
cat $sec/ima/ascii_runtime_measurements > $out/ascii_runtime_measurements
cat $sec/tpm0/binary_bios_measurements > $out/binary_bios_measurements 2>/dev/null
cat $sec/ima/policy > $out/policy 2>/dev/null
cat $sec/evm > $out/evm 2>/dev/null
cat /proc/keys > $out/keys
dmesg > $out/dmesg
echo done > $out/complete
tar -cf /dev/vdc -C $out .
sync
poweroff -f
