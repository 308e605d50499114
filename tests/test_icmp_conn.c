/* SPDX-License-Identifier: MIT */
/*
 * Packet conn over ICMP sockets: echo through a raw IPPROTO_ICMP socket
 * (reads strip the IPv4 header and its options) and through an ICMP ping
 * socket (SOCK_DGRAM, no header). The peer's kernel replies to the echo
 * requests.
 *
 * Lab: namespace a (eth-a 10.0.0.1/24) linked to namespace b (eth-b
 * 10.0.0.2/24).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"

#define MS 1000000LL
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

static in_addr_t addr_of(const char *ip)
{
	return lab_addr(ip, 0).sin_addr.s_addr;
}

/* Builds an echo request with its checksum into buf; returns its length. */
static size_t echo_request(unsigned char *buf, uint16_t id, uint16_t seq,
			   const char *data)
{
	size_t len = 8 + strlen(data);
	uint16_t sum;

	memset(buf, 0, 8);
	buf[0] = ICMP_ECHO_REQUEST;
	buf[4] = (unsigned char)(id >> 8);
	buf[5] = (unsigned char)id;
	buf[6] = (unsigned char)(seq >> 8);
	buf[7] = (unsigned char)seq;
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result): payload bytes */
	memcpy(buf + 8, data, strlen(data));
	sum = ipv4_checksum(buf, len);
	buf[2] = (unsigned char)(sum >> 8);
	buf[3] = (unsigned char)sum;
	return len;
}

/*
 * Reads ICMP messages until one of type arrives, at most 10 reads within
 * 2 s. Returns its length or the last error.
 */
static int read_icmp(struct ipv4_packet_conn *c, unsigned char *buf,
		     size_t len, int type, struct ipv4_control_message *cm,
		     struct sockaddr_in *src)
{
	int i, n = IPV4_ERR_TIMEOUT;

	CHECK_OK(ipv4_packet_conn_set_read_deadline(c, ipv4_now() +
							    2000 * MS));
	for (i = 0; i < 10; i++) {
		n = ipv4_packet_conn_read_from(c, buf, len, cm, src);
		if (n < 0 && n != IPV4_ERR_TRUNCATED)
			return n;
		if (buf[0] == type)
			return n;
	}
	return n;
}

/* Echo from a to b over a raw ICMP socket: the reply comes back bare. */
static void test_raw_echo(void)
{
	struct ipv4_packet_conn c;
	struct ipv4_control_message cm;
	struct sockaddr_in to = lab_addr("10.0.0.2", 0), from;
	unsigned char req[64], buf[128];
	size_t len = echo_request(req, 0x1234, 1, "raw-echo");

	CHECK_OK(ipv4_packet_conn_init(
		&c, lab_socket("a", AF_INET, SOCK_RAW, IPPROTO_ICMP)));
	CHECK_OK(ipv4_packet_conn_set_control_message(&c, IPV4_CF_ALL, 1));
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&c, req, len, NULL, &to),
		     (long long)len);
	CHECK_INT_EQ(read_icmp(&c, buf, sizeof(buf), ICMP_ECHO_REPLY, &cm,
			       &from),
		     (long long)len);
	CHECK_INT_EQ(buf[0], ICMP_ECHO_REPLY);
	CHECK_INT_EQ(buf[1], 0);
	CHECK_MEM_EQ(buf + 4, req + 4, len - 4);
	CHECK_INT_EQ(from.sin_addr.s_addr, addr_of("10.0.0.2"));
	CHECK_INT_EQ(cm.ttl, 64);
	CHECK_INT_EQ(cm.dst.s_addr, addr_of("10.0.0.1"));
	CHECK_INT_EQ(cm.ifindex, lab_ifindex("a", "eth-a"));
	CHECK_OK(ipv4_packet_conn_close(&c));
}

/*
 * b sends a with a raw conn an 8-byte echo request behind a header with
 * options: a's packet conn reads exactly those 8 bytes, whatever the option
 * length, and a buffer of exactly 8 bytes is enough.
 */
static void test_raw_strips_options(void)
{
	static const size_t option_lens[] = {0, 4, 8, 40};
	struct ipv4_raw_conn tx;
	struct ipv4_packet_conn rx;
	struct ipv4_header h;
	struct sockaddr_in from;
	unsigned char req[8], buf[64];
	size_t i, len;

	CHECK_OK(ipv4_raw_conn_init(
		&tx, lab_socket("b", AF_INET, SOCK_RAW, IPPROTO_ICMP)));
	CHECK_OK(ipv4_packet_conn_init(
		&rx, lab_socket("a", AF_INET, SOCK_RAW, IPPROTO_ICMP)));

	for (i = 0; i < sizeof(option_lens) / sizeof(option_lens[0]); i++) {
		memset(&h, 0, sizeof(h));
		h.ttl = 64;
		h.protocol = IPPROTO_ICMP;
		h.dst.s_addr = addr_of("10.0.0.1");
		/* NOPs, then an end of list: 01 01 01 00 for 4 bytes. */
		h.options_len = (uint8_t)option_lens[i];
		memset(h.options, 1, option_lens[i]);
		if (option_lens[i] > 0)
			h.options[option_lens[i] - 1] = 0;
		len = echo_request(req, 0x4321, (uint16_t)i, "");
		CHECK_INT_EQ(ipv4_raw_conn_write_to(&tx, &h, req, len, NULL),
			     (long long)(20 + option_lens[i] + len));

		memset(buf, 0xa5, sizeof(buf));
		CHECK_INT_EQ(read_icmp(&rx, buf, 8, ICMP_ECHO_REQUEST, NULL,
				       &from),
			     8);
		CHECK_MEM_EQ(buf, req, 8);
		CHECK_INT_EQ(buf[8], 0xa5);
		CHECK_INT_EQ(from.sin_addr.s_addr, addr_of("10.0.0.2"));
	}

	/* A buffer shorter than the message: its first bytes, truncated. */
	h.options_len = 4;
	memcpy(h.options, "\x01\x01\x01\x00", 4);
	len = echo_request(req, 0x4321, 99, "");
	CHECK_INT_EQ(ipv4_raw_conn_write_to(&tx, &h, req, len, NULL), 32);
	memset(buf, 0xa5, sizeof(buf));
	CHECK_ERR(read_icmp(&rx, buf, 5, ICMP_ECHO_REQUEST, NULL, NULL),
		  IPV4_ERR_TRUNCATED);
	CHECK_MEM_EQ(buf, req, 5);
	CHECK_INT_EQ(buf[5], 0xa5);

	CHECK_OK(ipv4_packet_conn_close(&tx.conn));
	CHECK_OK(ipv4_packet_conn_close(&rx));
}

/* A ping socket: the kernel sets the id and returns no IPv4 header. */
static void test_ping_socket(void)
{
	struct ipv4_packet_conn c;
	struct ipv4_control_message cm;
	struct sockaddr_in to = lab_addr("10.0.0.2", 0), from;
	unsigned char req[64], buf[128];
	size_t len = echo_request(req, 0, 7, "ping-socket");
	int fd;

	/*
	 * Only gid 0, the test's own, is sure to be mapped: in a user
	 * namespace the kernel rejects a range with unmapped gids.
	 */
	lab_must("ip netns exec a sysctl -qw net.ipv4.ping_group_range='0 0'");
	lab_enter("a");
	fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	lab_enter(NULL);
	if (fd < 0) {
		printf("skipped: ICMP ping sockets: %s\n", strerror(errno));
		return;
	}
	CHECK_OK(ipv4_packet_conn_init(&c, fd));
	CHECK_OK(ipv4_packet_conn_set_control_message(&c, IPV4_CF_ALL, 1));
	CHECK_INT_EQ(ipv4_packet_conn_write_to(&c, req, len, NULL, &to),
		     (long long)len);
	CHECK_INT_EQ(read_icmp(&c, buf, sizeof(buf), ICMP_ECHO_REPLY, &cm,
			       &from),
		     (long long)len);
	CHECK_INT_EQ(buf[0], ICMP_ECHO_REPLY);
	CHECK_MEM_EQ(buf + 6, req + 6, len - 6);
	CHECK_INT_EQ(from.sin_addr.s_addr, addr_of("10.0.0.2"));
	CHECK_INT_EQ(cm.ttl, 64);
	CHECK_INT_EQ(cm.dst.s_addr, addr_of("10.0.0.1"));
	CHECK_OK(ipv4_packet_conn_close(&c));
}

int main(void)
{
	lab_init();
	lab_ns("a");
	lab_ns("b");
	lab_veth("a", "eth-a", "10.0.0.1/24", "b", "eth-b", "10.0.0.2/24");
	test_raw_echo();
	test_raw_strips_options();
	test_ping_socket();
	return check_exit();
}
