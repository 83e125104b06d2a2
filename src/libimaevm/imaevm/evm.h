/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imaevm/evm.h - libimaevm's public interface: EVM metadata digests and HMAC. */
#ifndef IMAEVM_EVM_H
#define IMAEVM_EVM_H

#ifndef IMAEVM_H
#error "include <imaevm.h>, which includes this part in its place"
#endif

/* ---- EVM metadata digests and HMAC -------------------------------------- */

/*
 * The kernel (security/integrity/evm/evm_crypto.c) hashes, in this order:
 * the values of the protected xattrs that are present, in the order of its
 * evm_config_default_xattrnames list; then a metadata block (struct h_misc:
 * inode number, generation, uid, gid, mode, laid out as a C struct of the
 * target); then the filesystem UUID.  A portable signature (type 0x05)
 * leaves out the inode number, the generation and the UUID.
 *
 * struct imaevm_evm_input holds every one of these inputs, so a caller can
 * fill it from a file (imaevm_evm_input_from_fd()) and then override any
 * field before computing the digest that gets signed (imaevm_evm_digest())
 * or the HMAC (imaevm_evm_hmac()).
 */

/** Most xattrs an EVM digest covers (with the extra SMACK ones). */
#define IMAEVM_EVM_MAX_XATTRS 8
/** Size of a filesystem UUID, as the kernel's super_block.s_uuid. */
#define IMAEVM_UUID_SIZE 16

/* Layout of the metadata block (struct h_misc of the target kernel). */
enum imaevm_evm_layout {
	IMAEVM_EVM_NATIVE = 0,	/* the layout of this machine's kernel */
	IMAEVM_EVM_M32 = 1,	/* 32-bit target: 4-byte inode number, 20 bytes */
	IMAEVM_EVM_M64 = 2,	/* 64-bit target: 8-byte inode number, 24 bytes */
};

/*
 * The immutable EVM signature of ima-evm-utils 1.6.2 (evmctl -i): a type
 * of imaevm_evm_digest() (not an xattr type) for its digest, which covers
 * the xattrs and then only uid, gid and mode (12 bytes, any target): no
 * inode number, generation or UUID, and security.ima is not required.  The
 * signature is stored as type 0x03 (IMAEVM_XATTR_DIGSIG) with version byte
 * IMAEVM_EVM_IMMUTABLE_VERSION and otherwise the v2 layout, signing that
 * digest directly.  Kernels check type 0x03 against their full metadata,
 * so such a signature is for tools, not for appraisal.
 */
#define IMAEVM_EVM_IMMUTABLE_DIGSIG 0x103
#define IMAEVM_EVM_IMMUTABLE_VERSION 3

/* Flags of imaevm_evm_input_init() and imaevm_evm_input_from_fd(). */
#define IMAEVM_EVM_SMACK	 0x1	/* also SMACK64EXEC, SMACK64TRANSMUTE, SMACK64MMAP */
#define IMAEVM_EVM_NO_UUID	 0x2	/* do not look up the filesystem UUID */
#define IMAEVM_EVM_NO_GENERATION 0x4	/* do not read the inode generation (0) */

/**
 * struct imaevm_evm_xattr - one protected xattr.
 * @name:  "security.selinux", ... (a static string of the library)
 * @value: its value, or NULL when the file does not have it
 * @len:   length of @value (0 is a present, empty value)
 */
struct imaevm_evm_xattr {
	const char *name;
	const unsigned char *value;
	size_t len;
};

/**
 * struct imaevm_evm_input - everything an EVM digest or HMAC covers.
 * @n_xattrs:   entries used in @xattrs
 * @xattrs:     the protected xattrs in the kernel's order
 * @ino:        inode number (only the low 32 bits with IMAEVM_EVM_M32)
 * @generation: inode generation (FS_IOC_GETVERSION)
 * @uid:        owner, as seen from the initial user namespace
 * @gid:        group
 * @mode:       st_mode; the kernel keeps the low 16 bits (umode_t)
 * @layout:     enum imaevm_evm_layout of the metadata block
 * @has_uuid:   nonzero to hash @uuid after the metadata block
 * @uuid:       filesystem UUID, as the kernel's super_block.s_uuid
 * @storage:    private to the library: the memory imaevm_evm_input_from_fd()
 *              allocated for the values it read; released by
 *              imaevm_evm_input_release().  Values a caller puts in @xattrs
 *              stay owned by the caller.
 */
struct imaevm_evm_input {
	size_t n_xattrs;
	struct imaevm_evm_xattr xattrs[IMAEVM_EVM_MAX_XATTRS];
	uint64_t ino;
	uint32_t generation;
	uint32_t uid;
	uint32_t gid;
	uint32_t mode;
	int layout;
	int has_uuid;
	unsigned char uuid[IMAEVM_UUID_SIZE];
	void *storage;
};

/**
 * imaevm_evm_input_init() - an empty input: the xattr names of the kernel's
 * list (with the extra SMACK ones if @flags has IMAEVM_EVM_SMACK), all
 * values absent, metadata zero, native layout, no UUID.
 * @in:    the input to set
 * @flags: IMAEVM_EVM_* flags
 */
void imaevm_evm_input_init(struct imaevm_evm_input *in, unsigned int flags);

/**
 * imaevm_evm_input_from_fd() - fill an input from an open file.
 * @ctx:   context
 * @fd:    the file; any descriptor works, an O_PATH one too (xattrs are then
 *         read through /proc/self/fd), so symlinks and device nodes can be
 *         described without opening them
 * @flags: IMAEVM_EVM_* flags
 * @in:    receives the input; release it with imaevm_evm_input_release()
 *
 * Reads the protected xattrs, fstat() (inode number, uid, gid, mode), the
 * generation through FS_IOC_GETVERSION (regular files and directories
 * only, as the old evmctl; other types, and all with
 * IMAEVM_EVM_NO_GENERATION, get 0) and the UUID of the filesystem's block device through libblkid
 * (unless IMAEVM_EVM_NO_UUID).
 *
 * Return: 0; -ENOTTY when the filesystem cannot report the generation;
 * -ENODEV when the filesystem has no block device to read a UUID from;
 * -EOPNOTSUPP when it has no 128-bit UUID; system errors (-EACCES, ...);
 * -ENOMEM; -EINVAL.
 */
int imaevm_evm_input_from_fd(struct imaevm_ctx *ctx, int fd, unsigned int flags,
			     struct imaevm_evm_input *in);

/** imaevm_evm_input_release() - free what the library allocated in @in. */
void imaevm_evm_input_release(struct imaevm_evm_input *in);

/**
 * imaevm_evm_input_set_xattr() - override (or remove) one xattr value.
 * @in:    the input
 * @name:  an xattr name of @in's list
 * @value: the new value (kept by pointer: it must outlive the use of @in),
 *         or NULL to treat the xattr as absent
 * @len:   its length
 *
 * Return: 0, -ENOENT if @name is not in the list, -EINVAL.
 */
int imaevm_evm_input_set_xattr(struct imaevm_evm_input *in, const char *name,
			       const void *value, size_t len);

/**
 * imaevm_evm_input_set_mode() - state another file mode (and type) than the
 * file's own.
 * @in:   the input
 * @mode: st_mode to hash
 *
 * The generation follows the stated type as imaevm_evm_input_from_fd()
 * reads it: a mode that is neither a regular file nor a directory sets it
 * to 0 (set @in->generation afterwards to state one anyway).
 * Return: 0, -EINVAL.
 */
int imaevm_evm_input_set_mode(struct imaevm_evm_input *in, uint32_t mode);

/**
 * imaevm_evm_digest() - the digest an EVM signature signs.
 * @ctx:  context
 * @in:   the inputs
 * @type: IMAEVM_XATTR_DIGSIG (inode number, generation and, if
 *        @in->has_uuid, the UUID included), IMAEVM_XATTR_PORTABLE_DIGSIG
 *        (none of them) or IMAEVM_EVM_IMMUTABLE_DIGSIG (see above)
 * @algo: enum imaevm_hash_algo
 * @out:  receives the digest
 *
 * Return: 0; -ENODATA for a portable digest without security.ima (the
 * kernel refuses those); -EOPNOTSUPP (algorithm); -EINVAL.
 */
int imaevm_evm_digest(struct imaevm_ctx *ctx, const struct imaevm_evm_input *in,
		      int type, int algo, struct imaevm_digest *out);

/**
 * imaevm_evm_hmac() - the EVM HMAC (security.evm type 0x02) of @in.
 * @ctx:    context
 * @in:     the inputs (inode number, generation, UUID if @in->has_uuid)
 * @key:    the EVM key as the kernel holds it (the decrypted payload of the
 *          "evm-key" encrypted key)
 * @keylen: 1 to 128 bytes
 * @out:    receives the sha1 HMAC
 *
 * As the kernel, the key is zero-padded to 128 bytes before use and the
 * HMAC is hmac(sha1).
 *
 * Return: 0; -EINVAL (no key, key longer than 128 bytes); -EOPNOTSUPP.
 */
int imaevm_evm_hmac(struct imaevm_ctx *ctx, const struct imaevm_evm_input *in,
		    const void *key, size_t keylen, struct imaevm_digest *out);

/**
 * imaevm_uuid_parse() - parse a UUID as blkid prints it.
 * @str:  32 hex digits, dashes anywhere allowed ("0011...-..." or plain)
 * @uuid: receives 16 bytes in the order written
 * Return: 0 or -EINVAL.
 */
int imaevm_uuid_parse(const char *str, unsigned char uuid[IMAEVM_UUID_SIZE]);

/**
 * imaevm_fs_uuid() - UUID of the filesystem on a block device, via libblkid.
 * @ctx:  context
 * @dev:  the device number (st_dev of a file on the filesystem)
 * @uuid: receives the 16 bytes
 *
 * Return: 0; -ENODEV if no block device has that number (tmpfs, overlay,
 * ...); -ENODATA if the device holds no filesystem with a UUID;
 * -EOPNOTSUPP if the UUID is not 128 bits (e.g. FAT); -EACCES, -ENOMEM.
 */
int imaevm_fs_uuid(struct imaevm_ctx *ctx, uint64_t dev,
		   unsigned char uuid[IMAEVM_UUID_SIZE]);

#endif /* IMAEVM_EVM_H */
