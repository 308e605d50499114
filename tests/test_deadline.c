/* SPDX-License-Identifier: MIT */
/*
 * Read and write deadlines: a call past its deadline returns
 * IPV4_ERR_TIMEOUT in time and consumes nothing, clearing a deadline
 * restores blocking, signals do not cut the wait short, and batches honour
 * them too.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define PORT 5100
#define MS 1000000LL

struct delayed_send {
	int fd;
	struct sockaddr_in to;
	int delay_ms;
	const char *text;
};

static void *send_later(void *arg)
{
	const struct delayed_send *d = arg;

	usleep((useconds_t)d->delay_ms * 1000);
	sendto(d->fd, d->text, strlen(d->text), 0,
	       (const struct sockaddr *)&d->to, sizeof(d->to));
	return NULL;
}

static void send_text(int fd, const char *text, uint16_t port)
{
	struct sockaddr_in to = lab_addr("127.0.0.1", port);

	CHECK_INT_EQ(sendto(fd, text, strlen(text), 0,
			    (const struct sockaddr *)&to, sizeof(to)),
		     (long long)strlen(text));
}

static void check_read_text(struct ipv4_packet_conn *c, const char *text)
{
	char buf[64];
	int n = ipv4_packet_conn_read_from(c, buf, sizeof(buf), NULL, NULL);

	CHECK_INT_EQ(n, (long long)strlen(text));
	if (n > 0)
		CHECK_MEM_EQ(buf, text, strlen(text));
}

static void test_read_timeout(void)
{
	struct ipv4_packet_conn rx;
	int tx = lab_udp(NULL, "127.0.0.1", 0);
	char buf[64];
	int64_t start, took;

	CHECK_OK(ipv4_packet_conn_init(&rx,
				       lab_udp(NULL, "127.0.0.1", PORT)));
	/* A safety net in case the deadline is ignored. */
	lab_recv_timeout(rx.fd, 3000);

	start = ipv4_now();
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, start + 100 * MS));
	CHECK_ERR(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
					     NULL),
		  IPV4_ERR_TIMEOUT);
	took = ipv4_now() - start;
	CHECK(took >= 90 * MS);
	CHECK(took <= 500 * MS);

	/* Past the deadline, queued data is still returned in order. */
	send_text(tx, "one", PORT);
	send_text(tx, "two", PORT);
	usleep(20000);
	check_read_text(&rx, "one");
	check_read_text(&rx, "two");

	/* Nothing queued and the deadline passed: at once. */
	start = ipv4_now();
	CHECK_ERR(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
					     NULL),
		  IPV4_ERR_TIMEOUT);
	CHECK(ipv4_now() - start < 50 * MS);

	CHECK_ERR(ipv4_packet_conn_set_read_deadline(&rx, -1), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_set_write_deadline(&rx, -1), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_set_deadline(&rx, -1), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_set_deadline(NULL, 0),
		  IPV4_ERR_INVALID_CONN);
	CHECK_OK(ipv4_packet_conn_close(&rx));
	close(tx);
}

static void test_data_before_deadline(void)
{
	struct ipv4_packet_conn rx;
	struct delayed_send d = {lab_udp(NULL, "127.0.0.1", 0),
				 lab_addr("127.0.0.1", PORT + 1), 100,
				 "early"};
	pthread_t thread;
	int64_t start, took;

	CHECK_OK(ipv4_packet_conn_init(&rx,
				       lab_udp(NULL, "127.0.0.1", PORT + 1)));
	lab_recv_timeout(rx.fd, 3000);
	start = ipv4_now();
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, start + 2000 * MS));
	CHECK_FATAL(pthread_create(&thread, NULL, send_later, &d) == 0);
	check_read_text(&rx, "early");
	took = ipv4_now() - start;
	CHECK(took >= 90 * MS);
	CHECK(took < 1000 * MS);
	pthread_join(thread, NULL);
	CHECK_OK(ipv4_packet_conn_close(&rx));
	close(d.fd);
}

static void test_clear_restores_blocking(void)
{
	struct ipv4_packet_conn rx;
	struct delayed_send d = {lab_udp(NULL, "127.0.0.1", 0),
				 lab_addr("127.0.0.1", PORT + 2), 300,
				 "blocked"};
	pthread_t thread;
	int64_t start;

	CHECK_OK(ipv4_packet_conn_init(&rx,
				       lab_udp(NULL, "127.0.0.1", PORT + 2)));
	lab_recv_timeout(rx.fd, 3000);
	CHECK_OK(ipv4_packet_conn_set_deadline(&rx, ipv4_now() + 50 * MS));
	CHECK_OK(ipv4_packet_conn_set_deadline(&rx, 0));

	/* Well past the old deadline, the read still waits for the data. */
	start = ipv4_now();
	CHECK_FATAL(pthread_create(&thread, NULL, send_later, &d) == 0);
	check_read_text(&rx, "blocked");
	CHECK(ipv4_now() - start >= 290 * MS);
	pthread_join(thread, NULL);
	CHECK_OK(ipv4_packet_conn_close(&rx));
	close(d.fd);
}

static void on_signal(int sig)
{
	(void)sig;
}

struct signaller {
	pthread_t target;
	int count;
};

static void *signal_repeatedly(void *arg)
{
	struct signaller *s = arg;
	int i;

	for (i = 0; i < s->count; i++) {
		usleep(30000);
		pthread_kill(s->target, SIGUSR1);
	}
	return NULL;
}

/* EINTR in poll() recomputes the time left instead of ending the wait. */
static void test_signal_during_wait(void)
{
	struct ipv4_packet_conn rx;
	struct sigaction sa;
	struct signaller s = {pthread_self(), 5};
	pthread_t thread;
	char buf[16];
	int64_t start, took;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: poll gets EINTR */
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	CHECK_OK(ipv4_packet_conn_init(&rx,
				       lab_udp(NULL, "127.0.0.1", PORT + 3)));
	lab_recv_timeout(rx.fd, 3000);

	start = ipv4_now();
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, start + 300 * MS));
	CHECK_FATAL(pthread_create(&thread, NULL, signal_repeatedly, &s) ==
		    0);
	CHECK_ERR(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
					     NULL),
		  IPV4_ERR_TIMEOUT);
	took = ipv4_now() - start;
	CHECK(took >= 290 * MS);
	CHECK(took <= 800 * MS);
	pthread_join(thread, NULL);
	CHECK_OK(ipv4_packet_conn_close(&rx));
}

static void test_batch_read_deadline(void)
{
	struct ipv4_packet_conn rx;
	struct ipv4_message ms[4];
	struct iovec iov[4];
	char bufs[4][16];
	int tx = lab_udp(NULL, "127.0.0.1", 0);
	int64_t start, took;
	int i;

	memset(ms, 0, sizeof(ms));
	for (i = 0; i < 4; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		ms[i].iov = &iov[i];
		ms[i].iovlen = 1;
	}
	CHECK_OK(ipv4_packet_conn_init(&rx,
				       lab_udp(NULL, "127.0.0.1", PORT + 4)));
	lab_recv_timeout(rx.fd, 3000);

	start = ipv4_now();
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, start + 100 * MS));
	CHECK_ERR(ipv4_packet_conn_read_batch(&rx, ms, 4, 0),
		  IPV4_ERR_TIMEOUT);
	took = ipv4_now() - start;
	CHECK(took >= 90 * MS);
	CHECK(took <= 500 * MS);

	/* Past the deadline, what is queued arrives, then the timeout. */
	send_text(tx, "b0", PORT + 4);
	send_text(tx, "b1", PORT + 4);
	send_text(tx, "b2", PORT + 4);
	usleep(20000);
	CHECK_INT_EQ(ipv4_packet_conn_read_batch(&rx, ms, 4, 0), 3);
	CHECK_INT_EQ(ms[0].len, 2);
	CHECK_MEM_EQ(bufs[0], "b0", 2);
	CHECK_MEM_EQ(bufs[2], "b2", 2);
	CHECK_ERR(ipv4_packet_conn_read_batch(&rx, ms, 4, 0),
		  IPV4_ERR_TIMEOUT);

	/* With a deadline ahead, a batch returns as soon as one arrives. */
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, ipv4_now() +
							      2000 * MS));
	send_text(tx, "b3", PORT + 4);
	start = ipv4_now();
	CHECK_INT_EQ(ipv4_packet_conn_read_batch(&rx, ms, 4, 0), 1);
	CHECK(ipv4_now() - start < 500 * MS);
	CHECK_MEM_EQ(bufs[0], "b3", 2);
	CHECK_OK(ipv4_packet_conn_close(&rx));
	close(tx);
}

/*
 * A token bucket of 8 kbit/s on a's end of the veth holds the datagrams,
 * which stay charged to the sender's tiny send buffer until they leave, so
 * a blocking send soon has to wait for room.
 */
static void test_write_deadline(void)
{
	struct ipv4_packet_conn tx;
	struct sockaddr_in to = lab_addr("10.0.0.2", PORT);
	struct ipv4_message m;
	struct iovec iov;
	char payload[1000];
	int sndbuf = 4096, i, n = 0;
	int64_t start = 0, took = 0;

	lab_ns("a");
	lab_ns("b");
	lab_veth("a", "eth-a", "10.0.0.1/24", "b", "eth-b", "10.0.0.2/24");
	if (lab_sh("ip netns exec a tc qdisc add dev eth-a root tbf "
		   "rate 8kbit burst 1600 limit 1000000") != 0) {
		printf("skipped: write deadlines: tc with tbf is missing\n");
		return;
	}
	/* Resolve the neighbour first, so that nothing waits in ARP. */
	lab_must("ip -n a neigh replace 10.0.0.2 dev eth-a lladdr "
		 "$(ip netns exec b cat /sys/class/net/eth-b/address)");

	memset(payload, 'w', sizeof(payload));
	CHECK_OK(ipv4_packet_conn_init(&tx, lab_udp("a", "10.0.0.1", PORT)));
	CHECK_OK(setsockopt(tx.fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
			    sizeof(sndbuf)));
	for (i = 0; i < 100; i++) {
		start = ipv4_now();
		CHECK_OK(ipv4_packet_conn_set_write_deadline(&tx, start +
								100 * MS));
		n = ipv4_packet_conn_write_to(&tx, payload, sizeof(payload),
					      NULL, &to);
		took = ipv4_now() - start;
		if (n != (int)sizeof(payload))
			break;
	}
	CHECK_ERR(n, IPV4_ERR_TIMEOUT);
	CHECK(i > 0);
	CHECK(took >= 90 * MS);
	CHECK(took <= 500 * MS);

	/* A batch write waits for its first message the same way. */
	iov.iov_base = payload;
	iov.iov_len = sizeof(payload);
	memset(&m, 0, sizeof(m));
	m.iov = &iov;
	m.iovlen = 1;
	m.addr = to;
	start = ipv4_now();
	CHECK_OK(ipv4_packet_conn_set_write_deadline(&tx, start + 100 * MS));
	CHECK_ERR(ipv4_packet_conn_write_batch(&tx, &m, 1, 0),
		  IPV4_ERR_TIMEOUT);
	took = ipv4_now() - start;
	CHECK(took >= 90 * MS);
	CHECK(took <= 500 * MS);
	CHECK_OK(ipv4_packet_conn_close(&tx));
}

/* Returns the CPU time the calling thread has used, in ns. */
static int64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * With IP_RECVERR, an ICMP error stays in the error queue and poll()
 * reports POLLERR at once until recvmsg(MSG_ERRQUEUE) takes it. A wait
 * must still sleep until its deadline or the next datagram, not spin.
 */
static void test_error_queue_wait(void)
{
	struct ipv4_packet_conn rx;
	struct delayed_send d = {lab_udp(NULL, "127.0.0.1", 0),
				 lab_addr("127.0.0.1", PORT + 6), 100,
				 "after error"};
	struct sockaddr_in closed = lab_addr("127.0.0.1", PORT + 7);
	struct ipv4_message m;
	struct iovec iov;
	pthread_t thread;
	char buf[16];
	int64_t start, cpu;
	int one = 1;

	CHECK_OK(ipv4_packet_conn_init(&rx,
				       lab_udp(NULL, "127.0.0.1", PORT + 6)));
	lab_recv_timeout(rx.fd, 3000);
	CHECK_OK(setsockopt(rx.fd, IPPROTO_IP, IP_RECVERR, &one,
			    sizeof(one)));
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&rx, "x", 1, NULL, &closed), 1);
	usleep(20000);
	/* recvmsg() returns the error once, but its queue entry stays. */
	CHECK_ERR(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
					     NULL),
		  -ECONNREFUSED);

	start = ipv4_now();
	cpu = thread_cpu_ns();
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, start + 300 * MS));
	CHECK_ERR(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
					     NULL),
		  IPV4_ERR_TIMEOUT);
	CHECK(ipv4_now() - start >= 290 * MS);
	CHECK(thread_cpu_ns() - cpu < 30 * MS);

	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	memset(&m, 0, sizeof(m));
	m.iov = &iov;
	m.iovlen = 1;
	cpu = thread_cpu_ns();
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, ipv4_now() +
							     300 * MS));
	CHECK_ERR(ipv4_packet_conn_read_batch(&rx, &m, 1, 0),
		  IPV4_ERR_TIMEOUT);
	CHECK(thread_cpu_ns() - cpu < 30 * MS);

	/* A datagram that arrives during the wait still ends it. */
	start = ipv4_now();
	cpu = thread_cpu_ns();
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, start + 2000 * MS));
	CHECK_FATAL(pthread_create(&thread, NULL, send_later, &d) == 0);
	check_read_text(&rx, "after error");
	CHECK(ipv4_now() - start < 1000 * MS);
	CHECK(thread_cpu_ns() - cpu < 30 * MS);
	pthread_join(thread, NULL);
	CHECK_OK(ipv4_packet_conn_close(&rx));
	close(d.fd);
}

int main(void)
{
	lab_init();
	test_read_timeout();
	test_data_before_deadline();
	test_clear_restores_blocking();
	test_signal_during_wait();
	test_batch_read_deadline();
	test_write_deadline();
	test_error_queue_wait();
	return check_exit();
}
