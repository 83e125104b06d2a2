#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# feature-build.sh FEATURE [BUILDDIR] - configure with one feature switched off
# (engine: --disable-engine, provider: --disable-provider, tss2: --without-tss2,
# none: all three), build, and smoke-run evmctl: it works, the feature's
# options fail with a message saying the build lacks it, and the library
# neither imports nor links what was left out.  Exit 0 pass, 1 fail, 99 error.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
feature=${1:?usage: feature-build.sh engine|provider|tss2|none [BUILDDIR]}
EVMCTL=/nonexistent
. "$top_srcdir/tests/lib.sh"
TEST_NAME=feature-build-$feature
case $feature in
engine) opts=(--disable-engine); want="-engine +provider +tss2" ;;
provider) opts=(--disable-provider); want="+engine -provider +tss2" ;;
tss2) opts=(--without-tss2); want="+engine +provider -tss2" ;;
none) opts=(--disable-engine --disable-provider --without-tss2); want="-engine -provider -tss2" ;;
*) hard_error "unknown feature '$feature'" ;;
esac
dir=${2:-$WORKDIR/build}
rm -rf "$dir"
start=$(date +%s)
lacks() { ! grep -q "$@"; }
run_capture st out err bash "$top_srcdir/scripts/build.sh" "$dir" --enable-werror "${opts[@]}"
check_eq "configure ${opts[*]} --enable-werror && make ($(tail -n 15 <<<"$err"))" "$st" 0
[ "$st" = 0 ] || done_testing
# the summary states what configure decided
summary=$(cd "$dir" && ./config.status --config)
check "config.status records ${opts[*]}" grep -q -- "${opts[0]}" <<<"$summary"

EVMCTL=$dir/src/evmctl/evmctl
lib=$dir/src/libimaevm/.libs/libimaevm.so
# the binary behind libtool's wrapper script
bin=$dir/src/evmctl/.libs/evmctl
[ -x "$bin" ] || bin=$EVMCTL
run_capture st out err "$EVMCTL" -v --version
check_eq "evmctl -v --version ($err)" "$st" 0
check_eq "features line" "$(sed -n 2p <<<"$out")" "features: $want"

# what every build does: hash and sign with a key file, verify
make_file "$WORKDIR/f" 4096
run_capture st out err "$EVMCTL" ima_hash -n "$WORKDIR/f"
check_eq "ima_hash -n ($err)" "$out" "0404$(sha256sum "$WORKDIR/f" | cut -c1-64)"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=t -keyout "$WORKDIR/k.pem" \
	-outform DER -out "$WORKDIR/k.der" -days 2 >/dev/null 2>&1 || hard_error "openssl req"
run_capture st out err "$EVMCTL" ima_sign --sigfile -k "$WORKDIR/k.pem" "$WORKDIR/f"
check_eq "ima_sign --sigfile with a key file ($err)" "$st" 0
run_capture st out err "$EVMCTL" ima_verify --sigfile -k "$WORKDIR/k.der" "$WORKDIR/f"
check_eq "ima_verify --sigfile ($err)" "$st" 0
# PCRs from a file need no tpm2-tss
python3 - "$WORKDIR/pcrs" <<'EOF'
import hashlib, sys
with open(sys.argv[1], "w") as f:
    f.writelines("PCR-%02d: %s\n" % (i, hashlib.sha256(b"%d" % i).hexdigest()) for i in range(24))
EOF
agg=$(python3 -c 'import hashlib; print(hashlib.sha256(b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(10))).hexdigest())')
run_capture st out err "$EVMCTL" ima_boot_aggregate --pcrs "sha256,$WORKDIR/pcrs"
check_eq "ima_boot_aggregate --pcrs FILE ($err)" "$out" "sha256:$agg"

imports=$(nm -D --undefined-only "$lib" | awk '{print $2}')
libs=$(ldd "$lib")
case $want in *-engine*)
	run_capture st out err "$EVMCTL" --engine gost ima_hash "$WORKDIR/f"
	check_eq "--engine fails" "$st" 1
	check "--engine: the message says why ($err)" grep -q 'this build has no support for it' <<<"$err"
	check "no ENGINE_ calls imported" lacks '^ENGINE_' <<<"$imports"
esac
case $want in *-provider*)
	run_capture st out err "$EVMCTL" --provider legacy ima_hash -a md4 "$WORKDIR/f"
	check_eq "--provider fails" "$st" 1
	check "--provider: the message says why ($err)" grep -q 'this build has no support for it' <<<"$err"
	run_capture st out err "$EVMCTL" -v ima_sign -k handle:0x81000001 "$WORKDIR/f"
	check_eq "-k OSSL_STORE URI fails" "$st" 1
	check "-k URI: the message says why ($err)" grep -q 'built without provider key loading' <<<"$err"
	check "no OSSL_PROVIDER_try_load or OSSL_STORE_open_ex imported" \
		lacks -E '^(OSSL_PROVIDER_try_load|OSSL_STORE_open_ex)' <<<"$imports"
esac
case $want in *-tss2*)
	run_capture st out err "$EVMCTL" ima_boot_aggregate --tcti swtpm:port=1
	check_eq "--tcti fails" "$st" 1
	check "--tcti: the message says why ($err)" grep -q 'built without tpm2-tss' <<<"$err"
	check "libimaevm is not linked with tpm2-tss" lacks libtss2 <<<"$libs"
	check "evmctl is not linked with tpm2-tss" lacks libtss2 <<<"$(ldd "$bin")"
esac
# the ABI does not depend on what was configured
exports=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort)
check "every export of libimaevm.sym is there" \
	test "$(grep -c '^imaevm_' <<<"$exports")" -ge "$(grep -cE '^[[:space:]]+imaevm_[a-z0-9_]+;' "$top_srcdir/src/libimaevm/libimaevm.sym")"
check "imaevm_pcrs_read_tpm, imaevm_ctx_load_engine/provider exported" \
	test "$(grep -cE '^imaevm_(pcrs_read_tpm|ctx_load_engine|ctx_load_provider)@' <<<"$exports")" = 3
echo "$TEST_NAME: $(($(date +%s) - start)) s"
done_testing
