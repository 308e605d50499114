/* SPDX-License-Identifier: MIT */
/*
 * The libipv4 column: every workload of sys.c written with the library's
 * packet conn, batches, GSO helpers and codecs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ipv4.h"
#include "bench.h"

static unsigned char tx_buf[BENCH_BATCH_MAX][2048];
static unsigned char rx_buf[BENCH_BATCH_MAX][2048];
static unsigned char gso_buf[BENCH_BUF_MAX];
static unsigned char gro_buf[BENCH_GSO_BATCH_MAX][BENCH_BUF_MAX];

struct lib_pair {
	struct bench_pair p;
	struct ipv4_packet_conn tx;
	struct ipv4_packet_conn rx;
};

const char *bench_strerror(int err)
{
	return ipv4_strerror(-err);
}

static void lib_check(const char *what, int err)
{
	if (err < 0) {
		fprintf(stderr, "bench: %s failed: %s\n", what,
			ipv4_strerror(err));
		exit(1);
	}
}

static void lib_pair_open(struct lib_pair *lp, int timeout_ms)
{
	bench_pair_open(&lp->p, timeout_ms);
	lib_check("ipv4_packet_conn_init",
		  ipv4_packet_conn_init(&lp->tx, lp->p.tx));
	lib_check("ipv4_packet_conn_init",
		  ipv4_packet_conn_init(&lp->rx, lp->p.rx));
}

static void lib_send(struct lib_pair *lp, size_t len,
		     const struct ipv4_control_message *cm)
{
	lib_check("ipv4_packet_conn_write_to",
		  ipv4_packet_conn_write_to(&lp->tx, tx_buf[0], len, cm,
					    &lp->p.rx_addr));
}

static void lib_recv(struct lib_pair *lp, struct ipv4_control_message *cm)
{
	struct sockaddr_in src;

	lib_check("ipv4_packet_conn_read_from",
		  ipv4_packet_conn_read_from(&lp->rx, rx_buf[0],
					     sizeof(rx_buf[0]), cm, &src));
}

static int run_single(const struct bench_args *a, struct bench_result *r)
{
	struct lib_pair lp;
	unsigned long long before;
	int64_t start, cpu;

	lib_pair_open(&lp, 1000);
	bench_fill(tx_buf[0], a->size, 1);
	before = bench_allocs();
	start = bench_now();
	cpu = bench_cpu_now();
	do {
		lib_send(&lp, a->size, NULL);
		lib_recv(&lp, NULL);
		r->ops++;
	} while (!bench_elapsed(a, start));
	r->value = (double)(bench_cpu_now() - cpu) / (double)r->ops;
	bench_set_allocs(r, before, r->ops);
	bench_pair_close(&lp.p);
	return 0;
}

static int run_single_cm(const struct bench_args *a, struct bench_result *r)
{
	struct ipv4_control_message out = {.ifindex = 1}, in;
	struct lib_pair lp;
	unsigned long long before;
	int64_t start, cpu;

	lib_pair_open(&lp, 1000);
	lib_check(
	    "ipv4_packet_conn_set_control_message",
	    ipv4_packet_conn_set_control_message(
		&lp.rx, IPV4_CF_TTL | IPV4_CF_DST | IPV4_CF_INTERFACE, 1));
	out.src.s_addr = htonl(INADDR_LOOPBACK);
	bench_fill(tx_buf[0], a->size, 2);
	before = bench_allocs();
	start = bench_now();
	cpu = bench_cpu_now();
	do {
		lib_send(&lp, a->size, &out);
		lib_recv(&lp, &in);
		if (in.ttl != 64 || in.ifindex != 1)
			bench_die("control message check", EPROTO);
		r->ops++;
	} while (!bench_elapsed(a, start));
	r->value = (double)(bench_cpu_now() - cpu) / (double)r->ops;
	bench_set_allocs(r, before, r->ops);
	bench_pair_close(&lp.p);
	return 0;
}

struct lib_batch {
	struct ipv4_packet_conn *c;
	struct ipv4_message ms[BENCH_BATCH_MAX];
	struct iovec iov[BENCH_BATCH_MAX];
	int n;
};

static void lib_batch_init(struct lib_batch *b, struct lib_pair *lp, size_t len,
			   int n, int send)
{
	memset(b, 0, sizeof(*b));
	b->c = send ? &lp->tx : &lp->rx;
	b->n = n;
	for (int i = 0; i < n; i++) {
		if (send) {
			bench_fill(tx_buf[i], len, (unsigned)i);
			b->iov[i].iov_base = tx_buf[i];
			b->iov[i].iov_len = len;
			b->ms[i].addr = lp->p.rx_addr;
		} else {
			b->iov[i].iov_base = rx_buf[i];
			b->iov[i].iov_len = sizeof(rx_buf[i]);
		}
		b->ms[i].iov = &b->iov[i];
		b->ms[i].iovlen = 1;
	}
}

static int lib_send_batch(void *ctx)
{
	struct lib_batch *b = ctx;

	return ipv4_packet_conn_write_batch(b->c, b->ms, (size_t)b->n, 0);
}

static int lib_recv_batch(void *ctx)
{
	struct lib_batch *b = ctx;
	int got = ipv4_packet_conn_read_batch(b->c, b->ms, (size_t)b->n, 0);

	if (got == -EAGAIN || got == IPV4_ERR_TIMEOUT)
		return 0;
	return got;
}

static int run_batch(const struct bench_args *a, struct bench_result *r)
{
	static struct lib_batch tx, rx;
	struct lib_pair lp;
	unsigned long long before;
	int64_t start, cpu;
	int n;

	lib_pair_open(&lp, 1000);
	lib_batch_init(&tx, &lp, a->size, a->batch, 1);
	lib_batch_init(&rx, &lp, a->size, a->batch, 0);
	before = bench_allocs();
	start = bench_now();
	cpu = bench_cpu_now();
	do {
		n = lib_send_batch(&tx);
		if (n != a->batch)
			bench_die("ipv4_packet_conn_write_batch",
				  n < 0 ? -n : EIO);
		for (int got = 0; got < a->batch; got += n) {
			rx.n = a->batch - got;
			n = lib_recv_batch(&rx);
			if (n <= 0)
				bench_die("ipv4_packet_conn_read_batch",
					  n < 0 ? -n : ETIMEDOUT);
		}
		r->ops += (unsigned)a->batch;
	} while (!bench_elapsed(a, start));
	r->value = (double)(bench_cpu_now() - cpu) / (double)r->ops;
	bench_set_allocs(r, before, r->ops);
	bench_pair_close(&lp.p);
	return 0;
}

static int run_threads(const struct bench_args *a, struct bench_result *r)
{
	static struct lib_batch tx, rx;
	struct bench_threads_ops ops = {
	    .send = lib_send_batch,
	    .recv = lib_recv_batch,
	    .send_ctx = &tx,
	    .recv_ctx = &rx,
	};
	struct lib_pair lp;

	lib_pair_open(&lp, 50);
	lib_batch_init(&tx, &lp, a->size, a->batch, 1);
	lib_batch_init(&rx, &lp, a->size, a->batch, 0);
	bench_threads(a, r, &ops);
	bench_pair_close(&lp.p);
	return 0;
}

static int run_fill(const struct bench_args *a, struct bench_result *r)
{
	int64_t start, t0, t1, t2, send_ns = 0, recv_ns = 0;
	struct lib_pair lp;
	unsigned long long before;

	lib_pair_open(&lp, 1000);
	bench_fill(tx_buf[0], a->size, 3);
	before = bench_allocs();
	start = bench_now();
	do {
		t0 = bench_cpu_now();
		for (int i = 0; i < BENCH_FILL_COUNT; i++)
			lib_send(&lp, a->size, NULL);
		t1 = bench_cpu_now();
		for (int i = 0; i < BENCH_FILL_COUNT; i++)
			lib_recv(&lp, NULL);
		t2 = bench_cpu_now();
		send_ns += t1 - t0;
		recv_ns += t2 - t1;
		r->ops += BENCH_FILL_COUNT;
	} while (!bench_elapsed(a, start));
	r->value = (double)send_ns / (double)r->ops;
	r->value2 = (double)recv_ns / (double)r->ops;
	bench_set_allocs(r, before, 2 * r->ops);
	bench_pair_close(&lp.p);
	return 0;
}

struct lib_gso {
	struct lib_pair *lp;
	size_t len;
	struct ipv4_control_message cm;
	int n; /* GSO sends per write_batch call, GRO reads per read_batch */
	struct ipv4_message tx[BENCH_GSO_BATCH_MAX];
	struct iovec tx_iov;
	unsigned char tx_control[IPV4_CONTROL_MARSHAL_MAX];
	struct ipv4_message rx[BENCH_GSO_BATCH_MAX];
	struct iovec rx_iov[BENCH_GSO_BATCH_MAX];
	unsigned char rx_control[BENCH_GSO_BATCH_MAX][IPV4_CONTROL_RECV_MAX];
};

static int lib_gso_send(void *ctx)
{
	struct lib_gso *g = ctx;
	int segments = ipv4_gso_segments(g->len, g->cm.segment_size);
	int sent;

	if (g->n == 1) {
		sent = ipv4_gso_write_to(&g->lp->tx, gso_buf, g->len, &g->cm,
					 &g->lp->p.rx_addr);
		if (sent >= 0)
			sent = 1;
	} else {
		sent = ipv4_gso_write_batch(&g->lp->tx, g->tx, (size_t)g->n, 0);
	}
	return sent < 0 ? sent : sent * segments;
}

static int lib_gro_count(struct ipv4_gro_segment *s)
{
	int segments = 0;

	for (; ipv4_gro_ok(s); ipv4_gro_next(s)) {
		bench_use(s->data);
		segments++;
	}
	return segments;
}

static int lib_gro_recv(void *ctx)
{
	struct lib_gso *g = ctx;
	struct ipv4_control_message cm;
	struct ipv4_gro_segment s;
	struct sockaddr_in src;
	int segments = 0;
	int n;

	if (g->n == 1) {
		n = ipv4_packet_conn_read_from(&g->lp->rx, gro_buf[0],
					       sizeof(gro_buf[0]), &cm, &src);
	} else {
		n = ipv4_packet_conn_read_batch(&g->lp->rx, g->rx, (size_t)g->n,
						0);
	}
	if (n == -EAGAIN || n == IPV4_ERR_TIMEOUT)
		return 0;
	if (n < 0)
		return n;
	if (g->n == 1) {
		ipv4_gro_first(&s, gro_buf[0], (size_t)n, &cm, &src);
		return lib_gro_count(&s);
	}
	for (int i = 0; i < n; i++) {
		if (ipv4_gro_first_message(&s, &g->rx[i]) < 0)
			return -EPROTO;
		segments += lib_gro_count(&s);
	}
	return segments;
}

static void lib_gso_init(struct lib_gso *g, struct lib_pair *lp, size_t size,
			 int n)
{
	size_t segments = IPV4_GSO_MAX_PAYLOAD / size;
	int control_len;

	memset(g, 0, sizeof(*g));
	g->lp = lp;
	g->n = n;
	g->cm.segment_size = (int)size;
	if (segments > IPV4_GSO_MAX_SEGMENTS)
		segments = IPV4_GSO_MAX_SEGMENTS;
	g->len = segments * size;
	bench_fill(gso_buf, g->len, 4);
	control_len =
	    ipv4_control_marshal(&g->cm, g->tx_control, sizeof(g->tx_control));
	lib_check("ipv4_control_marshal", control_len);
	g->tx_iov.iov_base = gso_buf;
	g->tx_iov.iov_len = g->len;
	for (int i = 0; i < n; i++) {
		g->tx[i].iov = &g->tx_iov;
		g->tx[i].iovlen = 1;
		g->tx[i].control = g->tx_control;
		g->tx[i].control_len = (size_t)control_len;
		g->tx[i].addr = lp->p.rx_addr;
		g->rx_iov[i].iov_base = gro_buf[i];
		g->rx_iov[i].iov_len = sizeof(gro_buf[i]);
		g->rx[i].iov = &g->rx_iov[i];
		g->rx[i].iovlen = 1;
		g->rx[i].control = g->rx_control[i];
		g->rx[i].control_cap = sizeof(g->rx_control[i]);
	}
}

static int run_gso(const struct bench_args *a, struct bench_result *r)
{
	static struct lib_gso g;
	struct bench_threads_ops ops = {
	    .send = lib_gso_send,
	    .recv = lib_gro_recv,
	    .send_ctx = &g,
	    .recv_ctx = &g,
	};
	struct lib_pair lp;

	if (a->batch > BENCH_GSO_BATCH_MAX) {
		fprintf(stderr, "bench: GSO batch over %d\n",
			BENCH_GSO_BATCH_MAX);
		return -1;
	}
	lib_pair_open(&lp, 50);
	lib_check("ipv4_set_udp_gro", ipv4_set_udp_gro(lp.p.rx, 1));
	lib_gso_init(&g, &lp, a->size, a->batch);
	bench_threads(a, r, &ops);
	bench_pair_close(&lp.p);
	return 0;
}

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

static const uint8_t *header_vector(size_t size)
{
	return size == 24 ? bench_header24 : bench_header20;
}

static int run_header_parse(const struct bench_args *a, struct bench_result *r)
{
	const uint8_t *in = header_vector(a->size);
	struct ipv4_header h;
	long sum = 0;

	CODEC_LOOP(a, r, {
		bench_use(in);
		sum += ipv4_header_parse(&h, in, a->size);
		bench_use(&h);
	});
	return sum > 0 ? 0 : -1;
}

static int run_header_marshal(const struct bench_args *a,
			      struct bench_result *r)
{
	struct ipv4_header h;
	uint8_t out[60];
	long sum = 0;

	lib_check("ipv4_header_parse",
		  ipv4_header_parse(&h, header_vector(a->size), a->size));
	CODEC_LOOP(a, r, {
		bench_use(&h);
		sum += ipv4_header_marshal(&h, out, sizeof(out));
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
	struct ipv4_control_message cm;
	size_t len = bench_control_bytes(control.buf, sizeof(control));
	long sum = 0;

	CODEC_LOOP(a, r, {
		bench_use(control.buf);
		sum += ipv4_control_parse(&cm, control.buf, len);
		sum += cm.ttl;
		bench_use(&cm);
	});
	return sum > 0 ? 0 : -1;
}

static int run_control_marshal(const struct bench_args *a,
			       struct bench_result *r)
{
	union {
		char buf[IPV4_CONTROL_MARSHAL_MAX];
		struct cmsghdr align;
	} control;
	struct ipv4_control_message in = {.ifindex = 1};
	long sum = 0;

	in.src.s_addr = htonl(INADDR_LOOPBACK);
	CODEC_LOOP(a, r, {
		bench_use(&in);
		sum +=
		    ipv4_control_marshal(&in, control.buf, sizeof(control.buf));
		bench_use(control.buf);
	});
	return sum > 0 ? 0 : -1;
}

static int run_control_size(const struct bench_args *a, struct bench_result *r)
{
	unsigned flags = IPV4_CF_TTL | IPV4_CF_DST | IPV4_CF_INTERFACE;
	long sum = 0;

	CODEC_LOOP(a, r, {
		bench_use(&flags);
		sum += ipv4_control_size(flags);
	});
	return sum > 0 ? 0 : -1;
}

static int run_checksum(const struct bench_args *a, struct bench_result *r)
{
	static uint8_t in[1500];
	long sum = 0;

	bench_fill(in, sizeof(in), 5);
	CODEC_LOOP(a, r, {
		bench_use(in);
		sum += ipv4_checksum(in, a->size);
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
