/* SPDX-License-Identifier: MIT */
/*
 * Several threads reading and several writing on one packet conn (UDP) and
 * on one raw conn, while another thread toggles the control-message flags.
 * Every datagram is tagged with its writer and sequence number, and must
 * arrive exactly once with its bytes intact. Build with -DIPV4_SANITIZE=
 * thread to run it under ThreadSanitizer.
 *
 * Each conn sends to itself over the loopback of the test's namespace, as
 * the Go package's concurrent read/write tests do.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"

#define WRITERS 3
#define READERS 3
#define PER_WRITER 1000
#define PAYLOAD_LEN 48
#define BATCH 8
#define PROTO 253
#define STOP_TAG 0xff
#define MS 1000000LL

struct shared {
	int raw; /* 0: packet conn over UDP, 1: raw conn */
	struct ipv4_packet_conn *conn;
	struct ipv4_raw_conn *raw_conn;
	struct sockaddr_in self;
	/* Updated with __atomic builtins by every thread. */
	unsigned char seen[WRITERS][PER_WRITER];
	int received, bad, duplicates, write_errors, read_errors;
	int writers_done, readers_done, toggles;
};

struct worker {
	struct shared *s;
	int id;
};

static unsigned char pattern(int writer, int seq, int j)
{
	return (unsigned char)(writer * 101 + seq * 7 + j);
}

/* Tag (1 byte), sequence (4 bytes big-endian), then a pattern. */
static void payload_fill(unsigned char *p, int writer, int seq)
{
	int j;

	p[0] = (unsigned char)writer;
	p[1] = (unsigned char)(seq >> 24);
	p[2] = (unsigned char)(seq >> 16);
	p[3] = (unsigned char)(seq >> 8);
	p[4] = (unsigned char)seq;
	for (j = 5; j < PAYLOAD_LEN; j++)
		p[j] = pattern(writer, seq, j);
}

static int atomic_load(const int *v)
{
	return __atomic_load_n(v, __ATOMIC_SEQ_CST);
}

static void atomic_inc(int *v)
{
	__atomic_fetch_add(v, 1, __ATOMIC_SEQ_CST);
}

/* Records one received payload; returns 1 for a stop marker. */
static int payload_check(struct shared *s, const unsigned char *p, int len)
{
	int writer, seq, j;

	if (len >= 1 && p[0] == STOP_TAG)
		return 1;
	writer = p[0];
	seq = (int)((unsigned)p[1] << 24 | (unsigned)p[2] << 16 |
		    (unsigned)p[3] << 8 | p[4]);
	if (len != PAYLOAD_LEN || writer >= WRITERS || seq < 0 ||
	    seq >= PER_WRITER) {
		atomic_inc(&s->bad);
		return 0;
	}
	for (j = 5; j < PAYLOAD_LEN; j++) {
		if (p[j] != pattern(writer, seq, j)) {
			atomic_inc(&s->bad);
			return 0;
		}
	}
	if (__atomic_exchange_n(&s->seen[writer][seq], 1, __ATOMIC_SEQ_CST))
		atomic_inc(&s->duplicates);
	else
		atomic_inc(&s->received);
	return 0;
}

/* The control data must be whole even while the flags change. */
static void control_check(struct shared *s,
			  const struct ipv4_control_message *cm)
{
	in_addr_t lo = lab_addr("127.0.0.1", 0).sin_addr.s_addr;

	if (cm->ttl != 0 && cm->ttl != 64)
		atomic_inc(&s->bad);
	if (cm->dst.s_addr != 0 && cm->dst.s_addr != lo)
		atomic_inc(&s->bad);
	if (cm->ifindex != 0 && cm->ifindex != 1)
		atomic_inc(&s->bad);
}

/* Sends one payload; with cm (UDP only) it leaves by loopback, index 1. */
static int send_one(struct shared *s, const unsigned char *p, int with_cm)
{
	struct ipv4_control_message cm = {.ifindex = 1};
	struct ipv4_header h;

	if (!s->raw)
		return ipv4_packet_conn_write_to(s->conn, p, PAYLOAD_LEN,
						 with_cm ? &cm : NULL,
						 &s->self);
	memset(&h, 0, sizeof(h));
	h.ttl = 64;
	h.protocol = PROTO;
	h.dst = s->self.sin_addr;
	return ipv4_raw_conn_write_to(s->raw_conn, &h, p, PAYLOAD_LEN, NULL);
}

/* Sends BATCH payloads from seq on with one write_batch (UDP only). */
static int send_batch(struct shared *s, int writer, int seq)
{
	unsigned char p[BATCH][PAYLOAD_LEN];
	struct iovec iov[BATCH];
	struct ipv4_message ms[BATCH];
	int i, n = 0, sent;

	memset(ms, 0, sizeof(ms));
	for (i = 0; i < BATCH && seq + i < PER_WRITER; i++, n++) {
		payload_fill(p[i], writer, seq + i);
		iov[i].iov_base = p[i];
		iov[i].iov_len = PAYLOAD_LEN;
		ms[i].iov = &iov[i];
		ms[i].iovlen = 1;
		ms[i].addr = s->self;
	}
	for (i = 0; i < n; i += sent) {
		sent = ipv4_packet_conn_write_batch(s->conn, ms + i,
						    (size_t)(n - i), 0);
		if (sent <= 0)
			return sent < 0 ? sent : -EIO;
	}
	return n;
}

static void *writer_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	unsigned char p[PAYLOAD_LEN];
	int seq = 0, n;

	while (seq < PER_WRITER) {
		if (!s->raw && w->id == WRITERS - 1) {
			n = send_batch(s, w->id, seq);
		} else {
			payload_fill(p, w->id, seq);
			n = send_one(s, p, w->id == 1) < 0 ? -1 : 1;
		}
		if (n < 0) {
			atomic_inc(&s->write_errors);
			break;
		}
		seq += n;
		/* Pauses spread the traffic over the toggler's changes. */
		if (seq % 20 < n)
			usleep(200);
	}
	atomic_inc(&s->writers_done);
	return NULL;
}

/* Reads one datagram or a batch; returns 1 once a stop marker arrived. */
static int read_some(struct shared *s, int id)
{
	unsigned char bufs[BATCH][128];
	struct ipv4_control_message cm;
	struct ipv4_message ms[BATCH];
	struct iovec iov[BATCH];
	struct ipv4_header h;
	int i, n, stop = 0, offset;

	if (id == READERS - 1) {
		memset(ms, 0, sizeof(ms));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			ms[i].iov = &iov[i];
			ms[i].iovlen = 1;
		}
		n = ipv4_packet_conn_read_batch(s->conn, ms, BATCH, 0);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			/* Raw batches keep the header: skip it. */
			offset = s->raw ? ipv4_header_parse(&h, bufs[i],
							    ms[i].len)
					: 0;
			if (offset < 0) {
				atomic_inc(&s->bad);
				continue;
			}
			stop |= payload_check(s, bufs[i] + offset,
					      (int)ms[i].len - offset);
		}
		return stop;
	}
	if (s->raw) {
		n = ipv4_raw_conn_read_from(s->raw_conn, bufs[0],
					    sizeof(bufs[0]), &h, &cm);
		offset = n < 0 ? 0 : h.header_len;
	} else {
		n = ipv4_packet_conn_read_from(s->conn, bufs[0],
					       sizeof(bufs[0]), &cm, NULL);
		offset = 0;
	}
	if (n < 0)
		return n;
	control_check(s, &cm);
	return payload_check(s, bufs[0] + offset, n);
}

static void *reader_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	int r;

	for (;;) {
		r = read_some(s, w->id);
		if (r == 1)
			break;
		if (r < 0) {
			atomic_inc(&s->read_errors);
			break;
		}
	}
	atomic_inc(&s->readers_done);
	return NULL;
}

static void *toggler_main(void *arg)
{
	struct shared *s = arg;
	unsigned seed = 1, flags;
	int i, err;

	/* Until every datagram was read, or every writer gave up. */
	for (i = 0; i < 1000000 &&
		    atomic_load(&s->received) < WRITERS * PER_WRITER &&
		    atomic_load(&s->write_errors) == 0;
	     i++) {
		flags = (unsigned)rand_r(&seed) & IPV4_CF_ALL;
		err = ipv4_packet_conn_set_control_message(s->conn, flags,
							   rand_r(&seed) & 1);
		if (err < 0 || ipv4_packet_conn_control_message(s->conn) < 0)
			atomic_inc(&s->bad);
		atomic_inc(&s->toggles);
		if (i % 16 == 0)
			usleep(100);
	}
	return NULL;
}

/* Waits until v reaches want or ms pass; returns 1 if it did. */
static int wait_for(const int *v, int want, int ms)
{
	int64_t end = ipv4_now() + ms * MS;

	while (atomic_load(v) < want) {
		if (ipv4_now() > end)
			return 0;
		usleep(1000);
	}
	return 1;
}

static void run(struct shared *s)
{
	pthread_t writers[WRITERS], readers[READERS], toggler;
	struct worker ws[WRITERS], rs[READERS];
	unsigned char stop[PAYLOAD_LEN];
	int i;

	/*
	 * A backstop, so that no read waits forever whatever goes wrong.
	 * UDP readers take the fast path (no deadline, SO_RCVTIMEO instead),
	 * raw readers the deadline path, where a datagram another reader took
	 * between poll() and recvmsg() sends a reader back to wait.
	 */
	if (s->raw)
		CHECK_OK(ipv4_packet_conn_set_read_deadline(
			s->conn, ipv4_now() + 60000 * MS));
	else
		lab_recv_timeout(s->conn->fd, 60000);
	for (i = 0; i < READERS; i++) {
		rs[i] = (struct worker){s, i};
		CHECK_FATAL(pthread_create(&readers[i], NULL, reader_main,
					   &rs[i]) == 0);
	}
	CHECK_FATAL(pthread_create(&toggler, NULL, toggler_main, s) == 0);
	for (i = 0; i < WRITERS; i++) {
		ws[i] = (struct worker){s, i};
		CHECK_FATAL(pthread_create(&writers[i], NULL, writer_main,
					   &ws[i]) == 0);
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(writers[i], NULL);
	CHECK(wait_for(&s->received, WRITERS * PER_WRITER, 20000));
	pthread_join(toggler, NULL);

	/* Each reader leaves at the first stop marker it reads. */
	memset(stop, STOP_TAG, sizeof(stop));
	for (i = 0; i < 5000 && atomic_load(&s->readers_done) < READERS; i++) {
		send_one(s, stop, 0);
		usleep(1000);
	}
	for (i = 0; i < READERS; i++)
		pthread_join(readers[i], NULL);

	printf("%s: %d received, %d flag changes\n", s->raw ? "raw" : "udp",
	       s->received, s->toggles);
	CHECK_INT_EQ(s->received, WRITERS * PER_WRITER);
	CHECK_INT_EQ(s->duplicates, 0);
	CHECK_INT_EQ(s->bad, 0);
	CHECK_INT_EQ(s->write_errors, 0);
	CHECK_INT_EQ(s->read_errors, 0);
	CHECK(s->toggles > 0);
}

static void big_receive_buffer(int fd)
{
	int size = 16 << 20;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		CHECK_OK(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
				    sizeof(size)));
}

static void test_packet_conn(void)
{
	static struct shared s;
	struct ipv4_packet_conn c;
	int fd = lab_udp(NULL, "127.0.0.1", 5300);

	big_receive_buffer(fd);
	CHECK_OK(ipv4_packet_conn_init(&c, fd));
	s.conn = &c;
	s.self = lab_addr("127.0.0.1", 5300);
	run(&s);
	CHECK_OK(ipv4_packet_conn_close(&c));
}

static void test_raw_conn(void)
{
	static struct shared s;
	struct ipv4_raw_conn c;
	int fd = socket(AF_INET, SOCK_RAW, PROTO);

	CHECK_FATAL(fd >= 0);
	big_receive_buffer(fd);
	CHECK_OK(ipv4_raw_conn_init(&c, fd));
	s.raw = 1;
	s.conn = &c.conn;
	s.raw_conn = &c;
	s.self = lab_addr("127.0.0.1", 0);
	run(&s);
	CHECK_OK(ipv4_packet_conn_close(&c.conn));
}

int main(void)
{
	lab_init();
	test_packet_conn();
	test_raw_conn();
	return check_exit();
}
