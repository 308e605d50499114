/* SPDX-License-Identifier: MIT */
/*
 * UDP GSO sends with their fallback to plain batches, the UDP_SEGMENT and
 * UDP_GRO socket options, and the walk over coalesced GRO reads.
 */
#include <errno.h>
#include <string.h>
#include <netinet/udp.h>

/*
 * The GRO walk's definitions are in include/ipv4/gso.h, which callers
 * inline. This makes them the library's exported, out-of-line ones.
 */
#define IPV4__GRO_DEFINE
#include "internal.h"
#include "ipv4/gso.h"

/* Added by Linux 4.18 and 5.0; older C libraries lack the names. */
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

/*
 * iovecs one fallback batch may use. A segment needs one iovec per piece of
 * the caller's iovecs it covers.
 */
#define GSO_FALLBACK_IOV 128

/* Control bytes a fallback datagram may carry once UDP_SEGMENT is removed. */
#define GSO_FALLBACK_CONTROL 128

int ipv4_gso_segments(size_t len, int segment_size)
{
	size_t count;

	if (segment_size < 1 || segment_size > IPV4_GSO_MAX_PAYLOAD)
		return IPV4_ERR_SEGMENT_SIZE;
	if (len > IPV4_GSO_MAX_PAYLOAD)
		return IPV4_ERR_SEGMENT_SIZE;
	count = (len + (size_t)segment_size - 1) / (size_t)segment_size;
	if (count > IPV4_GSO_MAX_SEGMENTS)
		return IPV4_ERR_SEGMENT_SIZE;
	return count > 0 ? (int)count : 1;
}

/* Returns 0 for a UDP socket, IPV4_ERR_INVALID_CONN_TYPE or -errno. */
static int gso_check_udp(int fd)
{
	int err;
	int protocol;

	if (fd < 0)
		return -EBADF;
	protocol = ipv4__sys_getsockopt_int(fd, SOL_SOCKET, SO_PROTOCOL, &err);
	if (err < 0)
		return err;
	if (protocol != IPPROTO_UDP)
		return IPV4_ERR_INVALID_CONN_TYPE;
	return 0;
}

int ipv4_udp_gso_supported(int fd)
{
	int err = gso_check_udp(fd);

	if (err < 0)
		return err;
	ipv4__sys_getsockopt_int(fd, IPPROTO_UDP, UDP_SEGMENT, &err);
	if (err == -ENOPROTOOPT)
		return 0;
	return err < 0 ? err : 1;
}

int ipv4_set_udp_segment(int fd, int size)
{
	int err;

	if (size < 0 || size > IPV4_GSO_MAX_PAYLOAD)
		return IPV4_ERR_SEGMENT_SIZE;
	err = gso_check_udp(fd);
	if (err < 0)
		return err;
	return ipv4__sys_setsockopt_int(fd, IPPROTO_UDP, UDP_SEGMENT, size);
}

int ipv4_udp_segment(int fd)
{
	int err = gso_check_udp(fd);
	int size;

	if (err < 0)
		return err;
	size = ipv4__sys_getsockopt_int(fd, IPPROTO_UDP, UDP_SEGMENT, &err);
	return err < 0 ? err : size;
}

int ipv4_set_udp_gro(int fd, int on)
{
	int err = gso_check_udp(fd);

	if (err < 0)
		return err;
	return ipv4__sys_setsockopt_int(fd, IPPROTO_UDP, UDP_GRO, on != 0);
}

int ipv4_udp_gro(int fd)
{
	int err = gso_check_udp(fd);
	int on;

	if (err < 0)
		return err;
	on = ipv4__sys_getsockopt_int(fd, IPPROTO_UDP, UDP_GRO, &err);
	return err < 0 ? err : on != 0;
}

/*
 * Linux's udp_send_skb() returns EIO where the route cannot take GSO (xfrm,
 * UDP-Lite) and EINVAL where the socket or path cannot (SO_NO_CHECK, a
 * segment larger than the path MTU allows). Plain datagrams still pass.
 */
static int gso_should_fall_back(int err)
{
	return err == -EIO || err == -EINVAL;
}

/*
 * Walks control data as sendmsg() reads it, bounds-checked because it is
 * the caller's. Returns the UDP_SEGMENT size (0 for none), or
 * IPV4_ERR_CMSG_MALFORMED. If out is not NULL, copies every other message
 * there (at most cap bytes) and stores their length in *out_len.
 */
static int gso_control_scan(const void *control, size_t len, void *out,
			    size_t cap, size_t *out_len)
{
	const unsigned char *p = control;
	struct cmsghdr h;
	uint16_t size;
	int segment_size = 0;
	size_t off = 0;
	size_t kept = 0;

	while (len - off >= sizeof(h)) {
		memcpy(&h, p + off, sizeof(h));
		if (h.cmsg_len < sizeof(h) || h.cmsg_len > len - off)
			return IPV4_ERR_CMSG_MALFORMED;
		if (h.cmsg_level == IPPROTO_UDP && h.cmsg_type == UDP_SEGMENT &&
		    h.cmsg_len >= CMSG_LEN(sizeof(size))) {
			memcpy(&size, p + off + CMSG_LEN(0), sizeof(size));
			segment_size = size;
		} else if (out != NULL) {
			if (CMSG_ALIGN(h.cmsg_len) > cap - kept)
				return IPV4_ERR_NO_SPACE;
			/* The padding goes to the kernel too: zero it. */
			memset((unsigned char *)out + kept, 0,
			       CMSG_ALIGN(h.cmsg_len));
			memcpy((unsigned char *)out + kept, p + off,
			       h.cmsg_len);
			kept += CMSG_ALIGN(h.cmsg_len);
		}
		if (CMSG_ALIGN(h.cmsg_len) >= len - off)
			break;
		off += CMSG_ALIGN(h.cmsg_len);
	}
	if (out_len != NULL)
		*out_len = kept;
	return segment_size;
}

/*
 * Returns the bytes in the iovecs, or SIZE_MAX once the sum passes
 * IPV4_GSO_MAX_PAYLOAD: the limit check then rejects it, and lengths that
 * would wrap around to a small total cannot slip past that check.
 */
static size_t gso_iov_len(const struct iovec *iov, size_t iovlen)
{
	size_t len = 0;

	for (size_t i = 0; i < iovlen; i++) {
		if (iov[i].iov_len > IPV4_GSO_MAX_PAYLOAD - len)
			return SIZE_MAX;
		len += iov[i].iov_len;
	}
	return len;
}

/* The part of a GSO send not yet cut into fallback datagrams. */
struct gso_split {
	const struct iovec *iov;
	size_t iovlen;
	size_t index;  /* current iovec */
	size_t offset; /* bytes of it already taken */
	size_t left;   /* bytes not yet taken */
};

/*
 * Describes the next segment of at most want bytes in out, which has room
 * for every iovec the segment can cover. Returns the iovecs used.
 */
static size_t gso_split_take(struct gso_split *sp, size_t want,
			     struct iovec *out)
{
	size_t used = 0;

	while (want > 0 && sp->left > 0) {
		const struct iovec *v = &sp->iov[sp->index];
		size_t piece = v->iov_len - sp->offset;

		if (piece > want)
			piece = want;
		if (piece > sp->left)
			piece = sp->left;
		out[used].iov_base = (char *)v->iov_base + sp->offset;
		out[used].iov_len = piece;
		used++;
		want -= piece;
		sp->left -= piece;
		sp->offset += piece;
		if (sp->offset == v->iov_len) {
			sp->index++;
			sp->offset = 0;
		}
	}
	return used;
}

/* Sends ms[0..n) completely. Returns the bytes sent, or an error. */
static int gso_send_all(struct ipv4_packet_conn *c, struct ipv4_message *ms,
			size_t n, int flags, size_t *bytes)
{
	size_t done = 0;
	int sent;

	while (done < n) {
		sent =
		    ipv4_packet_conn_write_batch(c, ms + done, n - done, flags);
		if (sent <= 0)
			return sent < 0 ? sent : -EIO;
		for (int i = 0; i < sent; i++)
			*bytes += ms[done + (size_t)i].len;
		done += (size_t)sent;
	}
	return 0;
}

/*
 * Sends what m describes as one plain datagram per segment, each with
 * control (UDP_SEGMENT removed). Returns the bytes sent, or an error when
 * none were.
 */
static int gso_fall_back(struct ipv4_packet_conn *c,
			 const struct ipv4_message *m, size_t segment_size,
			 void *control, size_t control_len, int flags)
{
	struct ipv4_message ms[IPV4_GSO_MAX_SEGMENTS];
	struct iovec iov[GSO_FALLBACK_IOV];
	struct gso_split sp = {.iov = m->iov, .iovlen = m->iovlen};
	size_t bytes = 0;
	size_t n, used;
	int err;

	if (m->iovlen > GSO_FALLBACK_IOV)
		return -EMSGSIZE;
	sp.left = gso_iov_len(m->iov, m->iovlen);
	do {
		n = 0;
		used = 0;
		/* A segment covers at most the iovecs that remain. */
		while (n < IPV4_GSO_MAX_SEGMENTS && (sp.left > 0 || n == 0) &&
		       GSO_FALLBACK_IOV - used >= sp.iovlen - sp.index) {
			ms[n] = (struct ipv4_message){
			    .iov = iov + used,
			    .control = control,
			    .control_len = control_len,
			    .addr = m->addr,
			};
			ms[n].iovlen =
			    gso_split_take(&sp, segment_size, iov + used);
			used += ms[n].iovlen;
			n++;
		}
		err = gso_send_all(c, ms, n, flags, &bytes);
		if (err < 0)
			return bytes > 0 ? (int)bytes : err;
	} while (sp.left > 0);
	return (int)bytes;
}

int ipv4_gso_write_to(struct ipv4_packet_conn *c, const void *buf, size_t len,
		      const struct ipv4_control_message *cm,
		      const struct sockaddr_in *dst)
{
	union {
		unsigned char buf[IPV4_CONTROL_MARSHAL_MAX];
		struct cmsghdr align;
	} control;
	struct ipv4_control_message plain;
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct ipv4_message m = {.iov = &iov, .iovlen = 1};
	int segments, control_len, sent;

	if (cm == NULL || cm->segment_size == 0)
		return ipv4_packet_conn_write_to(c, buf, len, cm, dst);
	segments = ipv4_gso_segments(len, cm->segment_size);
	if (segments < 0)
		return segments;

	sent = ipv4_packet_conn_write_to(c, buf, len, cm, dst);
	if (sent >= 0 || !gso_should_fall_back(sent))
		return sent;

	plain = *cm;
	plain.segment_size = 0;
	control_len =
	    ipv4_control_marshal(&plain, control.buf, sizeof(control.buf));
	if (control_len < 0)
		return control_len;
	if (dst != NULL)
		m.addr = *dst;
	return gso_fall_back(c, &m, (size_t)cm->segment_size, control.buf,
			     (size_t)control_len, 0);
}

/* Returns the message's UDP_SEGMENT size, 0 for none, or an error. */
static int gso_message_segment(const struct ipv4_message *m)
{
	if (m->control == NULL || m->control_len == 0)
		return 0;
	return gso_control_scan(m->control, m->control_len, NULL, 0, NULL);
}

static int gso_check_batch(const struct ipv4_message *ms, size_t n)
{
	int size, segments;

	for (size_t i = 0; i < n; i++) {
		/* Checked here too: gso_iov_len() reads the iovecs first. */
		if (ms[i].iov == NULL && ms[i].iovlen > 0)
			return -EINVAL;
		if (ms[i].iovlen > IPV4_BATCH_MAX)
			return -EMSGSIZE;
		size = gso_message_segment(&ms[i]);
		if (size <= 0) {
			if (size < 0)
				return size;
			continue;
		}
		segments = ipv4_gso_segments(
		    gso_iov_len(ms[i].iov, ms[i].iovlen), size);
		if (segments < 0)
			return segments;
	}
	return 0;
}

/* Sends message m again without GSO. Returns its bytes sent or an error. */
static int gso_fall_back_message(struct ipv4_packet_conn *c,
				 const struct ipv4_message *m, int flags)
{
	union {
		unsigned char buf[GSO_FALLBACK_CONTROL];
		struct cmsghdr align;
	} control;
	size_t control_len = 0;
	int size;

	size = gso_control_scan(m->control, m->control_len, control.buf,
				sizeof(control.buf), &control_len);
	if (size < 0)
		return size;
	return gso_fall_back(c, m, (size_t)size, control.buf, control_len,
			     flags);
}

int ipv4_gso_write_batch(struct ipv4_packet_conn *c, struct ipv4_message *ms,
			 size_t n, int flags)
{
	size_t done = 0;
	int err, sent;

	if (n > 0 && ms == NULL)
		return -EINVAL;
	err = gso_check_batch(ms, n);
	if (err < 0)
		return err;

	while (done < n) {
		sent =
		    ipv4_packet_conn_write_batch(c, ms + done, n - done, flags);
		if (sent > 0) {
			done += (size_t)sent;
			continue;
		}
		if (sent == 0 || !gso_should_fall_back(sent) ||
		    gso_message_segment(&ms[done]) == 0)
			return done > 0 ? (int)done : (sent < 0 ? sent : 0);
		sent = gso_fall_back_message(c, &ms[done], flags);
		if (sent < 0)
			return done > 0 ? (int)done : sent;
		ms[done].len = (size_t)sent;
		done++;
		if ((size_t)sent <
		    gso_iov_len(ms[done - 1].iov, ms[done - 1].iovlen))
			break;
	}
	return (int)done;
}
