/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * imaevm.h - public interface of libimaevm, the IMA/EVM userspace library.
 *
 * Conventions for every function (declared in the imaevm/ parts below):
 *  - Success is 0 (or a count); failure is a negative errno value, never -1
 *    with errno set.  Common codes: -EINVAL bad argument, -EBADMSG malformed
 *    input, -EOPNOTSUPP algorithm or format not supported, -ENOMEM.  Codes
 *    from the system (-ENOENT, -EACCES, ...) are passed up unchanged.
 *  - The library never prints.  Messages go to the log callback of the
 *    context (syslog priorities); a new context is silent.
 *  - Outputs are written only on success.  Memory returned to the caller is
 *    released with imaevm_free(); imaevm_free(NULL) does nothing.
 *  - There is no global mutable state.  A context may be shared by threads
 *    once its settings are made; functions that change settings must not run
 *    concurrently with other use of the same context.  Signing keys and key
 *    sets are read-only once loaded and may be shared by any number of
 *    threads; imaevm_keyset_add_file() must not run while the set is in use.
 *  - The old libimaevm calls (sign_hash(), verify_hash(), imaevm_params,
 *    ...) are declared in imaevm-compat.h, which this header includes
 *    unless IMAEVM_NO_COMPAT is defined; they use global state and are not
 *    thread-safe.  See libimaevm(3).
 */
#ifndef IMAEVM_H
#define IMAEVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The interface, one topic a file; each part needs the ones before it, so
 * programs include this header only.
 */
#include "imaevm/context.h"
#include "imaevm/xattr.h"
#include "imaevm/evm.h"
#include "imaevm/keyring.h"
#include "imaevm/sign.h"
#include "imaevm/measurement-list.h"
#include "imaevm/pcr.h"
#include "imaevm/replay.h"
#include "imaevm/quote.h"
#include "imaevm/ml-state.h"
#include "imaevm/policy.h"

#ifdef __cplusplus
}
#endif

/*
 * The calls of the old libimaevm (global settings, not thread-safe), so
 * programs written for it build unchanged.  New code: define
 * IMAEVM_NO_COMPAT before including this header to leave them out.
 */
#ifndef IMAEVM_NO_COMPAT
#include "imaevm-compat.h"
#endif

#endif /* IMAEVM_H */
