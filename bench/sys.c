/* SPDX-License-Identifier: MIT */
/*
 * The bare-C column: every workload written directly against the system
 * calls (sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg) and, for
 * the codecs, as a hand-written struct fill or byte copy.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "bench.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

const char *bench_strerror(int err)
{
	return strerror(err);
}

static unsigned char tx_buf[BENCH_BATCH_MAX][2048];
static unsigned char rx_buf[BENCH_BATCH_MAX][2048];
static unsigned char gso_buf[BENCH_BUF_MAX];
static unsigned char gro_buf[BENCH_GSO_BATCH_MAX][BENCH_BUF_MAX];

/* What a received control message is parsed into. */
struct sys_control {
	int ttl;
	struct in_addr dst;
	int ifindex;
	int segment_size;
};

static void sys_send(struct bench_pair *p, size_t len)
{
	if (sendto(p->tx, tx_buf[0], len, 0, (struct sockaddr *)&p->rx_addr,
		   sizeof(p->rx_addr)) < 0)
		bench_die("sendto", errno);
}

static void sys_recv(struct bench_pair *p, size_t len)
{
	struct sockaddr_in src;
	socklen_t srclen = sizeof(src);

	if (recvfrom(p->rx, rx_buf[0], len, 0, (struct sockaddr *)&src,
		     &srclen) < 0)
		bench_die("recvfrom", errno);
}

static int run_single(const struct bench_args *a, struct bench_result *r)
{
	struct bench_pair p;
	unsigned long long before;
	int64_t start, cpu;

	bench_pair_open(&p, 1000);
	bench_fill(tx_buf[0], a->size, 1);
	before = bench_allocs();
	start = bench_now();
	cpu = bench_cpu_now();
	do {
		sys_send(&p, a->size);
		sys_recv(&p, sizeof(rx_buf[0]));
		r->ops++;
	} while (!bench_elapsed(a, start));
	r->value = (double)(bench_cpu_now() - cpu) / (double)r->ops;
	bench_set_allocs(r, before, r->ops);
	bench_pair_close(&p);
	return 0;
}

static void sys_send_cm(struct bench_pair *p, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} control;
	struct in_pktinfo pi = {.ipi_ifindex = 1};
	struct iovec iov = {.iov_base = tx_buf[0], .iov_len = len};
	struct msghdr msg = {
	    .msg_name = &p->rx_addr,
	    .msg_namelen = sizeof(p->rx_addr),
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control.buf,
	    .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	pi.ipi_spec_dst.s_addr = htonl(INADDR_LOOPBACK);
	cmsg->cmsg_level = IPPROTO_IP;
	cmsg->cmsg_type = IP_PKTINFO;
	cmsg->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cmsg), &pi, sizeof(pi));
	if (sendmsg(p->tx, &msg, 0) < 0)
		bench_die("sendmsg", errno);
}

static void sys_parse_control(struct sys_control *cm, struct msghdr *msg)
{
	struct in_pktinfo pi;
	uint16_t gso;

	memset(cm, 0, sizeof(*cm));
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL;
	     c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
			memcpy(&cm->ttl, CMSG_DATA(c), sizeof(cm->ttl));
		} else if (c->cmsg_level == IPPROTO_IP &&
			   c->cmsg_type == IP_PKTINFO) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			cm->dst = pi.ipi_addr;
			cm->ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_UDP &&
			   c->cmsg_type == UDP_GRO) {
			memcpy(&gso, CMSG_DATA(c), sizeof(gso));
			cm->segment_size = gso;
		}
	}
}

static void sys_recv_cm(struct bench_pair *p, struct sys_control *cm)
{
	union {
		char buf[64];
		struct cmsghdr align;
	} control;
	struct sockaddr_in src;
	struct iovec iov = {.iov_base = rx_buf[0],
			    .iov_len = sizeof(rx_buf[0])};
	struct msghdr msg = {
	    .msg_name = &src,
	    .msg_namelen = sizeof(src),
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control.buf,
	    .msg_controllen = sizeof(control.buf),
	};

	if (recvmsg(p->rx, &msg, 0) < 0)
		bench_die("recvmsg", errno);
	sys_parse_control(cm, &msg);
}

static int run_single_cm(const struct bench_args *a, struct bench_result *r)
{
	struct sys_control cm;
	struct bench_pair p;
	unsigned long long before;
	int64_t start, cpu;
	int on = 1;

	bench_pair_open(&p, 1000);
	if (setsockopt(p.rx, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)) != 0 ||
	    setsockopt(p.rx, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) != 0)
		bench_die("IP_RECVTTL/IP_PKTINFO", errno);
	bench_fill(tx_buf[0], a->size, 2);
	before = bench_allocs();
	start = bench_now();
	cpu = bench_cpu_now();
	do {
		sys_send_cm(&p, a->size);
		sys_recv_cm(&p, &cm);
		if (cm.ttl != 64 || cm.ifindex != 1)
			bench_die("control message check", EPROTO);
		r->ops++;
	} while (!bench_elapsed(a, start));
	r->value = (double)(bench_cpu_now() - cpu) / (double)r->ops;
	bench_set_allocs(r, before, r->ops);
	bench_pair_close(&p);
	return 0;
}

struct sys_batch {
	struct bench_pair *p;
	struct mmsghdr msgs[BENCH_BATCH_MAX];
	struct iovec iov[BENCH_BATCH_MAX];
	struct sockaddr_in addr[BENCH_BATCH_MAX];
	int n;
};

static void sys_batch_init_send(struct sys_batch *b, struct bench_pair *p,
				size_t len, int n)
{
	memset(b, 0, sizeof(*b));
	b->p = p;
	b->n = n;
	for (int i = 0; i < n; i++) {
		bench_fill(tx_buf[i], len, (unsigned)i);
		b->iov[i].iov_base = tx_buf[i];
		b->iov[i].iov_len = len;
		b->msgs[i].msg_hdr.msg_iov = &b->iov[i];
		b->msgs[i].msg_hdr.msg_iovlen = 1;
		b->msgs[i].msg_hdr.msg_name = &p->rx_addr;
		b->msgs[i].msg_hdr.msg_namelen = sizeof(p->rx_addr);
	}
}

static void sys_batch_init_recv(struct sys_batch *b, struct bench_pair *p,
				int n)
{
	memset(b, 0, sizeof(*b));
	b->p = p;
	b->n = n;
	for (int i = 0; i < n; i++) {
		b->iov[i].iov_base = rx_buf[i];
		b->iov[i].iov_len = sizeof(rx_buf[i]);
		b->msgs[i].msg_hdr.msg_iov = &b->iov[i];
		b->msgs[i].msg_hdr.msg_iovlen = 1;
		b->msgs[i].msg_hdr.msg_name = &b->addr[i];
	}
}

static int sys_send_batch(void *ctx)
{
	struct sys_batch *b = ctx;
	int sent = sendmmsg(b->p->tx, b->msgs, (unsigned)b->n, 0);

	return sent < 0 ? -errno : sent;
}

static int sys_recv_batch(void *ctx)
{
	struct sys_batch *b = ctx;
	int got;

	/* The kernel overwrote the name lengths of the last call. */
	for (int i = 0; i < b->n; i++)
		b->msgs[i].msg_hdr.msg_namelen = sizeof(b->addr[i]);
	got = recvmmsg(b->p->rx, b->msgs, (unsigned)b->n, MSG_WAITFORONE, NULL);
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return got < 0 ? -errno : got;
}

static int run_batch(const struct bench_args *a, struct bench_result *r)
{
	static struct sys_batch tx, rx;
	struct bench_pair p;
	unsigned long long before;
	int64_t start, cpu;
	int n;

	bench_pair_open(&p, 1000);
	sys_batch_init_send(&tx, &p, a->size, a->batch);
	sys_batch_init_recv(&rx, &p, a->batch);
	before = bench_allocs();
	start = bench_now();
	cpu = bench_cpu_now();
	do {
		n = sys_send_batch(&tx);
		if (n != a->batch)
			bench_die("sendmmsg", n < 0 ? -n : EIO);
		for (int got = 0; got < a->batch; got += n) {
			rx.n = a->batch - got;
			n = sys_recv_batch(&rx);
			if (n <= 0)
				bench_die("recvmmsg", n < 0 ? -n : ETIMEDOUT);
		}
		r->ops += (unsigned)a->batch;
	} while (!bench_elapsed(a, start));
	r->value = (double)(bench_cpu_now() - cpu) / (double)r->ops;
	bench_set_allocs(r, before, r->ops);
	bench_pair_close(&p);
	return 0;
}

static int run_threads(const struct bench_args *a, struct bench_result *r)
{
	static struct sys_batch tx, rx;
	struct bench_threads_ops ops = {
	    .send = sys_send_batch,
	    .recv = sys_recv_batch,
	    .send_ctx = &tx,
	    .recv_ctx = &rx,
	};
	struct bench_pair p;

	bench_pair_open(&p, 50);
	sys_batch_init_send(&tx, &p, a->size, a->batch);
	sys_batch_init_recv(&rx, &p, a->batch);
	bench_threads(a, r, &ops);
	bench_pair_close(&p);
	return 0;
}

static int run_fill(const struct bench_args *a, struct bench_result *r)
{
	int64_t start, t0, t1, t2, send_ns = 0, recv_ns = 0;
	struct bench_pair p;
	unsigned long long before;

	bench_pair_open(&p, 1000);
	bench_fill(tx_buf[0], a->size, 3);
	before = bench_allocs();
	start = bench_now();
	do {
		t0 = bench_cpu_now();
		for (int i = 0; i < BENCH_FILL_COUNT; i++)
			sys_send(&p, a->size);
		t1 = bench_cpu_now();
		for (int i = 0; i < BENCH_FILL_COUNT; i++)
			sys_recv(&p, sizeof(rx_buf[0]));
		t2 = bench_cpu_now();
		send_ns += t1 - t0;
		recv_ns += t2 - t1;
		r->ops += BENCH_FILL_COUNT;
	} while (!bench_elapsed(a, start));
	r->value = (double)send_ns / (double)r->ops;
	r->value2 = (double)recv_ns / (double)r->ops;
	bench_set_allocs(r, before, 2 * r->ops);
	bench_pair_close(&p);
	return 0;
}

union sys_gro_control {
	char buf[64];
	struct cmsghdr align;
};

struct sys_gso {
	struct bench_pair *p;
	size_t len;
	int segment_size;
	int n; /* GSO sends per sendmmsg(), GRO reads per recvmmsg() */
	struct iovec tx_iov;
	/*
	 * Aligned without the usual union with struct cmsghdr: its flexible
	 * array member would make struct sys_gso a variable-sized type.
	 */
	_Alignas(struct cmsghdr) char tx_control[CMSG_SPACE(sizeof(uint16_t))];
	struct mmsghdr tx[BENCH_GSO_BATCH_MAX];
	struct iovec rx_iov[BENCH_GSO_BATCH_MAX];
	struct sockaddr_in rx_addr[BENCH_GSO_BATCH_MAX];
	union sys_gro_control rx_control[BENCH_GSO_BATCH_MAX];
	struct mmsghdr rx[BENCH_GSO_BATCH_MAX];
};

static int sys_gso_send(void *ctx)
{
	struct sys_gso *g = ctx;
	int segments = (int)((g->len + (size_t)g->segment_size - 1) /
			     (size_t)g->segment_size);
	int sent;

	if (g->n == 1) {
		if (sendmsg(g->p->tx, &g->tx[0].msg_hdr, 0) < 0)
			return -errno;
		return segments;
	}
	sent = sendmmsg(g->p->tx, g->tx, (unsigned)g->n, 0);
	return sent < 0 ? -errno : sent * segments;
}

static int sys_gro_segments(struct msghdr *msg, size_t n)
{
	struct sys_control cm;
	int segments = 0;

	sys_parse_control(&cm, msg);
	if (cm.segment_size == 0)
		return 1;
	/* Each segment would be handed on here; the last may be shorter. */
	for (size_t off = 0; off < n; off += (size_t)cm.segment_size) {
		bench_use((char *)msg->msg_iov[0].iov_base + off);
		segments++;
	}
	return segments;
}

static int sys_gro_recv(void *ctx)
{
	struct sys_gso *g = ctx;
	int got, segments = 0;

	/* The kernel overwrote the lengths of the last call. */
	for (int i = 0; i < g->n; i++) {
		g->rx[i].msg_hdr.msg_namelen = sizeof(g->rx_addr[i]);
		g->rx[i].msg_hdr.msg_controllen = sizeof(g->rx_control[i]);
	}
	if (g->n == 1) {
		ssize_t n = recvmsg(g->p->rx, &g->rx[0].msg_hdr, 0);

		g->rx[0].msg_len = (unsigned)n;
		got = n < 0 ? -1 : 1;
	} else {
		got = recvmmsg(g->p->rx, g->rx, (unsigned)g->n, MSG_WAITFORONE,
			       NULL);
	}
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	for (int i = 0; i < got; i++)
		segments +=
		    sys_gro_segments(&g->rx[i].msg_hdr, g->rx[i].msg_len);
	return segments;
}

static void sys_gso_init(struct sys_gso *g, struct bench_pair *p, size_t size,
			 int n)
{
	size_t segments = 65507 / size;
	struct cmsghdr *cmsg = (struct cmsghdr *)g->tx_control;
	uint16_t segment_size = (uint16_t)size;

	memset(g, 0, sizeof(*g));
	g->p = p;
	g->n = n;
	g->segment_size = (int)size;
	g->len = (segments < 64 ? segments : 64) * size;
	bench_fill(gso_buf, g->len, 4);
	g->tx_iov.iov_base = gso_buf;
	g->tx_iov.iov_len = g->len;
	cmsg->cmsg_level = IPPROTO_UDP;
	cmsg->cmsg_type = UDP_SEGMENT;
	cmsg->cmsg_len = CMSG_LEN(sizeof(segment_size));
	memcpy(CMSG_DATA(cmsg), &segment_size, sizeof(segment_size));
	for (int i = 0; i < n; i++) {
		struct msghdr *tx = &g->tx[i].msg_hdr;
		struct msghdr *rx = &g->rx[i].msg_hdr;

		tx->msg_name = &p->rx_addr;
		tx->msg_namelen = sizeof(p->rx_addr);
		tx->msg_iov = &g->tx_iov;
		tx->msg_iovlen = 1;
		tx->msg_control = g->tx_control;
		tx->msg_controllen = sizeof(g->tx_control);
		g->rx_iov[i].iov_base = gro_buf[i];
		g->rx_iov[i].iov_len = sizeof(gro_buf[i]);
		rx->msg_name = &g->rx_addr[i];
		rx->msg_iov = &g->rx_iov[i];
		rx->msg_iovlen = 1;
		rx->msg_control = g->rx_control[i].buf;
	}
}

static int run_gso(const struct bench_args *a, struct bench_result *r)
{
	static struct sys_gso g;
	struct bench_threads_ops ops = {
	    .send = sys_gso_send,
	    .recv = sys_gro_recv,
	    .send_ctx = &g,
	    .recv_ctx = &g,
	};
	struct bench_pair p;
	int on = 1;

	if (a->batch > BENCH_GSO_BATCH_MAX) {
		fprintf(stderr, "bench: GSO batch over %d\n",
			BENCH_GSO_BATCH_MAX);
		return -1;
	}
	bench_pair_open(&p, 50);
	if (setsockopt(p.rx, IPPROTO_UDP, UDP_GRO, &on, sizeof(on)) != 0)
		bench_die("UDP_GRO", errno);
	sys_gso_init(&g, &p, a->size, a->batch);
	bench_threads(a, r, &ops);
	bench_pair_close(&p);
	return 0;
}

/*
 * Codecs. Each loop passes its input and output through bench_use(), so
 * the compiler must redo the work on every iteration.
 */
struct sys_header {
	uint8_t version, header_len, tos, flags, ttl, protocol;
	uint16_t total_len, id, frag_off, checksum;
	struct in_addr src, dst;
	uint8_t options_len;
	uint8_t options[40];
};

#define CODEC_LOOP(a, r, body)                                                 \
	do {                                                                   \
		unsigned long long before_ = bench_allocs();                   \
		int64_t start_ = bench_now();                                  \
		int64_t cpu_ = bench_cpu_now();                                \
		do {                                                           \
			for (int i_ = 0; i_ < 1000; i_++) {                    \
				body;                                          \
			}                                                      \
			(r)->ops += 1000;                                      \
		} while (!bench_elapsed((a), start_));                         \
		(r)->value =                                                   \
		    (double)(bench_cpu_now() - cpu_) / (double)(r)->ops;       \
		bench_set_allocs((r), before_, (r)->ops);                      \
	} while (0)

static int sys_header_parse(struct sys_header *h, const uint8_t *b, size_t len)
{
	size_t hlen;
	uint16_t word;

	if (len < 20 || (b[0] >> 4) != 4)
		return -1;
	hlen = (size_t)(b[0] & 0x0f) * 4;
	if (hlen < 20 || hlen > len)
		return -1;
	h->version = 4;
	h->header_len = (uint8_t)hlen;
	h->tos = b[1];
	h->total_len = (uint16_t)(b[2] << 8 | b[3]);
	h->id = (uint16_t)(b[4] << 8 | b[5]);
	word = (uint16_t)(b[6] << 8 | b[7]);
	h->flags = (uint8_t)(word >> 13);
	h->frag_off = word & 0x1fff;
	h->ttl = b[8];
	h->protocol = b[9];
	h->checksum = (uint16_t)(b[10] << 8 | b[11]);
	memcpy(&h->src, b + 12, 4);
	memcpy(&h->dst, b + 16, 4);
	h->options_len = (uint8_t)(hlen - 20);
	memcpy(h->options, b + 20, hlen - 20);
	return (int)hlen;
}

static int sys_header_marshal(const struct sys_header *h, uint8_t *b,
			      size_t cap)
{
	size_t hlen = 20 + (size_t)h->options_len;
	uint16_t word = (uint16_t)(h->flags << 13 | h->frag_off);

	if (h->options_len % 4 != 0 || h->options_len > 40 || cap < hlen)
		return -1;
	if (h->dst.s_addr == htonl(INADDR_ANY) || h->flags > 7 ||
	    h->frag_off > 0x1fff)
		return -1;
	b[0] = (uint8_t)(0x40 | hlen / 4);
	b[1] = h->tos;
	b[2] = (uint8_t)(h->total_len >> 8);
	b[3] = (uint8_t)h->total_len;
	b[4] = (uint8_t)(h->id >> 8);
	b[5] = (uint8_t)h->id;
	b[6] = (uint8_t)(word >> 8);
	b[7] = (uint8_t)word;
	b[8] = h->ttl;
	b[9] = h->protocol;
	b[10] = (uint8_t)(h->checksum >> 8);
	b[11] = (uint8_t)h->checksum;
	memcpy(b + 12, &h->src, 4);
	memcpy(b + 16, &h->dst, 4);
	memcpy(b + 20, h->options, h->options_len);
	return (int)hlen;
}

static const uint8_t *header_vector(size_t size)
{
	return size == 24 ? bench_header24 : bench_header20;
}

static int run_header_parse(const struct bench_args *a, struct bench_result *r)
{
	const uint8_t *in = header_vector(a->size);
	struct sys_header h;
	long sum = 0;

	CODEC_LOOP(a, r, {
		bench_use(in);
		sum += sys_header_parse(&h, in, a->size);
		bench_use(&h);
	});
	return sum > 0 ? 0 : -1;
}

static int run_header_marshal(const struct bench_args *a,
			      struct bench_result *r)
{
	struct sys_header h;
	uint8_t out[60];
	long sum = 0;

	sys_header_parse(&h, header_vector(a->size), a->size);
	CODEC_LOOP(a, r, {
		bench_use(&h);
		sum += sys_header_marshal(&h, out, sizeof(out));
		bench_use(out);
	});
	return sum > 0 ? 0 : -1;
}

static int run_control_parse(const struct bench_args *a, struct bench_result *r)
{
	union {
		char buf[64];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {.msg_control = control.buf};
	struct sys_control cm;
	long sum = 0;

	msg.msg_controllen = bench_control_bytes(control.buf, sizeof(control));
	CODEC_LOOP(a, r, {
		bench_use(control.buf);
		sys_parse_control(&cm, &msg);
		sum += cm.ttl;
		bench_use(&cm);
	});
	return sum > 0 ? 0 : -1;
}

static int run_control_marshal(const struct bench_args *a,
			       struct bench_result *r)
{
	union {
		char buf[64];
		struct cmsghdr align;
	} control;
	struct sys_control in = {.ifindex = 1};
	struct cmsghdr *cmsg = &control.align;
	unsigned char *data = CMSG_DATA(cmsg);
	long sum = 0;

	in.dst.s_addr = htonl(INADDR_LOOPBACK);
	/* Fields stored in place: no struct copied out through the stack. */
	CODEC_LOOP(a, r, {
		bench_use(&in);
		cmsg->cmsg_level = IPPROTO_IP;
		cmsg->cmsg_type = IP_PKTINFO;
		cmsg->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
		memcpy(data + offsetof(struct in_pktinfo, ipi_ifindex),
		       &in.ifindex, sizeof(in.ifindex));
		memcpy(data + offsetof(struct in_pktinfo, ipi_spec_dst),
		       &in.dst, sizeof(in.dst));
		memset(data + offsetof(struct in_pktinfo, ipi_addr), 0, 8);
		sum += (long)CMSG_SPACE(sizeof(struct in_pktinfo));
		bench_use(control.buf);
	});
	return sum > 0 ? 0 : -1;
}

static int run_control_size(const struct bench_args *a, struct bench_result *r)
{
	unsigned flags = 0xd; /* TTL, DST and INTERFACE */
	long sum = 0;

	CODEC_LOOP(a, r, {
		size_t size = 0;

		bench_use(&flags);
		if (flags & 0x1)
			size += CMSG_SPACE(sizeof(int));
		if (flags & 0xe)
			size += CMSG_SPACE(sizeof(struct in_pktinfo));
		sum += (long)size;
	});
	return sum > 0 ? 0 : -1;
}

static uint16_t sys_checksum(const uint8_t *b, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (i < len)
		sum += (uint32_t)(b[i] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int run_checksum(const struct bench_args *a, struct bench_result *r)
{
	static uint8_t in[1500];
	long sum = 0;

	bench_fill(in, sizeof(in), 5);
	CODEC_LOOP(a, r, {
		bench_use(in);
		sum += sys_checksum(in, a->size);
	});
	return sum > 0 ? 0 : -1;
}

int bench_run(const struct bench_args *a, struct bench_result *r)
{
	static const struct {
		const char *name;
		int (*run)(const struct bench_args *, struct bench_result *);
	} workloads[] = {
	    {"single", run_single},
	    {"single-cm", run_single_cm},
	    {"batch", run_batch},
	    {"threads", run_threads},
	    {"fill", run_fill},
	    {"gso", run_gso},
	    {"header-parse", run_header_parse},
	    {"header-marshal", run_header_marshal},
	    {"control-parse", run_control_parse},
	    {"control-marshal", run_control_marshal},
	    {"control-size", run_control_size},
	    {"checksum", run_checksum},
	};

	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		if (strcmp(a->workload, workloads[i].name) == 0)
			return workloads[i].run(a, r);
	}
	fprintf(stderr, "bench: unknown workload %s\n", a->workload);
	return -1;
}
