/* SPDX-License-Identifier: MIT */
/* Classic BPF socket filters (SO_ATTACH_FILTER). */
#ifndef IPV4_BPF_H
#define IPV4_BPF_H

#include <stddef.h>
#include <netinet/in.h>
#include <linux/filter.h>

#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IPV4_BPF_MAX_INSNS 4096 /* BPF_MAXINSNS of the kernel */

/*
 * Attaches a program of n instructions, replacing any attached before.
 * Returns 0, -EBADF for a negative fd, IPV4_ERR_EMPTY_PROGRAM for n == 0
 * (whatever prog is), -EINVAL for a NULL program or n over 65535 (the width
 * of sock_fprog.len), or the kernel's verdict: -EINVAL for a program without
 * a final return or of more than IPV4_BPF_MAX_INSNS instructions, -EPERM
 * once the filter is locked. A rejected program leaves the old one attached.
 */
IPV4_EXPORT int ipv4_bpf_attach(int fd, const struct sock_filter *prog,
				size_t n);

/* Detaches the program. Returns -ENOENT when none is attached. */
IPV4_EXPORT int ipv4_bpf_detach(int fd);

/*
 * Locks the socket's filter (SO_LOCK_FILTER) for good: attach and detach
 * then return -EPERM, also when no program was attached.
 */
IPV4_EXPORT int ipv4_bpf_lock(int fd);

#ifdef __cplusplus
}
#endif

#endif
