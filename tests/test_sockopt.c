/* SPDX-License-Identifier: MIT */
/*
 * Socket options. Each getter returns what its setter set on UDP, raw and
 * TCP sockets, and every bad argument gets its error before any system call.
 * The kernel's own errors reach the caller, and the TOS and TTL that were
 * set are the ones on the packets that arrive in a second namespace.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "lab.h"

#define PORT 4242

static int open_socket(int type)
{
	int protocol = type == SOCK_RAW ? IPPROTO_UDP : 0;

	return lab_socket(NULL, AF_INET, type, protocol);
}

/* Returns an fd number that is closed: argument checks must not touch it. */
static int closed_fd(void)
{
	int fd = open_socket(SOCK_DGRAM);

	close(fd);
	return fd;
}

static int default_ttl(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_default_ttl", "r");
	int ttl = 64;

	if (f == NULL)
		return ttl;
	/* NOLINTNEXTLINE(cert-err34-c): a kernel-written number, range-free */
	if (fscanf(f, "%d", &ttl) != 1)
		ttl = 64;
	fclose(f);
	return ttl;
}

static void check_tos_ttl_roundtrip(int fd, int type)
{
	static const int toses[] = {0, 0x04, 0x28, 0xb8, 0xfc};
	static const int ttls[] = {1, 2, 64, 128, 255};
	size_t i;

	for (i = 0; i < sizeof(toses) / sizeof(toses[0]); i++) {
		CHECK_OK(ipv4_set_tos(fd, toses[i]));
		CHECK_INT_EQ(ipv4_tos(fd), toses[i]);
	}
	/* The ECN bits are the socket's own on TCP, kept by the kernel. */
	if (type != SOCK_STREAM) {
		CHECK_OK(ipv4_set_tos(fd, 255));
		CHECK_INT_EQ(ipv4_tos(fd), 255);
		CHECK_OK(ipv4_set_tos(fd, 0x2b));
		CHECK_INT_EQ(ipv4_tos(fd), 0x2b);
	}
	for (i = 0; i < sizeof(ttls) / sizeof(ttls[0]); i++) {
		CHECK_OK(ipv4_set_ttl(fd, ttls[i]));
		CHECK_INT_EQ(ipv4_ttl(fd), ttls[i]);
	}
	CHECK_OK(ipv4_set_ttl(fd, -1));
	CHECK_INT_EQ(ipv4_ttl(fd), default_ttl());
}

static void check_multicast_roundtrip(int fd)
{
	static const int ttls[] = {0, 1, 2, 32, 255};
	size_t i;

	CHECK_INT_EQ(ipv4_multicast_ttl(fd), 1);
	for (i = 0; i < sizeof(ttls) / sizeof(ttls[0]); i++) {
		CHECK_OK(ipv4_set_multicast_ttl(fd, ttls[i]));
		CHECK_INT_EQ(ipv4_multicast_ttl(fd), ttls[i]);
	}
	CHECK_OK(ipv4_set_multicast_ttl(fd, -1));
	CHECK_INT_EQ(ipv4_multicast_ttl(fd), 1);

	CHECK_INT_EQ(ipv4_multicast_loopback(fd), 1);
	CHECK_OK(ipv4_set_multicast_loopback(fd, 0));
	CHECK_INT_EQ(ipv4_multicast_loopback(fd), 0);
	CHECK_OK(ipv4_set_multicast_loopback(fd, 1));
	CHECK_INT_EQ(ipv4_multicast_loopback(fd), 1);

	CHECK_OK(ipv4_set_multicast_interface(fd, 1));
	CHECK_OK(ipv4_set_multicast_interface(fd, 0));
}

/* UDP, raw UDP and raw ICMP sockets, as packet and raw conns wrap them. */
static void test_datagram_roundtrip(void)
{
	static const int kinds[][2] = {
	    {SOCK_DGRAM, 0},
	    {SOCK_RAW, IPPROTO_UDP},
	    {SOCK_RAW, IPPROTO_ICMP},
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int fd = lab_socket(NULL, AF_INET, kinds[i][0], kinds[i][1]);

		check_tos_ttl_roundtrip(fd, kinds[i][0]);
		check_multicast_roundtrip(fd);
		close(fd);
	}
}

/*
 * getsockopt(IP_MULTICAST_IF) returns only the interface address that was
 * set, and 0.0.0.0 after a set by index, which is why the library offers no
 * fd-level getter for it.
 */
static void test_multicast_interface_getsockopt(void)
{
	int fd = open_socket(SOCK_DGRAM);
	struct in_addr addr;
	socklen_t len = sizeof(addr);

	CHECK_OK(ipv4_set_multicast_interface(fd, 1));
	addr.s_addr = htonl(0x01020304);
	CHECK_INT_EQ(getsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &addr, &len),
		     0);
	CHECK_INT_EQ(len, sizeof(addr));
	CHECK_INT_EQ(addr.s_addr, 0);
	close(fd);
}

static void test_tcp_roundtrip(void)
{
	int fd = open_socket(SOCK_STREAM);

	check_tos_ttl_roundtrip(fd, SOCK_STREAM);

	/* The kernel keeps the ECN bits of a TCP socket: 0x2b reads 0x28. */
	CHECK_OK(ipv4_set_tos(fd, 0x2b));
	CHECK_INT_EQ(ipv4_tos(fd), 0x28);
	close(fd);
}

/* What Linux 6.18 does with the multicast options on a TCP socket. */
static void test_tcp_multicast_errors(void)
{
	int fd = open_socket(SOCK_STREAM);
	struct sockaddr_in group = lab_addr("239.1.2.3", 0);
	struct sockaddr_in source = lab_addr("10.0.0.1", 0);

	CHECK_ERR(ipv4_set_multicast_ttl(fd, 5), -EINVAL);
	CHECK_INT_EQ(ipv4_multicast_ttl(fd), 1);
	CHECK_ERR(ipv4_set_multicast_interface(fd, 1), -EINVAL);
	CHECK_ERR(ipv4_join_group(fd, 1, (struct sockaddr *)&group), -EPROTO);
	CHECK_ERR(ipv4_leave_group(fd, 1, (struct sockaddr *)&group), -EPROTO);
	/* NOTE: the kernel accepts a source filter and loopback on TCP. */
	CHECK_OK(ipv4_join_source_group(fd, 1, (struct sockaddr *)&group,
					(struct sockaddr *)&source));
	CHECK_OK(ipv4_set_multicast_loopback(fd, 0));
	CHECK_INT_EQ(ipv4_multicast_loopback(fd), 0);
	close(fd);
}

/*
 * A bad value is rejected before the system call: on a closed fd it gets
 * -EINVAL, while a good value reaches the kernel and gets -EBADF.
 */
static void test_value_ranges(void)
{
	int fd = closed_fd();

	CHECK_ERR(ipv4_set_tos(fd, -1), -EINVAL);
	CHECK_ERR(ipv4_set_tos(fd, 256), -EINVAL);
	CHECK_ERR(ipv4_set_tos(fd, 0), -EBADF);
	CHECK_ERR(ipv4_set_tos(fd, 255), -EBADF);

	CHECK_ERR(ipv4_set_ttl(fd, 0), -EINVAL);
	CHECK_ERR(ipv4_set_ttl(fd, 256), -EINVAL);
	CHECK_ERR(ipv4_set_ttl(fd, -2), -EINVAL);
	CHECK_ERR(ipv4_set_ttl(fd, -1), -EBADF);
	CHECK_ERR(ipv4_set_ttl(fd, 1), -EBADF);
	CHECK_ERR(ipv4_set_ttl(fd, 255), -EBADF);

	CHECK_ERR(ipv4_set_multicast_ttl(fd, 256), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_ttl(fd, -2), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_ttl(fd, 0), -EBADF);
	CHECK_ERR(ipv4_set_multicast_ttl(fd, -1), -EBADF);

	CHECK_ERR(ipv4_set_multicast_loopback(fd, 2), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_loopback(fd, -1), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_loopback(fd, 0), -EBADF);

	CHECK_ERR(ipv4_set_multicast_interface(fd, -1), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_interface(fd, 0), -EBADF);

	CHECK_ERR(ipv4_tos(fd), -EBADF);
	CHECK_ERR(ipv4_ttl(fd), -EBADF);
	CHECK_ERR(ipv4_multicast_ttl(fd), -EBADF);
	CHECK_ERR(ipv4_multicast_loopback(fd), -EBADF);
}

static void test_negative_fd(void)
{
	struct sockaddr_in group = lab_addr("239.1.2.3", 0);
	struct sockaddr_in source = lab_addr("10.0.0.1", 0);
	const struct sockaddr *g = (struct sockaddr *)&group;
	const struct sockaddr *s = (struct sockaddr *)&source;

	CHECK_ERR(ipv4_tos(-1), -EBADF);
	CHECK_ERR(ipv4_set_tos(-1, 0), -EBADF);
	CHECK_ERR(ipv4_ttl(-1), -EBADF);
	CHECK_ERR(ipv4_set_ttl(-1, 64), -EBADF);
	CHECK_ERR(ipv4_multicast_ttl(-7), -EBADF);
	CHECK_ERR(ipv4_set_multicast_ttl(-7, 1), -EBADF);
	CHECK_ERR(ipv4_multicast_loopback(-1), -EBADF);
	CHECK_ERR(ipv4_set_multicast_loopback(-1, 1), -EBADF);
	CHECK_ERR(ipv4_set_multicast_interface(-1, 0), -EBADF);
	CHECK_ERR(ipv4_join_group(-1, 0, g), -EBADF);
	CHECK_ERR(ipv4_leave_group(-1, 0, g), -EBADF);
	CHECK_ERR(ipv4_join_source_group(-1, 0, g, s), -EBADF);
	CHECK_ERR(ipv4_leave_source_group(-1, 0, g, s), -EBADF);
	CHECK_ERR(ipv4_exclude_source(-1, 0, g, s), -EBADF);
	CHECK_ERR(ipv4_include_source(-1, 0, g, s), -EBADF);
}

/* A value the kernel would take leaves the option as it was when rejected. */
static void test_rejected_value_changes_nothing(void)
{
	int fd = open_socket(SOCK_DGRAM);

	CHECK_OK(ipv4_set_tos(fd, 0x10));
	CHECK_ERR(ipv4_set_tos(fd, 256), -EINVAL); /* the kernel: TOS 0 */
	CHECK_INT_EQ(ipv4_tos(fd), 0x10);

	CHECK_OK(ipv4_set_multicast_loopback(fd, 0));
	CHECK_ERR(ipv4_set_multicast_loopback(fd, 2), -EINVAL);
	CHECK_INT_EQ(ipv4_multicast_loopback(fd), 0);

	CHECK_OK(ipv4_set_ttl(fd, 200));
	CHECK_ERR(ipv4_set_ttl(fd, 0), -EINVAL);
	CHECK_INT_EQ(ipv4_ttl(fd), 200);
	close(fd);
}

static struct sockaddr_in6 ipv6_address(void)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr.s6_addr[0] = 0xff; /* ff02::1, a multicast group */
	sin6.sin6_addr.s6_addr[1] = 0x02;
	sin6.sin6_addr.s6_addr[15] = 1;
	return sin6;
}

typedef int (*group_fn)(int, int, const struct sockaddr *);
typedef int (*source_fn)(int, int, const struct sockaddr *,
			 const struct sockaddr *);

static void check_group_arguments(int fd, group_fn fn, const char *name)
{
	static const char *const unicast[] = {
	    "10.0.0.1",	 "0.0.0.0",	    "223.255.255.255",
	    "240.0.0.0", "255.255.255.255",
	};
	static const char *const groups[] = {"224.0.0.0", "224.0.0.251",
					     "239.255.255.255"};
	struct sockaddr_in6 v6 = ipv6_address();
	struct sockaddr_in group = lab_addr("239.1.2.3", 0);
	int failures = check_failures;
	size_t i;

	CHECK_ERR(fn(fd, 0, NULL), IPV4_ERR_MISSING_ADDRESS);
	CHECK_ERR(fn(fd, 0, (struct sockaddr *)&v6), IPV4_ERR_NOT_IPV4);
	CHECK_ERR(fn(fd, -1, (struct sockaddr *)&group), -EINVAL);
	for (i = 0; i < sizeof(unicast) / sizeof(unicast[0]); i++) {
		struct sockaddr_in sin = lab_addr(unicast[i], 0);

		CHECK_ERR(fn(fd, 0, (struct sockaddr *)&sin),
			  IPV4_ERR_NOT_MULTICAST);
	}
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		struct sockaddr_in sin = lab_addr(groups[i], 0);

		CHECK_ERR(fn(fd, 0, (struct sockaddr *)&sin), -EBADF);
	}
	if (check_failures > failures)
		fprintf(stderr, "(the failures above are in %s)\n", name);
}

static void check_source_arguments(int fd, source_fn fn, const char *name)
{
	static const char *const bad_sources[] = {
	    "0.0.0.0",	       "224.0.0.1",	  "232.1.1.1",
	    "239.255.255.255", "255.255.255.255",
	};
	struct sockaddr_in6 v6 = ipv6_address();
	struct sockaddr_in group = lab_addr("232.1.2.3", 0);
	struct sockaddr_in unicast = lab_addr("10.0.0.1", 0);
	struct sockaddr_in source = lab_addr("10.0.0.9", 0);
	const struct sockaddr *g = (struct sockaddr *)&group;
	const struct sockaddr *s = (struct sockaddr *)&source;
	int failures = check_failures;
	size_t i;

	CHECK_ERR(fn(fd, 0, NULL, s), IPV4_ERR_MISSING_ADDRESS);
	CHECK_ERR(fn(fd, 0, (struct sockaddr *)&v6, s), IPV4_ERR_NOT_IPV4);
	CHECK_ERR(fn(fd, 0, (struct sockaddr *)&unicast, s),
		  IPV4_ERR_NOT_MULTICAST);
	CHECK_ERR(fn(fd, 0, g, NULL), IPV4_ERR_MISSING_ADDRESS);
	CHECK_ERR(fn(fd, 0, g, (struct sockaddr *)&v6), IPV4_ERR_NOT_IPV4);
	CHECK_ERR(fn(fd, -1, g, s), -EINVAL);
	for (i = 0; i < sizeof(bad_sources) / sizeof(bad_sources[0]); i++) {
		struct sockaddr_in sin = lab_addr(bad_sources[i], 0);

		CHECK_ERR(fn(fd, 0, g, (struct sockaddr *)&sin), -EINVAL);
	}
	/* The group is checked before the source. */
	CHECK_ERR(fn(fd, 0, (struct sockaddr *)&unicast, NULL),
		  IPV4_ERR_NOT_MULTICAST);
	CHECK_ERR(fn(fd, 0, g, s), -EBADF);
	if (check_failures > failures)
		fprintf(stderr, "(the failures above are in %s)\n", name);
}

static void test_address_arguments(void)
{
	int fd = closed_fd();

	check_group_arguments(fd, ipv4_join_group, "ipv4_join_group");
	check_group_arguments(fd, ipv4_leave_group, "ipv4_leave_group");
	check_source_arguments(fd, ipv4_join_source_group,
			       "ipv4_join_source_group");
	check_source_arguments(fd, ipv4_leave_source_group,
			       "ipv4_leave_source_group");
	check_source_arguments(fd, ipv4_exclude_source, "ipv4_exclude_source");
	check_source_arguments(fd, ipv4_include_source, "ipv4_include_source");
}

/* The kernel's verdicts on membership changes reach the caller unchanged. */
static void check_membership_kernel_errors(int fd)
{
	struct sockaddr_in group = lab_addr("239.1.2.3", 0);
	struct sockaddr_in ssm = lab_addr("232.1.2.3", 0);
	struct sockaddr_in source = lab_addr("10.0.0.1", 0);
	const struct sockaddr *g = (struct sockaddr *)&group;
	const struct sockaddr *sg = (struct sockaddr *)&ssm;
	const struct sockaddr *s = (struct sockaddr *)&source;

	/* The test's namespace has no route for 224.0.0.0/4. */
	CHECK_ERR(ipv4_join_group(fd, 0, g), -ENODEV);
	CHECK_ERR(ipv4_set_multicast_interface(fd, 99999), -EADDRNOTAVAIL);
	CHECK_ERR(ipv4_join_group(fd, 99999, g), -ENODEV);

	CHECK_OK(ipv4_join_group(fd, 1, g));
	CHECK_ERR(ipv4_join_group(fd, 1, g), -EADDRINUSE);
	CHECK_OK(ipv4_exclude_source(fd, 1, g, s));
	CHECK_OK(ipv4_include_source(fd, 1, g, s));
	CHECK_ERR(ipv4_join_source_group(fd, 1, g, s), -EINVAL);
	CHECK_OK(ipv4_leave_group(fd, 1, g));
	CHECK_ERR(ipv4_leave_group(fd, 1, g), -EADDRNOTAVAIL);

	CHECK_ERR(ipv4_exclude_source(fd, 1, sg, s), -EINVAL);
	CHECK_OK(ipv4_join_source_group(fd, 1, sg, s));
	CHECK_ERR(ipv4_exclude_source(fd, 1, sg, s), -EINVAL);
	CHECK_OK(ipv4_leave_source_group(fd, 1, sg, s));
	CHECK_ERR(ipv4_leave_source_group(fd, 1, sg, s), -EINVAL);

	/* Leaving the group drops a source-specific membership whole. */
	CHECK_OK(ipv4_join_source_group(fd, 1, sg, s));
	CHECK_OK(ipv4_leave_group(fd, 1, sg));
	CHECK_ERR(ipv4_leave_source_group(fd, 1, sg, s), -EINVAL);
}

/* On UDP and on raw ICMP sockets, which packet and raw conns wrap. */
static void test_membership_kernel_errors(void)
{
	int udp = open_socket(SOCK_DGRAM);
	int icmp = lab_socket(NULL, AF_INET, SOCK_RAW, IPPROTO_ICMP);

	check_membership_kernel_errors(udp);
	check_membership_kernel_errors(icmp);
	close(udp);
	close(icmp);
}

/* Namespaces a (10.0.0.1 on veth-a) and b (10.0.0.2 on veth-b). */
static void build_lab(void)
{
	lab_ns("a");
	lab_ns("b");
	lab_veth("a", "veth-a", "10.0.0.1/24", "b", "veth-b", "10.0.0.2/24");
}

static void enable_option(int fd, int name)
{
	int on = 1;

	CHECK_FATAL(setsockopt(fd, IPPROTO_IP, name, &on, sizeof(on)) == 0);
}

/* Receives one datagram and returns its TOS and TTL from the cmsgs. */
static int recv_tos_ttl(int fd, int *tos, int *ttl)
{
	union {
		char buf[CMSG_SPACE(sizeof(int)) * 2];
		struct cmsghdr align;
	} control;
	char data[64];
	struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
	struct msghdr msg;
	struct cmsghdr *c;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	*tos = -1;
	*ttl = -1;
	n = recvmsg(fd, &msg, 0);
	if (n < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != IPPROTO_IP)
			continue;
		if (c->cmsg_type == IP_TOS)
			*tos = *(unsigned char *)CMSG_DATA(c);
		if (c->cmsg_type == IP_TTL)
			memcpy(ttl, CMSG_DATA(c), sizeof(*ttl));
	}
	return (int)n;
}

static void send_udp(int fd, const char *ip, uint16_t port)
{
	struct sockaddr_in dst = lab_addr(ip, port);

	CHECK_INT_EQ(
	    sendto(fd, "tos-ttl", 7, 0, (struct sockaddr *)&dst, sizeof(dst)),
	    7);
}

static void test_udp_tos_ttl_arrive(void)
{
	int tx = lab_udp("a", "10.0.0.1", 0);
	int rx = lab_udp("b", "10.0.0.2", PORT);
	int tos;
	int ttl;

	lab_recv_timeout(rx, 2000);
	enable_option(rx, IP_RECVTOS);
	enable_option(rx, IP_RECVTTL);

	CHECK_OK(ipv4_set_tos(tx, 0xb8));
	CHECK_OK(ipv4_set_ttl(tx, 17));
	send_udp(tx, "10.0.0.2", PORT);
	CHECK_INT_EQ(recv_tos_ttl(rx, &tos, &ttl), 7);
	CHECK_INT_EQ(tos, 0xb8);
	CHECK_INT_EQ(ttl, 17);

	CHECK_OK(ipv4_set_tos(tx, 0x28));
	CHECK_OK(ipv4_set_ttl(tx, 255));
	send_udp(tx, "10.0.0.2", PORT);
	CHECK_INT_EQ(recv_tos_ttl(rx, &tos, &ttl), 7);
	CHECK_INT_EQ(tos, 0x28);
	CHECK_INT_EQ(ttl, 255);

	CHECK_OK(ipv4_set_ttl(tx, -1));
	send_udp(tx, "10.0.0.2", PORT);
	CHECK_INT_EQ(recv_tos_ttl(rx, &tos, &ttl), 7);
	CHECK_INT_EQ(ttl, 64); /* the default of the sender's namespace */
	close(tx);
	close(rx);
}

/*
 * Reads packets on a raw socket until one from src arrives (at most 20
 * packets, each within the socket timeout), and returns its TOS and TTL.
 */
static int raw_tos_ttl(int fd, const char *src, int *tos, int *ttl)
{
	struct in_addr want;
	unsigned char pkt[1500];
	int i;

	inet_pton(AF_INET, src, &want);
	for (i = 0; i < 20; i++) {
		ssize_t n = recv(fd, pkt, sizeof(pkt), 0);

		if (n < 20)
			return -1;
		if (memcmp(pkt + 12, &want, 4) != 0)
			continue;
		*tos = pkt[1];
		*ttl = pkt[8];
		return 0;
	}
	return -1;
}

static void test_raw_tos_ttl_arrive(void)
{
	/* A UDP header (ports 4243 -> 4242, length 12, no checksum). */
	static const unsigned char udp[12] = {0x10, 0x93, 0x10, 0x92, 0,   12,
					      0,    0,	  'r',	'a',  'w', '!'};
	int tx = lab_socket("a", AF_INET, SOCK_RAW, IPPROTO_UDP);
	int rx = lab_socket("b", AF_INET, SOCK_RAW, IPPROTO_UDP);
	struct sockaddr_in dst = lab_addr("10.0.0.2", 0);
	int tos = -1;
	int ttl = -1;

	lab_recv_timeout(rx, 2000);
	CHECK_OK(ipv4_set_tos(tx, 0xc0));
	CHECK_OK(ipv4_set_ttl(tx, 33));
	CHECK_INT_EQ(sendto(tx, udp, sizeof(udp), 0, (struct sockaddr *)&dst,
			    sizeof(dst)),
		     sizeof(udp));
	CHECK_INT_EQ(raw_tos_ttl(rx, "10.0.0.1", &tos, &ttl), 0);
	CHECK_INT_EQ(tos, 0xc0);
	CHECK_INT_EQ(ttl, 33);
	close(tx);
	close(rx);
}

static void test_tcp_tos_ttl_arrive(void)
{
	int listener = lab_socket("b", AF_INET, SOCK_STREAM, 0);
	int client = lab_socket("a", AF_INET, SOCK_STREAM, 0);
	int rx = lab_socket("b", AF_INET, SOCK_RAW, IPPROTO_TCP);
	struct sockaddr_in addr = lab_addr("10.0.0.2", PORT);
	int tos = -1;
	int ttl = -1;

	lab_recv_timeout(rx, 2000);
	CHECK_FATAL(bind(listener, (struct sockaddr *)&addr, sizeof(addr)) ==
		    0);
	CHECK_FATAL(listen(listener, 1) == 0);

	CHECK_OK(ipv4_set_tos(client, 0x28));
	CHECK_OK(ipv4_set_ttl(client, 128));
	CHECK_INT_EQ(connect(client, (struct sockaddr *)&addr, sizeof(addr)),
		     0);
	CHECK_INT_EQ(raw_tos_ttl(rx, "10.0.0.1", &tos, &ttl), 0);
	CHECK_INT_EQ(tos & 0xfc, 0x28); /* the SYN; ECN bits are TCP's */
	CHECK_INT_EQ(ttl, 128);
	close(client);
	close(listener);
	close(rx);
}

int main(void)
{
	lab_init();
	test_datagram_roundtrip();
	test_multicast_interface_getsockopt();
	test_tcp_roundtrip();
	test_tcp_multicast_errors();
	test_value_ranges();
	test_negative_fd();
	test_rejected_value_changes_nothing();
	test_address_arguments();
	test_membership_kernel_errors();

	build_lab();
	test_udp_tos_ttl_arrive();
	test_raw_tos_ttl_arrive();
	test_tcp_tos_ttl_arrive();
	return check_exit();
}
