/* SPDX-License-Identifier: GPL-2.0
 *
 * The few kernel types the aarm LSM programs touch, declared with preserve_access_index so that clang emits
 * CO-RE relocations: libbpf rewrites every field offset against the running kernel's BTF when loading, so one
 * object runs on any kernel with BTF and BPF LSM, and building needs no vmlinux.h from the build machine.
 */
#ifndef AARM_KERNEL_H
#define AARM_KERNEL_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#define AARM_CORE __attribute__((preserve_access_index))

struct super_block {
	__u32 s_dev;
} AARM_CORE;

struct inode {
	unsigned long i_ino;
	struct super_block *i_sb;
} AARM_CORE;

struct vfsmount;
struct dentry;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} AARM_CORE;

struct file {
	struct path f_path;
	struct inode *f_inode;
} AARM_CORE;

struct linux_binprm {
	struct file *file;
} AARM_CORE;

struct socket;
struct sockaddr;

#define AARM_EPERM 1
#define AARM_AF_INET 2
#define AARM_AF_INET6 10

#endif
