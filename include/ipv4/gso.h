/* SPDX-License-Identifier: MIT */
/*
 * UDP segmentation offload (GSO, UDP_SEGMENT, Linux 4.18) and receive
 * coalescing (GRO, UDP_GRO, Linux 5.0) on a packet conn.
 *
 * A GSO send hands the kernel one buffer and a segment size. The kernel (or
 * the device) cuts it into datagrams of segment_size bytes each, the last
 * one possibly shorter, all with the same destination and control message.
 * A GRO read returns several datagrams of one flow glued together, with the
 * segment size in the control message (cm->segment_size); ipv4_gro_first()
 * walks such a buffer one datagram at a time.
 *
 * Nothing here allocates memory or keeps state outside the caller's
 * structs.
 */
#ifndef IPV4_GSO_H
#define IPV4_GSO_H

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <netinet/in.h>

#include "ipv4/conn.h"
#include "ipv4/control.h"
#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Segments per GSO send. Linux 4.18 introduced UDP_MAX_SEGMENTS as 64; newer
 * kernels accept 128 (6.18 does), so 64 is the limit that every kernel with
 * GSO takes.
 */
#define IPV4_GSO_MAX_SEGMENTS 64

/*
 * Payload bytes per GSO send: the 65535-byte IPv4 total length less the
 * 20-byte IPv4 header and the 8-byte UDP header (ip_append_data() rejects
 * more with EMSGSIZE).
 */
#define IPV4_GSO_MAX_PAYLOAD 65507

/*
 * Returns 1 if the kernel supports UDP_SEGMENT on fd (Linux 4.18 or later), 0
 * if not, or a negative code for an fd that is no UDP socket. A device that
 * cannot send GSO is found only by sending: ipv4_gso_write_to() then falls
 * back to one datagram per segment.
 */
IPV4_EXPORT int ipv4_udp_gso_supported(int fd);

/*
 * Sets the socket's default segment size (UDP_SEGMENT), used by every send
 * without a UDP_SEGMENT control message. Size 0 turns it off. Returns 0,
 * IPV4_ERR_SEGMENT_SIZE outside 0 to IPV4_GSO_MAX_PAYLOAD, or -errno.
 */
IPV4_EXPORT int ipv4_set_udp_segment(int fd, int size);

/* Returns the socket's default segment size, 0 when off, or -errno. */
IPV4_EXPORT int ipv4_udp_segment(int fd);

/*
 * Turns receive coalescing (UDP_GRO) on or off. With it on, a read may return
 * several datagrams in one buffer and cm->segment_size gives their size.
 */
IPV4_EXPORT int ipv4_set_udp_gro(int fd, int on);

/* Returns 1 when UDP_GRO is on, 0 when off, or -errno. */
IPV4_EXPORT int ipv4_udp_gro(int fd);

/*
 * Returns the number of datagrams a GSO send of len bytes in segments of
 * segment_size makes (1 for len 0), or IPV4_ERR_SEGMENT_SIZE when
 * segment_size is not 1 to IPV4_GSO_MAX_PAYLOAD, len exceeds
 * IPV4_GSO_MAX_PAYLOAD or the count exceeds IPV4_GSO_MAX_SEGMENTS.
 */
IPV4_EXPORT int ipv4_gso_segments(size_t len, int segment_size);

/*
 * Sends len bytes to dst as datagrams of cm->segment_size bytes (the last
 * one may be shorter) in one UDP_SEGMENT send, with the rest of cm (source
 * address, interface) applied to each; cm->segment_size 0 sends one plain
 * datagram. The limits of ipv4_gso_segments() are checked before any system
 * call. Where the kernel or the route rejects GSO (EIO or EINVAL: xfrm, UDP
 * checksums off with SO_NO_CHECK, a segment over the path MTU) the same
 * datagrams go out as a batch instead. Returns len, the bytes sent before an
 * error stopped such a fallback batch, or a negative code.
 */
IPV4_EXPORT int ipv4_gso_write_to(struct ipv4_packet_conn *c, const void *buf,
				  size_t len,
				  const struct ipv4_control_message *cm,
				  const struct sockaddr_in *dst);

/*
 * Sends n messages as ipv4_packet_conn_write_batch() does, where a message
 * whose control data contains a UDP_SEGMENT message (ipv4_control_marshal()
 * with segment_size > 0) is a GSO send. Every such message is checked
 * against the limits of ipv4_gso_segments() before any system call
 * (IPV4_ERR_SEGMENT_SIZE). A GSO message the kernel rejects with EIO or
 * EINVAL is sent again as one datagram per segment. Returns the messages
 * sent; a message of which only the first datagrams of such a fallback went
 * out counts as sent, with ms[i].len the bytes that did.
 */
IPV4_EXPORT int ipv4_gso_write_batch(struct ipv4_packet_conn *c,
				     struct ipv4_message *ms, size_t n,
				     int flags);

/*
 * One datagram of a coalesced (GRO) read: data and len. src and cm are
 * those of the read and belong to every datagram of it, because Linux
 * coalesces only datagrams of one flow with equal TTL and TOS
 * (inet_gro_receive()). The other fields are private.
 */
struct ipv4_gro_segment {
	const unsigned char *data;
	size_t len;
	struct sockaddr_in src;
	struct ipv4_control_message cm;
	const unsigned char *end;
	size_t segment_size;
	int active; /* 1 while at a datagram, so a zeroed segment walks none */
};

/*
 * Starts a walk over the len bytes that one read put in buf, with the src
 * and cm it returned (either may be NULL, and the segment then has zeros
 * there). A cm->segment_size of 0 makes the whole buffer one datagram, and
 * a len of 0 one empty datagram. A NULL buf with a len above 0 walks none.
 * Use as
 *
 *	for (ipv4_gro_first(&s, buf, n, &cm, &src); ipv4_gro_ok(&s);
 *	     ipv4_gro_next(&s))
 *		handle(s.data, s.len, &s.src, &s.cm);
 */
IPV4_EXPORT void ipv4_gro_first(struct ipv4_gro_segment *s, const void *buf,
				size_t len,
				const struct ipv4_control_message *cm,
				const struct sockaddr_in *src);

/*
 * Starts a walk over message m of ipv4_packet_conn_read_batch(), parsing its
 * control data. Returns 0, -EINVAL when m's data does not fit its first
 * iovec or m->control_len exceeds a nonzero m->control_cap, or the error of
 * ipv4_control_parse(). After an error the walk has no datagram.
 */
IPV4_EXPORT int ipv4_gro_first_message(struct ipv4_gro_segment *s,
				       const struct ipv4_message *m);

/* Returns 1 while s is at a datagram, 0 after the last one. */
IPV4_EXPORT int ipv4_gro_ok(const struct ipv4_gro_segment *s);

/* Moves s to the next datagram. */
IPV4_EXPORT void ipv4_gro_next(struct ipv4_gro_segment *s);

/*
 * The four functions of the walk are defined once, here. Compiled by gcc or
 * clang outside the library, they are gnu_inline: the compiler inlines them
 * where it can and otherwise calls the library's exported definitions,
 * which src/gso.c makes from these same bodies by defining IPV4__GRO_DEFINE.
 * Inlined, a walk makes no function call per datagram.
 */
#if defined(IPV4__GRO_DEFINE)
#define IPV4__GRO_FUNCTION
#elif defined(__GNUC__) && !defined(IPV4_BUILDING)
#define IPV4__GRO_FUNCTION extern __inline__ __attribute__((gnu_inline))
#endif

#ifdef IPV4__GRO_FUNCTION
IPV4__GRO_FUNCTION void
ipv4_gro_first(struct ipv4_gro_segment *s, const void *buf, size_t len,
	       const struct ipv4_control_message *cm,
	       const struct sockaddr_in *src)
{
	if (s == NULL)
		return;
	memset(s, 0, sizeof(*s));
	if (buf == NULL && len > 0)
		return;
	if (cm != NULL)
		s->cm = *cm;
	if (src != NULL)
		s->src = *src;
	s->data = (const unsigned char *)buf;
	s->end = len > 0 ? s->data + len : s->data;
	s->segment_size = len;
	if (s->cm.segment_size > 0 && (size_t)s->cm.segment_size < len)
		s->segment_size = (size_t)s->cm.segment_size;
	s->len = s->segment_size;
	s->active = 1;
}

IPV4__GRO_FUNCTION int
ipv4_gro_first_message(struct ipv4_gro_segment *s,
		       const struct ipv4_message *m)
{
	struct ipv4_control_message cm;
	int err;

	if (s == NULL)
		return -EINVAL;
	memset(&cm, 0, sizeof(cm));
	err = -EINVAL;
	if (m == NULL || (m->iov == NULL && m->iovlen > 0))
		goto empty;
	if (m->len > 0 && (m->iovlen == 0 || m->iov[0].iov_base == NULL ||
			   m->len > m->iov[0].iov_len))
		goto empty;
	if (m->control_cap > 0 && m->control_len > m->control_cap)
		goto empty;
	if (m->control != NULL && m->control_len > 0) {
		err = ipv4_control_parse(&cm, m->control, m->control_len);
		if (err < 0)
			goto empty;
	}
	/* ipv4_gro_first() zeroes s before it fills it. */
	ipv4_gro_first(s, m->iovlen > 0 ? m->iov[0].iov_base : NULL, m->len,
		       &cm, &m->addr);
	return 0;

empty:
	memset(s, 0, sizeof(*s));
	return err;
}

IPV4__GRO_FUNCTION int ipv4_gro_ok(const struct ipv4_gro_segment *s)
{
	return s != NULL && s->active;
}

IPV4__GRO_FUNCTION void ipv4_gro_next(struct ipv4_gro_segment *s)
{
	size_t left;

	if (s == NULL)
		return;
	if (s->len == 0) {
		s->active = 0;
		return;
	}
	s->data += s->len;
	left = (size_t)(s->end - s->data);
	if (left == 0) {
		s->active = 0;
		s->len = 0;
		return;
	}
	s->len = left < s->segment_size ? left : s->segment_size;
}
#endif

#ifdef __cplusplus
}
#endif

#endif
