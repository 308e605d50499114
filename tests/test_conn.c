/* SPDX-License-Identifier: MIT */
/*
 * Packet conn over UDP: init checks, control flags, control messages that
 * arrive and that are sent, blocking and non-blocking reads, truncation.
 *
 * Lab: namespace a (eth-ab 10.0.0.1/24 to b, eth-ac 10.0.1.1/24 to c),
 * namespace b (eth-b 10.0.0.2/24 and 10.0.0.3/24, and 10.0.9.9/32) and
 * namespace c (eth-c 10.0.1.2/24 and 10.0.9.9/32).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lab.h"

#define PORT 5000

static in_addr_t addr_of(const char *ip)
{
	return lab_addr(ip, 0).sin_addr.s_addr;
}

static int sockopt_int(int fd, int level, int name)
{
	int value = -1;
	socklen_t len = sizeof(value);

	if (getsockopt(fd, level, name, &value, &len) != 0)
		return -errno;
	return value;
}

static void lab_build(void)
{
	lab_ns("a");
	lab_ns("b");
	lab_ns("c");
	lab_veth("a", "eth-ab", "10.0.0.1/24", "b", "eth-b", "10.0.0.2/24");
	lab_veth("a", "eth-ac", "10.0.1.1/24", "c", "eth-c", "10.0.1.2/24");
	lab_must("ip -n b addr add 10.0.0.3/24 dev eth-b");
	lab_must("ip -n b addr add 10.0.9.9/32 dev eth-b");
	lab_must("ip -n c addr add 10.0.9.9/32 dev eth-c");
}

static void test_init_errors(void)
{
	struct ipv4_packet_conn c;
	int fd;

	CHECK_ERR(ipv4_packet_conn_init(NULL, 0), IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_init(&c, -1), -EBADF);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_FATAL(fd >= 0);
	close(fd);
	CHECK_ERR(ipv4_packet_conn_init(&c, fd), -EBADF);

	fd = open("/dev/null", O_RDONLY);
	CHECK_FATAL(fd >= 0);
	CHECK_ERR(ipv4_packet_conn_init(&c, fd), -ENOTSOCK);
	close(fd);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_FATAL(fd >= 0);
	CHECK_ERR(ipv4_packet_conn_init(&c, fd), IPV4_ERR_INVALID_CONN_TYPE);
	close(fd);

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_FATAL(fd >= 0);
	CHECK_ERR(ipv4_packet_conn_init(&c, fd), IPV4_ERR_NOT_IPV4);
	close(fd);

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd >= 0) {
		CHECK_ERR(ipv4_packet_conn_init(&c, fd), IPV4_ERR_NOT_IPV4);
		close(fd);
	} else {
		printf("skipped: IPv6 init check: no AF_INET6 sockets\n");
	}
}

static void test_null_and_closed(void)
{
	struct ipv4_packet_conn c;
	struct sockaddr_in to = lab_addr("127.0.0.1", PORT);
	char buf[8] = "x";
	int fd = lab_udp(NULL, "127.0.0.1", PORT);

	CHECK_ERR(ipv4_packet_conn_read_from(NULL, buf, 1, NULL, NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_write_to(NULL, buf, 1, NULL, &to),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_set_control_message(NULL, IPV4_CF_TTL, 1),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_control_message(NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_set_multicast_interface(NULL, 0),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_multicast_interface(NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_close(NULL), IPV4_ERR_INVALID_CONN);

	CHECK_OK(ipv4_packet_conn_init(&c, fd));
	CHECK_ERR(ipv4_packet_conn_read_from(&c, NULL, 4, NULL, NULL),
		  -EINVAL);
	CHECK_ERR(ipv4_packet_conn_write_to(&c, NULL, 4, NULL, &to),
		  -EINVAL);
	to.sin_family = AF_INET6;
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, 1, NULL, &to),
		  IPV4_ERR_NOT_IPV4);
	CHECK_ERR(ipv4_packet_conn_set_control_message(&c, 0x10, 1), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_set_multicast_interface(&c, -1), -EINVAL);

	CHECK_OK(ipv4_packet_conn_close(&c));
	CHECK_INT_EQ(fcntl(fd, F_GETFD), -1);
	CHECK_ERR(ipv4_packet_conn_close(&c), IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_read_from(&c, buf, 1, NULL, NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, 1, NULL, NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_set_control_message(&c, IPV4_CF_TTL, 1),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_packet_conn_set_deadline(&c, 0), IPV4_ERR_INVALID_CONN);
}

static void test_control_flags(void)
{
	struct ipv4_packet_conn c;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	CHECK_FATAL(fd >= 0);
	CHECK_OK(ipv4_packet_conn_init(&c, fd));
	CHECK_INT_EQ(ipv4_packet_conn_control_message(&c), 0);

	CHECK_OK(ipv4_packet_conn_set_control_message(&c, IPV4_CF_TTL, 1));
	CHECK_INT_EQ(ipv4_packet_conn_control_message(&c), IPV4_CF_TTL);
	CHECK_INT_EQ(sockopt_int(fd, IPPROTO_IP, IP_RECVTTL), 1);
	CHECK_INT_EQ(sockopt_int(fd, IPPROTO_IP, IP_PKTINFO), 0);

	/* DST and INTERFACE share IP_PKTINFO: it stays on until both go. */
	CHECK_OK(ipv4_packet_conn_set_control_message(
		&c, IPV4_CF_DST | IPV4_CF_INTERFACE, 1));
	CHECK_INT_EQ(sockopt_int(fd, IPPROTO_IP, IP_PKTINFO), 1);
	CHECK_OK(ipv4_packet_conn_set_control_message(&c, IPV4_CF_DST, 0));
	CHECK_INT_EQ(ipv4_packet_conn_control_message(&c),
		     IPV4_CF_TTL | IPV4_CF_INTERFACE);
	CHECK_INT_EQ(sockopt_int(fd, IPPROTO_IP, IP_PKTINFO), 1);
	CHECK_OK(ipv4_packet_conn_set_control_message(&c, IPV4_CF_INTERFACE,
						      0));
	CHECK_INT_EQ(sockopt_int(fd, IPPROTO_IP, IP_PKTINFO), 0);
	CHECK_OK(ipv4_packet_conn_set_control_message(&c, IPV4_CF_TTL, 0));
	CHECK_INT_EQ(sockopt_int(fd, IPPROTO_IP, IP_RECVTTL), 0);
	CHECK_INT_EQ(ipv4_packet_conn_control_message(&c), 0);

	/* init reports the options the socket had on before it. */
	CHECK_OK(ipv4_packet_conn_set_control_message(&c, IPV4_CF_ALL, 1));
	CHECK_OK(ipv4_packet_conn_init(&c, fd));
	CHECK_INT_EQ(ipv4_packet_conn_control_message(&c), IPV4_CF_ALL);
	CHECK_OK(ipv4_packet_conn_close(&c));
}

static void test_multicast_interface(void)
{
	struct ipv4_packet_conn c;
	int fd = lab_socket("a", AF_INET, SOCK_DGRAM, 0);
	int ifindex = lab_ifindex("a", "eth-ac");

	CHECK_OK(ipv4_packet_conn_init(&c, fd));
	CHECK_INT_EQ(ipv4_packet_conn_multicast_interface(&c), 0);
	CHECK_OK(ipv4_packet_conn_set_multicast_interface(&c, ifindex));
	CHECK_INT_EQ(ipv4_packet_conn_multicast_interface(&c), ifindex);
	CHECK_ERR(ipv4_packet_conn_set_multicast_interface(&c, 9999),
		  -EADDRNOTAVAIL);
	CHECK_INT_EQ(ipv4_packet_conn_multicast_interface(&c), ifindex);
	CHECK_OK(ipv4_packet_conn_set_multicast_interface(&c, 0));
	CHECK_INT_EQ(ipv4_packet_conn_multicast_interface(&c), 0);
	CHECK_OK(ipv4_packet_conn_close(&c));
}

/* Receives into buf with cm and src, failing after 2 s. */
static int read_all_control(struct ipv4_packet_conn *c, char *buf, size_t len,
			    struct ipv4_control_message *cm,
			    struct sockaddr_in *src)
{
	lab_recv_timeout(c->fd, 2000);
	memset(cm, 0x55, sizeof(*cm));
	memset(src, 0, sizeof(*src));
	return ipv4_packet_conn_read_from(c, buf, len, cm, src);
}

static void test_received_control(void)
{
	struct ipv4_packet_conn tx, rx;
	struct ipv4_control_message cm;
	struct sockaddr_in to = lab_addr("10.0.0.2", PORT), from;
	char buf[64];
	int ttl = 7;

	CHECK_OK(ipv4_packet_conn_init(&tx, lab_udp("a", "10.0.0.1", PORT)));
	CHECK_OK(ipv4_packet_conn_init(&rx, lab_udp("b", "0.0.0.0", PORT)));
	CHECK_OK(setsockopt(tx.fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)));
	CHECK_OK(ipv4_packet_conn_set_control_message(&rx, IPV4_CF_ALL, 1));

	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, "hello", 5, NULL, &to), 5);
	CHECK_INT_EQ(read_all_control(&rx, buf, sizeof(buf), &cm, &from), 5);
	CHECK_MEM_EQ(buf, "hello", 5);
	CHECK_INT_EQ(from.sin_family, AF_INET);
	CHECK_INT_EQ(from.sin_addr.s_addr, addr_of("10.0.0.1"));
	CHECK_INT_EQ(ntohs(from.sin_port), PORT);
	CHECK_INT_EQ(cm.ttl, ttl);
	CHECK_INT_EQ(cm.dst.s_addr, addr_of("10.0.0.2"));
	CHECK_INT_EQ(cm.src.s_addr, addr_of("10.0.0.2"));
	CHECK_INT_EQ(cm.ifindex, lab_ifindex("b", "eth-b"));

	/* The second address: dst follows the header, not the interface. */
	to = lab_addr("10.0.0.3", PORT);
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, "x3", 2, NULL, &to), 2);
	CHECK_INT_EQ(read_all_control(&rx, buf, sizeof(buf), &cm, &from), 2);
	CHECK_INT_EQ(cm.dst.s_addr, addr_of("10.0.0.3"));
	CHECK_INT_EQ(cm.ttl, ttl);

	/* With the flags off, no control message arrives. */
	CHECK_OK(ipv4_packet_conn_set_control_message(&rx, IPV4_CF_ALL, 0));
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, "off", 3, NULL, &to), 3);
	CHECK_INT_EQ(read_all_control(&rx, buf, sizeof(buf), &cm, &from), 3);
	CHECK_INT_EQ(cm.ttl, 0);
	CHECK_INT_EQ(cm.dst.s_addr, 0);
	CHECK_INT_EQ(cm.ifindex, 0);

	CHECK_OK(ipv4_packet_conn_close(&tx));
	CHECK_OK(ipv4_packet_conn_close(&rx));
}

/* Sends from b to a with cm->src set; a must see that source. */
static void test_source_selection(void)
{
	struct ipv4_packet_conn tx, rx;
	struct ipv4_control_message cm, got;
	struct sockaddr_in to = lab_addr("10.0.0.1", PORT), from;
	const char *sources[] = {"10.0.0.3", "10.0.0.2", "10.0.0.3"};
	char buf[64];
	size_t i;

	CHECK_OK(ipv4_packet_conn_init(&tx, lab_udp("b", "0.0.0.0", PORT)));
	CHECK_OK(ipv4_packet_conn_init(&rx, lab_udp("a", "0.0.0.0", PORT)));
	CHECK_OK(ipv4_packet_conn_set_control_message(&rx, IPV4_CF_DST, 1));

	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		memset(&cm, 0, sizeof(cm));
		cm.src.s_addr = addr_of(sources[i]);
		CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, "src", 3, &cm,
						       &to),
			     3);
		CHECK_INT_EQ(read_all_control(&rx, buf, sizeof(buf), &got,
					      &from),
			     3);
		CHECK_INT_EQ(from.sin_addr.s_addr, addr_of(sources[i]));
		CHECK_INT_EQ(got.dst.s_addr, addr_of("10.0.0.1"));
	}
	CHECK_OK(ipv4_packet_conn_close(&tx));
	CHECK_OK(ipv4_packet_conn_close(&rx));
}

/*
 * 10.0.9.9 lives in both b and c and a has no route to it, so only the
 * interface in cm->ifindex decides where the datagram goes (Linux treats
 * an unrouted destination as on-link when an output interface is given).
 */
static void test_outgoing_interface(void)
{
	struct ipv4_packet_conn tx, rx_b, rx_c;
	struct ipv4_control_message cm, got;
	struct sockaddr_in to = lab_addr("10.0.9.9", PORT), from;
	char buf[64];

	CHECK_OK(ipv4_packet_conn_init(&tx, lab_udp("a", "0.0.0.0", PORT)));
	CHECK_OK(ipv4_packet_conn_init(&rx_b, lab_udp("b", "0.0.0.0", PORT)));
	CHECK_OK(ipv4_packet_conn_init(&rx_c, lab_udp("c", "0.0.0.0", PORT)));
	CHECK_OK(ipv4_packet_conn_set_control_message(&rx_b, IPV4_CF_ALL, 1));
	CHECK_OK(ipv4_packet_conn_set_control_message(&rx_c, IPV4_CF_ALL, 1));

	memset(&cm, 0, sizeof(cm));
	cm.ifindex = lab_ifindex("a", "eth-ac");
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, "to-c", 4, &cm, &to), 4);
	CHECK_INT_EQ(read_all_control(&rx_c, buf, sizeof(buf), &got, &from),
		     4);
	CHECK_MEM_EQ(buf, "to-c", 4);
	CHECK_INT_EQ(from.sin_addr.s_addr, addr_of("10.0.1.1"));
	CHECK_INT_EQ(got.dst.s_addr, addr_of("10.0.9.9"));
	CHECK_INT_EQ(got.ifindex, lab_ifindex("c", "eth-c"));

	cm.ifindex = lab_ifindex("a", "eth-ab");
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, "to-b", 4, &cm, &to), 4);
	CHECK_INT_EQ(read_all_control(&rx_b, buf, sizeof(buf), &got, &from),
		     4);
	CHECK_MEM_EQ(buf, "to-b", 4);
	CHECK_INT_EQ(from.sin_addr.s_addr, addr_of("10.0.0.1"));
	CHECK_INT_EQ(got.ifindex, lab_ifindex("b", "eth-b"));

	/* Nothing went the other way. */
	CHECK_OK(fcntl(rx_b.fd, F_SETFL, O_NONBLOCK));
	CHECK_OK(fcntl(rx_c.fd, F_SETFL, O_NONBLOCK));
	CHECK_OK(ipv4_packet_conn_init(&rx_b, rx_b.fd));
	CHECK_OK(ipv4_packet_conn_init(&rx_c, rx_c.fd));
	CHECK_ERR(ipv4_packet_conn_read_from(&rx_b, buf, sizeof(buf), NULL,
					     NULL),
		  -EAGAIN);
	CHECK_ERR(ipv4_packet_conn_read_from(&rx_c, buf, sizeof(buf), NULL,
					     NULL),
		  -EAGAIN);

	CHECK_OK(ipv4_packet_conn_close(&tx));
	CHECK_OK(ipv4_packet_conn_close(&rx_b));
	CHECK_OK(ipv4_packet_conn_close(&rx_c));
}

struct delayed_send {
	int fd;
	struct sockaddr_in to;
	int delay_ms;
};

static void *send_later(void *arg)
{
	const struct delayed_send *d = arg;

	usleep((useconds_t)d->delay_ms * 1000);
	sendto(d->fd, "late", 4, 0, (const struct sockaddr *)&d->to,
	       sizeof(d->to));
	return NULL;
}

static void test_blocking_and_nonblocking(void)
{
	struct ipv4_packet_conn rx;
	struct delayed_send d;
	pthread_t thread;
	char buf[16];
	int64_t start;
	int fd = lab_udp(NULL, "127.0.0.1", PORT + 1);

	d.fd = lab_udp(NULL, "127.0.0.1", PORT + 2);
	d.to = lab_addr("127.0.0.1", PORT + 1);
	d.delay_ms = 100;

	/* Blocking: the read waits for the datagram sent 100 ms later. */
	lab_recv_timeout(fd, 3000);
	CHECK_OK(ipv4_packet_conn_init(&rx, fd));
	start = ipv4_now();
	CHECK_FATAL(pthread_create(&thread, NULL, send_later, &d) == 0);
	CHECK_INT_EQ(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
						NULL),
		     4);
	CHECK(ipv4_now() - start >= 90 * 1000000LL);
	CHECK_MEM_EQ(buf, "late", 4);
	pthread_join(thread, NULL);

	/* Non-blocking: -EAGAIN at once, with or without a deadline. */
	CHECK_OK(fcntl(fd, F_SETFL, O_NONBLOCK));
	CHECK_OK(ipv4_packet_conn_init(&rx, fd));
	start = ipv4_now();
	CHECK_ERR(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
					     NULL),
		  -EAGAIN);
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx, ipv4_now() +
							      1000000000));
	CHECK_ERR(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
					     NULL),
		  -EAGAIN);
	CHECK(ipv4_now() - start < 50 * 1000000LL);

	CHECK_OK(ipv4_packet_conn_close(&rx));
	close(d.fd);
}

static void test_truncation(void)
{
	struct ipv4_packet_conn tx, rx;
	struct ipv4_control_message cm;
	struct sockaddr_in to = lab_addr("127.0.0.1", PORT + 3), from;
	char payload[100], buf[128];
	int on = 1;
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (char)i;
	CHECK_OK(ipv4_packet_conn_init(&tx, lab_udp(NULL, "127.0.0.1", 0)));
	CHECK_OK(ipv4_packet_conn_init(
		&rx, lab_udp(NULL, "127.0.0.1", PORT + 3)));
	CHECK_OK(ipv4_packet_conn_set_control_message(&rx, IPV4_CF_ALL, 1));

	/* A datagram longer than the buffer: its first 10 bytes, and src. */
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, payload, 100, NULL, &to),
		     100);
	memset(buf, 0, sizeof(buf));
	CHECK_ERR(read_all_control(&rx, buf, 10, &cm, &from),
		  IPV4_ERR_TRUNCATED);
	CHECK_MEM_EQ(buf, payload, 10);
	CHECK_INT_EQ(buf[10], 0);
	CHECK_INT_EQ(from.sin_addr.s_addr, addr_of("127.0.0.1"));
	CHECK_INT_EQ(cm.ttl, 64);
	/* The rest of it is gone: the next read sees the next datagram. */
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, "next", 4, NULL, &to), 4);
	CHECK_INT_EQ(read_all_control(&rx, buf, sizeof(buf), &cm, &from), 4);
	CHECK_MEM_EQ(buf, "next", 4);

	/*
	 * SO_TIMESTAMPNS (32 bytes) and IP_RECVTOS (24) beside IP_PKTINFO (32)
	 * and IP_TTL (24) still fit the conn's ancillary space: nothing is cut
	 * and the length arrives.
	 */
	CHECK_OK(setsockopt(rx.fd, SOL_SOCKET, SO_TIMESTAMPNS, &on,
			    sizeof(on)));
	CHECK_OK(setsockopt(rx.fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on)));
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, payload, 20, NULL, &to),
		     20);
	CHECK_INT_EQ(read_all_control(&rx, buf, sizeof(buf), &cm, &from), 20);
	CHECK_MEM_EQ(buf, payload, 20);
	CHECK_INT_EQ(from.sin_addr.s_addr, addr_of("127.0.0.1"));
	CHECK_INT_EQ(cm.dst.s_addr, addr_of("127.0.0.1"));
	CHECK_INT_EQ(cm.ttl, 64);

	/* A batch of one reports the length and MSG_CTRUNC apart. */
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, payload, 20, NULL, &to),
		     20);
	{
		unsigned char small[40];
		struct iovec iov = {buf, sizeof(buf)};
		struct ipv4_message m;

		memset(&m, 0, sizeof(m));
		m.iov = &iov;
		m.iovlen = 1;
		m.control = small;
		m.control_cap = sizeof(small);
		CHECK_INT_EQ(ipv4_packet_conn_read_batch(&rx, &m, 1, 0), 1);
		CHECK_INT_EQ(m.len, 20);
		CHECK(m.flags & MSG_CTRUNC);
		CHECK_MEM_EQ(buf, payload, 20);
	}

	/* Without cm the caller asked for no control data: nothing is cut. */
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, payload, 20, NULL, &to),
		     20);
	lab_recv_timeout(rx.fd, 2000);
	CHECK_INT_EQ(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
						NULL),
		     20);

	/* Both cut: the datagram's truncation is the one reported. */
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, payload, 20, NULL, &to),
		     20);
	CHECK_ERR(read_all_control(&rx, buf, 5, &cm, &from),
		  IPV4_ERR_TRUNCATED);

	CHECK_OK(ipv4_packet_conn_close(&tx));
	CHECK_OK(ipv4_packet_conn_close(&rx));
}

static void test_connected_and_empty(void)
{
	struct ipv4_packet_conn tx, rx;
	struct sockaddr_in to = lab_addr("127.0.0.1", PORT + 4), from;
	char buf[16];

	CHECK_OK(ipv4_packet_conn_init(&tx, lab_udp(NULL, "127.0.0.1", 0)));
	CHECK_OK(ipv4_packet_conn_init(
		&rx, lab_udp(NULL, "127.0.0.1", PORT + 4)));
	CHECK_OK(connect(tx.fd, (struct sockaddr *)&to, sizeof(to)));
	lab_recv_timeout(rx.fd, 2000);

	/* dst NULL on a connected socket; an empty datagram is one too. */
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, "conn", 4, NULL, NULL), 4);
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&tx, NULL, 0, NULL, NULL), 0);
	CHECK_INT_EQ(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
						&from),
		     4);
	CHECK_MEM_EQ(buf, "conn", 4);
	CHECK_INT_EQ(ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), NULL,
						NULL),
		     0);
	CHECK_OK(ipv4_packet_conn_close(&tx));
	CHECK_OK(ipv4_packet_conn_close(&rx));
}

int main(void)
{
	lab_init();
	lab_build();
	test_init_errors();
	test_null_and_closed();
	test_control_flags();
	test_multicast_interface();
	test_received_control();
	test_source_selection();
	test_outgoing_interface();
	test_blocking_and_nonblocking();
	test_truncation();
	test_connected_and_empty();
	return check_exit();
}
