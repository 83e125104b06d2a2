#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# debian-package.sh - build the Debian packages from a copy of the tree
# (dpkg-buildpackage -b -us -uc), check them with lintian, install them with
# dpkg --root into a test root over Debian 12's ima-evm-utils 1.4, run the
# installed evmctl and build examples/ against the installed library through
# pkg-config.  Exit 0 pass, 1 fail, 77 skip, 99 hard error (as the tests).
# Run as root from anywhere: bash tests/debian-package.sh
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# lib.sh wants the evmctl under test: here it is the packaged one, set below
EVMCTL=${EVMCTL:-/nonexistent}
. "$top_srcdir/tests/lib.sh"
TEST_NAME=debian-package
. "$top_srcdir/tests/sign-lib.sh"
need_cmd dpkg-buildpackage dpkg-dev
need_cmd dh debhelper
need_cmd fakeroot fakeroot
need_cmd pkg-config pkg-config
[ "$(id -u)" = 0 ] || skip "dpkg --root installs need root"
start=$(date +%s)
not_grep() { ! grep -q "$@"; }

# 1. the tree as git has it (or, without git, without build output)
src=$WORKDIR/src/imaevm
mkdir -p "$src"
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top_srcdir" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 cp --parents -t "$src" 2>/dev/null)
	check "copy of the tree" test -f "$src/debian/rules"
else
	tar -C "$top_srcdir" --exclude='./build*' --exclude=.git -cf - . | tar -C "$src" -xf -
fi
[ -f "$src/debian/control" ] || hard_error "no debian/control in $top_srcdir"

# 2. build: binary packages only, unsigned, with the build-time tests of debian/rules
run_capture st out err env -C "$src" dpkg-buildpackage -b -us -uc
printf '%s\n%s\n' "$out" "$err" >"$WORKDIR/build.log"
check_eq "dpkg-buildpackage -b -us -uc (log: $(tail -20 "$WORKDIR/build.log"))" "$st" 0
[ "$st" = 0 ] || done_testing
ver=$(cd "$src" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
debs=()
for p in ima-evm-utils libimaevm5 libimaevm-dev; do
	d=$WORKDIR/src/${p}_${ver}_$arch.deb
	check "$p package built" test -f "$d"
	debs+=("$d")
done
check "the symbols file holds every export with a version" \
	grep -q "^ imaevm_ctx_new@IMAEVM_2.0 " <(dpkg-deb --ctrl-tarfile "${debs[1]}" | tar -xO ./symbols)
check "no new or lost symbols against debian/libimaevm5.symbols" \
	not_grep 'dpkg-gensymbols: warning' "$WORKDIR/build.log"
contents=$(for d in "${debs[@]}"; do dpkg-deb -c "$d"; done | awk '{print $6}')
check "no libtool archive packaged" not_grep '\.la$' <<<"$contents"
check "library package ships libimaevm.so.5" grep -q "^./usr/lib/$ma/libimaevm.so.5.1.0$" \
	<(dpkg-deb -c "${debs[1]}" | awk '{print $6}')
check "-dev ships the pkg-config file" grep -q "/pkgconfig/libimaevm.pc$" <<<"$contents"
check "-dev ships libimaevm.3" grep -q "/man3/libimaevm.3.gz$" <<<"$contents"

# 3. lintian: nothing but the tag every first upload without an ITP bug has
# (a project outside Debian has no bug to close)
if command -v lintian >/dev/null; then
	run_capture st out err lintian --pedantic -E -I --tag-display-limit 0 \
		--suppress-tags initial-upload-closes-no-bugs "$WORKDIR"/src/imaevm_"${ver}"_"$arch".changes
	check_eq "lintian reports nothing ($out)" "$(grep -E '^[EWIPX]: ' <<<"$out")" ""
else
	echo "note: lintian not installed, not run"
fi

# 4. install on the host's Debian: every dependency resolves (simulated)
run_capture st out err apt-get install -s -q "${debs[@]}"
check_eq "apt-get install -s: dependencies resolve ($err)" "$st" 0

# 5. dpkg --root into a test root, over Debian's 1.4 when its packages are at hand
root=$WORKDIR/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
: >"$root/var/lib/dpkg/status"
# the root has no libc or OpenSSL of its own: the host's serve
dpkg_root() { dpkg --root="$root" --force-depends --log=/dev/null "$@"; }
old=()
for p in ima-evm-utils libimaevm-dev libimaevm2; do
	f=$(ls /var/cache/apt/archives/${p}_1.4-*_"$arch".deb 2>/dev/null | tail -n 1)
	if [ -z "$f" ]; then
		(cd "$WORKDIR" && apt-get download -q "$p" >/dev/null 2>&1)
		f=$(ls "$WORKDIR"/${p}_1.4-*_"$arch".deb 2>/dev/null | tail -n 1)
	fi
	[ -n "$f" ] && old+=("$f")
done
if [ ${#old[@]} = 3 ]; then
	run_capture st out err dpkg_root -i "${old[@]}"
	check_eq "Debian's 1.4 packages install in the test root ($err)" "$st" 0
else
	echo "note: Debian's ima-evm-utils 1.4 .debs not found: installing into an empty root"
fi
run_capture st out err dpkg_root -i "${debs[@]}"
check_eq "dpkg --root -i our packages (no file conflicts) ($err)" "$st" 0
status() { dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${Version} ${db:Status-Abbrev}' "$1" 2>/dev/null; }
for p in ima-evm-utils libimaevm5 libimaevm-dev; do
	check_eq "$p installed at $ver" "$(status "$p")" "$ver ii "
done
if [ ${#old[@]} = 3 ]; then
	# libimaevm2 is another soname: it stays, for programs linked against it
	check "Debian's libimaevm.so.3 stays beside ours" test -e "$root/usr/lib/$ma/libimaevm.so.3"
	check "the 1.4 static library went with the old -dev" test ! -e "$root/usr/lib/$ma/libimaevm.a"
fi
libdir=$root/usr/lib/$ma
EVMCTL=$root/usr/bin/evmctl
run_capture st out err env LD_LIBRARY_PATH="$libdir" "$EVMCTL" -v --version
check_eq "installed evmctl --version ($err)" "$st" 0
check_eq "installed evmctl is version ${ver%-*}" "$(head -n 1 <<<"$out")" "evmctl ${ver%-*}"
check_eq "package built with every feature" "$(sed -n 2p <<<"$out")" "features: +engine +provider +tss2"
lib=$(LD_LIBRARY_PATH=$libdir ldd "$EVMCTL" | awk '$1 == "libimaevm.so.5" {print $3}')
check_eq "installed evmctl runs on the installed libimaevm.so.5" "$lib" "$libdir/libimaevm.so.5"
make_file "$WORKDIR/f" 3000
run_capture st out err env LD_LIBRARY_PATH="$libdir" "$EVMCTL" ima_hash -n "$WORKDIR/f"
check_eq "installed evmctl hashes a file ($err)" "${out:0:4}" "0404"
check_eq "... the sha256 of its content" "${out:4}" "$(sha256sum "$WORKDIR/f" | cut -c1-64)"

# 6. examples/ against the installed headers and library only
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
flags=$(pkg-config --cflags --libs libimaevm)
check "pkg-config points into the test root ($flags)" grep -q -- "-L$libdir" <<<"$flags"
cp -r "$root/usr/share/doc/libimaevm-dev/examples" "$WORKDIR/examples"
run_capture st out err make -C "$WORKDIR/examples" CFLAGS="-O2 -Wall -Wextra -Werror"
check_eq "the packaged example builds against the installed library ($err)" "$st" 0
prog=$WORKDIR/examples/sign-and-verify
if [ -x "$prog" ]; then
	lib=$(LD_LIBRARY_PATH=$libdir ldd "$prog" | awk '$1 ~ /^libimaevm\.so/ {print $1, $3}')
	check_eq "example linked with the installed libimaevm.so.5" "$lib" "libimaevm.so.5 $libdir/libimaevm.so.5"
	mkkey k rsa:2048
	run_capture st out err env LD_LIBRARY_PATH="$libdir" "$prog" "$WORKDIR/k.pem" "$WORKDIR/k.der" "$WORKDIR/f"
	check_eq "example signs and verifies ($err)" "$st" 0
	check_eq "example's value: v2 sha256 with the key's id" "$(head -n 1 <<<"$out" | cut -c1-14)" \
		"030204$(skid_keyid "$WORKDIR/k.crt")"
fi

# 7. removal leaves nothing of ours
run_capture st out err dpkg_root --purge ima-evm-utils libimaevm-dev libimaevm5
check_eq "dpkg --purge ($err)" "$st" 0
check "purge removed libimaevm.so.5" test ! -e "$libdir/libimaevm.so.5.1.0"
check "purge removed evmctl" test ! -e "$root/usr/bin/evmctl"
echo "debian-package: $(($(date +%s) - start)) s"
done_testing
