/* SPDX-License-Identifier: MIT */
/*
 * ICMP type names, the filter bitmap (no aliasing of types 32 and above),
 * and the kernel's ICMP_FILTER on raw sockets, checked on real echo traffic
 * on 127.0.0.1.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lab.h"

static void test_type_names(void)
{
	static const struct {
		int type;
		const char *name;
	} names[] = {
	    {0, "echo reply"},
	    {3, "destination unreachable"},
	    {5, "redirect"},
	    {8, "echo"},
	    {9, "router advertisement"},
	    {10, "router solicitation"},
	    {11, "time exceeded"},
	    {12, "parameter problem"},
	    {13, "timestamp"},
	    {14, "timestamp reply"},
	    {40, "photuris"},
	    {42, "extended echo request"},
	    {43, "extended echo reply"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK_STR_EQ(ipv4_icmp_type_name(names[i].type), names[i].name);
	CHECK_STR_EQ(ipv4_icmp_type_name(IPV4_ICMP_TIME_EXCEEDED),
		     "time exceeded");
	CHECK_STR_EQ(ipv4_icmp_type_name(1), "unknown");
	CHECK_STR_EQ(ipv4_icmp_type_name(41), "unknown");
	CHECK_STR_EQ(ipv4_icmp_type_name(255), "unknown");
	CHECK_STR_EQ(ipv4_icmp_type_name(256), "unknown");
	CHECK_STR_EQ(ipv4_icmp_type_name(-1), "unknown");
	CHECK_INT_EQ(IPV4_ICMP_PROTOCOL, IPPROTO_ICMP);
}

static void test_filter_bits(void)
{
	struct ipv4_icmp_filter f = {0};
	int type;

	CHECK_OK(ipv4_icmp_filter_block(&f, IPV4_ICMP_ECHO));
	CHECK_INT_EQ(f.blocked, 1u << 8);
	CHECK_INT_EQ(ipv4_icmp_filter_will_block(&f, IPV4_ICMP_ECHO), 1);
	CHECK_INT_EQ(ipv4_icmp_filter_will_block(&f, IPV4_ICMP_ECHO_REPLY), 0);
	CHECK_OK(ipv4_icmp_filter_block(&f, 31));
	CHECK_INT_EQ(f.blocked, 1u << 8 | 1u << 31);
	CHECK_OK(ipv4_icmp_filter_accept(&f, IPV4_ICMP_ECHO));
	CHECK_INT_EQ(f.blocked, 1u << 31);
	CHECK_OK(ipv4_icmp_filter_accept(&f, IPV4_ICMP_ECHO));
	CHECK_INT_EQ(f.blocked, 1u << 31);

	ipv4_icmp_filter_set_all(&f, 1);
	CHECK_INT_EQ(f.blocked, 0xffffffffu);
	for (type = 0; type < 32; type++)
		CHECK_INT_EQ(ipv4_icmp_filter_will_block(&f, type), 1);
	ipv4_icmp_filter_set_all(&f, 0);
	CHECK_INT_EQ(f.blocked, 0);
	for (type = 0; type < 32; type++)
		CHECK_INT_EQ(ipv4_icmp_filter_will_block(&f, type), 0);
	ipv4_icmp_filter_set_all(NULL, 1);
}

/* Go masks the type with 31, so blocking 40 (photuris) blocks echo (8). */
static void test_filter_no_alias(void)
{
	struct ipv4_icmp_filter f = {0};

	CHECK_ERR(ipv4_icmp_filter_block(&f, IPV4_ICMP_PHOTURIS),
		  IPV4_ERR_ICMP_TYPE_RANGE);
	CHECK_INT_EQ(f.blocked, 0);
	CHECK_INT_EQ(ipv4_icmp_filter_will_block(&f, IPV4_ICMP_ECHO), 0);
	CHECK_ERR(ipv4_icmp_filter_block(&f, 32), IPV4_ERR_ICMP_TYPE_RANGE);
	CHECK_INT_EQ(f.blocked, 0);

	ipv4_icmp_filter_set_all(&f, 1);
	CHECK_ERR(ipv4_icmp_filter_accept(&f, 40), IPV4_ERR_ICMP_TYPE_RANGE);
	CHECK_INT_EQ(f.blocked, 0xffffffffu);
	CHECK_ERR(ipv4_icmp_filter_will_block(&f, 40),
		  IPV4_ERR_ICMP_TYPE_RANGE);
	CHECK_ERR(ipv4_icmp_filter_will_block(&f, 255),
		  IPV4_ERR_ICMP_TYPE_RANGE);

	CHECK_ERR(ipv4_icmp_filter_block(&f, -1), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_accept(&f, -32), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_will_block(&f, -24), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_block(NULL, 8), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_will_block(NULL, 8), -EINVAL);
	CHECK_INT_EQ(f.blocked, 0xffffffffu);
}

static int raw_icmp_socket(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0 && (errno == EPERM || errno == EACCES))
		check_skip("raw ICMP sockets need CAP_NET_RAW");
	CHECK_FATAL(fd >= 0);
	return fd;
}

static void test_filter_sockopt(void)
{
	struct ipv4_icmp_filter f = {0}, got = {0};
	int fd = raw_icmp_socket();
	int udp, raw_udp;

	/* A new raw socket blocks nothing. */
	got.blocked = 0x1234;
	CHECK_OK(ipv4_icmp_filter_get(fd, &got));
	CHECK_INT_EQ(got.blocked, 0);

	CHECK_OK(ipv4_icmp_filter_block(&f, IPV4_ICMP_ECHO_REPLY));
	CHECK_OK(ipv4_icmp_filter_block(&f, IPV4_ICMP_TIME_EXCEEDED));
	CHECK_OK(ipv4_icmp_filter_block(&f, 31));
	CHECK_OK(ipv4_icmp_filter_set(fd, &f));
	CHECK_OK(ipv4_icmp_filter_get(fd, &got));
	CHECK_INT_EQ(got.blocked, f.blocked);
	CHECK_INT_EQ(got.blocked, 1u << 0 | 1u << 11 | 1u << 31);

	ipv4_icmp_filter_set_all(&f, 1);
	CHECK_OK(ipv4_icmp_filter_set(fd, &f));
	CHECK_OK(ipv4_icmp_filter_get(fd, &got));
	CHECK_INT_EQ(got.blocked, 0xffffffffu);

	CHECK_ERR(ipv4_icmp_filter_set(fd, NULL), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_get(fd, NULL), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_set(-1, &f), -EBADF);
	CHECK_ERR(ipv4_icmp_filter_get(-1, &got), -EBADF);
	close(fd);
	/* A closed fd reaches the kernel, which rejects it. */
	CHECK_ERR(ipv4_icmp_filter_get(fd, &got), -EBADF);

	/*
	 * On a UDP socket, do_ip_setsockopt() (Linux 6.18) rejects SOL_RAW
	 * with ENOPROTOOPT and do_ip_getsockopt() with EOPNOTSUPP. On a raw
	 * socket of another protocol, raw.c rejects ICMP_FILTER with
	 * EOPNOTSUPP both ways.
	 */
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_FATAL(udp >= 0);
	CHECK_ERR(ipv4_icmp_filter_set(udp, &f), -ENOPROTOOPT);
	CHECK_ERR(ipv4_icmp_filter_get(udp, &got), -EOPNOTSUPP);
	close(udp);
	raw_udp = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	CHECK_FATAL(raw_udp >= 0);
	CHECK_ERR(ipv4_icmp_filter_set(raw_udp, &f), -EOPNOTSUPP);
	CHECK_ERR(ipv4_icmp_filter_get(raw_udp, &got), -EOPNOTSUPP);
	close(raw_udp);
}

static void send_echo(int fd, uint16_t id, uint16_t seq)
{
	struct sockaddr_in to = lab_addr("127.0.0.1", 0);
	static const uint8_t payload[8] = {'l', 'i', 'b', 'i',
					   'p', 'v', '4', '!'};
	uint8_t msg[16] = {IPV4_ICMP_ECHO};
	uint16_t sum;

	msg[4] = (uint8_t)(id >> 8);
	msg[5] = (uint8_t)id;
	msg[6] = (uint8_t)(seq >> 8);
	msg[7] = (uint8_t)seq;
	memcpy(msg + 8, payload, sizeof(payload));
	sum = ipv4_checksum(msg, sizeof(msg));
	msg[2] = (uint8_t)(sum >> 8);
	msg[3] = (uint8_t)sum;
	CHECK_INT_EQ(
	    sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)),
	    (long long)sizeof(msg));
}

struct echo_seen {
	int requests; /* echo requests with our id */
	int replies;  /* echo replies with our id */
	int blocked;  /* messages of a type the socket's filter blocks */
};

/*
 * Reads what fd receives until it stays quiet for quiet_ms, at most 50
 * packets, and counts the echo messages with this id.
 */
static void drain(int fd, uint16_t id, int quiet_ms, struct echo_seen *seen,
		  const struct ipv4_icmp_filter *filter)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	struct ipv4_header h;
	uint8_t buf[256];
	int i, n, hl;

	memset(seen, 0, sizeof(*seen));
	for (i = 0; i < 50 && poll(&pfd, 1, quiet_ms) == 1; i++) {
		n = (int)recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			break;
		hl = ipv4_header_parse(&h, buf, (size_t)n);
		if (hl < 0 || n < hl + 8)
			continue;
		if (ipv4_icmp_filter_will_block(filter, buf[hl]) == 1)
			seen->blocked++;
		if ((buf[hl + 4] << 8 | buf[hl + 5]) != id)
			continue;
		if (buf[hl] == IPV4_ICMP_ECHO)
			seen->requests++;
		else if (buf[hl] == IPV4_ICMP_ECHO_REPLY)
			seen->replies++;
	}
}

/*
 * Two raw sockets on one host: the filtered one blocks echo replies and so
 * receives only the requests, the unfiltered one receives both. Then the
 * filter is swapped to block echo requests instead.
 */
static void test_filter_traffic(void)
{
	struct ipv4_icmp_filter f = {0}, none = {0};
	struct echo_seen unfiltered, filtered;
	int a = raw_icmp_socket();
	int b = raw_icmp_socket();
	uint16_t id = (uint16_t)(getpid() ^ 0x5a5a);
	int seq;

	CHECK_OK(ipv4_icmp_filter_block(&f, IPV4_ICMP_ECHO_REPLY));
	CHECK_OK(ipv4_icmp_filter_set(a, &f));
	for (seq = 1; seq <= 3; seq++)
		send_echo(b, id, (uint16_t)seq);
	drain(b, id, 300, &unfiltered, &none);
	drain(a, id, 100, &filtered, &f);
	CHECK_INT_EQ(unfiltered.requests, 3);
	CHECK_INT_EQ(unfiltered.replies, 3);
	CHECK_INT_EQ(filtered.requests, 3);
	CHECK_INT_EQ(filtered.replies, 0);
	CHECK_INT_EQ(filtered.blocked, 0);

	ipv4_icmp_filter_set_all(&f, 0);
	CHECK_OK(ipv4_icmp_filter_block(&f, IPV4_ICMP_ECHO));
	CHECK_OK(ipv4_icmp_filter_set(a, &f));
	send_echo(b, id, 4);
	drain(b, id, 300, &unfiltered, &none);
	drain(a, id, 100, &filtered, &f);
	CHECK_INT_EQ(unfiltered.requests, 1);
	CHECK_INT_EQ(unfiltered.replies, 1);
	CHECK_INT_EQ(filtered.requests, 0);
	CHECK_INT_EQ(filtered.replies, 1);
	CHECK_INT_EQ(filtered.blocked, 0);
	close(a);
	close(b);
}

int main(void)
{
	const char *isolated = getenv("IPV4_ISOLATED");

	test_type_names();
	test_filter_bits();
	test_filter_no_alias();
	if (isolated == NULL || strcmp(isolated, "1") != 0) {
		printf("skipped: kernel ICMP filter: not isolated\n");
		return check_exit();
	}
	test_filter_sockopt();
	test_filter_traffic();
	return check_exit();
}
