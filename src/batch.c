/* SPDX-License-Identifier: MIT */
/*
 * Batch I/O with recvmmsg(2) and sendmmsg(2).
 *
 * The mmsghdr array lives on the stack and is built from the caller's
 * messages on every call, BATCH_CHUNK messages at a time, so each call
 * re-primes msg_namelen and msg_controllen from the caller's capacities.
 * The kernel overwrites both with the received lengths, so a header reused
 * as is would offer the next datagram only the previous one's control
 * length and silently cut its ancillary data.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "conn_internal.h"

/* Messages per system call: 64 mmsghdrs take 4 KiB of stack on LP64. */
#define BATCH_CHUNK 64

/* The maximum iovecs per message (UIO_MAXIOV in the kernel). */
#define BATCH_IOV_MAX 1024

enum batch_direction {
	BATCH_READ,
	BATCH_WRITE,
};

/* Checks every message before the first system call. */
static int batch_check(const struct ipv4_message *ms, size_t n,
		       enum batch_direction dir)
{
	const struct ipv4_message *m;
	size_t control;

	for (m = ms; m < ms + n; m++) {
		if (m->iov == NULL && m->iovlen > 0)
			return -EINVAL;
		if (m->iovlen > BATCH_IOV_MAX)
			return -EMSGSIZE;
		control = dir == BATCH_READ ? m->control_cap : m->control_len;
		if ((m->control == NULL && control > 0) || control > INT_MAX)
			return -EINVAL;
		if (dir == BATCH_WRITE && m->addr.sin_family != AF_UNSPEC &&
		    m->addr.sin_family != AF_INET)
			return IPV4_ERR_NOT_IPV4;
	}
	return 0;
}

static void batch_prime_read(struct mmsghdr *mm, struct ipv4_message *ms,
			     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_name = &ms[i].addr;
		mm[i].msg_hdr.msg_namelen = sizeof(ms[i].addr);
		mm[i].msg_hdr.msg_iov = ms[i].iov;
		mm[i].msg_hdr.msg_iovlen = ms[i].iovlen;
		if (ms[i].control_cap > 0) {
			mm[i].msg_hdr.msg_control = ms[i].control;
			mm[i].msg_hdr.msg_controllen = ms[i].control_cap;
		}
	}
}

static void batch_finish_read(const struct mmsghdr *mm,
			      struct ipv4_message *ms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ms[i].len = mm[i].msg_len;
		ms[i].control_len = mm[i].msg_hdr.msg_controllen;
		ms[i].flags = mm[i].msg_hdr.msg_flags;
		if (mm[i].msg_hdr.msg_namelen == 0)
			ms[i].addr.sin_family = AF_UNSPEC;
	}
}

static void batch_prime_write(struct mmsghdr *mm, struct ipv4_message *ms,
			      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&mm[i], 0, sizeof(mm[i]));
		if (ms[i].addr.sin_family == AF_INET) {
			mm[i].msg_hdr.msg_name = &ms[i].addr;
			mm[i].msg_hdr.msg_namelen = sizeof(ms[i].addr);
		}
		mm[i].msg_hdr.msg_iov = ms[i].iov;
		mm[i].msg_hdr.msg_iovlen = ms[i].iovlen;
		if (ms[i].control_len > 0) {
			mm[i].msg_hdr.msg_control = ms[i].control;
			mm[i].msg_hdr.msg_controllen = ms[i].control_len;
		}
	}
}

static void batch_finish_write(const struct mmsghdr *mm,
			       struct ipv4_message *ms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ms[i].len = mm[i].msg_len;
}

/*
 * Makes the first recvmmsg() of a batch, the only one that may wait: until a
 * message arrives (MSG_WAITFORONE) or until the read deadline.
 */
static int batch_recv_first(const struct ipv4_packet_conn *c, int fd,
			    struct mmsghdr *mm, unsigned n, int flags)
{
	int64_t deadline = ipv4__conn_deadline(c, ipv4__conn_read_deadline(c));
	struct ipv4__conn_waiter w;
	int got;

	flags |= MSG_WAITFORONE;
	if (deadline == 0 || (flags & MSG_DONTWAIT))
		return ipv4__sys_recvmmsg(fd, mm, n, flags);
	ipv4__conn_waiter_init(&w, fd, POLLIN, deadline);
	for (;;) {
		got = ipv4__sys_recvmmsg(fd, mm, n, flags | MSG_DONTWAIT);
		if (got != -EAGAIN)
			break;
		got = ipv4__conn_wait(&w);
		if (got < 0)
			break;
	}
	ipv4__conn_waiter_end(&w);
	return got;
}

static int batch_send_first(const struct ipv4_packet_conn *c, int fd,
			    struct mmsghdr *mm, unsigned n, int flags)
{
	int64_t deadline =
		ipv4__conn_deadline(c, ipv4__conn_write_deadline(c));
	struct ipv4__conn_waiter w;
	int sent;

	if (deadline == 0 || (flags & MSG_DONTWAIT))
		return ipv4__sys_sendmmsg(fd, mm, n, flags);
	ipv4__conn_waiter_init(&w, fd, POLLOUT, deadline);
	for (;;) {
		sent = ipv4__sys_sendmmsg(fd, mm, n, flags | MSG_DONTWAIT);
		if (sent != -EAGAIN)
			break;
		sent = ipv4__conn_wait(&w);
		if (sent < 0)
			break;
	}
	ipv4__conn_waiter_end(&w);
	return sent;
}

/* Returns n clamped to what one call handles, or a check's error. */
static int batch_start(const struct ipv4_packet_conn *c,
		       const struct ipv4_message *ms, size_t n,
		       enum batch_direction dir)
{
	int fd = ipv4__conn_check(c);
	int err;

	if (fd < 0)
		return fd;
	if (n == 0)
		return 0;
	if (ms == NULL)
		return -EINVAL;
	if (n > IPV4_BATCH_MAX)
		n = IPV4_BATCH_MAX;
	err = batch_check(ms, n, dir);
	return err < 0 ? err : (int)n;
}

int ipv4_packet_conn_read_batch(struct ipv4_packet_conn *c,
				struct ipv4_message *ms, size_t n, int flags)
{
	struct mmsghdr mm[BATCH_CHUNK];
	int total = batch_start(c, ms, n, BATCH_READ);
	int want = total, chunk, got;
	int fd;

	if (total <= 0)
		return total;
	fd = ipv4__conn_fd(c);
	chunk = want < BATCH_CHUNK ? want : BATCH_CHUNK;
	batch_prime_read(mm, ms, (size_t)chunk);
	got = batch_recv_first(c, fd, mm, (unsigned)chunk, flags);
	if (got < 0)
		return got;
	batch_finish_read(mm, ms, (size_t)got);

	/*
	 * A full chunk means more may be queued. The later chunks never wait
	 * and end the batch on any error, because returning an error here
	 * would lose the messages already received.
	 */
	for (total = got; got == chunk && total < want; total += got) {
		chunk = want - total < BATCH_CHUNK ? want - total : BATCH_CHUNK;
		batch_prime_read(mm, ms + total, (size_t)chunk);
		/*
		 * NOTE: an error other than EAGAIN (a pending ICMP error on a
		 * connected socket) is dropped here instead of being kept for
		 * the next call, as the kernel's own recvmmsg() keeps it.
		 */
		got = ipv4__sys_recvmmsg(fd, mm, (unsigned)chunk,
					 flags | MSG_DONTWAIT);
		if (got <= 0)
			break;
		batch_finish_read(mm, ms + total, (size_t)got);
	}
	return total;
}

int ipv4_packet_conn_write_batch(struct ipv4_packet_conn *c,
				 struct ipv4_message *ms, size_t n, int flags)
{
	struct mmsghdr mm[BATCH_CHUNK];
	int total = batch_start(c, ms, n, BATCH_WRITE);
	int want = total, chunk, sent;
	int fd;

	if (total <= 0)
		return total;
	fd = ipv4__conn_fd(c);
	chunk = want < BATCH_CHUNK ? want : BATCH_CHUNK;
	batch_prime_write(mm, ms, (size_t)chunk);
	sent = batch_send_first(c, fd, mm, (unsigned)chunk, flags);
	if (sent < 0)
		return sent;
	batch_finish_write(mm, ms, (size_t)sent);

	/* As for reads: later chunks never wait, and their errors end it. */
	for (total = sent; sent == chunk && total < want; total += sent) {
		chunk = want - total < BATCH_CHUNK ? want - total : BATCH_CHUNK;
		batch_prime_write(mm, ms + total, (size_t)chunk);
		sent = ipv4__sys_sendmmsg(fd, mm, (unsigned)chunk,
					  flags | MSG_DONTWAIT);
		if (sent <= 0)
			break;
		batch_finish_write(mm, ms + total, (size_t)sent);
	}
	return total;
}
