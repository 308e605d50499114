/* SPDX-License-Identifier: MIT */
/* Classic BPF socket filters. */
#include <errno.h>
#include <stdint.h>

#include "internal.h"

/* sock_fprog.len is an unsigned short. */
#define BPF_LEN_MAX 65535u

/*
 * The kernel rejects with EINVAL an empty program, one of more than
 * BPF_MAXINSNS instructions and one whose last instruction is not a return
 * (tests/test_bpf.c checks this on the running kernel). Only two cases are
 * caught here. An empty program gets its own code, and a length over 65535
 * would wrap in sock_fprog.len to a shorter, different program.
 */
int ipv4_bpf_attach(int fd, const struct sock_filter *prog, size_t n)
{
	struct sock_fprog fprog;

	if (fd < 0)
		return -EBADF;
	if (n == 0)
		return IPV4_ERR_EMPTY_PROGRAM;
	if (prog == NULL || n > BPF_LEN_MAX)
		return -EINVAL;

	fprog.len = (unsigned short)n;
	/* The kernel only reads the program: the cast drops const for it. */
	fprog.filter = (struct sock_filter *)(uintptr_t)prog;
	return ipv4__sys_setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog,
				    sizeof(fprog));
}

/* The kernel ignores the value but wants an int's worth of option bytes. */
int ipv4_bpf_detach(int fd)
{
	if (fd < 0)
		return -EBADF;

	return ipv4__sys_setsockopt_int(fd, SOL_SOCKET, SO_DETACH_FILTER, 0);
}

int ipv4_bpf_lock(int fd)
{
	if (fd < 0)
		return -EBADF;

	return ipv4__sys_setsockopt_int(fd, SOL_SOCKET, SO_LOCK_FILTER, 1);
}
