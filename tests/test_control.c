/* SPDX-License-Identifier: MIT */
/*
 * Control messages: sizes, marshal and parse round trips, unaligned and
 * hostile buffers (placed against an unmapped page, so any read past the
 * end faults), and ancillary data that the kernel made or consumed on
 * 127.0.0.1.
 */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/udp.h>

#include "lab.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

static struct in_addr addr(const char *ip)
{
	struct in_addr a;

	CHECK_FATAL(inet_pton(AF_INET, ip, &a) == 1);
	return a;
}

static void test_size(void)
{
	unsigned flags;
	int want;

	for (flags = 0; flags <= IPV4_CF_ALL; flags++) {
		want = 0;
		if (flags & IPV4_CF_TTL)
			want += (int)CMSG_SPACE(sizeof(int));
		if (flags & (IPV4_CF_SRC | IPV4_CF_DST | IPV4_CF_INTERFACE))
			want += (int)CMSG_SPACE(sizeof(struct in_pktinfo));
		CHECK_INT_EQ(ipv4_control_size(flags), want);
		CHECK(ipv4_control_size(flags) + (int)CMSG_SPACE(sizeof(int)) <=
		      IPV4_CONTROL_RECV_MAX);
	}
	/* SRC, DST and INTERFACE share one IP_PKTINFO message. */
	CHECK_INT_EQ(
	    ipv4_control_size(IPV4_CF_SRC),
	    ipv4_control_size(IPV4_CF_SRC | IPV4_CF_DST | IPV4_CF_INTERFACE));
	if (sizeof(size_t) == 8) {
		CHECK_INT_EQ(ipv4_control_size(IPV4_CF_TTL), 24);
		CHECK_INT_EQ(ipv4_control_size(IPV4_CF_DST), 32);
		CHECK_INT_EQ(ipv4_control_size(IPV4_CF_ALL), 56);
	}
	CHECK_ERR(ipv4_control_size(0x10), -EINVAL);
	CHECK_ERR(ipv4_control_size(~0u), -EINVAL);
}

/* Checks the marshaled bytes with the libc macros, on an aligned copy. */
static void check_marshaled(const void *buf, int len,
			    const struct ipv4_control_message *cm)
{
	union {
		struct cmsghdr align;
		uint8_t bytes[IPV4_CONTROL_MARSHAL_MAX];
	} copy;
	struct msghdr msg;
	struct cmsghdr *c;
	struct in_pktinfo pi;
	uint16_t segment;
	int pktinfo = 0, gso = 0;

	CHECK_FATAL(len >= 0 && len <= IPV4_CONTROL_MARSHAL_MAX);
	memcpy(copy.bytes, buf, (size_t)len);
	memset(&msg, 0, sizeof(msg));
	msg.msg_control = copy.bytes;
	msg.msg_controllen = (size_t)len;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			CHECK_INT_EQ(c->cmsg_len, CMSG_LEN(sizeof(pi)));
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			CHECK_INT_EQ(pi.ipi_ifindex, cm->ifindex);
			CHECK_INT_EQ(pi.ipi_spec_dst.s_addr, cm->src.s_addr);
			CHECK_INT_EQ(pi.ipi_addr.s_addr, 0);
			pktinfo++;
		} else if (c->cmsg_level == SOL_UDP &&
			   c->cmsg_type == UDP_SEGMENT) {
			/* Linux wants exactly CMSG_LEN(sizeof(__u16)). */
			CHECK_INT_EQ(c->cmsg_len, CMSG_LEN(sizeof(segment)));
			memcpy(&segment, CMSG_DATA(c), sizeof(segment));
			CHECK_INT_EQ(segment, cm->segment_size);
			gso++;
		} else {
			fprintf(stderr, "unexpected cmsg level %d type %d\n",
				c->cmsg_level, c->cmsg_type);
			check_failures++;
		}
	}
	CHECK_INT_EQ(pktinfo, cm->src.s_addr != 0 || cm->ifindex > 0);
	CHECK_INT_EQ(gso, cm->segment_size > 0);
}

static void check_round_trip(const struct ipv4_control_message *cm)
{
	struct ipv4_control_message got;
	uint8_t buf[IPV4_CONTROL_MARSHAL_MAX];
	int n;

	n = ipv4_control_marshal(cm, buf, sizeof(buf));
	CHECK_OK(n);
	if (n < 0)
		return;
	check_marshaled(buf, n, cm);
	CHECK_OK(ipv4_control_parse(&got, buf, (size_t)n));
	CHECK_INT_EQ(got.ttl, 0);
	CHECK_INT_EQ(got.dst.s_addr, 0);
	CHECK_INT_EQ(got.src.s_addr, cm->src.s_addr);
	CHECK_INT_EQ(got.ifindex, cm->ifindex);
	CHECK_INT_EQ(got.segment_size, cm->segment_size);
}

static void test_marshal_round_trip(void)
{
	struct ipv4_control_message cm;
	uint8_t buf[IPV4_CONTROL_MARSHAL_MAX];

	memset(&cm, 0, sizeof(cm));
	CHECK_INT_EQ(ipv4_control_marshal(&cm, buf, sizeof(buf)), 0);
	CHECK_INT_EQ(ipv4_control_marshal(&cm, NULL, 0), 0);
	/* ttl and dst are not sent. */
	cm.ttl = 9;
	cm.dst = addr("10.9.9.9");
	CHECK_INT_EQ(ipv4_control_marshal(&cm, buf, sizeof(buf)), 0);

	cm.src = addr("10.0.0.1");
	CHECK_INT_EQ(ipv4_control_marshal(&cm, buf, sizeof(buf)),
		     CMSG_SPACE(sizeof(struct in_pktinfo)));
	check_round_trip(&cm);
	cm.src.s_addr = 0;
	cm.ifindex = 7;
	check_round_trip(&cm);
	cm.src = addr("192.0.2.200");
	check_round_trip(&cm);
	cm.segment_size = 1400;
	CHECK_INT_EQ(ipv4_control_marshal(&cm, buf, sizeof(buf)),
		     CMSG_SPACE(sizeof(struct in_pktinfo)) +
			 CMSG_SPACE(sizeof(uint16_t)));
	check_round_trip(&cm);
	cm.src.s_addr = 0;
	cm.ifindex = 0;
	cm.segment_size = 65535;
	CHECK_INT_EQ(ipv4_control_marshal(&cm, buf, sizeof(buf)),
		     CMSG_SPACE(sizeof(uint16_t)));
	check_round_trip(&cm);
	cm.segment_size = 1;
	check_round_trip(&cm);
}

static void test_marshal_errors(void)
{
	struct ipv4_control_message cm;
	uint8_t buf[IPV4_CONTROL_MARSHAL_MAX];
	size_t need = CMSG_SPACE(sizeof(struct in_pktinfo)) +
		      CMSG_SPACE(sizeof(uint16_t));

	memset(&cm, 0, sizeof(cm));
	cm.ifindex = 1;
	cm.segment_size = 1000;
	CHECK_INT_EQ(ipv4_control_marshal(&cm, buf, need), (int)need);
	CHECK_ERR(ipv4_control_marshal(&cm, buf, need - 1), IPV4_ERR_NO_SPACE);
	CHECK_ERR(ipv4_control_marshal(&cm, buf, 0), IPV4_ERR_NO_SPACE);
	cm.segment_size = 65536;
	CHECK_ERR(ipv4_control_marshal(&cm, buf, sizeof(buf)),
		  IPV4_ERR_SEGMENT_SIZE);
	cm.segment_size = -1;
	CHECK_ERR(ipv4_control_marshal(&cm, buf, sizeof(buf)), -EINVAL);
	cm.segment_size = 0;
	cm.ifindex = -1;
	CHECK_ERR(ipv4_control_marshal(&cm, buf, sizeof(buf)), -EINVAL);
	CHECK_ERR(ipv4_control_marshal(NULL, buf, sizeof(buf)), -EINVAL);
	cm.ifindex = 1;
	CHECK_ERR(ipv4_control_marshal(&cm, NULL, sizeof(buf)), -EINVAL);
}

/* Appends one message at *off in buf, as the kernel's put_cmsg() does. */
static void put_cmsg(uint8_t *buf, size_t *off, int level, int type,
		     const void *data, size_t len)
{
	struct cmsghdr hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.cmsg_len = CMSG_LEN(len);
	hdr.cmsg_level = level;
	hdr.cmsg_type = type;
	memset(buf + *off, 0, CMSG_SPACE(len));
	memcpy(buf + *off, &hdr, sizeof(hdr));
	if (len > 0)
		memcpy(buf + *off + CMSG_LEN(0), data, len);
	*off += CMSG_SPACE(len);
}

/* Builds TTL 64, a SOL_SOCKET message, IP_PKTINFO and UDP_GRO 1200. */
static size_t build_received(uint8_t *buf)
{
	struct in_pktinfo pi;
	struct timeval tv = {.tv_sec = 1, .tv_usec = 2};
	int ttl = 64, gro = 1200;
	size_t off = 0;

	memset(&pi, 0, sizeof(pi));
	pi.ipi_ifindex = 3;
	pi.ipi_spec_dst = addr("10.0.0.2");
	pi.ipi_addr = addr("224.0.0.251");
	put_cmsg(buf, &off, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	put_cmsg(buf, &off, SOL_SOCKET, SO_TIMESTAMP, &tv, sizeof(tv));
	put_cmsg(buf, &off, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	put_cmsg(buf, &off, SOL_UDP, UDP_GRO, &gro, sizeof(gro));
	return off;
}

static void check_received(const struct ipv4_control_message *cm)
{
	CHECK_INT_EQ(cm->ttl, 64);
	CHECK_INT_EQ(cm->ifindex, 3);
	CHECK_INT_EQ(cm->src.s_addr, addr("10.0.0.2").s_addr);
	CHECK_INT_EQ(cm->dst.s_addr, addr("224.0.0.251").s_addr);
	CHECK_INT_EQ(cm->segment_size, 1200);
}

static void test_parse_unaligned(void)
{
	struct ipv4_control_message cm;
	uint8_t src[128];
	uint8_t shifted[128 + 8];
	size_t len = build_received(src);
	size_t shift;

	CHECK_OK(ipv4_control_parse(&cm, src, len));
	check_received(&cm);
	for (shift = 1; shift < 8; shift++) {
		memcpy(shifted + shift, src, len);
		CHECK_OK(ipv4_control_parse(&cm, shifted + shift, len));
		check_received(&cm);
	}
	/* A message's padding may be missing at the end of the buffer. */
	len -= CMSG_SPACE(sizeof(int)) - CMSG_LEN(sizeof(int));
	CHECK_OK(ipv4_control_parse(&cm, src, len));
	check_received(&cm);

	CHECK_OK(ipv4_control_parse(&cm, NULL, 0));
	CHECK_INT_EQ(cm.ttl, 0);
	CHECK_ERR(ipv4_control_parse(NULL, src, len), -EINVAL);
	CHECK_ERR(ipv4_control_parse(&cm, NULL, 8), -EINVAL);
}

/* A page whose end touches an unmapped page. */
static uint8_t *guard_page;
static size_t page_size;

static void guard_init(void)
{
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	guard_page = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_FATAL(guard_page != MAP_FAILED);
	CHECK_FATAL(mprotect(guard_page + page_size, page_size, PROT_NONE) ==
		    0);
}

/* Parses len bytes copied so that they end where the unmapped page begins. */
static int parse_at_guard(struct ipv4_control_message *cm, const void *bytes,
			  size_t len)
{
	uint8_t *p = guard_page + page_size - len;

	memcpy(p, bytes, len);
	return ipv4_control_parse(cm, p, len);
}

/*
 * The two 12-byte buffers from the Go package's parse fuzz test. With the
 * 64-bit Linux layout (an 8-byte cmsg_len, then level and type) each gives
 * cmsg_len 12, level 20 or 26, and has no room for the type: the header is
 * cut short and its length is under the 16-byte header, so both are
 * malformed. With the 32-bit layout (a 4-byte cmsg_len) each is a whole,
 * empty message at level 0 (IPPROTO_IP) of type 20 (IP_ORIGDSTADDR) or 26
 * (IP_RECVERR_RFC4884), which the parser skips without reading data. On BSD,
 * where the vectors come from, 20 and 26 are IP_RECVIF and IP_PKTINFO, so a
 * parser that trusted the type would read an address past the end.
 */
static void test_parse_go_vectors(void)
{
	static const uint8_t fuzz1[12] = {0x0c, 0, 0,	 0, 0, 0,
					  0,	0, 0x14, 0, 0, 0};
	static const uint8_t fuzz2[12] = {0x0c, 0, 0,	 0, 0, 0,
					  0,	0, 0x1a, 0, 0, 0};
	struct ipv4_control_message cm;
	int want = sizeof(struct cmsghdr) > 12 ? IPV4_ERR_CMSG_MALFORMED : 0;

	CHECK_ERR(parse_at_guard(&cm, fuzz1, sizeof(fuzz1)), want);
	CHECK_ERR(parse_at_guard(&cm, fuzz2, sizeof(fuzz2)), want);
	CHECK_INT_EQ(cm.ttl, 0);
	CHECK_INT_EQ(cm.ifindex, 0);
}

static void set_cmsg_len(uint8_t *buf, size_t len)
{
	struct cmsghdr hdr;

	memcpy(&hdr, buf, sizeof(hdr));
	hdr.cmsg_len = len;
	memcpy(buf, &hdr, sizeof(hdr));
}

static void test_parse_hostile(void)
{
	struct ipv4_control_message cm;
	uint8_t good[128], bad[128];
	size_t len = build_received(good);
	size_t ttl_space = CMSG_SPACE(sizeof(int));
	size_t pktinfo_at = ttl_space + CMSG_SPACE(sizeof(struct timeval));
	/* The messages of build_received(): TTL, timestamp, PKTINFO, GRO. */
	const size_t lens[4] = {
	    CMSG_LEN(sizeof(int)), CMSG_LEN(sizeof(struct timeval)),
	    CMSG_LEN(sizeof(struct in_pktinfo)), CMSG_LEN(sizeof(int))};
	const size_t spaces[4] = {
	    CMSG_SPACE(sizeof(int)), CMSG_SPACE(sizeof(struct timeval)),
	    CMSG_SPACE(sizeof(struct in_pktinfo)), CMSG_SPACE(sizeof(int))};
	size_t cut;

	/*
	 * Every cut: at the end of a message, with its padding or part of it
	 * or none, the parse succeeds. A cut anywhere else is malformed.
	 */
	for (cut = 0; cut <= len; cut++) {
		int want = cut == 0 ? 0 : IPV4_ERR_CMSG_MALFORMED;
		size_t i, start = 0;

		for (i = 0; i < 4; i++) {
			if (cut >= start + lens[i] && cut <= start + spaces[i])
				want = 0;
			start += spaces[i];
		}
		if (parse_at_guard(&cm, good, cut) != want) {
			CHECK_ERR(parse_at_guard(&cm, good, cut), want);
			fprintf(stderr, "  at cut %zu of %zu\n", cut, len);
		}
	}
	CHECK_ERR(parse_at_guard(&cm, good, ttl_space + 4),
		  IPV4_ERR_CMSG_MALFORMED);
	/* What came before the malformed message is kept. */
	CHECK_INT_EQ(cm.ttl, 64);
	CHECK_OK(parse_at_guard(&cm, good, ttl_space));
	CHECK_INT_EQ(cm.ttl, 64);

	/* A length under the header, zero included. */
	memcpy(bad, good, len);
	set_cmsg_len(bad, CMSG_LEN(0) - 1);
	CHECK_ERR(parse_at_guard(&cm, bad, len), IPV4_ERR_CMSG_MALFORMED);
	set_cmsg_len(bad, 0);
	CHECK_ERR(parse_at_guard(&cm, bad, len), IPV4_ERR_CMSG_MALFORMED);

	/* A length past the end, and lengths that wrap when aligned. */
	set_cmsg_len(bad, len + 1);
	CHECK_ERR(parse_at_guard(&cm, bad, len), IPV4_ERR_CMSG_MALFORMED);
	set_cmsg_len(bad, (size_t)-1);
	CHECK_ERR(parse_at_guard(&cm, bad, len), IPV4_ERR_CMSG_MALFORMED);
	set_cmsg_len(bad, (size_t)-7);
	CHECK_ERR(parse_at_guard(&cm, bad, len), IPV4_ERR_CMSG_MALFORMED);

	/* IP_TTL with one byte of data: too short for its int. */
	set_cmsg_len(bad, CMSG_LEN(1));
	CHECK_ERR(parse_at_guard(&cm, bad, len), IPV4_ERR_CMSG_MALFORMED);
	set_cmsg_len(bad, CMSG_LEN(1));
	CHECK_ERR(parse_at_guard(&cm, bad, CMSG_LEN(1)),
		  IPV4_ERR_CMSG_MALFORMED);

	/* An empty message of a skipped type is fine, of a read type not. */
	cut = 0;
	put_cmsg(bad, &cut, SOL_SOCKET, SO_TIMESTAMP, NULL, 0);
	CHECK_ERR(parse_at_guard(&cm, bad, cut), 0);
	cut = 0;
	put_cmsg(bad, &cut, IPPROTO_IP, IP_TTL, NULL, 0);
	CHECK_ERR(parse_at_guard(&cm, bad, cut), IPV4_ERR_CMSG_MALFORMED);

	/* IP_PKTINFO cut to 8 of its 12 bytes. */
	memcpy(bad, good + pktinfo_at, len - pktinfo_at);
	set_cmsg_len(bad, CMSG_LEN(8));
	CHECK_ERR(parse_at_guard(&cm, bad, CMSG_LEN(8)),
		  IPV4_ERR_CMSG_MALFORMED);
}

static void test_format(void)
{
	struct ipv4_control_message cm;
	char line[IPV4_CONTROL_STRLEN];
	char small[10];

	memset(&cm, 0, sizeof(cm));
	cm.ttl = 64;
	cm.src = addr("10.0.0.1");
	cm.dst = addr("224.0.0.251");
	cm.ifindex = 2;
	CHECK_INT_EQ(
	    ipv4_control_format(&cm, line, sizeof(line)),
	    (int)strlen("ttl=64 src=10.0.0.1 dst=224.0.0.251 ifindex=2"));
	CHECK_STR_EQ(line, "ttl=64 src=10.0.0.1 dst=224.0.0.251 ifindex=2");
	cm.segment_size = 1400;
	CHECK_OK(ipv4_control_format(&cm, line, sizeof(line)));
	CHECK_STR_EQ(line, "ttl=64 src=10.0.0.1 dst=224.0.0.251 ifindex=2 "
			   "segsize=1400");

	/* The longest line fits IPV4_CONTROL_STRLEN. */
	cm.ttl = -2147483647 - 1;
	cm.ifindex = -2147483647 - 1;
	cm.segment_size = -2147483647 - 1;
	cm.src = addr("255.255.255.255");
	cm.dst = addr("255.255.255.255");
	CHECK_OK(ipv4_control_format(&cm, line, sizeof(line)));

	CHECK_ERR(ipv4_control_format(&cm, small, sizeof(small)),
		  IPV4_ERR_NO_SPACE);
	CHECK_STR_EQ(small, "ttl=-2147");
	CHECK_ERR(ipv4_control_format(&cm, small, 0), IPV4_ERR_NO_SPACE);
	CHECK_ERR(ipv4_control_format(NULL, line, sizeof(line)), -EINVAL);
}

static void set_int(int fd, int level, int name, int value)
{
	CHECK_FATAL(setsockopt(fd, level, name, &value, sizeof(value)) == 0);
}

/* Receives one datagram on fd with its ancillary data at ctl + 1. */
static int recv_with_control(int fd, uint8_t *data, size_t cap,
			     struct sockaddr_in *from, uint8_t *ctl,
			     size_t ctl_cap, size_t *ctl_len)
{
	struct iovec iov = {.iov_base = data, .iov_len = cap};
	struct msghdr msg;
	int n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_name = from;
	msg.msg_namelen = sizeof(*from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	/* An odd address: the kernel writes cmsgs at any user address. */
	msg.msg_control = ctl + 1;
	msg.msg_controllen = ctl_cap - 1;
	n = (int)recvmsg(fd, &msg, 0);
	CHECK_FATAL(n >= 0);
	CHECK_INT_EQ(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC), 0);
	*ctl_len = msg.msg_controllen;
	return n;
}

static void test_kernel_parse(void)
{
	struct ipv4_control_message cm;
	struct sockaddr_in to = lab_addr("127.0.0.1", 5301);
	struct sockaddr_in from;
	uint8_t ctl[IPV4_CONTROL_RECV_MAX + 64];
	uint8_t data[64];
	size_t ctl_len;
	int rx = lab_udp(NULL, "127.0.0.1", 5301);
	int tx = lab_udp(NULL, "127.0.0.1", 0);
	int n;

	lab_recv_timeout(rx, 2000);
	set_int(rx, IPPROTO_IP, IP_RECVTTL, 1);
	set_int(rx, IPPROTO_IP, IP_PKTINFO, 1);
	/* A SOL_SOCKET message that the parser has to skip. */
	set_int(rx, SOL_SOCKET, SO_TIMESTAMP, 1);
	CHECK_FATAL(
	    sendto(tx, "ping", 4, 0, (struct sockaddr *)&to, sizeof(to)) == 4);
	n = recv_with_control(rx, data, sizeof(data), &from, ctl, sizeof(ctl),
			      &ctl_len);
	CHECK_INT_EQ(n, 4);
	CHECK(ctl_len >= (size_t)ipv4_control_size(IPV4_CF_ALL));

	CHECK_OK(ipv4_control_parse(&cm, ctl + 1, ctl_len));
	CHECK_INT_EQ(cm.ttl, 64);
	CHECK_INT_EQ(ntohl(cm.dst.s_addr), INADDR_LOOPBACK);
	CHECK_INT_EQ(ntohl(cm.src.s_addr), INADDR_LOOPBACK);
	CHECK_INT_EQ(cm.ifindex, (int)if_nametoindex("lo"));
	CHECK_INT_EQ(cm.segment_size, 0);
	close(rx);
	close(tx);
}

/*
 * Sends with marshaled IP_PKTINFO (source 127.0.0.5, interface lo) and
 * UDP_SEGMENT, and checks what arrives: the source address the kernel used
 * and, with UDP_GRO on, the segment size it reports.
 */
static void test_kernel_marshal(void)
{
	struct ipv4_control_message cm, got;
	struct sockaddr_in to = lab_addr("127.0.0.1", 5302);
	struct sockaddr_in from;
	struct iovec iov;
	struct msghdr msg;
	uint8_t ctl[IPV4_CONTROL_RECV_MAX + 64];
	uint8_t out[IPV4_CONTROL_MARSHAL_MAX + 1];
	uint8_t payload[300], data[400];
	size_t ctl_len;
	int rx = lab_udp(NULL, "127.0.0.1", 5302);
	int tx = lab_udp(NULL, "0.0.0.0", 0);
	int n, len, i;

	lab_recv_timeout(rx, 2000);
	set_int(rx, IPPROTO_IP, IP_PKTINFO, 1);
	if (setsockopt(rx, SOL_UDP, UDP_GRO, &(int){1}, sizeof(int)) != 0) {
		printf("skipped: UDP_GRO part: %s\n", strerror(errno));
		close(rx);
		close(tx);
		return;
	}
	memset(&cm, 0, sizeof(cm));
	cm.src = addr("127.0.0.5");
	cm.ifindex = (int)if_nametoindex("lo");
	cm.segment_size = 100;
	/* An odd address for marshal, too. */
	len = ipv4_control_marshal(&cm, out + 1, sizeof(out) - 1);
	CHECK_FATAL(len > 0);
	for (i = 0; i < (int)sizeof(payload); i++)
		payload[i] = (uint8_t)i;
	iov.iov_base = payload;
	iov.iov_len = sizeof(payload);
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &to;
	msg.msg_namelen = sizeof(to);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = out + 1;
	msg.msg_controllen = (size_t)len;
	CHECK_INT_EQ(sendmsg(tx, &msg, 0), (long long)sizeof(payload));

	/* Loopback keeps the GSO packet whole for a UDP_GRO socket. */
	n = recv_with_control(rx, data, sizeof(data), &from, ctl, sizeof(ctl),
			      &ctl_len);
	CHECK_INT_EQ(n, (int)sizeof(payload));
	CHECK_MEM_EQ(data, payload, sizeof(payload));
	CHECK_INT_EQ(from.sin_addr.s_addr, cm.src.s_addr);
	CHECK_OK(ipv4_control_parse(&got, ctl + 1, ctl_len));
	CHECK_INT_EQ(got.segment_size, 100);
	CHECK_INT_EQ(got.ifindex, cm.ifindex);
	CHECK_INT_EQ(ntohl(got.dst.s_addr), INADDR_LOOPBACK);
	close(rx);
	close(tx);
}

int main(void)
{
	const char *isolated = getenv("IPV4_ISOLATED");

	guard_init();
	test_size();
	test_marshal_round_trip();
	test_marshal_errors();
	test_parse_unaligned();
	test_parse_go_vectors();
	test_parse_hostile();
	test_format();
	if (isolated == NULL || strcmp(isolated, "1") != 0) {
		printf("skipped: kernel control messages: not isolated\n");
		return check_exit();
	}
	test_kernel_parse();
	test_kernel_marshal();
	return check_exit();
}
