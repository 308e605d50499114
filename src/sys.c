/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "internal.h"

int ipv4__sys_setsockopt(int fd, int level, int name, const void *value,
			 socklen_t len)
{
	if (setsockopt(fd, level, name, value, len) != 0)
		return -errno;
	return 0;
}

int ipv4__sys_getsockopt(int fd, int level, int name, void *value,
			 socklen_t *len)
{
	if (getsockopt(fd, level, name, value, len) != 0)
		return -errno;
	return 0;
}

int ipv4__sys_setsockopt_int(int fd, int level, int name, int value)
{
	return ipv4__sys_setsockopt(fd, level, name, &value, sizeof(value));
}

int ipv4__sys_getsockopt_int(int fd, int level, int name, int *err)
{
	int value = 0;
	socklen_t len = sizeof(value);

	*err = ipv4__sys_getsockopt(fd, level, name, &value, &len);
	return value;
}

int ipv4__sys_recvmsg(int fd, struct msghdr *msg, int flags)
{
	ssize_t n;

	do {
		n = recvmsg(fd, msg, flags);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (int)n;
}

int ipv4__sys_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	ssize_t n;

	do {
		n = sendmsg(fd, msg, flags);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (int)n;
}

int ipv4__sys_recvfrom(int fd, void *buf, size_t len, int flags,
		       struct sockaddr *src, socklen_t *srclen)
{
	ssize_t n;

	do {
		n = recvfrom(fd, buf, len, flags, src, srclen);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (int)n;
}

int ipv4__sys_sendto(int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *dst, socklen_t dstlen)
{
	ssize_t n;

	do {
		n = sendto(fd, buf, len, flags, dst, dstlen);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (int)n;
}

int ipv4__sys_recvmmsg(int fd, struct mmsghdr *msgs, unsigned n, int flags)
{
	int got;

	do {
		got = recvmmsg(fd, msgs, n, flags, NULL);
	} while (got < 0 && errno == EINTR);
	return got < 0 ? -errno : got;
}

int ipv4__sys_sendmmsg(int fd, struct mmsghdr *msgs, unsigned n, int flags)
{
	int sent;

	do {
		sent = sendmmsg(fd, msgs, n, flags);
	} while (sent < 0 && errno == EINTR);
	return sent < 0 ? -errno : sent;
}

int ipv4__sys_poll(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	int n = poll(&pfd, 1, timeout_ms);

	/* EINTR is not retried here: the caller recomputes the timeout. */
	if (n < 0)
		return -errno;
	return n;
}

int ipv4__sys_epoll_create(void)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC);

	return epfd < 0 ? -errno : epfd;
}

int ipv4__sys_epoll_add(int epfd, int fd, unsigned events)
{
	struct epoll_event ev = {.events = events, .data.fd = fd};

	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		return -errno;
	return 0;
}

int ipv4__sys_epoll_wait(int epfd, int timeout_ms)
{
	struct epoll_event ev;
	int n = epoll_wait(epfd, &ev, 1, timeout_ms);

	/* EINTR is not retried here: the caller recomputes the timeout. */
	if (n < 0)
		return -errno;
	return n;
}

int ipv4__sys_fcntl_getfl(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	return flags < 0 ? -errno : flags;
}

int ipv4__sys_close(int fd)
{
	/* Linux frees the fd even when close fails, so EINTR is not retried. */
	if (close(fd) != 0 && errno != EINTR)
		return -errno;
	return 0;
}

int ipv4__sockaddr_in(const struct sockaddr *sa, struct in_addr *out)
{
	const struct sockaddr_in *sin;

	if (sa == NULL)
		return IPV4_ERR_MISSING_ADDRESS;
	if (sa->sa_family != AF_INET)
		return IPV4_ERR_NOT_IPV4;
	sin = (const struct sockaddr_in *)(const void *)sa;
	*out = sin->sin_addr;
	return 0;
}
