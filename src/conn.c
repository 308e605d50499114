/* SPDX-License-Identifier: MIT */
/*
 * Packet conn: one datagram per recvmsg() or sendmsg() over a caller's
 * AF_INET socket, with its control message on an on-stack buffer. A UDP
 * datagram without control message or deadline goes through recvfrom() or
 * sendto() instead, which cost less in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <string.h>

#include "conn_internal.h"

/* The flags that share the one IP_PKTINFO socket option. */
#define CONN_PKTINFO_FLAGS (IPV4_CF_SRC | IPV4_CF_DST | IPV4_CF_INTERFACE)

/* Ancillary buffers aligned for struct cmsghdr, as CMSG_FIRSTHDR expects. */
union conn_recv_control {
	struct cmsghdr align;
	unsigned char buf[IPV4__CONN_CONTROL_SPACE];
};

union conn_send_control {
	struct cmsghdr align;
	unsigned char buf[IPV4_CONTROL_MARSHAL_MAX];
};

/*
 * Returns IPV4__KIND_UDP for UDP and UDP-Lite, whose recvfrom() with
 * MSG_TRUNC returns the full datagram length (udp_recvmsg()), and
 * IPV4__KIND_DGRAM for ICMP ping sockets, which ignore MSG_TRUNC.
 */
static int conn_dgram_kind(int fd)
{
	int err, protocol;

	protocol = ipv4__sys_getsockopt_int(fd, SOL_SOCKET, SO_PROTOCOL, &err);
	if (err < 0)
		return err;
	if (protocol == IPPROTO_UDP || protocol == IPPROTO_UDPLITE)
		return IPV4__KIND_UDP;
	return IPV4__KIND_DGRAM;
}

int ipv4__conn_socket_kind(int fd)
{
	int err;
	int domain = ipv4__sys_getsockopt_int(fd, SOL_SOCKET, SO_DOMAIN, &err);
	int type;

	if (err < 0)
		return err;
	if (domain != AF_INET)
		return IPV4_ERR_NOT_IPV4;
	type = ipv4__sys_getsockopt_int(fd, SOL_SOCKET, SO_TYPE, &err);
	if (err < 0)
		return err;
	/* UDP, UDP-Lite and ICMP ping sockets deliver no IPv4 header. */
	if (type == SOCK_DGRAM)
		return conn_dgram_kind(fd);
	if (type != SOCK_RAW)
		return IPV4_ERR_INVALID_CONN_TYPE;
	/* IPPROTO_RAW sockets have IP_HDRINCL on from the start. */
	if (ipv4__sys_getsockopt_int(fd, IPPROTO_IP, IP_HDRINCL, &err) != 0)
		return IPV4__KIND_HDRINCL;
	return err < 0 ? err : IPV4__KIND_RAW;
}

/* Returns the IPV4_CF_* flags the socket has on already, or -errno. */
static int conn_socket_flags(int fd)
{
	unsigned flags = 0;
	int err;

	if (ipv4__sys_getsockopt_int(fd, IPPROTO_IP, IP_RECVTTL, &err) != 0)
		flags |= IPV4_CF_TTL;
	if (err < 0)
		return err;
	if (ipv4__sys_getsockopt_int(fd, IPPROTO_IP, IP_PKTINFO, &err) != 0)
		flags |= CONN_PKTINFO_FLAGS;
	if (err < 0)
		return err;
	return (int)flags;
}

int ipv4__conn_setup(struct ipv4_packet_conn *c, int fd, int kind)
{
	int status = ipv4__sys_fcntl_getfl(fd);
	int flags;

	if (status < 0)
		return status;
	flags = conn_socket_flags(fd);
	if (flags < 0)
		return flags;

	c->kind = kind;
	c->nonblocking = (status & O_NONBLOCK) != 0;
	__atomic_store_n(&c->control_flags, (unsigned)flags, __ATOMIC_RELAXED);
	__atomic_store_n(&c->multicast_ifindex, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->read_deadline, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->write_deadline, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->lock, 0, __ATOMIC_RELAXED);
	/* Stored last, so that a conn with a valid fd has the fields above. */
	__atomic_store_n(&c->fd, fd, __ATOMIC_RELEASE);
	return 0;
}

int ipv4_packet_conn_init(struct ipv4_packet_conn *c, int fd)
{
	int kind;

	if (c == NULL)
		return IPV4_ERR_INVALID_CONN;
	c->fd = -1;
	if (fd < 0)
		return -EBADF;
	kind = ipv4__conn_socket_kind(fd);
	if (kind < 0)
		return kind;
	return ipv4__conn_setup(c, fd, kind);
}

int ipv4_packet_conn_close(struct ipv4_packet_conn *c)
{
	int fd;

	if (c == NULL)
		return IPV4_ERR_INVALID_CONN;
	fd = __atomic_exchange_n(&c->fd, -1, __ATOMIC_ACQ_REL);
	if (fd < 0)
		return IPV4_ERR_INVALID_CONN;
	return ipv4__sys_close(fd);
}

/*
 * A spin lock that keeps two threads changing flags from interleaving their
 * setsockopt() calls. It is held for two system calls at most.
 */
static void conn_lock(struct ipv4_packet_conn *c)
{
	while (__atomic_exchange_n(&c->lock, 1, __ATOMIC_ACQUIRE) != 0)
		sched_yield();
}

static void conn_unlock(struct ipv4_packet_conn *c)
{
	__atomic_store_n(&c->lock, 0, __ATOMIC_RELEASE);
}

/*
 * Moves the socket options from the flags in old to those in want. Returns
 * the flags now in force, which are old where a setsockopt() failed, and
 * sets *err to that failure.
 */
static unsigned conn_apply_flags(int fd, unsigned old, unsigned want, int *err)
{
	unsigned now = old;
	int on;

	*err = 0;
	if ((old ^ want) & IPV4_CF_TTL) {
		on = (want & IPV4_CF_TTL) != 0;
		*err = ipv4__sys_setsockopt_int(fd, IPPROTO_IP, IP_RECVTTL, on);
		if (*err < 0)
			return now;
		now = (now & ~IPV4_CF_TTL) | (want & IPV4_CF_TTL);
	}
	/* IP_PKTINFO stays on while any of its three flags is still on. */
	on = (want & CONN_PKTINFO_FLAGS) != 0;
	if (on != ((old & CONN_PKTINFO_FLAGS) != 0)) {
		*err = ipv4__sys_setsockopt_int(fd, IPPROTO_IP, IP_PKTINFO, on);
		if (*err < 0)
			return now;
	}
	return (now & ~CONN_PKTINFO_FLAGS) | (want & CONN_PKTINFO_FLAGS);
}

int ipv4_packet_conn_set_control_message(struct ipv4_packet_conn *c,
					 unsigned flags, int on)
{
	int fd = ipv4__conn_check(c);
	unsigned old, now;
	int err;

	if (fd < 0)
		return fd;
	if (flags & ~(unsigned)IPV4_CF_ALL)
		return -EINVAL;

	conn_lock(c);
	old = __atomic_load_n(&c->control_flags, __ATOMIC_RELAXED);
	now = conn_apply_flags(fd, old, on ? old | flags : old & ~flags, &err);
	__atomic_store_n(&c->control_flags, now, __ATOMIC_RELAXED);
	conn_unlock(c);
	return err;
}

int ipv4_packet_conn_control_message(struct ipv4_packet_conn *c)
{
	int fd = ipv4__conn_check(c);

	if (fd < 0)
		return fd;
	return (int)__atomic_load_n(&c->control_flags, __ATOMIC_RELAXED);
}

int ipv4_packet_conn_set_multicast_interface(struct ipv4_packet_conn *c,
					     int ifindex)
{
	int fd = ipv4__conn_check(c);
	int err;

	if (fd < 0)
		return fd;
	err = ipv4_set_multicast_interface(fd, ifindex);
	if (err < 0)
		return err;
	__atomic_store_n(&c->multicast_ifindex, ifindex, __ATOMIC_RELAXED);
	return 0;
}

int ipv4_packet_conn_multicast_interface(struct ipv4_packet_conn *c)
{
	int fd = ipv4__conn_check(c);

	if (fd < 0)
		return fd;
	return __atomic_load_n(&c->multicast_ifindex, __ATOMIC_RELAXED);
}

/*
 * Turns a received datagram's flags and ancillary data into the result of
 * a read: n, or the truncation that the kernel reported.
 */
static int conn_read_result(int n, const struct msghdr *msg,
			    struct ipv4_control_message *cm,
			    struct sockaddr_in *src)
{
	int err = 0;

	if (src != NULL && msg->msg_namelen == 0)
		memset(src, 0, sizeof(*src));
	if (cm != NULL)
		err = ipv4_control_parse(cm, msg->msg_control,
					 msg->msg_controllen);
	if (msg->msg_flags & MSG_TRUNC)
		return IPV4_ERR_TRUNCATED;
	if (cm != NULL && (msg->msg_flags & MSG_CTRUNC))
		return IPV4_ERR_CONTROL_TRUNCATED;
	return err < 0 ? err : n;
}

/*
 * Moves the payload of a raw datagram to the start of buf. The datagram was
 * scattered over head (20 bytes), buf (len) and spill: its options, if any,
 * sit at the start of buf, and the payload bytes that they pushed out of
 * buf sit in spill. Returns the header length or a header error.
 */
static int conn_strip_header(const unsigned char *head, unsigned char *buf,
			     size_t len, const unsigned char *spill, size_t n)
{
	size_t header_len, options, in_buf, kept, from, count;

	if (n < IPV4_HEADER_LEN)
		return IPV4_ERR_HEADER_TOO_SHORT;
	if (head[0] >> 4 != IPV4_VERSION)
		return IPV4_ERR_VERSION;
	header_len = (size_t)(head[0] & 0x0f) * 4;
	if (header_len < IPV4_HEADER_LEN)
		return IPV4_ERR_HEADER_LENGTH;
	if (header_len > n)
		return IPV4_ERR_HEADER_TRUNCATED;

	options = header_len - IPV4_HEADER_LEN;
	if (options == 0)
		return (int)header_len;
	in_buf = n - IPV4_HEADER_LEN < len ? n - IPV4_HEADER_LEN : len;
	kept = in_buf > options ? in_buf - options : 0;
	if (kept > 0)
		memmove(buf, buf + options, kept);
	/* The options may run past buf: then the payload starts in spill. */
	from = options > in_buf ? options - in_buf : 0;
	count = n - IPV4_HEADER_LEN - in_buf;
	count = count > from ? count - from : 0;
	if (count > len - kept)
		count = len - kept;
	/* memcpy() wants valid pointers even for 0 bytes, and buf may be NULL. */
	if (count > 0)
		memcpy(buf + kept, spill + from, count);
	return (int)header_len;
}

/*
 * Reads one datagram from a raw socket, whose bytes start with the IPv4
 * header, and returns only its payload. One recvmsg() scatters the datagram
 * so that the common header without options never lands in buf.
 */
static int conn_read_stripped(struct ipv4_packet_conn *c, int fd, void *buf,
			      size_t len, struct ipv4_control_message *cm,
			      struct sockaddr_in *src)
{
	unsigned char head[IPV4_HEADER_LEN];
	unsigned char spill[IPV4_OPTIONS_MAX_LEN];
	union conn_recv_control control;
	struct iovec iov[3] = {{head, sizeof(head)},
			       {buf, len},
			       {spill, sizeof(spill)}};
	struct msghdr msg = {.msg_name = src,
			     .msg_namelen = src ? sizeof(*src) : 0,
			     .msg_iov = iov,
			     .msg_iovlen = 3,
			     .msg_control = cm ? control.buf : NULL,
			     .msg_controllen = cm ? sizeof(control.buf) : 0};
	int n = ipv4__conn_recvmsg(c, fd, &msg);
	int header_len, payload;

	if (n < 0)
		return n;
	header_len = conn_strip_header(head, buf, len, spill, (size_t)n);
	if (header_len < 0)
		return header_len;
	payload = n - header_len;
	if ((size_t)payload > len)
		msg.msg_flags |= MSG_TRUNC;
	return conn_read_result(payload, &msg, cm, src);
}

/*
 * Reads a UDP datagram without control data or deadline with recvfrom(),
 * because recvmsg() costs more in the kernel: it copies the msghdr and the
 * iovec in and the lengths and flags out (bench/run measured 70 ns more
 * per datagram on Linux 6.18). MSG_TRUNC makes it return the full length.
 */
static int conn_read_plain(int fd, void *buf, size_t len,
			   struct sockaddr_in *src)
{
	socklen_t srclen = sizeof(*src);
	int n;

	n = ipv4__sys_recvfrom(fd, buf, len, MSG_TRUNC, (struct sockaddr *)src,
			       src ? &srclen : NULL);
	if (n < 0)
		return n;
	if (src != NULL && srclen == 0)
		memset(src, 0, sizeof(*src));
	if ((size_t)n > len)
		return IPV4_ERR_TRUNCATED;
	return n;
}

int ipv4_packet_conn_read_from(struct ipv4_packet_conn *c, void *buf,
			       size_t len, struct ipv4_control_message *cm,
			       struct sockaddr_in *src)
{
	int fd = ipv4__conn_check(c);
	union conn_recv_control control;
	struct iovec iov = {buf, len};
	struct msghdr msg = {.msg_name = src,
			     .msg_namelen = src ? sizeof(*src) : 0,
			     .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cm ? control.buf : NULL,
			     .msg_controllen = cm ? sizeof(control.buf) : 0};
	int n;

	if (fd < 0)
		return fd;
	if (buf == NULL && len > 0)
		return -EINVAL;
	if (!ipv4__conn_kind_is_dgram(c->kind))
		return conn_read_stripped(c, fd, buf, len, cm, src);
	if (cm == NULL && c->kind == IPV4__KIND_UDP &&
	    ipv4__conn_deadline(c, ipv4__conn_read_deadline(c)) == 0)
		return conn_read_plain(fd, buf, len, src);

	n = ipv4__conn_recvmsg(c, fd, &msg);
	if (n < 0)
		return n;
	return conn_read_result(n, &msg, cm, src);
}

int ipv4_packet_conn_write_to(struct ipv4_packet_conn *c, const void *buf,
			      size_t len, const struct ipv4_control_message *cm,
			      const struct sockaddr_in *dst)
{
	int fd = ipv4__conn_check(c);
	union conn_send_control control;
	struct iovec iov = {(void *)buf, len};
	struct msghdr msg = {.msg_name = (void *)dst,
			     .msg_namelen = dst ? sizeof(*dst) : 0,
			     .msg_iov = &iov,
			     .msg_iovlen = 1};
	int control_len = 0;

	if (fd < 0)
		return fd;
	if (buf == NULL && len > 0)
		return -EINVAL;
	if (len > INT_MAX)
		return -EMSGSIZE;
	if (dst != NULL && dst->sin_family != AF_INET)
		return IPV4_ERR_NOT_IPV4;
	if (cm != NULL)
		control_len = ipv4_control_marshal(cm, control.buf,
						   sizeof(control.buf));
	if (control_len < 0)
		return control_len;
	if (control_len > 0) {
		msg.msg_control = control.buf;
		msg.msg_controllen = (size_t)control_len;
	} else if (ipv4__conn_deadline(c, ipv4__conn_write_deadline(c)) == 0) {
		/* sendto() skips the msghdr copies of sendmsg(), as above. */
		return ipv4__sys_sendto(fd, buf, len, 0,
					(const struct sockaddr *)dst,
					msg.msg_namelen);
	}
	return ipv4__conn_sendmsg(c, fd, &msg);
}
