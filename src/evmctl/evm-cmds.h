/* SPDX-License-Identifier: GPL-2.0-or-later */
/* evm-cmds.h - the EVM and keyring commands for the command table. */
#ifndef EVMCTL_EVM_CMDS_H
#define EVMCTL_EVM_CMDS_H

#include "evmctl.h"

/* option groups of each command (NULL-terminated) */
extern const struct poptOption *const groups_evm_digest[];
extern const struct poptOption *const groups_hmac[];
extern const struct poptOption *const groups_import[];
extern const struct poptOption *const groups_fix[];
extern const struct poptOption *const groups_evm_sign[];
extern const struct poptOption *const groups_evm_verify[];
/* --imasig/--imahash of sign and hmac */

int cmd_evm_digest(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv);
int cmd_hmac(struct evmctl *g, const struct command *cmd, int argc,
	     const char **argv);
int cmd_import(struct evmctl *g, const struct command *cmd, int argc,
	       const char **argv);
int cmd_ima_fix(struct evmctl *g, const struct command *cmd, int argc,
		const char **argv);
int cmd_ima_clear(struct evmctl *g, const struct command *cmd, int argc,
		  const char **argv);

int cmd_evm_sign(struct evmctl *g, const struct command *cmd, int argc,
		 const char **argv);
int cmd_evm_verify(struct evmctl *g, const struct command *cmd, int argc,
		   const char **argv);

#endif /* EVMCTL_EVM_CMDS_H */
