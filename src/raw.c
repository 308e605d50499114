/* SPDX-License-Identifier: MIT */
/*
 * Raw conn: an AF_INET SOCK_RAW socket with IP_HDRINCL on, so that writes
 * carry the caller's IPv4 header and reads return the header as received.
 */
#include <errno.h>

#include "conn_internal.h"

/* The largest IPv4 datagram: the total length field is 16 bits. */
#define RAW_DATAGRAM_MAX 65535

union raw_recv_control {
	struct cmsghdr align;
	unsigned char buf[IPV4__CONN_CONTROL_SPACE];
};

union raw_send_control {
	struct cmsghdr align;
	unsigned char buf[IPV4_CONTROL_MARSHAL_MAX];
};

int ipv4_raw_conn_init(struct ipv4_raw_conn *c, int fd)
{
	int kind, err;

	if (c == NULL)
		return IPV4_ERR_INVALID_CONN;
	c->conn.fd = -1;
	if (fd < 0)
		return -EBADF;
	kind = ipv4__conn_socket_kind(fd);
	if (kind < 0)
		return kind;
	if (ipv4__conn_kind_is_dgram(kind))
		return IPV4_ERR_INVALID_CONN_TYPE;
	err = ipv4__sys_setsockopt_int(fd, IPPROTO_IP, IP_HDRINCL, 1);
	if (err < 0)
		return err;
	return ipv4__conn_setup(&c->conn, fd, IPV4__KIND_HDRINCL);
}

int ipv4_raw_conn_read_from(struct ipv4_raw_conn *c, void *buf, size_t len,
			    struct ipv4_header *h,
			    struct ipv4_control_message *cm)
{
	int fd = ipv4__conn_check(c ? &c->conn : NULL);
	union raw_recv_control control;
	struct iovec iov = {buf, len};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cm ? control.buf : NULL,
			     .msg_controllen = cm ? sizeof(control.buf) : 0};
	int n, header_len, err = 0;

	if (fd < 0)
		return fd;
	if (h == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	if (ipv4__conn_kind_is_dgram(c->conn.kind))
		return IPV4_ERR_INVALID_CONN_TYPE;

	n = ipv4__conn_recvmsg(&c->conn, fd, &msg);
	if (n < 0)
		return n;
	/* recvmsg() returns at most len bytes, so the parse stays inside. */
	header_len = ipv4_header_parse(h, buf, (size_t)n);
	if (cm != NULL)
		err = ipv4_control_parse(cm, control.buf, msg.msg_controllen);
	if (msg.msg_flags & MSG_TRUNC)
		return IPV4_ERR_TRUNCATED;
	if (header_len < 0)
		return header_len;
	if (cm != NULL && (msg.msg_flags & MSG_CTRUNC))
		return IPV4_ERR_CONTROL_TRUNCATED;
	return err < 0 ? err : n - header_len;
}

int ipv4_raw_conn_write_to(struct ipv4_raw_conn *c, const struct ipv4_header *h,
			   const void *payload, size_t len,
			   const struct ipv4_control_message *cm)
{
	int fd = ipv4__conn_check(c ? &c->conn : NULL);
	unsigned char head[IPV4_HEADER_MAX_LEN];
	union raw_send_control control;
	struct sockaddr_in dst = {.sin_family = AF_INET};
	struct iovec iov[2] = {{head, 0}, {(void *)payload, len}};
	struct msghdr msg = {.msg_name = &dst,
			     .msg_namelen = sizeof(dst),
			     .msg_iov = iov,
			     .msg_iovlen = 2};
	int header_len, control_len = 0;

	if (fd < 0)
		return fd;
	if (h == NULL || (payload == NULL && len > 0))
		return -EINVAL;
	/* Without IP_HDRINCL the kernel would send the header as payload. */
	if (c->conn.kind != IPV4__KIND_HDRINCL)
		return IPV4_ERR_INVALID_CONN_TYPE;
	header_len = ipv4_header_marshal(h, head, sizeof(head));
	if (header_len < 0)
		return header_len;
	if (len > RAW_DATAGRAM_MAX - (size_t)header_len)
		return -EMSGSIZE;
	if (cm != NULL)
		control_len = ipv4_control_marshal(cm, control.buf,
						   sizeof(control.buf));
	if (control_len < 0)
		return control_len;

	/* cppcheck-suppress unreadVariable ; sendmsg() reads it via msg */
	iov[0].iov_len = (size_t)header_len;
	dst.sin_addr = h->dst;
	if (control_len > 0) {
		msg.msg_control = control.buf;
		msg.msg_controllen = (size_t)control_len;
	}
	return ipv4__conn_sendmsg(&c->conn, fd, &msg);
}
