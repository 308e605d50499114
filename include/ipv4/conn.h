/* SPDX-License-Identifier: MIT */
/*
 * Packet I/O with per-packet control messages, deadlines and batches.
 *
 * A packet conn wraps a caller's AF_INET datagram socket: UDP, a raw
 * IPPROTO_ICMP socket (reads strip the IPv4 header) or an ICMP "ping" socket.
 * A raw conn wraps an AF_INET SOCK_RAW socket with IP_HDRINCL on: reads and
 * writes carry the IPv4 header as a struct ipv4_header.
 *
 * Both are plain structs the caller allocates. Their fields are private: use
 * the functions. After ipv4_packet_conn_init() every function below may be
 * called from several threads at once on the same conn, except init and
 * close themselves: closing while another thread is inside a call may let
 * that call use an fd number that has been reused. Closing does not wake
 * that call either, because Linux keeps the socket open until it returns:
 * at its deadline (-EBADF) or, without one, with the next datagram. No
 * function allocates memory.
 *
 * Blocking follows the fd: a non-blocking fd (O_NONBLOCK when the conn was
 * initialised) returns -EAGAIN instead of waiting, deadlines or not. On a
 * blocking fd a call waits until the deadline, if one is set, and then
 * returns IPV4_ERR_TIMEOUT without consuming anything. EINTR is retried.
 */
#ifndef IPV4_CONN_H
#define IPV4_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>

#include "ipv4/control.h"
#include "ipv4/header.h"
#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ipv4_packet_conn {
	int fd;
	int kind;	 /* private: socket kind found by init */
	int nonblocking; /* private: O_NONBLOCK seen by init */
	/* private, read and written atomically: */
	unsigned control_flags;
	int multicast_ifindex;
	int64_t read_deadline;	/* ns on CLOCK_MONOTONIC, 0 for none */
	int64_t write_deadline; /* ns on CLOCK_MONOTONIC, 0 for none */
	int lock;		/* serialises control-flag changes */
};

struct ipv4_raw_conn {
	struct ipv4_packet_conn conn;
};

/*
 * Wraps fd, an AF_INET SOCK_DGRAM or SOCK_RAW socket, which stays the
 * caller's until ipv4_packet_conn_close(). Returns 0, -EBADF or -ENOTSOCK
 * for an fd that is no socket, IPV4_ERR_NOT_IPV4 for a socket of another
 * family, or IPV4_ERR_INVALID_CONN_TYPE for a stream socket. The control
 * flags start as the socket's IP_RECVTTL and IP_PKTINFO options are. Call it
 * again, while no other thread uses the conn, if O_NONBLOCK of the fd
 * changes. That clears the deadlines and the remembered multicast interface,
 * so set them again after it.
 */
IPV4_EXPORT int ipv4_packet_conn_init(struct ipv4_packet_conn *c, int fd);

/* Closes the fd and marks the conn invalid (IPV4_ERR_INVALID_CONN). */
IPV4_EXPORT int ipv4_packet_conn_close(struct ipv4_packet_conn *c);

/* Turns the control messages in flags on or off for received datagrams. */
IPV4_EXPORT int ipv4_packet_conn_set_control_message(struct ipv4_packet_conn *c,
						     unsigned flags, int on);

/* Returns the IPV4_CF_* flags that are on. */
IPV4_EXPORT int ipv4_packet_conn_control_message(struct ipv4_packet_conn *c);

/*
 * Sets the outgoing multicast interface (0: routing table decides) and
 * remembers it, so that ipv4_packet_conn_multicast_interface() returns the
 * index that was set, or 0 when none was.
 */
IPV4_EXPORT int
ipv4_packet_conn_set_multicast_interface(struct ipv4_packet_conn *c,
					 int ifindex);
IPV4_EXPORT int
ipv4_packet_conn_multicast_interface(struct ipv4_packet_conn *c);

/*
 * Receives one datagram into buf. src and cm may be NULL. Returns the bytes
 * received. A datagram longer than len returns IPV4_ERR_TRUNCATED, with the
 * first len bytes in buf and src and cm filled. Ancillary data cut short by
 * the kernel returns IPV4_ERR_CONTROL_TRUNCATED, with buf and src filled and
 * cm holding what arrived. When both happen, IPV4_ERR_TRUNCATED is the one
 * returned. The conn receives into 512 bytes of ancillary space, room for
 * every message Linux attaches to an AF_INET datagram but an SCM_SECURITY
 * label, so IPV4_ERR_CONTROL_TRUNCATED, which does not give the datagram's
 * length, is all but impossible. A caller that needs the length in every
 * case reads with ipv4_packet_conn_read_batch() and n = 1, which reports
 * len and MSG_CTRUNC apart. On a raw socket (ICMP, say) the IPv4 header and
 * its options are stripped: buf receives the ICMP message alone, and len need not leave
 * room for the header.
 */
IPV4_EXPORT int ipv4_packet_conn_read_from(struct ipv4_packet_conn *c,
					   void *buf, size_t len,
					   struct ipv4_control_message *cm,
					   struct sockaddr_in *src);

/*
 * Sends len bytes to dst (NULL on a connected socket) with the control
 * message cm (NULL for none: see ipv4_control_marshal() for what it sends).
 * Returns the bytes sent.
 */
IPV4_EXPORT int ipv4_packet_conn_write_to(struct ipv4_packet_conn *c,
					  const void *buf, size_t len,
					  const struct ipv4_control_message *cm,
					  const struct sockaddr_in *dst);

/* Returns the current time on CLOCK_MONOTONIC in ns, for deadlines. */
IPV4_EXPORT int64_t ipv4_now(void);

/*
 * Sets the absolute deadline (ns on CLOCK_MONOTONIC, as ipv4_now() returns)
 * for reads, writes or both; 0 clears it. A deadline in the past makes
 * every call on a blocking fd fail at once with IPV4_ERR_TIMEOUT unless it
 * can complete without waiting: a datagram is queued, or the send buffer
 * has room. A call reads the deadline when it starts, so a call already
 * waiting without one keeps waiting. Returns 0, IPV4_ERR_INVALID_CONN, or
 * -EINVAL for a negative deadline.
 */
IPV4_EXPORT int ipv4_packet_conn_set_deadline(struct ipv4_packet_conn *c,
					      int64_t deadline);
IPV4_EXPORT int ipv4_packet_conn_set_read_deadline(struct ipv4_packet_conn *c,
						   int64_t deadline);
IPV4_EXPORT int ipv4_packet_conn_set_write_deadline(struct ipv4_packet_conn *c,
						    int64_t deadline);

/* The largest batch the kernel takes in one call (UIO_MAXIOV). */
#define IPV4_BATCH_MAX 1024

/*
 * One message of a batch. The caller owns every buffer it points to.
 * Read: iov and control describe where to receive; len, control_len, flags
 * and addr (the source) are outputs. Write: iov describes what to send,
 * control_len bytes of control are sent with it (0 for none), addr is the
 * destination (sin_family 0 on a connected socket), len is an output.
 */
struct ipv4_message {
	struct iovec *iov;
	size_t iovlen;
	void *control;
	size_t control_cap; /* bytes available at control, for reads */
	size_t control_len;
	struct sockaddr_in addr;
	size_t len;
	int flags; /* read: MSG_TRUNC, MSG_CTRUNC, ... of this message */
};

/*
 * Receives up to n messages with recvmmsg(2) and MSG_WAITFORONE: on a
 * blocking fd it waits for the first message only (and the read deadline
 * bounds that wait). Returns how many arrived, at most IPV4_BATCH_MAX per
 * call: a larger n takes the first IPV4_BATCH_MAX messages, and the caller
 * calls again for the rest. n == 0 returns 0 without a system call. flags
 * are recvmmsg flags. A truncated message is not an error here: check its
 * flags for MSG_TRUNC and MSG_CTRUNC. A message with no buffer space or
 * no control space still takes one datagram (len 0 with MSG_TRUNC, or
 * control_len 0 with MSG_CTRUNC when control data arrived). On a raw
 * socket the received bytes start with the IPv4 header.
 */
IPV4_EXPORT int ipv4_packet_conn_read_batch(struct ipv4_packet_conn *c,
					    struct ipv4_message *ms, size_t n,
					    int flags);

/*
 * Sends up to n messages with sendmmsg(2). Returns how many were sent, which
 * may be fewer than n (at most IPV4_BATCH_MAX per call), or an error when the
 * first message fails. n == 0 returns 0 without a system call.
 *
 * Both batch calls work in chunks of 64 messages, one system call each. Only
 * the first chunk may wait; later chunks use MSG_DONTWAIT, and an error in
 * one of them ends the batch with the count so far. Every message is
 * checked before the first system call: -EINVAL for a NULL iov or control
 * with a non-zero length, -EMSGSIZE for more than 1024 iovecs, and on writes
 * IPV4_ERR_NOT_IPV4 for an addr family other than AF_INET or 0.
 */
IPV4_EXPORT int ipv4_packet_conn_write_batch(struct ipv4_packet_conn *c,
					     struct ipv4_message *ms, size_t n,
					     int flags);

/*
 * Wraps an AF_INET SOCK_RAW socket and turns IP_HDRINCL on. Returns 0, the
 * errors of ipv4_packet_conn_init(), or IPV4_ERR_INVALID_CONN_TYPE for a
 * socket that is not SOCK_RAW. Other functions take &c->conn: control
 * messages, deadlines, multicast interface, batches (which keep the IPv4
 * header in the received bytes).
 */
IPV4_EXPORT int ipv4_raw_conn_init(struct ipv4_raw_conn *c, int fd);

/*
 * Receives one datagram, header included, into buf and parses its header
 * into h. Returns the payload length; the payload starts at
 * buf + h->header_len. A datagram longer than len returns
 * IPV4_ERR_TRUNCATED, with h filled when the header fit in buf and zeroed
 * when it did not. The parse never reads beyond the bytes received. A
 * malformed header returns the parse error of ipv4_header_parse().
 */
IPV4_EXPORT int ipv4_raw_conn_read_from(struct ipv4_raw_conn *c, void *buf,
					size_t len, struct ipv4_header *h,
					struct ipv4_control_message *cm);

/*
 * Sends h and len payload bytes to h->dst. The kernel always rewrites the
 * total length and checksum, and fills id and src when they are 0. Returns
 * the bytes sent, header included, a header marshal error, -EMSGSIZE
 * when the datagram would exceed 65535 bytes, or IPV4_ERR_INVALID_CONN_TYPE
 * on a socket without IP_HDRINCL.
 */
IPV4_EXPORT int ipv4_raw_conn_write_to(struct ipv4_raw_conn *c,
				       const struct ipv4_header *h,
				       const void *payload, size_t len,
				       const struct ipv4_control_message *cm);

#ifdef __cplusplus
}
#endif

#endif
