/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers shared by the packet conn, raw conn, deadline and batch
 * sources. Nothing here is exported.
 *
 * The conn fields that several threads may touch (fd, control_flags,
 * multicast_ifindex, the deadlines and lock) are plain integers in the public
 * struct, so that C++ and older compilers can include it. Every access goes
 * through the __atomic builtins, which gcc and clang both provide.
 */
#ifndef IPV4_CONN_INTERNAL_H
#define IPV4_CONN_INTERNAL_H

#include <poll.h>
#include <stdint.h>

#include "internal.h"

/*
 * Ancillary space of a single read. Every message an AF_INET datagram or
 * raw socket can attach at once fits in about 470 bytes on 64-bit Linux
 * (IP_PKTINFO, IP_TTL, IP_TOS, 40 bytes of IP_OPTIONS, IP_RECVFRAGSIZE,
 * IP_CHECKSUM, IP_ORIGDSTADDR, the three timestamp forms, SO_RXQ_OVFL,
 * SO_RCVMARK, SO_RCVPRIORITY and UDP_GRO), so only an SCM_SECURITY label can
 * still be cut.
 */
#define IPV4__CONN_CONTROL_SPACE 512

/* Socket kinds that ipv4_packet_conn_init() and ipv4_raw_conn_init() find. */
enum ipv4__conn_kind {
	IPV4__KIND_DGRAM = 1, /* ICMP ping socket: no IPv4 header */
	IPV4__KIND_RAW,	      /* raw socket: reads start with the header */
	IPV4__KIND_HDRINCL,   /* raw socket with IP_HDRINCL on */
	IPV4__KIND_UDP,	      /* UDP or UDP-Lite socket: no IPv4 header */
};

/* Returns 1 for the kinds whose datagrams come without an IPv4 header. */
static inline int ipv4__conn_kind_is_dgram(int kind)
{
	return kind == IPV4__KIND_DGRAM || kind == IPV4__KIND_UDP;
}

static inline int ipv4__conn_fd(const struct ipv4_packet_conn *c)
{
	return __atomic_load_n(&c->fd, __ATOMIC_RELAXED);
}

/*
 * Returns the conn's fd, or IPV4_ERR_INVALID_CONN for a NULL or closed conn.
 */
static inline int ipv4__conn_check(const struct ipv4_packet_conn *c)
{
	int fd;

	if (c == NULL)
		return IPV4_ERR_INVALID_CONN;
	fd = ipv4__conn_fd(c);
	if (fd < 0)
		return IPV4_ERR_INVALID_CONN;
	return fd;
}

static inline int64_t ipv4__conn_read_deadline(const struct ipv4_packet_conn *c)
{
	return __atomic_load_n(&c->read_deadline, __ATOMIC_RELAXED);
}

static inline int64_t
ipv4__conn_write_deadline(const struct ipv4_packet_conn *c)
{
	return __atomic_load_n(&c->write_deadline, __ATOMIC_RELAXED);
}

/*
 * Returns the deadline a call must honour: 0 (block or fail with -EAGAIN as
 * the fd does) on a non-blocking fd or when none is set.
 */
static inline int64_t ipv4__conn_deadline(const struct ipv4_packet_conn *c,
					  int64_t deadline)
{
	return c->nonblocking ? 0 : deadline;
}

/*
 * Returns the kind of AF_INET socket fd is, -EBADF or -ENOTSOCK,
 * IPV4_ERR_NOT_IPV4 for another family or IPV4_ERR_INVALID_CONN_TYPE for a
 * socket type that carries no datagrams.
 */
int ipv4__conn_socket_kind(int fd);

/* Fills c for fd, whose kind the caller has checked. Returns 0 or -errno. */
int ipv4__conn_setup(struct ipv4_packet_conn *c, int fd, int kind);

/*
 * Receives or sends one datagram with recvmsg() or sendmsg(), honouring the
 * conn's read or write deadline. Returns the bytes, -errno or
 * IPV4_ERR_TIMEOUT.
 */
int ipv4__conn_recvmsg(const struct ipv4_packet_conn *c, int fd,
		       struct msghdr *msg);
int ipv4__conn_sendmsg(const struct ipv4_packet_conn *c, int fd,
		       const struct msghdr *msg);

/*
 * The waits of one call on fd for events, until deadline. poll() reports
 * POLLERR at once for as long as the socket's error queue contains an entry
 * (IP_RECVERR queues one per ICMP error, and only recvmsg(MSG_ERRQUEUE)
 * removes it), which would turn the wait into a busy loop. So after two
 * wake-ups that the call met with EAGAIN again, the waits move to an
 * edge-triggered epoll instance, which reports a lasting state only once.
 */
struct ipv4__conn_waiter {
	int fd;
	short events;
	int64_t deadline;
	int wakeups; /* wake-ups so far, each followed by EAGAIN */
	int epfd;    /* -1 while poll() is used */
};

void ipv4__conn_waiter_init(struct ipv4__conn_waiter *w, int fd, short events,
			    int64_t deadline);

/*
 * Waits until fd may have events or the deadline passes. Returns 0 when
 * the caller should try its MSG_DONTWAIT call again, IPV4_ERR_TIMEOUT once
 * the deadline has passed, or a negative poll error. EINTR recomputes the
 * remaining time.
 */
int ipv4__conn_wait(struct ipv4__conn_waiter *w);

/* Releases the epoll instance, if the waits needed one. */
void ipv4__conn_waiter_end(struct ipv4__conn_waiter *w);

#endif
