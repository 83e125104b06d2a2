#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# upstream-init.sh - /init of the guest of kernel-upstream.test: load the
# modules, mount the host's root (9p, tag "hostroot") read-only with tmpfs on
# /tmp and /run (and BIND= directories of the host's /tmp back on the
# guest's), the job share (tag "job", read-write) on /run/job, and hand
# over to the bash script named by GUEST= in /run/job/job on that root.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do insmod "/modules/$m" 2>/dev/null; done < /modules/order
opts=trans=virtio,version=9p2000.L,msize=262144
mkdir -p /newroot
# the host's files do not change during a run: cache them (exec over 9p is slow)
mount -t 9p -o "$opts,ro,cache=loose" hostroot /newroot || { echo "upstream-init: no 9p root"; poweroff -f; }
mount -t tmpfs tmpfs /newroot/run
mkdir -p /newroot/run/job /newroot/run/hosttmp
mount -t 9p -o "$opts" job /newroot/run/job || { echo "upstream-init: no job share"; poweroff -f; }
guest=$(sed -n 's/^GUEST=//p' /newroot/run/job/job)
# the host's directories under /tmp that the run needs, over the guest's /tmp
mount --bind /newroot/tmp /newroot/run/hosttmp
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
for b in $(sed -n 's/^BIND=//p' /newroot/run/job/job); do
	mkdir -p "/newroot$b"
	mount --bind "/newroot/run/hosttmp/${b#/tmp/}" "/newroot$b"
done
# (upstream-guest.sh mounts /proc, /sys and /dev anew: with cache=loose a
# mount moved onto the 9p root stays hidden)
umount /proc /sys /dev
exec switch_root /newroot /bin/bash "$guest"
