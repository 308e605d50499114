/* SPDX-License-Identifier: MIT */
/*
 * Read and write deadlines of packet and raw conns.
 *
 * A deadline is an absolute time in ns on CLOCK_MONOTONIC, stored atomically
 * in the conn. A call on a blocking fd with a deadline makes its system call
 * with MSG_DONTWAIT and, on EAGAIN, waits in poll() for the time that
 * remains, then tries again. So a call past its deadline consumes nothing,
 * and a datagram taken by another thread between poll() and the call only
 * sends this one back to wait. A wait that keeps waking without progress
 * moves to epoll (see struct ipv4__conn_waiter).
 */
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <sys/epoll.h>

#include "conn_internal.h"

#define NS_PER_MS 1000000

int64_t ipv4_now(void)
{
	struct timespec ts;

	/* With a valid clock and pointer, clock_gettime() cannot fail. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Returns the poll() timeout in ms that covers ns, rounded up. */
static int deadline_poll_ms(int64_t ns)
{
	int64_t ms = (ns + NS_PER_MS - 1) / NS_PER_MS;

	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* poll() wake-ups met with EAGAIN before the waits move to epoll. */
#define WAIT_WAKEUPS_MAX 2

void ipv4__conn_waiter_init(struct ipv4__conn_waiter *w, int fd, short events,
			    int64_t deadline)
{
	w->fd = fd;
	w->events = events;
	w->deadline = deadline;
	w->wakeups = 0;
	w->epfd = -1;
}

void ipv4__conn_waiter_end(struct ipv4__conn_waiter *w)
{
	if (w->epfd >= 0)
		ipv4__sys_close(w->epfd);
	w->epfd = -1;
}

/*
 * Adds the fd to a new edge-triggered epoll instance. Its first wait
 * reports the fd's current state, and later ones only new events.
 */
static void waiter_use_epoll(struct ipv4__conn_waiter *w)
{
	unsigned events = 0;
	int epfd = ipv4__sys_epoll_create();

	/* NOTE: without an epoll instance (EMFILE) the waits keep polling. */
	if (epfd < 0)
		return;
	if (w->events & POLLIN)
		events |= EPOLLIN;
	if (w->events & POLLOUT)
		events |= EPOLLOUT;
	if (ipv4__sys_epoll_add(epfd, w->fd, events | EPOLLET) < 0) {
		ipv4__sys_close(epfd);
		return;
	}
	w->epfd = epfd;
}

int ipv4__conn_wait(struct ipv4__conn_waiter *w)
{
	int64_t remaining;
	int ms, ready;

	if (w->epfd < 0 && w->wakeups >= WAIT_WAKEUPS_MAX)
		waiter_use_epoll(w);
	for (;;) {
		remaining = w->deadline - ipv4_now();
		if (remaining <= 0)
			return IPV4_ERR_TIMEOUT;
		ms = deadline_poll_ms(remaining);
		if (w->epfd >= 0)
			ready = ipv4__sys_epoll_wait(w->epfd, ms);
		else
			ready = ipv4__sys_poll(w->fd, w->events, ms);
		if (ready == -EINTR)
			continue;
		if (ready > 0)
			w->wakeups++;
		/*
		 * On readiness or on the wait's own timeout the caller tries
		 * once more: the next wait then reports the timeout.
		 */
		return ready < 0 ? ready : 0;
	}
}

int ipv4__conn_recvmsg(const struct ipv4_packet_conn *c, int fd,
		       struct msghdr *msg)
{
	int64_t deadline = ipv4__conn_deadline(c, ipv4__conn_read_deadline(c));
	struct ipv4__conn_waiter w;
	int n;

	/* The fast path: one blocking or non-blocking call, as the fd is. */
	if (deadline == 0)
		return ipv4__sys_recvmsg(fd, msg, 0);
	/* The kernel writes back nothing on EAGAIN, so msg is reused as is. */
	ipv4__conn_waiter_init(&w, fd, POLLIN, deadline);
	for (;;) {
		n = ipv4__sys_recvmsg(fd, msg, MSG_DONTWAIT);
		if (n != -EAGAIN)
			break;
		n = ipv4__conn_wait(&w);
		if (n < 0)
			break;
	}
	ipv4__conn_waiter_end(&w);
	return n;
}

int ipv4__conn_sendmsg(const struct ipv4_packet_conn *c, int fd,
		       const struct msghdr *msg)
{
	int64_t deadline =
		ipv4__conn_deadline(c, ipv4__conn_write_deadline(c));
	struct ipv4__conn_waiter w;
	int n;

	if (deadline == 0)
		return ipv4__sys_sendmsg(fd, msg, 0);
	ipv4__conn_waiter_init(&w, fd, POLLOUT, deadline);
	for (;;) {
		n = ipv4__sys_sendmsg(fd, msg, MSG_DONTWAIT);
		if (n != -EAGAIN)
			break;
		n = ipv4__conn_wait(&w);
		if (n < 0)
			break;
	}
	ipv4__conn_waiter_end(&w);
	return n;
}

static int deadline_store(struct ipv4_packet_conn *c, int64_t *field,
			  int64_t deadline)
{
	int fd = ipv4__conn_check(c);

	if (fd < 0)
		return fd;
	if (deadline < 0)
		return -EINVAL;
	__atomic_store_n(field, deadline, __ATOMIC_RELAXED);
	return 0;
}

int ipv4_packet_conn_set_read_deadline(struct ipv4_packet_conn *c,
				       int64_t deadline)
{
	if (c == NULL)
		return IPV4_ERR_INVALID_CONN;
	return deadline_store(c, &c->read_deadline, deadline);
}

int ipv4_packet_conn_set_write_deadline(struct ipv4_packet_conn *c,
					int64_t deadline)
{
	if (c == NULL)
		return IPV4_ERR_INVALID_CONN;
	return deadline_store(c, &c->write_deadline, deadline);
}

int ipv4_packet_conn_set_deadline(struct ipv4_packet_conn *c, int64_t deadline)
{
	int err = ipv4_packet_conn_set_read_deadline(c, deadline);

	if (err < 0)
		return err;
	return ipv4_packet_conn_set_write_deadline(c, deadline);
}
