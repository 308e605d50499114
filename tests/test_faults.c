/* SPDX-License-Identifier: MIT */
/*
 * Faults the kernel returns under packet conns. The tests cover EINTR from
 * a signal storm, EAGAIN on non-blocking fds, a batch write cut short by
 * EAGAIN or ENOBUFS, and datagrams and ancillary data longer than the
 * buffers. They also pass fds that are closed, invalid or of the wrong
 * family or type to every function that takes one.
 *
 * The lab is two namespaces on a veth pair: "a" (10.0.0.1, va) sends to
 * "b" (10.0.0.2, vb). A tbf qdisc on va holds datagrams back, which is how
 * a UDP sender comes to block, to see EAGAIN or to see ENOBUFS: tbf keeps
 * each queued skb charged to the sending socket (net/sched/sch_tbf.c, Linux
 * 6.18), while loopback and netem release it at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "lab.h"

#define PORT 4000
#define SENDER_IP "10.0.0.1"
#define RECEIVER_IP "10.0.0.2"
#define NS_PER_SEC 1000000000LL

/* Datagrams per storm phase and their payload size. */
#define STORM_READS 400
#define STORM_WRITES 300
#define WRITE_SIZE 1000

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/*
 * Starts SIGALRM every millisecond. The handler is installed without
 * SA_RESTART, so a system call blocked in the thread that takes the signal
 * fails with EINTR instead of restarting in the kernel.
 */
static void storm_start(void)
{
	struct sigaction sa;
	struct itimerval every_ms = {{0, 1000}, {0, 1000}};

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	CHECK_FATAL(sigaction(SIGALRM, &sa, NULL) == 0);
	alarms = 0;
	CHECK_FATAL(setitimer(ITIMER_REAL, &every_ms, NULL) == 0);
}

static void storm_stop(void)
{
	struct itimerval off;

	memset(&off, 0, sizeof(off));
	CHECK_FATAL(setitimer(ITIMER_REAL, &off, NULL) == 0);
}

/* Blocks or unblocks SIGALRM in the calling thread. */
static void alarm_mask(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	CHECK_FATAL(pthread_sigmask(how, &set, NULL) == 0);
}

static double seconds_since(int64_t start)
{
	return (double)(ipv4_now() - start) / NS_PER_SEC;
}

static void conn_open(struct ipv4_packet_conn *c, int fd)
{
	int err = ipv4_packet_conn_init(c, fd);

	if (err < 0) {
		fprintf(stderr, "ipv4_packet_conn_init: %s\n",
			ipv4_strerror(err));
		exit(1);
	}
}

static void set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	CHECK_FATAL(flags >= 0);
	CHECK_FATAL(fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0);
}

static void set_int_option(int fd, int level, int name, int value)
{
	CHECK_FATAL(setsockopt(fd, level, name, &value, sizeof(value)) == 0);
}

/* Puts a tbf qdisc on va; rate and sizes as tc(8) spells them. */
static void shaper_set(const char *rate, const char *burst, const char *limit)
{
	lab_must("ip netns exec a tc qdisc replace dev va root tbf rate %s "
		 "burst %s limit %s",
		 rate, burst, limit);
}

static void shaper_clear(void)
{
	lab_sh("ip netns exec a tc qdisc del dev va root 2>/dev/null");
}

/*
 * Reads until nothing arrives for quiet_ms and checks that exactly the
 * datagrams with seq first .. first + expected - 1 came, in order and
 * intact. Returns how many arrived.
 */
static int drain_expect(struct ipv4_packet_conn *rc, uint32_t first,
			int expected, int quiet_ms)
{
	unsigned char buf[2048];
	uint32_t seq;
	int got = 0, n;

	lab_recv_timeout(rc->fd, quiet_ms);
	for (;;) {
		n = ipv4_packet_conn_read_from(rc, buf, sizeof(buf), NULL,
					       NULL);
		if (n == -EAGAIN)
			break;
		CHECK_OK(n);
		if (n < 0)
			break;
		CHECK_INT_EQ(lab_payload_check(buf, (size_t)n, &seq), 0);
		CHECK_INT_EQ(seq, first + (uint32_t)got);
		got++;
		if (got > expected + 1000)
			break;
	}
	CHECK_INT_EQ(got, expected);
	return got;
}

/* The sender of the EINTR read phase: one datagram per millisecond. */
struct paced_sender {
	struct ipv4_packet_conn conn;
	int count;
	int errors;
};

static void *paced_send(void *arg)
{
	struct paced_sender *s = arg;
	struct sockaddr_in dst = lab_addr(RECEIVER_IP, PORT);
	struct timespec ms = {0, 1000000};
	unsigned char buf[200];
	int i, n;

	for (i = 0; i < s->count; i++) {
		lab_payload_fill(buf, sizeof(buf), (uint32_t)i);
		n = ipv4_packet_conn_write_to(&s->conn, buf, sizeof(buf),
					      NULL, &dst);
		if (n != (int)sizeof(buf))
			s->errors++;
		nanosleep(&ms, NULL);
	}
	return NULL;
}

/*
 * Blocking reads under the storm: the reader waits for each datagram in
 * recvmsg() (the first half) or in poll() under a read deadline (the second
 * half) and takes the signals, while the sender has SIGALRM blocked.
 */
static void test_eintr_reads(void)
{
	struct ipv4_packet_conn rc;
	struct paced_sender sender = {.count = STORM_READS};
	struct ipv4_control_message cm;
	struct sockaddr_in src;
	unsigned char buf[512];
	pthread_t thread;
	uint32_t seq;
	int i, n, vb = lab_ifindex("b", "vb");

	conn_open(&rc, lab_udp("b", RECEIVER_IP, PORT));
	CHECK_OK(ipv4_packet_conn_set_control_message(&rc, IPV4_CF_ALL, 1));
	lab_recv_timeout(rc.fd, 5000);
	conn_open(&sender.conn, lab_udp("a", SENDER_IP, 0));
	CHECK_OK(ipv4_set_ttl(sender.conn.fd, 33));

	alarm_mask(SIG_BLOCK);
	CHECK_FATAL(pthread_create(&thread, NULL, paced_send, &sender) == 0);
	alarm_mask(SIG_UNBLOCK);
	storm_start();
	for (i = 0; i < STORM_READS; i++) {
		if (i == STORM_READS / 2)
			CHECK_OK(ipv4_packet_conn_set_read_deadline(
				&rc, ipv4_now() + 20 * NS_PER_SEC));
		n = ipv4_packet_conn_read_from(&rc, buf, sizeof(buf), &cm,
					       &src);
		CHECK_INT_EQ(n, 200);
		if (n != 200)
			break;
		CHECK_INT_EQ(lab_payload_check(buf, (size_t)n, &seq), 0);
		CHECK_INT_EQ(seq, (uint32_t)i);
		CHECK_INT_EQ(cm.ttl, 33);
		CHECK_INT_EQ(cm.ifindex, vb);
		CHECK_INT_EQ(cm.dst.s_addr, inet_addr(RECEIVER_IP));
		CHECK_INT_EQ(src.sin_addr.s_addr, inet_addr(SENDER_IP));
	}
	storm_stop();
	pthread_join(thread, NULL);

	printf("eintr reads: %d datagrams, %d signals\n", i, (int)alarms);
	CHECK_INT_EQ(sender.errors, 0);
	CHECK(alarms >= 50);
	ipv4_packet_conn_close(&rc);
	ipv4_packet_conn_close(&sender.conn);
}

/* The receiver of the EINTR write phase, with SIGALRM blocked. */
struct checked_receiver {
	struct ipv4_packet_conn conn;
	int expected;
	int received;
	int errors;
};

static void *checked_receive(void *arg)
{
	struct checked_receiver *r = arg;
	unsigned char buf[2048];
	uint32_t seq;
	int n;

	alarm_mask(SIG_BLOCK);
	while (r->received < r->expected) {
		n = ipv4_packet_conn_read_from(&r->conn, buf, sizeof(buf),
					       NULL, NULL);
		if (n < 0) {
			fprintf(stderr, "receiver: %s after %d datagrams\n",
				ipv4_strerror(n), r->received);
			r->errors++;
			break;
		}
		if (n != WRITE_SIZE ||
		    lab_payload_check(buf, (size_t)n, &seq) != 0 ||
		    seq != (uint32_t)r->received) {
			r->errors++;
			break;
		}
		r->received++;
	}
	return NULL;
}

/* Sends datagrams first .. first + count - 1 in batches of up to 10. */
static void storm_write_batches(struct ipv4_packet_conn *c, int first,
				int count)
{
	unsigned char bufs[10][WRITE_SIZE];
	struct iovec iov[10];
	struct ipv4_message ms[10];
	int sent = 0, n, i, chunk;

	while (sent < count) {
		chunk = count - sent < 10 ? count - sent : 10;
		memset(ms, 0, sizeof(ms));
		for (i = 0; i < chunk; i++) {
			lab_payload_fill(bufs[i], WRITE_SIZE,
					 (uint32_t)(first + sent + i));
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = WRITE_SIZE;
			ms[i].iov = &iov[i];
			ms[i].iovlen = 1;
			ms[i].addr = lab_addr(RECEIVER_IP, PORT);
		}
		n = ipv4_packet_conn_write_batch(c, ms, (size_t)chunk, 0);
		CHECK(n > 0);
		CHECK(n <= chunk);
		if (n <= 0)
			return;
		for (i = 0; i < n; i++)
			CHECK_INT_EQ(ms[i].len, WRITE_SIZE);
		sent += n;
	}
}

/*
 * Blocking writes under the storm: tbf at 4 Mbit/s and a 4 KiB send buffer
 * make each write wait for the queue to drain, and the signals land in the
 * writer. Half the datagrams go one by one, half in batches.
 */
static void test_eintr_writes(void)
{
	struct checked_receiver receiver = {.expected = STORM_WRITES};
	struct ipv4_packet_conn wc;
	struct sockaddr_in dst = lab_addr(RECEIVER_IP, PORT);
	unsigned char buf[WRITE_SIZE];
	pthread_t thread;
	int64_t start;
	int i, n, half = STORM_WRITES / 2;
	double elapsed;

	shaper_set("4mbit", "4kb", "256kb");
	conn_open(&receiver.conn, lab_udp("b", RECEIVER_IP, PORT));
	lab_recv_timeout(receiver.conn.fd, 10000);
	conn_open(&wc, lab_udp("a", SENDER_IP, 0));
	set_int_option(wc.fd, SOL_SOCKET, SO_SNDBUF, 4096);
	CHECK_FATAL(pthread_create(&thread, NULL, checked_receive,
				   &receiver) == 0);

	start = ipv4_now();
	storm_start();
	for (i = 0; i < half; i++) {
		lab_payload_fill(buf, sizeof(buf), (uint32_t)i);
		n = ipv4_packet_conn_write_to(&wc, buf, sizeof(buf), NULL,
					      &dst);
		CHECK_INT_EQ(n, WRITE_SIZE);
	}
	storm_write_batches(&wc, half, STORM_WRITES - half);
	storm_stop();
	elapsed = seconds_since(start);
	pthread_join(thread, NULL);

	printf("eintr writes: %d of %d datagrams received, %d signals, "
	       "%.2f s\n",
	       receiver.received, STORM_WRITES, (int)alarms, elapsed);
	CHECK_INT_EQ(receiver.errors, 0);
	CHECK_INT_EQ(receiver.received, STORM_WRITES);
	/* 300 kB at 4 Mbit/s take 0.6 s: the writes did wait. */
	CHECK(elapsed > 0.3);
	CHECK(alarms >= 50);
	ipv4_packet_conn_close(&receiver.conn);
	ipv4_packet_conn_close(&wc);
	shaper_clear();
}

/* Fills a batch of count datagrams of WRITE_SIZE bytes, seq from first. */
static void batch_fill(struct ipv4_message *ms, struct iovec *iov,
		       unsigned char (*bufs)[WRITE_SIZE], int count,
		       uint32_t first)
{
	int i;

	memset(ms, 0, sizeof(*ms) * (size_t)count);
	for (i = 0; i < count; i++) {
		lab_payload_fill(bufs[i], WRITE_SIZE, first + (uint32_t)i);
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = WRITE_SIZE;
		ms[i].iov = &iov[i];
		ms[i].iovlen = 1;
		ms[i].addr = lab_addr(RECEIVER_IP, PORT);
	}
}

/* Non-blocking reads return -EAGAIN at once, with a deadline or without. */
static void test_eagain_reads(void)
{
	struct ipv4_packet_conn rc;
	struct ipv4_control_message cm;
	struct ipv4_message m;
	struct iovec iov;
	unsigned char buf[64];
	int64_t start;
	int fd = lab_udp("b", RECEIVER_IP, PORT);

	set_nonblocking(fd);
	conn_open(&rc, fd);
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	memset(&m, 0, sizeof(m));
	m.iov = &iov;
	m.iovlen = 1;

	CHECK_ERR(ipv4_packet_conn_read_from(&rc, buf, sizeof(buf), &cm, NULL),
		  -EAGAIN);
	CHECK_ERR(ipv4_packet_conn_read_batch(&rc, &m, 1, 0), -EAGAIN);

	start = ipv4_now();
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rc, start + NS_PER_SEC));
	CHECK_ERR(ipv4_packet_conn_read_from(&rc, buf, sizeof(buf), &cm, NULL),
		  -EAGAIN);
	CHECK_ERR(ipv4_packet_conn_read_batch(&rc, &m, 1, 0), -EAGAIN);
	CHECK(seconds_since(start) < 0.5);
	ipv4_packet_conn_close(&rc);
}

/*
 * Non-blocking writes into a full send buffer: single writes and batches
 * return -EAGAIN, and exactly the datagrams reported sent arrive.
 */
static void test_eagain_writes(void)
{
	unsigned char bufs[8][WRITE_SIZE];
	struct ipv4_message ms[8];
	struct iovec iov[8];
	struct ipv4_packet_conn rc, wc;
	struct sockaddr_in dst = lab_addr(RECEIVER_IP, PORT);
	int fd, n = 0, sent = 0, i;

	shaper_set("400kbit", "2kb", "256kb");
	conn_open(&rc, lab_udp("b", RECEIVER_IP, PORT));
	fd = lab_udp("a", SENDER_IP, 0);
	set_int_option(fd, SOL_SOCKET, SO_SNDBUF, 4096);
	set_nonblocking(fd);
	conn_open(&wc, fd);

	for (i = 0; i < 1000; i++) {
		lab_payload_fill(bufs[0], WRITE_SIZE, (uint32_t)sent);
		n = ipv4_packet_conn_write_to(&wc, bufs[0], WRITE_SIZE, NULL,
					      &dst);
		if (n != WRITE_SIZE)
			break;
		sent++;
	}
	CHECK_ERR(n, -EAGAIN);
	CHECK(sent > 0);

	/* The buffer is still full: the first message fails, so -EAGAIN. */
	batch_fill(ms, iov, bufs, 8, (uint32_t)sent);
	n = ipv4_packet_conn_write_batch(&wc, ms, 8, 0);
	CHECK(n == -EAGAIN || (n >= 0 && n < 8));
	if (n > 0)
		sent += n;

	/* A write deadline changes nothing on a non-blocking fd. */
	CHECK_OK(ipv4_packet_conn_set_write_deadline(&wc, ipv4_now() +
								  NS_PER_SEC));
	lab_payload_fill(bufs[0], WRITE_SIZE, (uint32_t)sent);
	n = ipv4_packet_conn_write_to(&wc, bufs[0], WRITE_SIZE, NULL, &dst);
	CHECK(n == -EAGAIN || n == WRITE_SIZE);
	if (n == WRITE_SIZE)
		sent++;

	printf("eagain writes: %d datagrams sent before EAGAIN\n", sent);
	drain_expect(&rc, 0, sent, 1500);
	ipv4_packet_conn_close(&rc);
	ipv4_packet_conn_close(&wc);
	shaper_clear();
}

/*
 * A batch of 64 into a 4 KiB send buffer: sendmmsg() stops at the first
 * EAGAIN, and the count returned is exactly what arrives.
 */
static void test_batch_partial_eagain(void)
{
	unsigned char bufs[64][WRITE_SIZE];
	struct ipv4_message ms[64];
	struct iovec iov[64];
	struct ipv4_packet_conn rc, wc;
	int fd, n, i;

	shaper_set("1mbit", "2kb", "256kb");
	conn_open(&rc, lab_udp("b", RECEIVER_IP, PORT));
	fd = lab_udp("a", SENDER_IP, 0);
	set_int_option(fd, SOL_SOCKET, SO_SNDBUF, 4096);
	set_nonblocking(fd);
	conn_open(&wc, fd);

	batch_fill(ms, iov, bufs, 64, 0);
	n = ipv4_packet_conn_write_batch(&wc, ms, 64, 0);
	printf("batch cut by EAGAIN: %d of 64 sent\n", n);
	CHECK(n > 0);
	CHECK(n < 64);
	for (i = 0; i < n; i++)
		CHECK_INT_EQ(ms[i].len, WRITE_SIZE);
	if (n > 0)
		drain_expect(&rc, 0, n, 1500);
	ipv4_packet_conn_close(&rc);
	ipv4_packet_conn_close(&wc);
	shaper_clear();
}

/*
 * A batch of 64 into a tbf queue of 8 KiB with IP_RECVERR on: the qdisc
 * drops a datagram, sendmmsg() stops there with ENOBUFS, and the count
 * returned is exactly what arrives. Without IP_RECVERR the kernel's
 * udp_send_skb() reports such a drop as sent and counts it only in
 * SndbufErrors, which no caller can see per datagram.
 */
static void test_batch_partial_enobufs(void)
{
	unsigned char bufs[64][WRITE_SIZE];
	struct ipv4_message ms[64];
	struct iovec iov[64];
	struct ipv4_packet_conn rc, wc;
	int fd, n, i, lone;

	shaper_set("1mbit", "2kb", "8kb");
	conn_open(&rc, lab_udp("b", RECEIVER_IP, PORT));
	fd = lab_udp("a", SENDER_IP, 0);
	set_int_option(fd, SOL_SOCKET, SO_SNDBUF, 1 << 20);
	set_int_option(fd, IPPROTO_IP, IP_RECVERR, 1);
	conn_open(&wc, fd);

	batch_fill(ms, iov, bufs, 64, 0);
	n = ipv4_packet_conn_write_batch(&wc, ms, 64, 0);
	CHECK_FATAL(n > 0 && n < 64);
	for (i = 0; i < n; i++)
		CHECK_INT_EQ(ms[i].len, WRITE_SIZE);

	/*
	 * The queue is still full, so a lone write reports the drop, unless
	 * tbf sent a datagram on in between (one per 8 ms at this rate).
	 */
	lone = ipv4_packet_conn_write_to(&wc, bufs[n], WRITE_SIZE, NULL,
					 &ms[0].addr);
	CHECK(lone == -ENOBUFS || lone == WRITE_SIZE);
	printf("batch cut by ENOBUFS: %d of 64 sent, then %s\n", n,
	       ipv4_err_name(lone));
	drain_expect(&rc, 0, n + (lone == WRITE_SIZE), 1500);
	ipv4_packet_conn_close(&rc);
	ipv4_packet_conn_close(&wc);
	shaper_clear();
}

static void send_bytes(int fd, const void *buf, size_t len, uint16_t port)
{
	struct sockaddr_in dst = lab_addr("127.0.0.1", port);

	CHECK_INT_EQ(sendto(fd, buf, len, 0, (struct sockaddr *)&dst,
			    sizeof(dst)),
		     (long long)len);
}

/*
 * Single reads: a datagram longer than the buffer gives
 * IPV4_ERR_TRUNCATED with its first bytes, the source and the control
 * message. Ancillary data from many socket options at once still fits the
 * conn's control buffer.
 */
static void test_truncated_single(void)
{
	struct ipv4_packet_conn rc;
	struct ipv4_control_message cm;
	struct sockaddr_in src, self;
	socklen_t self_len = sizeof(self);
	unsigned char data[100], buf[sizeof(data)];
	int fd = lab_udp(NULL, "127.0.0.1", PORT);
	int sender = lab_udp(NULL, "127.0.0.1", 0);
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 1);
	CHECK_FATAL(getsockname(sender, (struct sockaddr *)&self,
				&self_len) == 0);
	CHECK_OK(ipv4_set_ttl(sender, 77));
	conn_open(&rc, fd);
	lab_recv_timeout(fd, 2000);
	CHECK_OK(ipv4_packet_conn_set_control_message(&rc, IPV4_CF_ALL, 1));

	send_bytes(sender, data, sizeof(data), PORT);
	memset(buf, 0, sizeof(buf));
	CHECK_ERR(ipv4_packet_conn_read_from(&rc, buf, 10, &cm, &src),
		  IPV4_ERR_TRUNCATED);
	CHECK_MEM_EQ(buf, data, 10);
	CHECK_INT_EQ(buf[10], 0);
	CHECK_INT_EQ(src.sin_port, self.sin_port);
	CHECK_INT_EQ(cm.ttl, 77);
	CHECK_INT_EQ(cm.dst.s_addr, htonl(INADDR_LOOPBACK));
	CHECK_INT_EQ(cm.ifindex, 1);

	/* The rest of that datagram is gone; the next one reads whole. */
	send_bytes(sender, data, 5, PORT);
	CHECK_INT_EQ(ipv4_packet_conn_read_from(&rc, buf, sizeof(buf), &cm,
						&src),
		     5);

	/*
	 * A timestamp (32 bytes) and IP_TOS (24) beside IP_PKTINFO (32) and
	 * IP_TTL (24) fit the conn's 512 bytes of ancillary space: the whole
	 * datagram and every control field arrive.
	 */
	set_int_option(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
	set_int_option(fd, IPPROTO_IP, IP_RECVTOS, 1);
	send_bytes(sender, data, sizeof(data), PORT);
	memset(buf, 0, sizeof(buf));
	CHECK_INT_EQ(ipv4_packet_conn_read_from(&rc, buf, sizeof(buf), &cm,
						&src),
		     (int)sizeof(data));
	CHECK_MEM_EQ(buf, data, sizeof(data));
	CHECK_INT_EQ(src.sin_port, self.sin_port);
	CHECK_INT_EQ(cm.ttl, 77);
	CHECK_INT_EQ(cm.dst.s_addr, htonl(INADDR_LOOPBACK));
	CHECK_INT_EQ(cm.ifindex, 1);

	/* A zero-length buffer still takes the datagram and reports it cut. */
	send_bytes(sender, data, sizeof(data), PORT);
	CHECK_ERR(ipv4_packet_conn_read_from(&rc, NULL, 0, NULL, NULL),
		  IPV4_ERR_TRUNCATED);
	/* A zero-length write sends an empty datagram, which reads as 0. */
	self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	self.sin_port = htons(PORT);
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&rc, NULL, 0, NULL, &self), 0);
	CHECK_INT_EQ(ipv4_packet_conn_read_from(&rc, buf, sizeof(buf), NULL,
						&src),
		     0);

	/* Without cm no ancillary data is asked for, so nothing is cut. */
	send_bytes(sender, data, sizeof(data), PORT);
	CHECK_INT_EQ(ipv4_packet_conn_read_from(&rc, buf, sizeof(buf), NULL,
						NULL),
		     (int)sizeof(data));
	ipv4_packet_conn_close(&rc);
	close(sender);
}

/*
 * Batch reads flag each short message on its own: MSG_TRUNC for a buffer
 * of 10 bytes, MSG_CTRUNC for a control buffer with room for IP_TTL only,
 * and neither for the message whose buffers are large enough.
 */
static void test_truncated_batch(void)
{
	struct ipv4_packet_conn rc;
	struct ipv4_control_message cm;
	struct ipv4_message ms[2];
	struct iovec iov[2];
	union {
		struct cmsghdr align;
		unsigned char buf[IPV4_CONTROL_RECV_MAX];
	} small, large;
	unsigned char data[100], short_buf[10], long_buf[200];
	int fd = lab_udp(NULL, "127.0.0.1", PORT);
	int sender = lab_udp(NULL, "127.0.0.1", 0);
	int got;
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 3 + 5);
	memset(short_buf, 0, sizeof(short_buf));
	memset(long_buf, 0, sizeof(long_buf));
	conn_open(&rc, fd);
	lab_recv_timeout(fd, 2000);
	CHECK_OK(ipv4_packet_conn_set_control_message(&rc, IPV4_CF_ALL, 1));
	CHECK_OK(ipv4_set_ttl(sender, 45));
	send_bytes(sender, data, sizeof(data), PORT);
	send_bytes(sender, data, sizeof(data), PORT);

	memset(ms, 0, sizeof(ms));
	iov[0].iov_base = short_buf;
	iov[0].iov_len = sizeof(short_buf);
	iov[1].iov_base = long_buf;
	iov[1].iov_len = sizeof(long_buf);
	ms[0].iov = &iov[0];
	ms[0].iovlen = 1;
	ms[0].control = small.buf;
	ms[0].control_cap = CMSG_SPACE(sizeof(int));
	ms[1].iov = &iov[1];
	ms[1].iovlen = 1;
	ms[1].control = large.buf;
	ms[1].control_cap = sizeof(large.buf);
	got = lab_read_batch(&rc, ms, 2);
	CHECK_INT_EQ(got, 2);

	CHECK(ms[0].flags & MSG_TRUNC);
	CHECK(ms[0].flags & MSG_CTRUNC);
	CHECK_INT_EQ(ms[0].len, sizeof(short_buf));
	CHECK_MEM_EQ(short_buf, data, sizeof(short_buf));

	CHECK_INT_EQ(ms[1].flags & (MSG_TRUNC | MSG_CTRUNC), 0);
	CHECK_INT_EQ(ms[1].len, sizeof(data));
	CHECK_MEM_EQ(long_buf, data, sizeof(data));
	CHECK_OK(ipv4_control_parse(&cm, large.buf, ms[1].control_len));
	CHECK_INT_EQ(cm.ttl, 45);
	CHECK_INT_EQ(cm.dst.s_addr, htonl(INADDR_LOOPBACK));
	CHECK_INT_EQ(cm.ifindex, 1);
	ipv4_packet_conn_close(&rc);
	close(sender);
}

/* Sockets of every kind the fd-level functions can be handed by mistake. */
struct wrong_socket {
	const char *name;
	int domain;
	int type;
};

static const struct wrong_socket wrong_sockets[] = {
	{"TCP", AF_INET, SOCK_STREAM},
	{"UDP over IPv6", AF_INET6, SOCK_DGRAM},
	{"UNIX datagram", AF_UNIX, SOCK_DGRAM},
	{"UNIX stream", AF_UNIX, SOCK_STREAM},
};

/*
 * Calls every fd-level function on fd and checks the codes: each entry of
 * expect[] is the code for one call, in the order below.
 */
enum fd_call {
	FD_TOS,
	FD_SET_TOS,
	FD_TTL,
	FD_SET_TTL,
	FD_MULTICAST_IF,
	FD_MULTICAST_TTL,
	FD_SET_MULTICAST_TTL,
	FD_MULTICAST_LOOP,
	FD_SET_MULTICAST_LOOP,
	FD_JOIN,
	FD_LEAVE,
	FD_JOIN_SOURCE,
	FD_LEAVE_SOURCE,
	FD_EXCLUDE_SOURCE,
	FD_INCLUDE_SOURCE,
	FD_BPF_ATTACH,
	FD_BPF_DETACH,
	FD_BPF_LOCK,
	FD_ICMP_FILTER_GET,
	FD_ICMP_FILTER_SET,
	FD_CONN_INIT,
	FD_RAW_CONN_INIT,
	FD_CALLS,
};

static const char *const fd_call_names[FD_CALLS] = {
	"ipv4_tos",
	"ipv4_set_tos",
	"ipv4_ttl",
	"ipv4_set_ttl",
	"ipv4_set_multicast_interface",
	"ipv4_multicast_ttl",
	"ipv4_set_multicast_ttl",
	"ipv4_multicast_loopback",
	"ipv4_set_multicast_loopback",
	"ipv4_join_group",
	"ipv4_leave_group",
	"ipv4_join_source_group",
	"ipv4_leave_source_group",
	"ipv4_exclude_source",
	"ipv4_include_source",
	"ipv4_bpf_attach",
	"ipv4_bpf_detach",
	"ipv4_bpf_lock",
	"ipv4_icmp_filter_get",
	"ipv4_icmp_filter_set",
	"ipv4_packet_conn_init",
	"ipv4_raw_conn_init",
};

static int fd_call(enum fd_call call, int fd)
{
	struct sockaddr_in group = lab_addr("232.1.1.1", 0);
	struct sockaddr_in source = lab_addr("10.0.0.9", 0);
	const struct sockaddr *g = (const struct sockaddr *)&group;
	const struct sockaddr *s = (const struct sockaddr *)&source;
	struct sock_filter accept_all = BPF_STMT(BPF_RET | BPF_K, 0xffff);
	struct ipv4_icmp_filter filter = {0};
	struct ipv4_packet_conn conn;
	struct ipv4_raw_conn raw;

	switch (call) {
	case FD_TOS:
		return ipv4_tos(fd);
	case FD_SET_TOS:
		return ipv4_set_tos(fd, 0x10);
	case FD_TTL:
		return ipv4_ttl(fd);
	case FD_SET_TTL:
		return ipv4_set_ttl(fd, 9);
	case FD_MULTICAST_IF:
		return ipv4_set_multicast_interface(fd, 1);
	case FD_MULTICAST_TTL:
		return ipv4_multicast_ttl(fd);
	case FD_SET_MULTICAST_TTL:
		return ipv4_set_multicast_ttl(fd, 3);
	case FD_MULTICAST_LOOP:
		return ipv4_multicast_loopback(fd);
	case FD_SET_MULTICAST_LOOP:
		return ipv4_set_multicast_loopback(fd, 0);
	case FD_JOIN:
		return ipv4_join_group(fd, 1, g);
	case FD_LEAVE:
		return ipv4_leave_group(fd, 1, g);
	case FD_JOIN_SOURCE:
		return ipv4_join_source_group(fd, 1, g, s);
	case FD_LEAVE_SOURCE:
		return ipv4_leave_source_group(fd, 1, g, s);
	case FD_EXCLUDE_SOURCE:
		return ipv4_exclude_source(fd, 1, g, s);
	case FD_INCLUDE_SOURCE:
		return ipv4_include_source(fd, 1, g, s);
	case FD_BPF_ATTACH:
		return ipv4_bpf_attach(fd, &accept_all, 1);
	case FD_BPF_DETACH:
		return ipv4_bpf_detach(fd);
	case FD_BPF_LOCK:
		return ipv4_bpf_lock(fd);
	case FD_ICMP_FILTER_GET:
		return ipv4_icmp_filter_get(fd, &filter);
	case FD_ICMP_FILTER_SET:
		return ipv4_icmp_filter_set(fd, &filter);
	case FD_CONN_INIT:
		return ipv4_packet_conn_init(&conn, fd);
	case FD_RAW_CONN_INIT:
		return ipv4_raw_conn_init(&raw, fd);
	case FD_CALLS:
		break;
	}
	return 0;
}

/* Checks the code of every fd-level call on a fresh socket of kind. */
static void check_fd_calls(const char *kind, int (*open_fd)(const void *),
			   const void *arg, const int expect[FD_CALLS])
{
	int call, fd, r;

	for (call = 0; call < FD_CALLS; call++) {
		fd = open_fd(arg);
		r = fd_call((enum fd_call)call, fd);
		if (r != expect[call]) {
			fprintf(stderr,
				"%s on %s: returned %d (%s), expected %d "
				"(%s)\n",
				fd_call_names[call], kind, r, ipv4_err_name(r),
				expect[call], ipv4_err_name(expect[call]));
			check_failures++;
		}
		if (fd >= 0)
			close(fd);
	}
}

static int open_minus_one(const void *arg)
{
	(void)arg;
	return -1;
}

/* Returns an fd number that was just closed (nothing else opens fds). */
static int open_closed(const void *arg)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	(void)arg;
	CHECK_FATAL(fd >= 0);
	close(fd);
	return fd;
}

static int open_wrong(const void *arg)
{
	const struct wrong_socket *w = arg;
	int fd = socket(w->domain, w->type, 0);

	CHECK_FATAL(fd >= 0);
	return fd;
}

static int open_dev_null(const void *arg)
{
	int fd = open("/dev/null", O_RDWR);

	(void)arg;
	CHECK_FATAL(fd >= 0);
	return fd;
}

/*
 * The codes each fd-level function returns for fds that are no IPv4
 * datagram socket. -1 is caught before any system call; the rest are the
 * codes the kernel returns (Linux 6.18), which the library passes up.
 */
static void test_bad_fds(void)
{
	int bad[FD_CALLS], not_socket[FD_CALLS], i;
	static const int tcp[FD_CALLS] = {
		0, 0, 64, 0, -EINVAL, 1, -EINVAL, 1, 0, -EPROTO,
		-EPROTO, 0, -EINVAL, -EINVAL, -EINVAL, 0, -ENOENT,
		0, -EOPNOTSUPP, -ENOPROTOOPT, IPV4_ERR_INVALID_CONN_TYPE,
		IPV4_ERR_INVALID_CONN_TYPE};
	/*
	 * Linux applies IP-level options to an AF_INET6 socket's IPv4-mapped
	 * traffic, so an IPv6 UDP socket takes them, as a dual-stack socket
	 * should; only the conns check the family.
	 */
	static const int udp6[FD_CALLS] = {
		0, 0, 64, 0, 0, 1, 0, 1, 0, 0,
		-EADDRNOTAVAIL, 0, -EINVAL, -EINVAL, -EINVAL, 0, -ENOENT,
		0, -ENOPROTOOPT, -ENOPROTOOPT, IPV4_ERR_NOT_IPV4,
		IPV4_ERR_NOT_IPV4};
	static const int unix_socket[FD_CALLS] = {
		-EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP,
		-EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP,
		-EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP,
		-EOPNOTSUPP, -EOPNOTSUPP, -EOPNOTSUPP, 0, -ENOENT, 0,
		-EOPNOTSUPP, -EOPNOTSUPP, IPV4_ERR_NOT_IPV4,
		IPV4_ERR_NOT_IPV4};
	const int *kinds[] = {tcp, udp6, unix_socket, unix_socket};

	for (i = 0; i < FD_CALLS; i++) {
		bad[i] = -EBADF;
		not_socket[i] = -ENOTSOCK;
	}
	check_fd_calls("fd -1", open_minus_one, NULL, bad);
	check_fd_calls("a closed fd", open_closed, NULL, bad);
	check_fd_calls("/dev/null", open_dev_null, NULL, not_socket);
	for (i = 0; i < 4; i++)
		check_fd_calls(wrong_sockets[i].name, open_wrong,
			       &wrong_sockets[i], kinds[i]);
}

/*
 * Every conn function on a NULL conn, on one closed with
 * ipv4_packet_conn_close() and on one whose fd the caller closed behind
 * its back.
 */
static void check_conn_calls(struct ipv4_packet_conn *c, int code)
{
	unsigned char buf[16] = {0};
	struct sockaddr_in dst = lab_addr("127.0.0.1", PORT);
	struct ipv4_message m;
	struct iovec iov = {buf, sizeof(buf)};

	memset(&m, 0, sizeof(m));
	m.iov = &iov;
	m.iovlen = 1;
	m.addr = dst;
	CHECK_ERR(ipv4_packet_conn_read_from(c, buf, sizeof(buf), NULL, NULL),
		  code);
	CHECK_ERR(ipv4_packet_conn_write_to(c, buf, sizeof(buf), NULL, &dst),
		  code);
	CHECK_ERR(ipv4_packet_conn_read_batch(c, &m, 1, 0), code);
	CHECK_ERR(ipv4_packet_conn_write_batch(c, &m, 1, 0), code);
	CHECK_ERR(ipv4_packet_conn_set_control_message(c, IPV4_CF_TTL, 1),
		  code);
	CHECK_ERR(ipv4_packet_conn_set_multicast_interface(c, 1), code);
}

static void test_bad_conns(void)
{
	struct ipv4_packet_conn c;
	struct ipv4_raw_conn raw;
	struct ipv4_header h;
	unsigned char buf[64];

	check_conn_calls(NULL, IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_control_message(NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_multicast_interface(NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_set_deadline(NULL, 0),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_close(NULL), IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_init(NULL, 0), IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_raw_conn_init(NULL, 0), IPV4_ERR_INVALID_CONN);
	memset(&h, 0, sizeof(h));
	CHECK_ERR(ipv4_raw_conn_read_from(NULL, buf, sizeof(buf), &h, NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_raw_conn_write_to(NULL, &h, buf, 0, NULL),
		  IPV4_ERR_INVALID_CONN);

	/* A failed init leaves the conn invalid, not pointing at an fd. */
	CHECK_ERR(ipv4_packet_conn_init(&c, -1), -EBADF);
	check_conn_calls(&c, IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_raw_conn_init(&raw, -1), -EBADF);
	CHECK_ERR(ipv4_raw_conn_read_from(&raw, buf, sizeof(buf), &h, NULL),
		  IPV4_ERR_INVALID_CONN);

	conn_open(&c, lab_udp(NULL, "127.0.0.1", PORT));
	CHECK_OK(ipv4_packet_conn_close(&c));
	check_conn_calls(&c, IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_control_message(&c), IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_set_read_deadline(&c, 0),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_close(&c), IPV4_ERR_INVALID_CONN);

	conn_open(&c, lab_udp(NULL, "127.0.0.1", PORT));
	close(c.fd);
	check_conn_calls(&c, -EBADF);
	/* The conn keeps the fd number, so close passes up the kernel's code. */
	CHECK_ERR(ipv4_packet_conn_close(&c), -EBADF);
}

int main(void)
{
	lab_init();
	lab_ns("a");
	lab_ns("b");
	lab_veth("a", "va", SENDER_IP "/24", "b", "vb", RECEIVER_IP "/24");
	if (lab_sh("ip netns exec a tc qdisc replace dev va root tbf rate "
		   "1mbit burst 2kb limit 8kb") != 0)
		check_skip("tc cannot add a tbf qdisc (sch_tbf missing)");
	shaper_clear();

	test_eintr_reads();
	test_eintr_writes();
	test_eagain_reads();
	test_eagain_writes();
	test_batch_partial_eagain();
	test_batch_partial_enobufs();
	test_truncated_single();
	test_truncated_batch();
	test_bad_fds();
	test_bad_conns();
	return check_exit();
}
