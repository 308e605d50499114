/* SPDX-License-Identifier: MIT */
/*
 * IPv4 header codec and Internet checksum: the wire vectors, every parse and
 * marshal error, the one-line format, and checksums the kernel made or
 * verified on 127.0.0.1.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lab.h"

/* clang-format off: one 32-bit row of the header per line */
static const uint8_t header20[] = {
    0x45, 0x01, 0xbe, 0xef, 0xca, 0xfe, 0x45, 0xdc, 0xff, 0x01,
    0xde, 0xad, 172,  16,   254,  254,	192,  168,  0,	  1,
};

static const uint8_t header24[] = {
    0x46, 0x01, 0xbe, 0xf3, 0xca, 0xfe, 0x45, 0xdc, 0xff, 0x01, 0xde, 0xad,
    172,  16,	254,  254,  192,  168,	0,    1,    0xff, 0xfe, 0xfe, 0xff,
};
/* clang-format on */

static const uint8_t options24[] = {0xff, 0xfe, 0xfe, 0xff};

static void check_vector_fields(const struct ipv4_header *h)
{
	CHECK_INT_EQ(h->version, 4);
	CHECK_INT_EQ(h->tos, 1);
	CHECK_INT_EQ(h->id, 0xcafe);
	CHECK_INT_EQ(h->flags, IPV4_HF_DF);
	CHECK_INT_EQ(h->frag_off, 1500);
	CHECK_INT_EQ(h->ttl, 255);
	CHECK_INT_EQ(h->protocol, 1);
	CHECK_INT_EQ(h->checksum, 0xdead);
	CHECK_INT_EQ(ntohl(h->src.s_addr), 0xac10fefe);
	CHECK_INT_EQ(ntohl(h->dst.s_addr), 0xc0a80001);
}

static void test_parse_vectors(void)
{
	struct ipv4_header h;

	CHECK_INT_EQ(ipv4_header_parse(&h, header20, sizeof(header20)), 20);
	check_vector_fields(&h);
	CHECK_INT_EQ(h.header_len, 20);
	CHECK_INT_EQ(h.total_len, 0xbeef);
	CHECK_INT_EQ(h.options_len, 0);

	CHECK_INT_EQ(ipv4_header_parse(&h, header24, sizeof(header24)), 24);
	check_vector_fields(&h);
	CHECK_INT_EQ(h.header_len, 24);
	CHECK_INT_EQ(h.total_len, 0xbef3);
	CHECK_INT_EQ(h.options_len, 4);
	CHECK_MEM_EQ(h.options, options24, 4);
}

static void test_marshal_vectors(void)
{
	struct ipv4_header h;
	uint8_t out[IPV4_HEADER_MAX_LEN];

	CHECK_OK(ipv4_header_parse(&h, header20, sizeof(header20)));
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, sizeof(out)), 20);
	CHECK_MEM_EQ(out, header20, sizeof(header20));

	CHECK_OK(ipv4_header_parse(&h, header24, sizeof(header24)));
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, sizeof(out)), 24);
	CHECK_MEM_EQ(out, header24, sizeof(header24));

	/* An exact-size buffer is enough. */
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, 24), 24);
}

static void test_marshal_from_fields(void)
{
	struct ipv4_header h;
	uint8_t out[IPV4_HEADER_MAX_LEN];

	memset(&h, 0, sizeof(h));
	/* version and header_len are not read: marshal derives them. */
	h.version = 6;
	h.header_len = 99;
	h.tos = 1;
	h.total_len = 0xbef3;
	h.id = 0xcafe;
	h.flags = IPV4_HF_DF;
	h.frag_off = 1500;
	h.ttl = 255;
	h.protocol = 1;
	h.checksum = 0xdead;
	h.src.s_addr = htonl(0xac10fefe);
	h.dst.s_addr = htonl(0xc0a80001);
	h.options_len = 4;
	memcpy(h.options, options24, 4);
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, sizeof(out)), 24);
	CHECK_MEM_EQ(out, header24, sizeof(header24));
}

static void test_parse_errors(void)
{
	struct ipv4_header h;
	uint8_t b[IPV4_HEADER_MAX_LEN];
	static const struct ipv4_header zero;

	memcpy(b, header24, sizeof(header24));
	CHECK_ERR(ipv4_header_parse(&h, b, 19), IPV4_ERR_HEADER_TOO_SHORT);
	CHECK_ERR(ipv4_header_parse(&h, b, 0), IPV4_ERR_HEADER_TOO_SHORT);
	/* 24-byte header in a 23-byte buffer. */
	CHECK_ERR(ipv4_header_parse(&h, b, 23), IPV4_ERR_HEADER_TRUNCATED);
	b[0] = 0x4f; /* 60 bytes claimed */
	CHECK_ERR(ipv4_header_parse(&h, b, 59), IPV4_ERR_HEADER_TRUNCATED);
	b[0] = 0x44; /* 16 bytes: under the minimum */
	CHECK_ERR(ipv4_header_parse(&h, b, 24), IPV4_ERR_HEADER_LENGTH);
	b[0] = 0x40;
	CHECK_ERR(ipv4_header_parse(&h, b, 24), IPV4_ERR_HEADER_LENGTH);
	b[0] = 0x65; /* version 6 */
	CHECK_ERR(ipv4_header_parse(&h, b, 24), IPV4_ERR_VERSION);
	b[0] = 0x60; /* an IPv6 header reports its version, not a length */
	CHECK_ERR(ipv4_header_parse(&h, b, 24), IPV4_ERR_VERSION);
	b[0] = 0x05;
	CHECK_ERR(ipv4_header_parse(&h, b, 24), IPV4_ERR_VERSION);

	/* A failed parse leaves the struct zeroed. */
	CHECK_OK(ipv4_header_parse(&h, header24, sizeof(header24)));
	CHECK_ERR(ipv4_header_parse(&h, header24, 10),
		  IPV4_ERR_HEADER_TOO_SHORT);
	/* parse clears *h with memset, so its padding is zero too. */
	CHECK_MEM_EQ(&h, &zero, sizeof(h)); /* NOLINT(bugprone-suspicious-memory-comparison,cert-exp42-c,cert-flp37-c) */

	CHECK_ERR(ipv4_header_parse(NULL, header20, 20), -EINVAL);
	CHECK_ERR(ipv4_header_parse(&h, NULL, 20), -EINVAL);
}

static void test_parse_max_options(void)
{
	struct ipv4_header h;
	uint8_t b[IPV4_HEADER_MAX_LEN];
	uint8_t out[IPV4_HEADER_MAX_LEN];
	size_t i;

	memcpy(b, header20, sizeof(header20));
	b[0] = 0x4f;
	for (i = IPV4_HEADER_LEN; i < sizeof(b); i++)
		b[i] = (uint8_t)i;
	CHECK_INT_EQ(ipv4_header_parse(&h, b, sizeof(b)), 60);
	CHECK_INT_EQ(h.options_len, 40);
	CHECK_MEM_EQ(h.options, b + 20, 40);
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, sizeof(out)), 60);
	CHECK_MEM_EQ(out, b, sizeof(b));
	/* A buffer longer than the header: the payload is not touched. */
	CHECK_INT_EQ(ipv4_header_parse(&h, header24, sizeof(header24)), 24);
	CHECK_INT_EQ(ipv4_header_parse(&h, header20, sizeof(header20)), 20);
}

static void test_no_stale_options(void)
{
	struct ipv4_header h;
	uint8_t zero[IPV4_OPTIONS_MAX_LEN] = {0};

	CHECK_OK(ipv4_header_parse(&h, header24, sizeof(header24)));
	CHECK_INT_EQ(h.options_len, 4);
	CHECK_OK(ipv4_header_parse(&h, header20, sizeof(header20)));
	CHECK_INT_EQ(h.options_len, 0);
	CHECK_INT_EQ(h.header_len, 20);
	CHECK_MEM_EQ(h.options, zero, sizeof(zero));
}

static void test_marshal_errors(void)
{
	struct ipv4_header h;
	uint8_t out[IPV4_HEADER_MAX_LEN];

	CHECK_OK(ipv4_header_parse(&h, header24, sizeof(header24)));
	CHECK_ERR(ipv4_header_marshal(&h, out, 23), IPV4_ERR_NO_SPACE);
	CHECK_ERR(ipv4_header_marshal(&h, out, 0), IPV4_ERR_NO_SPACE);
	h.options_len = 3;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)),
		  IPV4_ERR_OPTIONS_LENGTH);
	h.options_len = 44;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)),
		  IPV4_ERR_OPTIONS_LENGTH);
	h.options_len = 40;
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, sizeof(out)), 60);
	h.options_len = 4;
	h.dst.s_addr = 0;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)),
		  IPV4_ERR_MISSING_ADDRESS);
	h.dst.s_addr = htonl(0xc0a80001);
	h.flags = 8;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)), -EINVAL);
	h.flags = 7;
	CHECK_INT_EQ(ipv4_header_marshal(&h, out, sizeof(out)), 24);
	CHECK_INT_EQ(out[6], 0xe5); /* reserved, DF, MF and 0x5dc >> 8 */
	h.frag_off = 8192;
	CHECK_ERR(ipv4_header_marshal(&h, out, sizeof(out)), -EINVAL);
	CHECK_ERR(ipv4_header_marshal(NULL, out, sizeof(out)), -EINVAL);
	CHECK_ERR(ipv4_header_marshal(&h, NULL, sizeof(out)), -EINVAL);
}

static void test_format(void)
{
	struct ipv4_header h;
	char line[IPV4_HEADER_STRLEN];
	char small[16];
	const char *want = "ver=4 hdrlen=20 tos=0x1 totallen=48879 id=0xcafe "
			   "flags=0x2 fragoff=0x5dc ttl=255 proto=1 "
			   "cksum=0xdead src=172.16.254.254 dst=192.168.0.1";

	CHECK_OK(ipv4_header_parse(&h, header20, sizeof(header20)));
	CHECK_INT_EQ(ipv4_header_format(&h, line, sizeof(line)),
		     (int)strlen(want));
	CHECK_STR_EQ(line, want);

	/* Zero prints as 0x0, as Go's %#x does. */
	memset(&h, 0, sizeof(h));
	CHECK_OK(ipv4_header_format(&h, line, sizeof(line)));
	CHECK_STR_EQ(line, "ver=0 hdrlen=0 tos=0x0 totallen=0 id=0x0 flags=0x0 "
			   "fragoff=0x0 ttl=0 proto=0 cksum=0x0 src=0.0.0.0 "
			   "dst=0.0.0.0");

	/* The longest line fits IPV4_HEADER_STRLEN. */
	memset(&h, 0xff, sizeof(h));
	CHECK_OK(ipv4_header_format(&h, line, sizeof(line)));

	CHECK_ERR(ipv4_header_format(&h, small, sizeof(small)),
		  IPV4_ERR_NO_SPACE);
	CHECK_INT_EQ(strlen(small), sizeof(small) - 1);
	CHECK_ERR(ipv4_header_format(&h, small, 0), IPV4_ERR_NO_SPACE);
	CHECK_ERR(ipv4_header_format(NULL, line, sizeof(line)), -EINVAL);
}

/* The checksum by its definition: a sum of big-endian 16-bit words. */
static uint16_t reference_checksum(const uint8_t *b, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		sum += i % 2 == 0 ? (uint32_t)b[i] << 8 : b[i];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)~sum;
}

static void test_checksum_known(void)
{
	/* A header with a well-known checksum of 0xb861. */
	uint8_t b[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
		       0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8,
		       0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	uint16_t sum = ipv4_checksum(b, sizeof(b));

	CHECK_INT_EQ(sum, 0xb861);
	CHECK_INT_EQ(ipv4_header_checksum_valid(b, sizeof(b)), 0);
	b[10] = (uint8_t)(sum >> 8);
	b[11] = (uint8_t)sum;
	CHECK_INT_EQ(ipv4_checksum(b, sizeof(b)), 0);
	CHECK_INT_EQ(ipv4_header_checksum_valid(b, sizeof(b)), 1);
	b[1] ^= 0x10;
	CHECK_INT_EQ(ipv4_header_checksum_valid(b, sizeof(b)), 0);

	CHECK_INT_EQ(ipv4_checksum(b, 0), 0xffff);
	CHECK_ERR(ipv4_header_checksum_valid(b, 19), IPV4_ERR_HEADER_TOO_SHORT);
	CHECK_ERR(ipv4_header_checksum_valid(header24, 23),
		  IPV4_ERR_HEADER_TRUNCATED);
}

static void test_checksum_lengths(void)
{
	static uint8_t data[1501];
	uint32_t x = 12345;
	size_t i, len;

	for (i = 0; i < sizeof(data); i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (uint8_t)(x >> 16);
	}
	for (len = 0; len <= sizeof(data); len++) {
		if (ipv4_checksum(data, len) != reference_checksum(data, len)) {
			CHECK_INT_EQ(ipv4_checksum(data, len),
				     reference_checksum(data, len));
			fprintf(stderr, "  at length %zu\n", len);
			break;
		}
	}
	/* An odd length equals the same bytes padded with a zero byte. */
	data[21] = 0;
	CHECK_INT_EQ(ipv4_checksum(data, 21), ipv4_checksum(data, 22));

	/* 1500 bytes with the checksum stored in them verify to 0. */
	data[100] = 0;
	data[101] = 0;
	x = ipv4_checksum(data, 1500);
	data[100] = (uint8_t)(x >> 8);
	data[101] = (uint8_t)x;
	CHECK_INT_EQ(ipv4_checksum(data, 1500), 0);

	/* Every word carries: a sum of 0xffff words folds to 0xffff. */
	memset(data, 0xff, 1500);
	CHECK_INT_EQ(ipv4_checksum(data, 1500), 0);
	CHECK_INT_EQ(ipv4_checksum(data, 1499), 0x00ff);
}

static int raw_icmp_socket(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0 && (errno == EPERM || errno == EACCES))
		check_skip("raw ICMP sockets need CAP_NET_RAW");
	CHECK_FATAL(fd >= 0);
	lab_recv_timeout(fd, 1000);
	return fd;
}

/*
 * Sends an echo request of 8 + payload_len bytes to 127.0.0.1. The ICMP
 * checksum is ours, so a reply proves that the kernel accepted it.
 */
static void send_echo(int fd, uint16_t id, size_t payload_len)
{
	struct sockaddr_in to = lab_addr("127.0.0.1", 0);
	uint8_t msg[64];
	uint16_t sum;
	size_t i;

	CHECK_FATAL(8 + payload_len <= sizeof(msg));
	memset(msg, 0, sizeof(msg));
	msg[0] = IPV4_ICMP_ECHO;
	msg[4] = (uint8_t)(id >> 8);
	msg[5] = (uint8_t)id;
	msg[7] = 1; /* sequence */
	for (i = 0; i < payload_len; i++)
		msg[8 + i] = (uint8_t)(0xa0 + i);
	sum = ipv4_checksum(msg, 8 + payload_len);
	msg[2] = (uint8_t)(sum >> 8);
	msg[3] = (uint8_t)sum;
	CHECK_INT_EQ(sendto(fd, msg, 8 + payload_len, 0, (struct sockaddr *)&to,
			    sizeof(to)),
		     (long long)(8 + payload_len));
}

/*
 * Reads until the echo reply with this id arrives, because a raw socket
 * also receives the request. Returns its length, or -1 after 20 packets.
 */
static int recv_echo_reply(int fd, uint16_t id, uint8_t *buf, size_t cap)
{
	struct ipv4_header h;
	int i, n, hl;

	for (i = 0; i < 20; i++) {
		n = (int)recv(fd, buf, cap, 0);
		if (n < 0)
			return -1;
		hl = ipv4_header_parse(&h, buf, (size_t)n);
		if (hl < 0 || n < hl + 8)
			continue;
		if (buf[hl] == IPV4_ICMP_ECHO_REPLY &&
		    (buf[hl + 4] << 8 | buf[hl + 5]) == id)
			return n;
	}
	return -1;
}

static void test_kernel_checksum(void)
{
	struct ipv4_header h;
	uint8_t buf[256];
	uint16_t id = (uint16_t)getpid();
	uint16_t kernel_sum;
	int fd, n, hl;

	fd = raw_icmp_socket();
	send_echo(fd, id, 13); /* an odd ICMP length */
	n = recv_echo_reply(fd, id, buf, sizeof(buf));
	CHECK_FATAL(n > 0);

	hl = ipv4_header_parse(&h, buf, (size_t)n);
	CHECK_INT_EQ(hl, 20);
	CHECK_INT_EQ(h.version, 4);
	CHECK_INT_EQ(h.total_len, n);
	CHECK_INT_EQ(h.protocol, IPV4_ICMP_PROTOCOL);
	CHECK_INT_EQ(ntohl(h.src.s_addr), INADDR_LOOPBACK);
	CHECK_INT_EQ(ntohl(h.dst.s_addr), INADDR_LOOPBACK);
	CHECK_INT_EQ(n, 20 + 8 + 13);
	CHECK_INT_EQ(buf[hl + 8 + 12], 0xa0 + 12);

	/* The kernel's header checksum verifies, and recomputes the same. */
	CHECK_INT_EQ(ipv4_header_checksum_valid(buf, (size_t)n), 1);
	kernel_sum = h.checksum;
	buf[10] = 0;
	buf[11] = 0;
	CHECK_INT_EQ(ipv4_checksum(buf, 20), kernel_sum);
	/* The ICMP checksum of the kernel's odd-length reply verifies too. */
	CHECK_INT_EQ(ipv4_checksum(buf + hl, (size_t)(n - hl)), 0);
	close(fd);
}

int main(void)
{
	const char *isolated = getenv("IPV4_ISOLATED");

	test_parse_vectors();
	test_marshal_vectors();
	test_marshal_from_fields();
	test_parse_errors();
	test_parse_max_options();
	test_no_stale_options();
	test_marshal_errors();
	test_format();
	test_checksum_known();
	test_checksum_lengths();
	if (isolated == NULL || strcmp(isolated, "1") != 0) {
		printf("skipped: kernel checksum: not isolated\n");
		return check_exit();
	}
	test_kernel_checksum();
	return check_exit();
}
