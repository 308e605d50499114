/* SPDX-License-Identifier: MIT */
/*
 * Bad input to every public function, one group of checks per row group of
 * docs/bad-input.md, which lists the same cases with the codes below.
 * Bad fds, wrong socket kinds and NULL or closed conns are in
 * test_faults.c. Sockets live in namespace "a" of a veth lab, so that
 * multicast has an interface (va) to use.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <arpa/inet.h>

#include "lab.h"
#include "ipv4/gso.h"
#include "ipv4/options.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

#define PORT 4100

static int va;

static const uint8_t header20[20] = {0x45, 0x01, 0xbe, 0xef, 0xca, 0xfe, 0x45,
				     0xdc, 0xff, 0x01, 0xde, 0xad, 0xac, 0x10,
				     0xfe, 0xfe, 0xc0, 0xa8, 0x00, 0x01};

static int udp_socket(void)
{
	return lab_udp("a", "10.0.0.1", 0);
}

static struct sockaddr *sa(struct sockaddr_in *sin)
{
	return (struct sockaddr *)sin;
}

static void test_header_parse(void)
{
	struct ipv4_header h;
	uint8_t b[24];

	CHECK_ERR(ipv4_header_parse(NULL, header20, 20), -EINVAL);
	CHECK_ERR(ipv4_header_parse(&h, NULL, 20), -EINVAL);
	CHECK_ERR(ipv4_header_parse(&h, header20, 0),
		  IPV4_ERR_HEADER_TOO_SHORT);
	CHECK_ERR(ipv4_header_parse(&h, header20, 19),
		  IPV4_ERR_HEADER_TOO_SHORT);

	memcpy(b, header20, 20);
	b[0] = 0x65; /* IPv6 */
	CHECK_ERR(ipv4_header_parse(&h, b, 20), IPV4_ERR_VERSION);
	b[0] = 0x44; /* 16 bytes */
	CHECK_ERR(ipv4_header_parse(&h, b, 20), IPV4_ERR_HEADER_LENGTH);
	b[0] = 0x40;
	CHECK_ERR(ipv4_header_parse(&h, b, 20), IPV4_ERR_HEADER_LENGTH);
	b[0] = 0x46; /* 24 bytes in a 20-byte buffer */
	CHECK_ERR(ipv4_header_parse(&h, b, 20), IPV4_ERR_HEADER_TRUNCATED);
	b[0] = 0x4f; /* 60 bytes */
	CHECK_ERR(ipv4_header_parse(&h, b, 20), IPV4_ERR_HEADER_TRUNCATED);

	/* A total length that disagrees with the buffer is not checked. */
	CHECK_INT_EQ(ipv4_header_parse(&h, header20, 20), 20);
	CHECK_INT_EQ(h.total_len, 0xbeef);
}

static void test_header_checksum(void)
{
	uint8_t b[20];

	CHECK_ERR(ipv4_header_checksum_valid(NULL, 20), -EINVAL);
	CHECK_ERR(ipv4_header_checksum_valid(header20, 10),
		  IPV4_ERR_HEADER_TOO_SHORT);
	memcpy(b, header20, 20);
	b[0] = 0x55;
	CHECK_ERR(ipv4_header_checksum_valid(b, 20), IPV4_ERR_VERSION);
	CHECK_INT_EQ(ipv4_header_checksum_valid(header20, 20), 0);

	/* NULL is the empty buffer, whose checksum is 0xffff. */
	CHECK_INT_EQ(ipv4_checksum(NULL, 0), 0xffff);
	CHECK_INT_EQ(ipv4_checksum(NULL, 20), 0xffff);
	CHECK_INT_EQ(ipv4_checksum(header20, 0), 0xffff);
}

static void test_header_marshal(void)
{
	struct ipv4_header h;
	uint8_t out[IPV4_HEADER_MAX_LEN];

	CHECK_INT_EQ(ipv4_header_parse(&h, header20, 20), 20);
	CHECK_ERR(ipv4_header_marshal(NULL, out, sizeof(out)), -EINVAL);
	CHECK_ERR(ipv4_header_marshal(&h, NULL, sizeof(out)), -EINVAL);
	CHECK_ERR(ipv4_header_marshal(&h, NULL, 0), IPV4_ERR_NO_SPACE);
	CHECK_ERR(ipv4_header_marshal(&h, out, 19), IPV4_ERR_NO_SPACE);

	h.options_len = 3;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)),
		  IPV4_ERR_OPTIONS_LENGTH);
	h.options_len = 44;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)),
		  IPV4_ERR_OPTIONS_LENGTH);
	h.options_len = 255;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)),
		  IPV4_ERR_OPTIONS_LENGTH);
	h.options_len = 4;
	CHECK_ERR(ipv4_header_marshal(&h, out, 23), IPV4_ERR_NO_SPACE);
	h.options_len = 0;

	h.dst.s_addr = htonl(INADDR_ANY);
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)),
		  IPV4_ERR_MISSING_ADDRESS);
	h.dst.s_addr = htonl(0xc0000201);
	h.flags = 8;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)), -EINVAL);
	h.flags = IPV4_HF_DF;
	h.frag_off = 8192;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)), -EINVAL);
	h.frag_off = 8191;
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, sizeof(out)), 20);

	/* version and header_len are not read: the options decide. */
	h.version = 6;
	h.header_len = 7;
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, sizeof(out)), 20);
	CHECK_INT_EQ(out[0], 0x45);
}

static void test_header_format(void)
{
	struct ipv4_header h;
	char line[IPV4_HEADER_STRLEN];

	CHECK_INT_EQ(ipv4_header_parse(&h, header20, 20), 20);
	CHECK_ERR(ipv4_header_format(NULL, line, sizeof(line)), -EINVAL);
	CHECK_ERR(ipv4_header_format(&h, NULL, sizeof(line)), -EINVAL);
	CHECK_ERR(ipv4_header_format(&h, line, 0), IPV4_ERR_NO_SPACE);
	CHECK_ERR(ipv4_header_format(&h, line, 10), IPV4_ERR_NO_SPACE);
	CHECK_INT_EQ(strlen(line), 9);
}

/* Two cmsgs with lying lengths: under the header size and past the end. */
static void test_control_parse(void)
{
	static const uint8_t short_len[12] = {0x0c, 0, 0, 0, 0, 0,
					      0,    0, 0x14, 0, 0, 0};
	static const uint8_t past_end[12] = {0x0c, 0, 0, 0, 0, 0,
					     0,	   0, 0x1a, 0, 0, 0};
	union {
		struct cmsghdr align;
		uint8_t buf[64];
	} u;
	struct ipv4_control_message cm;
	struct cmsghdr c;

	memset(&u, 0, sizeof(u));
	CHECK_ERR(ipv4_control_parse(NULL, u.buf, 0), -EINVAL);
	CHECK_ERR(ipv4_control_parse(&cm, NULL, 16), -EINVAL);
	CHECK_OK(ipv4_control_parse(&cm, NULL, 0));
	CHECK_ERR(ipv4_control_parse(&cm, short_len, sizeof(short_len)),
		  IPV4_ERR_CMSG_MALFORMED);
	CHECK_ERR(ipv4_control_parse(&cm, past_end, sizeof(past_end)),
		  IPV4_ERR_CMSG_MALFORMED);
	CHECK_ERR(ipv4_control_parse(&cm, u.buf, 3), IPV4_ERR_CMSG_MALFORMED);

	/* cmsg_len claims more than the buffer holds. */
	c.cmsg_len = CMSG_LEN(sizeof(int)) + 8;
	c.cmsg_level = IPPROTO_IP;
	c.cmsg_type = IP_TTL;
	memcpy(u.buf, &c, sizeof(c));
	CHECK_ERR(ipv4_control_parse(&cm, u.buf, CMSG_SPACE(sizeof(int))),
		  IPV4_ERR_CMSG_MALFORMED);

	/* An IP_TTL or IP_PKTINFO too short for its value. */
	c.cmsg_len = CMSG_LEN(2);
	memcpy(u.buf, &c, sizeof(c));
	CHECK_ERR(ipv4_control_parse(&cm, u.buf, CMSG_SPACE(2)),
		  IPV4_ERR_CMSG_MALFORMED);
	c.cmsg_type = IP_PKTINFO;
	c.cmsg_len = CMSG_LEN(8);
	memcpy(u.buf, &c, sizeof(c));
	CHECK_ERR(ipv4_control_parse(&cm, u.buf, CMSG_SPACE(8)),
		  IPV4_ERR_CMSG_MALFORMED);

	/* Unknown levels and types are skipped, not errors. */
	c.cmsg_level = SOL_SOCKET;
	c.cmsg_type = 999;
	memcpy(u.buf, &c, sizeof(c));
	CHECK_OK(ipv4_control_parse(&cm, u.buf, CMSG_SPACE(8)));
	CHECK_INT_EQ(cm.ttl, 0);
}

static void test_control_marshal(void)
{
	struct ipv4_control_message cm;
	union {
		struct cmsghdr align;
		uint8_t buf[IPV4_CONTROL_MARSHAL_MAX];
	} u;
	char line[IPV4_CONTROL_STRLEN];

	memset(&cm, 0, sizeof(cm));
	CHECK_ERR(ipv4_control_marshal(NULL, u.buf, sizeof(u.buf)), -EINVAL);
	CHECK_ERR(ipv4_control_marshal(&cm, NULL, sizeof(u.buf)), -EINVAL);
	CHECK_INT_EQ(ipv4_control_marshal(&cm, NULL, 0), 0);
	cm.ifindex = -1;
	CHECK_ERR(ipv4_control_marshal(&cm, u.buf, sizeof(u.buf)), -EINVAL);
	cm.ifindex = 1;
	CHECK_ERR(ipv4_control_marshal(&cm, u.buf, 8), IPV4_ERR_NO_SPACE);
	CHECK_ERR(ipv4_control_marshal(&cm, NULL, 0), IPV4_ERR_NO_SPACE);
	cm.ifindex = 0;
	cm.segment_size = -1;
	CHECK_ERR(ipv4_control_marshal(&cm, u.buf, sizeof(u.buf)), -EINVAL);
	cm.segment_size = 65536;
	CHECK_ERR(ipv4_control_marshal(&cm, u.buf, sizeof(u.buf)),
		  IPV4_ERR_SEGMENT_SIZE);
	/* The received-only fields are not sent, whatever they hold. */
	cm.segment_size = 0;
	cm.ttl = 999;
	cm.dst.s_addr = htonl(0xe0000001);
	CHECK_INT_EQ(ipv4_control_marshal(&cm, u.buf, sizeof(u.buf)), 0);

	CHECK_ERR(ipv4_control_size(IPV4_CF_ALL + 1), -EINVAL);
	CHECK_ERR(ipv4_control_size(0x80000000u), -EINVAL);
	CHECK_INT_EQ(ipv4_control_size(0), 0);

	CHECK_ERR(ipv4_control_format(NULL, line, sizeof(line)), -EINVAL);
	CHECK_ERR(ipv4_control_format(&cm, NULL, sizeof(line)), -EINVAL);
	CHECK_ERR(ipv4_control_format(&cm, line, 0), IPV4_ERR_NO_SPACE);
	CHECK_ERR(ipv4_control_format(&cm, line, 5), IPV4_ERR_NO_SPACE);
	CHECK_STR_EQ(line, "ttl=");
}

static void test_options(void)
{
	static const uint8_t rr_short[] = {IPV4_OPT_RR};
	static const uint8_t rr_len1[] = {IPV4_OPT_RR, 1, 0, 0};
	static const uint8_t rr_long[] = {IPV4_OPT_RR, 9, 4, 0};
	static const uint8_t nop_eol[] = {IPV4_OPT_NOP, IPV4_OPT_EOL, 0, 0};
	const uint8_t *opt;
	size_t rem = 4;

	CHECK_INT_EQ(ipv4_option_ok(NULL, 4), 0);
	CHECK_INT_EQ(ipv4_option_ok(rr_len1, 0), 0);
	CHECK_ERR(ipv4_option_ok(rr_short, 1), IPV4_ERR_OPTION_MALFORMED);
	CHECK_ERR(ipv4_option_ok(rr_len1, 4), IPV4_ERR_OPTION_MALFORMED);
	CHECK_ERR(ipv4_option_ok(rr_long, 4), IPV4_ERR_OPTION_MALFORMED);
	CHECK_INT_EQ(ipv4_option_ok(nop_eol + 1, 3), 0);

	CHECK_ERR(ipv4_option_find(NULL, 4, IPV4_OPT_RR, &opt), -EINVAL);
	CHECK_ERR(ipv4_option_find(nop_eol, 4, IPV4_OPT_RR, NULL), -EINVAL);
	CHECK_ERR(ipv4_option_find(nop_eol, 4, IPV4_OPT_EOL, &opt), -EINVAL);
	CHECK_INT_EQ(ipv4_option_find(NULL, 0, IPV4_OPT_RR, &opt), 0);
	CHECK_INT_EQ(ipv4_option_find(nop_eol, 4, IPV4_OPT_RR, &opt), 0);
	CHECK(opt == NULL);
	CHECK_ERR(ipv4_option_find(rr_long, 4, IPV4_OPT_TIMESTAMP, &opt),
		  IPV4_ERR_OPTION_MALFORMED);

	/* The accessors take a NULL opt without reading it. */
	CHECK_INT_EQ(ipv4_option_type(NULL), IPV4_OPT_EOL);
	CHECK_INT_EQ(ipv4_option_len(NULL), 0);
	CHECK_INT_EQ(ipv4_option_data_len(NULL), 0);
	CHECK(ipv4_option_data(NULL) == NULL);
	CHECK(ipv4_option_next(NULL, &rem) == NULL);
	CHECK(ipv4_option_next(nop_eol, NULL) == NULL);
	CHECK_INT_EQ(rem, 4);
}

static void test_icmp(void)
{
	struct ipv4_icmp_filter f = {0};

	CHECK_STR_EQ(ipv4_icmp_type_name(-1), "unknown");
	CHECK_STR_EQ(ipv4_icmp_type_name(256), "unknown");
	CHECK_STR_EQ(ipv4_icmp_type_name(INT_MIN), "unknown");
	CHECK_ERR(ipv4_icmp_filter_block(&f, -1), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_block(&f, 32), IPV4_ERR_ICMP_TYPE_RANGE);
	CHECK_ERR(ipv4_icmp_filter_accept(&f, 255), IPV4_ERR_ICMP_TYPE_RANGE);
	CHECK_ERR(ipv4_icmp_filter_will_block(&f, INT_MAX),
		  IPV4_ERR_ICMP_TYPE_RANGE);
	CHECK_ERR(ipv4_icmp_filter_block(NULL, 3), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_accept(NULL, 3), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_will_block(NULL, 3), -EINVAL);
	ipv4_icmp_filter_set_all(NULL, 1); /* a no-op */
	CHECK_ERR(ipv4_icmp_filter_get(-1, NULL), -EINVAL);
	CHECK_ERR(ipv4_icmp_filter_set(-1, NULL), -EINVAL);
	CHECK_INT_EQ(f.blocked, 0);
}

/* Out-of-range option values are rejected before any system call. */
static void test_int_options(void)
{
	int fd = udp_socket();

	CHECK_ERR(ipv4_set_tos(fd, 256), -EINVAL);
	CHECK_ERR(ipv4_set_tos(fd, -1), -EINVAL);
	CHECK_ERR(ipv4_set_tos(fd, INT_MIN), -EINVAL);
	CHECK_ERR(ipv4_set_ttl(fd, 0), -EINVAL);
	CHECK_ERR(ipv4_set_ttl(fd, 256), -EINVAL);
	CHECK_ERR(ipv4_set_ttl(fd, -2), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_ttl(fd, 256), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_ttl(fd, -2), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_loopback(fd, 2), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_loopback(fd, -1), -EINVAL);

	/* -1 restores the default of the kernel. */
	CHECK_OK(ipv4_set_ttl(fd, 9));
	CHECK_OK(ipv4_set_ttl(fd, -1));
	CHECK_INT_EQ(ipv4_ttl(fd), 64);
	CHECK_OK(ipv4_set_multicast_ttl(fd, 9));
	CHECK_OK(ipv4_set_multicast_ttl(fd, -1));
	CHECK_INT_EQ(ipv4_multicast_ttl(fd), 1);
	/* A rejected value leaves the option as it was. */
	CHECK_OK(ipv4_set_tos(fd, 0x10));
	CHECK_ERR(ipv4_set_tos(fd, 0x110), -EINVAL);
	CHECK_INT_EQ(ipv4_tos(fd), 0x10);
	close(fd);
}

static void test_interfaces(void)
{
	int fd = udp_socket();
	struct sockaddr_in group = lab_addr("239.1.1.1", 0);

	CHECK_ERR(ipv4_set_multicast_interface(fd, -1), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_interface(fd, INT_MIN), -EINVAL);
	CHECK_ERR(ipv4_set_multicast_interface(fd, 9999), -EADDRNOTAVAIL);
	CHECK_ERR(ipv4_join_group(fd, -1, sa(&group)), -EINVAL);
	CHECK_ERR(ipv4_join_group(fd, 9999, sa(&group)), -ENODEV);
	CHECK_OK(ipv4_join_group(fd, va, sa(&group)));
	CHECK_ERR(ipv4_join_group(fd, va, sa(&group)), -EADDRINUSE);
	CHECK_OK(ipv4_leave_group(fd, va, sa(&group)));
	CHECK_ERR(ipv4_leave_group(fd, va, sa(&group)), -EADDRNOTAVAIL);
	close(fd);
}

static void test_group_addresses(void)
{
	int fd = udp_socket();
	struct sockaddr_in unicast = lab_addr("10.0.0.1", 0);
	struct sockaddr_in broadcast = lab_addr("255.255.255.255", 0);
	struct sockaddr_in6 six;
	struct sockaddr_in group = lab_addr("232.1.1.1", 0);
	struct sockaddr_in any = lab_addr("0.0.0.0", 0);
	struct sockaddr_in source = lab_addr("10.0.0.9", 0);
	struct sockaddr_in unspec = group;

	memset(&six, 0, sizeof(six));
	six.sin6_family = AF_INET6;
	unspec.sin_family = AF_UNSPEC;

	CHECK_ERR(ipv4_join_group(fd, va, NULL), IPV4_ERR_MISSING_ADDRESS);
	CHECK_ERR(ipv4_join_group(fd, va, (struct sockaddr *)&six),
		  IPV4_ERR_NOT_IPV4);
	CHECK_ERR(ipv4_join_group(fd, va, sa(&unspec)), IPV4_ERR_NOT_IPV4);
	CHECK_ERR(ipv4_join_group(fd, va, sa(&unicast)),
		  IPV4_ERR_NOT_MULTICAST);
	CHECK_ERR(ipv4_join_group(fd, va, sa(&broadcast)),
		  IPV4_ERR_NOT_MULTICAST);
	CHECK_ERR(ipv4_leave_group(fd, va, sa(&any)), IPV4_ERR_NOT_MULTICAST);

	CHECK_ERR(ipv4_join_source_group(fd, va, sa(&group), NULL),
		  IPV4_ERR_MISSING_ADDRESS);
	CHECK_ERR(ipv4_join_source_group(fd, va, NULL, sa(&source)),
		  IPV4_ERR_MISSING_ADDRESS);
	CHECK_ERR(ipv4_join_source_group(fd, va, sa(&group),
					 (struct sockaddr *)&six),
		  IPV4_ERR_NOT_IPV4);
	CHECK_ERR(ipv4_join_source_group(fd, va, sa(&unicast), sa(&source)),
		  IPV4_ERR_NOT_MULTICAST);
	CHECK_ERR(ipv4_join_source_group(fd, va, sa(&group), sa(&any)),
		  -EINVAL);
	CHECK_ERR(ipv4_join_source_group(fd, va, sa(&group), sa(&broadcast)),
		  -EINVAL);
	CHECK_ERR(ipv4_join_source_group(fd, va, sa(&group), sa(&group)),
		  -EINVAL);
	CHECK_ERR(ipv4_join_source_group(fd, -1, sa(&group), sa(&source)),
		  -EINVAL);
	CHECK_ERR(ipv4_join_source_group(fd, 9999, sa(&group), sa(&source)),
		  -ENODEV);
	CHECK_ERR(ipv4_exclude_source(fd, va, sa(&group), sa(&any)), -EINVAL);
	CHECK_ERR(ipv4_include_source(fd, va, NULL, sa(&source)),
		  IPV4_ERR_MISSING_ADDRESS);
	CHECK_ERR(ipv4_leave_source_group(fd, va, sa(&group), sa(&source)),
		  -EINVAL);
	close(fd);
}

static void test_bpf(void)
{
	static const struct sock_filter accept_all[] = {
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
	};
	static const struct sock_filter no_return[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	};
	static struct sock_filter too_long[IPV4_BPF_MAX_INSNS + 1];
	int fd = udp_socket();
	size_t i;

	for (i = 0; i < IPV4_BPF_MAX_INSNS + 1; i++)
		too_long[i] = accept_all[0];
	CHECK_ERR(ipv4_bpf_attach(fd, accept_all, 0), IPV4_ERR_EMPTY_PROGRAM);
	CHECK_ERR(ipv4_bpf_attach(fd, NULL, 0), IPV4_ERR_EMPTY_PROGRAM);
	CHECK_ERR(ipv4_bpf_attach(fd, NULL, 1), -EINVAL);
	CHECK_ERR(ipv4_bpf_attach(fd, too_long, 65536), -EINVAL);
	CHECK_ERR(ipv4_bpf_attach(fd, too_long, IPV4_BPF_MAX_INSNS + 1),
		  -EINVAL);
	CHECK_ERR(ipv4_bpf_attach(fd, no_return, 1), -EINVAL);
	CHECK_ERR(ipv4_bpf_detach(fd), -ENOENT);
	CHECK_OK(ipv4_bpf_attach(fd, accept_all, 1));
	CHECK_OK(ipv4_bpf_lock(fd));
	CHECK_ERR(ipv4_bpf_attach(fd, accept_all, 1), -EPERM);
	CHECK_ERR(ipv4_bpf_detach(fd), -EPERM);
	close(fd);
}

static void conn_open(struct ipv4_packet_conn *c, int fd)
{
	CHECK_FATAL(ipv4_packet_conn_init(c, fd) == 0);
}

static void test_conn_arguments(void)
{
	struct ipv4_packet_conn c;
	struct sockaddr_in dst = lab_addr("10.0.0.2", PORT);
	struct sockaddr_in six = dst;
	unsigned char buf[16] = {0};
	static unsigned char big[65536];

	six.sin_family = AF_INET6;
	conn_open(&c, udp_socket());
	CHECK_ERR(ipv4_packet_conn_set_control_message(&c, 0x10, 1), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_set_control_message(&c, ~0u, 0), -EINVAL);
	CHECK_OK(ipv4_packet_conn_set_control_message(&c, 0, 1));
	CHECK_INT_EQ(ipv4_packet_conn_control_message(&c), 0);
	CHECK_ERR(ipv4_packet_conn_set_multicast_interface(&c, -1), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_set_multicast_interface(&c, 9999),
		  -EADDRNOTAVAIL);
	CHECK_INT_EQ(ipv4_packet_conn_multicast_interface(&c), 0);
	CHECK_ERR(ipv4_packet_conn_set_deadline(&c, -1), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_set_read_deadline(&c, INT64_MIN), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_set_write_deadline(&c, -5), -EINVAL);

	CHECK_ERR(ipv4_packet_conn_read_from(&c, NULL, 16, NULL, NULL),
		  -EINVAL);
	CHECK_ERR(ipv4_packet_conn_write_to(&c, NULL, 16, NULL, &dst),
		  -EINVAL);
	CHECK_ERR(ipv4_packet_conn_write_to(&c, big, (size_t)INT_MAX + 1, NULL,
					    &dst),
		  -EMSGSIZE);
	CHECK_ERR(ipv4_packet_conn_write_to(&c, big, 65508, NULL, &dst),
		  -EMSGSIZE);
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, sizeof(buf), NULL, &six),
		  IPV4_ERR_NOT_IPV4);
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, sizeof(buf), NULL, NULL),
		  -EDESTADDRREQ);
	dst.sin_port = 0;
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, sizeof(buf), NULL, &dst),
		  -EINVAL);
	dst = lab_addr("255.255.255.255", PORT);
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, sizeof(buf), NULL, &dst),
		  -EACCES);
	ipv4_packet_conn_close(&c);
}

/* What a control message may not ask of a write. */
static void test_conn_control(void)
{
	struct ipv4_packet_conn c;
	struct ipv4_control_message cm;
	struct sockaddr_in dst = lab_addr("10.0.0.2", PORT);
	unsigned char buf[16] = {0};

	conn_open(&c, udp_socket());
	memset(&cm, 0, sizeof(cm));
	cm.ifindex = -1;
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, sizeof(buf), &cm, &dst),
		  -EINVAL);
	cm.ifindex = 9999;
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, sizeof(buf), &cm, &dst),
		  -ENODEV);
	cm.ifindex = 0;
	cm.src = lab_addr("192.0.2.77", 0).sin_addr; /* not local */
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, sizeof(buf), &cm, &dst),
		  -ENETUNREACH);
	cm.src.s_addr = 0;
	cm.segment_size = 70000;
	CHECK_ERR(ipv4_packet_conn_write_to(&c, buf, sizeof(buf), &cm, &dst),
		  IPV4_ERR_SEGMENT_SIZE);
	ipv4_packet_conn_close(&c);
}

static void message_init(struct ipv4_message *m, struct iovec *iov,
			 void *buf, size_t len)
{
	memset(m, 0, sizeof(*m));
	iov->iov_base = buf;
	iov->iov_len = len;
	m->iov = iov;
	m->iovlen = 1;
	m->addr = lab_addr("10.0.0.2", PORT);
}

static void test_batch_arguments(void)
{
	struct ipv4_packet_conn c;
	struct ipv4_message m;
	struct iovec iov;
	unsigned char buf[16] = {0};

	conn_open(&c, udp_socket());
	CHECK_INT_EQ(ipv4_packet_conn_read_batch(&c, NULL, 0, 0), 0);
	CHECK_INT_EQ(ipv4_packet_conn_write_batch(&c, NULL, 0, 0), 0);
	CHECK_ERR(ipv4_packet_conn_read_batch(&c, NULL, 1, 0), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_write_batch(&c, NULL, 1, 0), -EINVAL);

	message_init(&m, &iov, buf, sizeof(buf));
	m.iov = NULL;
	CHECK_ERR(ipv4_packet_conn_write_batch(&c, &m, 1, 0), -EINVAL);
	CHECK_ERR(ipv4_packet_conn_read_batch(&c, &m, 1, 0), -EINVAL);
	message_init(&m, &iov, buf, sizeof(buf));
	m.iovlen = 1025;
	CHECK_ERR(ipv4_packet_conn_write_batch(&c, &m, 1, 0), -EMSGSIZE);
	message_init(&m, &iov, buf, sizeof(buf));
	m.control_cap = 16;
	CHECK_ERR(ipv4_packet_conn_read_batch(&c, &m, 1, 0), -EINVAL);
	m.control_len = 16;
	CHECK_ERR(ipv4_packet_conn_write_batch(&c, &m, 1, 0), -EINVAL);
	m.control = buf;
	m.control_len = (size_t)INT_MAX + 1;
	CHECK_ERR(ipv4_packet_conn_write_batch(&c, &m, 1, 0), -EINVAL);
	message_init(&m, &iov, buf, sizeof(buf));
	m.addr.sin_family = AF_INET6;
	CHECK_ERR(ipv4_packet_conn_write_batch(&c, &m, 1, 0),
		  IPV4_ERR_NOT_IPV4);
	m.addr.sin_family = AF_UNSPEC;
	CHECK_ERR(ipv4_packet_conn_write_batch(&c, &m, 1, 0), -EDESTADDRREQ);

	/* Control data too short for a cmsg header: the kernel ignores it. */
	message_init(&m, &iov, buf, sizeof(buf));
	m.control = buf;
	m.control_len = 5;
	CHECK_INT_EQ(ipv4_packet_conn_write_batch(&c, &m, 1, 0), 1);
	CHECK_INT_EQ(ipv4_gso_write_batch(&c, &m, 1, 0), 1);

	/*
	 * The flags go to the kernel unchecked: UDP rejects MSG_OOB on send
	 * and finds nothing on an empty error queue.
	 */
	message_init(&m, &iov, buf, sizeof(buf));
	CHECK_ERR(ipv4_packet_conn_write_batch(&c, &m, 1, MSG_OOB),
		  -EOPNOTSUPP);
	CHECK_ERR(ipv4_packet_conn_read_batch(&c, &m, 1,
					      MSG_ERRQUEUE | MSG_DONTWAIT),
		  -EAGAIN);
	ipv4_packet_conn_close(&c);
}

static void test_raw_arguments(void)
{
	struct ipv4_raw_conn raw;
	struct ipv4_header h;
	unsigned char buf[64] = {0};
	static unsigned char big[65536];
	int udp = udp_socket();
	int fd;

	CHECK_ERR(ipv4_raw_conn_init(&raw, udp), IPV4_ERR_INVALID_CONN_TYPE);
	close(udp);
	fd = socket(AF_INET, SOCK_RAW, 253); /* RFC 3692 experiment */
	if (fd < 0) {
		printf("raw rows skipped: no raw socket (CAP_NET_RAW)\n");
		return;
	}
	CHECK_FATAL(ipv4_raw_conn_init(&raw, fd) == 0);
	CHECK_INT_EQ(ipv4_header_parse(&h, header20, 20), 20);
	CHECK_ERR(ipv4_raw_conn_read_from(&raw, buf, sizeof(buf), NULL, NULL),
		  -EINVAL);
	CHECK_ERR(ipv4_raw_conn_read_from(&raw, NULL, 10, &h, NULL), -EINVAL);
	CHECK_ERR(ipv4_raw_conn_write_to(&raw, NULL, buf, 4, NULL), -EINVAL);
	CHECK_ERR(ipv4_raw_conn_write_to(&raw, &h, NULL, 4, NULL), -EINVAL);
	CHECK_ERR(ipv4_raw_conn_write_to(&raw, &h, big, 65516, NULL),
		  -EMSGSIZE);
	h.dst.s_addr = 0;
	CHECK_ERR(ipv4_raw_conn_write_to(&raw, &h, buf, 4, NULL),
		  IPV4_ERR_MISSING_ADDRESS);
	h.dst.s_addr = htonl(0x0a000002);
	h.options_len = 3;
	CHECK_ERR(ipv4_raw_conn_write_to(&raw, &h, buf, 4, NULL),
		  IPV4_ERR_OPTIONS_LENGTH);
	ipv4_packet_conn_close(&raw.conn);

	/* Raw I/O needs a raw conn: IP_HDRINCL on, from ipv4_raw_conn_init. */
	h.options_len = 0;
	fd = socket(AF_INET, SOCK_RAW, 253);
	CHECK_FATAL(fd >= 0);
	conn_open(&raw.conn, fd);
	CHECK_ERR(ipv4_raw_conn_write_to(&raw, &h, buf, 4, NULL),
		  IPV4_ERR_INVALID_CONN_TYPE);
	ipv4_packet_conn_close(&raw.conn);
	conn_open(&raw.conn, udp_socket());
	CHECK_ERR(ipv4_raw_conn_read_from(&raw, buf, sizeof(buf), &h, NULL),
		  IPV4_ERR_INVALID_CONN_TYPE);
	ipv4_packet_conn_close(&raw.conn);
}

static void test_gso_arguments(void)
{
	struct ipv4_packet_conn c;
	struct ipv4_control_message cm;
	struct sockaddr_in dst = lab_addr("10.0.0.2", PORT);
	struct ipv4_message m;
	struct iovec iov;
	union {
		struct cmsghdr align;
		unsigned char buf[IPV4_CONTROL_MARSHAL_MAX];
	} u;
	static unsigned char big[65536];
	struct cmsghdr bad;
	int tcp = socket(AF_INET, SOCK_STREAM, 0);
	int fd = udp_socket();
	int len;

	CHECK_ERR(ipv4_gso_segments(100, 0), IPV4_ERR_SEGMENT_SIZE);
	CHECK_ERR(ipv4_gso_segments(100, -1), IPV4_ERR_SEGMENT_SIZE);
	CHECK_ERR(ipv4_gso_segments(100, 65508), IPV4_ERR_SEGMENT_SIZE);
	CHECK_ERR(ipv4_gso_segments(65508, 1400), IPV4_ERR_SEGMENT_SIZE);
	CHECK_ERR(ipv4_gso_segments(6401, 100), IPV4_ERR_SEGMENT_SIZE);
	CHECK_INT_EQ(ipv4_gso_segments(6400, 100), 64);
	CHECK_INT_EQ(ipv4_gso_segments(0, 100), 1);

	CHECK_ERR(ipv4_set_udp_segment(fd, -1), IPV4_ERR_SEGMENT_SIZE);
	CHECK_ERR(ipv4_set_udp_segment(fd, 65508), IPV4_ERR_SEGMENT_SIZE);
	CHECK_ERR(ipv4_set_udp_segment(tcp, 1000), IPV4_ERR_INVALID_CONN_TYPE);
	CHECK_ERR(ipv4_udp_segment(tcp), IPV4_ERR_INVALID_CONN_TYPE);
	CHECK_ERR(ipv4_set_udp_gro(tcp, 1), IPV4_ERR_INVALID_CONN_TYPE);
	CHECK_ERR(ipv4_udp_gro(tcp), IPV4_ERR_INVALID_CONN_TYPE);
	CHECK_ERR(ipv4_udp_gso_supported(tcp), IPV4_ERR_INVALID_CONN_TYPE);
	CHECK_ERR(ipv4_udp_gso_supported(-1), -EBADF);
	/* Any non-zero value turns GRO on, as the kernel reads it. */
	CHECK_OK(ipv4_set_udp_gro(fd, 7));
	CHECK_INT_EQ(ipv4_udp_gro(fd), 1);
	close(tcp);

	conn_open(&c, fd);
	memset(&cm, 0, sizeof(cm));
	cm.segment_size = 100;
	CHECK_ERR(ipv4_gso_write_to(&c, big, 6401, &cm, &dst),
		  IPV4_ERR_SEGMENT_SIZE);
	cm.segment_size = -1;
	CHECK_ERR(ipv4_gso_write_to(&c, big, 100, &cm, &dst),
		  IPV4_ERR_SEGMENT_SIZE);
	CHECK_ERR(ipv4_gso_write_batch(&c, NULL, 1, 0), -EINVAL);

	/* A UDP_SEGMENT message on a batch message without its iovecs. */
	cm.segment_size = 100;
	len = ipv4_control_marshal(&cm, u.buf, sizeof(u.buf));
	CHECK_FATAL(len > 0);
	message_init(&m, &iov, big, 6400);
	m.control = u.buf;
	m.control_len = (size_t)len;
	m.iov = NULL;
	CHECK_ERR(ipv4_gso_write_batch(&c, &m, 1, 0), -EINVAL);
	message_init(&m, &iov, big, 6401);
	m.control = u.buf;
	m.control_len = (size_t)len;
	CHECK_ERR(ipv4_gso_write_batch(&c, &m, 1, 0), IPV4_ERR_SEGMENT_SIZE);
	/* A cmsg_len under the header size is caught before the kernel. */
	memset(&bad, 0, sizeof(bad));
	bad.cmsg_len = 4;
	memcpy(u.buf, &bad, sizeof(bad));
	m.control_len = sizeof(bad);
	CHECK_ERR(ipv4_gso_write_batch(&c, &m, 1, 0), IPV4_ERR_CMSG_MALFORMED);
	ipv4_packet_conn_close(&c);
}

static void test_gro_walk(void)
{
	struct ipv4_gro_segment s;
	struct ipv4_message m;
	struct iovec iov;
	unsigned char buf[16] = {0};
	int count = 0;

	/* NULL data of 100 bytes is no datagram, and of 0 bytes one empty one. */
	for (ipv4_gro_first(&s, NULL, 100, NULL, NULL); ipv4_gro_ok(&s);
	     ipv4_gro_next(&s)) {
		if (++count > 2)
			break;
	}
	CHECK_INT_EQ(count, 0);
	for (ipv4_gro_first(&s, NULL, 0, NULL, NULL); ipv4_gro_ok(&s);
	     ipv4_gro_next(&s)) {
		CHECK_INT_EQ(s.len, 0);
		if (++count > 2)
			break;
	}
	CHECK_INT_EQ(count, 1);
	/* A segment that no walk started is at no datagram. */
	memset(&s, 0, sizeof(s));
	CHECK_INT_EQ(ipv4_gro_ok(&s), 0);
	ipv4_gro_first(NULL, buf, sizeof(buf), NULL, NULL);
	CHECK_INT_EQ(ipv4_gro_ok(NULL), 0);
	ipv4_gro_next(NULL);

	CHECK_ERR(ipv4_gro_first_message(&s, NULL), -EINVAL);
	CHECK_INT_EQ(ipv4_gro_ok(&s), 0);
	message_init(&m, &iov, buf, sizeof(buf));
	CHECK_ERR(ipv4_gro_first_message(NULL, &m), -EINVAL);
	m.len = sizeof(buf) + 1;
	CHECK_ERR(ipv4_gro_first_message(&s, &m), -EINVAL);
	CHECK_INT_EQ(ipv4_gro_ok(&s), 0);
	m.len = 4;
	m.iov = NULL;
	CHECK_ERR(ipv4_gro_first_message(&s, &m), -EINVAL);
	CHECK_INT_EQ(ipv4_gro_ok(&s), 0);
	message_init(&m, &iov, buf, sizeof(buf));
	m.len = 4;
	iov.iov_base = NULL;
	CHECK_ERR(ipv4_gro_first_message(&s, &m), -EINVAL);
	CHECK_INT_EQ(ipv4_gro_ok(&s), 0);

	/* Control data the kernel never wrote: no walk, no read past it. */
	message_init(&m, &iov, buf, sizeof(buf));
	m.len = 4;
	m.control = buf;
	m.control_cap = 8;
	m.control_len = 200;
	CHECK_ERR(ipv4_gro_first_message(&s, &m), -EINVAL);
	CHECK_INT_EQ(ipv4_gro_ok(&s), 0);

	/* Malformed control data leaves no segment size: no walk either. */
	message_init(&m, &iov, buf, sizeof(buf));
	m.len = 4;
	m.control = buf;
	m.control_len = 5;
	CHECK_ERR(ipv4_gro_first_message(&s, &m), IPV4_ERR_CMSG_MALFORMED);
	CHECK_INT_EQ(ipv4_gro_ok(&s), 0);
}

static void test_error_codes(void)
{
	CHECK(ipv4_strerror(INT_MIN) != NULL);
	CHECK(ipv4_strerror(INT_MAX) != NULL);
	CHECK_STR_EQ(ipv4_strerror(5), "success");
	CHECK_STR_EQ(ipv4_strerror(-4099), "unknown error");
	CHECK_STR_EQ(ipv4_err_name(INT_MIN), "UNKNOWN");
	CHECK_STR_EQ(ipv4_err_name(-4099), "UNKNOWN");
	CHECK_STR_EQ(ipv4_err_name(7), "OK");
}

int main(void)
{
	lab_init();
	lab_ns("a");
	lab_ns("b");
	lab_veth("a", "va", "10.0.0.1/24", "b", "vb", "10.0.0.2/24");
	va = lab_ifindex("a", "va");

	test_header_parse();
	test_header_checksum();
	test_header_marshal();
	test_header_format();
	test_control_parse();
	test_control_marshal();
	test_options();
	test_icmp();
	test_int_options();
	test_interfaces();
	test_group_addresses();
	test_bpf();
	test_conn_arguments();
	test_conn_control();
	test_batch_arguments();
	test_raw_arguments();
	test_gso_arguments();
	test_gro_walk();
	test_error_codes();
	return check_exit();
}
