/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers shared by the sources. Nothing here is exported.
 *
 * The ipv4__sys_* wrappers are the only code that reads errno: each makes one
 * system call, retries it on EINTR and returns -errno on failure.
 */
#ifndef IPV4_INTERNAL_H
#define IPV4_INTERNAL_H

#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "ipv4.h"

int ipv4__sys_setsockopt(int fd, int level, int name, const void *value,
			 socklen_t len);
int ipv4__sys_getsockopt(int fd, int level, int name, void *value,
			 socklen_t *len);
int ipv4__sys_setsockopt_int(int fd, int level, int name, int value);
/* Returns the option's int value (which may be negative), or sets *err. */
int ipv4__sys_getsockopt_int(int fd, int level, int name, int *err);

int ipv4__sys_recvmsg(int fd, struct msghdr *msg, int flags);
int ipv4__sys_sendmsg(int fd, const struct msghdr *msg, int flags);
int ipv4__sys_recvfrom(int fd, void *buf, size_t len, int flags,
		       struct sockaddr *src, socklen_t *srclen);
int ipv4__sys_sendto(int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *dst, socklen_t dstlen);
int ipv4__sys_recvmmsg(int fd, struct mmsghdr *msgs, unsigned n, int flags);
int ipv4__sys_sendmmsg(int fd, struct mmsghdr *msgs, unsigned n, int flags);
/* Returns 1 when fd is ready, 0 on timeout (timeout_ms < 0 waits forever). */
int ipv4__sys_poll(int fd, short events, int timeout_ms);
/* An epoll instance with close-on-exec, and one fd added to it. */
int ipv4__sys_epoll_create(void);
int ipv4__sys_epoll_add(int epfd, int fd, unsigned events);
/* Returns 1 when an event arrived, 0 on timeout, like ipv4__sys_poll(). */
int ipv4__sys_epoll_wait(int epfd, int timeout_ms);
int ipv4__sys_fcntl_getfl(int fd);
int ipv4__sys_close(int fd);

/*
 * Checks a caller's address argument and copies its IPv4 address to *out.
 * Returns 0, IPV4_ERR_MISSING_ADDRESS for NULL or IPV4_ERR_NOT_IPV4 for a
 * family other than AF_INET.
 */
int ipv4__sockaddr_in(const struct sockaddr *sa, struct in_addr *out);

static inline int ipv4__is_multicast(struct in_addr a)
{
	return (ntohl(a.s_addr) & 0xf0000000u) == 0xe0000000u;
}

#endif
