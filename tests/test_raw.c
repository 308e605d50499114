/* SPDX-License-Identifier: MIT */
/*
 * Raw conn (IP_HDRINCL): what the kernel fills in the header, options that
 * travel intact, reads into buffers too short for the header, control
 * messages and batch reads that keep the header.
 *
 * Lab: namespace a (eth-a 10.0.0.1/24) linked to namespace b (eth-b
 * 10.0.0.2/24). Raw sockets of protocol 253 (RFC 3692, for experiments)
 * send from a and receive in b.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"

#define PROTO 253
#define MS 1000000LL

static const char payload[] = "raw-payload";

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

/* A header to 10.0.0.2 with every field the kernel may fill left at 0. */
static struct ipv4_header header_to_b(void)
{
	struct ipv4_header h;

	memset(&h, 0, sizeof(h));
	h.tos = 0x28;
	h.ttl = 17;
	h.protocol = PROTO;
	h.dst.s_addr = addr_of("10.0.0.2");
	return h;
}

/*
 * A raw conn set up by ipv4_packet_conn_init() writes headers only where
 * IP_HDRINCL is on, as it is from the start on IPPROTO_RAW sockets.
 */
static void test_init_as_packet_conn(void)
{
	struct ipv4_header h;
	struct ipv4_raw_conn c;
	unsigned char buf[64];
	int fd;

	memset(&h, 0, sizeof(h));
	h.ttl = 1;
	h.protocol = PROTO;
	h.dst.s_addr = addr_of("127.0.0.1");

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_OK(ipv4_packet_conn_init(&c.conn, fd));
	CHECK_ERR(ipv4_raw_conn_read_from(&c, buf, sizeof(buf), &h, NULL),
		  IPV4_ERR_INVALID_CONN_TYPE);
	CHECK_ERR(ipv4_raw_conn_write_to(&c, &h, payload, 1, NULL),
		  IPV4_ERR_INVALID_CONN_TYPE);
	CHECK_OK(ipv4_packet_conn_close(&c.conn));

	fd = socket(AF_INET, SOCK_RAW, PROTO);
	CHECK_OK(ipv4_packet_conn_init(&c.conn, fd));
	CHECK_ERR(ipv4_raw_conn_write_to(&c, &h, payload, 1, NULL),
		  IPV4_ERR_INVALID_CONN_TYPE);
	CHECK_OK(ipv4_packet_conn_close(&c.conn));

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	CHECK_OK(ipv4_packet_conn_init(&c.conn, fd));
	CHECK_INT_EQ(ipv4_raw_conn_write_to(&c, &h, payload, 1, NULL), 21);
	CHECK_OK(ipv4_packet_conn_close(&c.conn));
}

static void test_init(void)
{
	struct ipv4_raw_conn c;
	int fd;

	CHECK_ERR(ipv4_raw_conn_init(NULL, 0), IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_raw_conn_init(&c, -1), -EBADF);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_ERR(ipv4_raw_conn_init(&c, fd), IPV4_ERR_INVALID_CONN_TYPE);
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(ipv4_raw_conn_init(&c, fd), IPV4_ERR_INVALID_CONN_TYPE);
	close(fd);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(ipv4_raw_conn_init(&c, fd), IPV4_ERR_NOT_IPV4);
	close(fd);

	fd = socket(AF_INET, SOCK_RAW, PROTO);
	CHECK_FATAL(fd >= 0);
	CHECK_OK(ipv4_raw_conn_init(&c, fd));
	CHECK_INT_EQ(sockopt_int(fd, IPPROTO_IP, IP_HDRINCL), 1);
	CHECK_ERR(ipv4_raw_conn_read_from(&c, NULL, 4, NULL, NULL), -EINVAL);
	CHECK_ERR(ipv4_raw_conn_write_to(&c, NULL, payload, 1, NULL), -EINVAL);
	CHECK_OK(ipv4_packet_conn_close(&c.conn));
	CHECK_ERR(ipv4_raw_conn_read_from(&c, NULL, 0, NULL, NULL),
		  IPV4_ERR_INVALID_CONN);
	test_init_as_packet_conn();
	CHECK_ERR(ipv4_raw_conn_read_from(NULL, NULL, 0, NULL, NULL),
		  IPV4_ERR_INVALID_CONN);
	CHECK_ERR(ipv4_raw_conn_write_to(NULL, NULL, NULL, 0, NULL),
		  IPV4_ERR_INVALID_CONN);
}

static void test_write_errors(struct ipv4_raw_conn *tx)
{
	static unsigned char big[65536];
	struct ipv4_header h = header_to_b();

	CHECK_ERR(ipv4_raw_conn_write_to(tx, &h, NULL, 1, NULL), -EINVAL);
	CHECK_ERR(ipv4_raw_conn_write_to(tx, &h, big, 65536 - 20, NULL),
		  -EMSGSIZE);
	h.options_len = 3;
	CHECK_ERR(ipv4_raw_conn_write_to(tx, &h, payload, 1, NULL),
		  IPV4_ERR_OPTIONS_LENGTH);
	h = header_to_b();
	h.dst.s_addr = 0;
	CHECK_ERR(ipv4_raw_conn_write_to(tx, &h, payload, 1, NULL),
		  IPV4_ERR_MISSING_ADDRESS);
}

/* Reads one datagram in b, bounded by a 2 s deadline. */
static int read_raw(struct ipv4_raw_conn *rx, unsigned char *buf, size_t len,
		    struct ipv4_header *h, struct ipv4_control_message *cm)
{
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx->conn,
						    ipv4_now() + 2000 * MS));
	return ipv4_raw_conn_read_from(rx, buf, len, h, cm);
}

/*
 * id, checksum and src left at 0 arrive filled by the sender's kernel, and
 * the total length is the real one. Without DF the kernel picks an id for
 * each datagram (ip_select_ident), so of three at least one is not 0.
 */
static void test_kernel_fills(struct ipv4_raw_conn *tx,
			      struct ipv4_raw_conn *rx)
{
	struct ipv4_header h = header_to_b(), got;
	struct ipv4_control_message cm;
	unsigned char buf[256];
	int i, n, ids = 0;

	for (i = 0; i < 3; i++) {
		CHECK_INT_EQ(ipv4_raw_conn_write_to(tx, &h, payload,
						    sizeof(payload), NULL),
			     20 + sizeof(payload));
		n = read_raw(rx, buf, sizeof(buf), &got, &cm);
		CHECK_INT_EQ(n, sizeof(payload));
		CHECK_INT_EQ(got.version, 4);
		CHECK_INT_EQ(got.header_len, 20);
		CHECK_INT_EQ(got.tos, 0x28);
		CHECK_INT_EQ(got.total_len, 20 + sizeof(payload));
		CHECK_INT_EQ(got.flags, 0);
		CHECK_INT_EQ(got.frag_off, 0);
		CHECK_INT_EQ(got.ttl, 17);
		CHECK_INT_EQ(got.protocol, PROTO);
		CHECK_INT_EQ(got.src.s_addr, addr_of("10.0.0.1"));
		CHECK_INT_EQ(got.dst.s_addr, addr_of("10.0.0.2"));
		CHECK(got.checksum != 0);
		CHECK_INT_EQ(ipv4_header_checksum_valid(buf, (size_t)n + 20),
			     1);
		CHECK_MEM_EQ(buf + got.header_len, payload, sizeof(payload));
		ids += got.id != 0;

		CHECK_INT_EQ(cm.ttl, 17);
		CHECK_INT_EQ(cm.dst.s_addr, addr_of("10.0.0.2"));
		CHECK_INT_EQ(cm.ifindex, lab_ifindex("b", "eth-b"));
	}
	CHECK(ids > 0);

	/* Fields that are set travel as they are: id, src and DF. */
	h.id = 0xbeef;
	h.src.s_addr = addr_of("10.0.0.1");
	h.flags = IPV4_HF_DF;
	CHECK_INT_EQ(ipv4_raw_conn_write_to(tx, &h, payload, 4, NULL), 24);
	CHECK_INT_EQ(read_raw(rx, buf, sizeof(buf), &got, NULL), 4);
	CHECK_INT_EQ(got.id, 0xbeef);
	CHECK_INT_EQ(got.flags, IPV4_HF_DF);
	CHECK_INT_EQ(got.src.s_addr, addr_of("10.0.0.1"));
}

/* Options 01 01 01 00 (three NOPs and an end of list) arrive intact. */
static void test_options(struct ipv4_raw_conn *tx, struct ipv4_raw_conn *rx)
{
	static const unsigned char options[4] = {1, 1, 1, 0};
	struct ipv4_header h = header_to_b(), got;
	unsigned char buf[256];

	memcpy(h.options, options, sizeof(options));
	h.options_len = sizeof(options);
	CHECK_INT_EQ(ipv4_raw_conn_write_to(tx, &h, payload, sizeof(payload),
					    NULL),
		     24 + sizeof(payload));
	CHECK_INT_EQ(read_raw(rx, buf, sizeof(buf), &got, NULL),
		     sizeof(payload));
	CHECK_INT_EQ(got.header_len, 24);
	CHECK_INT_EQ(got.options_len, 4);
	CHECK_MEM_EQ(got.options, options, sizeof(options));
	CHECK_INT_EQ(got.total_len, 24 + sizeof(payload));
	CHECK_MEM_EQ(buf + 24, payload, sizeof(payload));
	CHECK_INT_EQ(ipv4_header_checksum_valid(buf, 24), 1);
}

/*
 * Buffers shorter than the datagram: too short for the base header, too
 * short for the options, and long enough for the header but not the
 * payload. Each is IPV4_ERR_TRUNCATED; a canary after len stays intact.
 */
static void test_short_buffers(struct ipv4_raw_conn *tx,
			       struct ipv4_raw_conn *rx)
{
	static const size_t lens[] = {0, 10, 22, 27};
	struct ipv4_header h = header_to_b(), got;
	unsigned char buf[64];
	size_t i;

	h.options[0] = 1;
	h.options[1] = 1;
	h.options[2] = 1;
	h.options_len = 4;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		CHECK_INT_EQ(ipv4_raw_conn_write_to(tx, &h, payload,
						    sizeof(payload), NULL),
			     24 + sizeof(payload));
		memset(buf, 0xa5, sizeof(buf));
		memset(&got, 0x5a, sizeof(got));
		CHECK_ERR(read_raw(rx, buf, lens[i], &got, NULL),
			  IPV4_ERR_TRUNCATED);
		CHECK_INT_EQ(buf[lens[i]], 0xa5);
		if (lens[i] < 24) {
			CHECK_INT_EQ(got.header_len, 0);
			CHECK_INT_EQ(got.src.s_addr, 0);
		} else {
			CHECK_INT_EQ(got.header_len, 24);
			CHECK_INT_EQ(got.src.s_addr, addr_of("10.0.0.1"));
			CHECK_MEM_EQ(buf + 24, payload, lens[i] - 24);
		}
	}
}

/* A control message on write picks the outgoing interface. */
static void test_write_control(struct ipv4_raw_conn *tx,
			       struct ipv4_raw_conn *rx)
{
	struct ipv4_header h = header_to_b(), got;
	struct ipv4_control_message cm = {.ifindex = lab_ifindex("a",
								 "eth-a")};
	unsigned char buf[256];

	CHECK_INT_EQ(ipv4_raw_conn_write_to(tx, &h, payload, 5, &cm), 25);
	CHECK_INT_EQ(read_raw(rx, buf, sizeof(buf), &got, &cm), 5);
	CHECK_INT_EQ(cm.ifindex, lab_ifindex("b", "eth-b"));
	CHECK_MEM_EQ(buf + 20, payload, 5);
}

/* Batch reads on a raw conn return the bytes as received, header first. */
static void test_batch_keeps_header(struct ipv4_raw_conn *tx,
				    struct ipv4_raw_conn *rx)
{
	struct ipv4_header h = header_to_b(), got;
	struct ipv4_message ms[4];
	struct iovec iov[4];
	unsigned char bufs[4][128];
	int i, n;

	memset(ms, 0, sizeof(ms));
	for (i = 0; i < 4; i++) {
		h.id = (uint16_t)(100 + i);
		CHECK_INT_EQ(ipv4_raw_conn_write_to(tx, &h, payload,
						    sizeof(payload), NULL),
			     20 + sizeof(payload));
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		ms[i].iov = &iov[i];
		ms[i].iovlen = 1;
	}
	usleep(50000);
	CHECK_OK(ipv4_packet_conn_set_read_deadline(&rx->conn,
						    ipv4_now() + 2000 * MS));
	n = ipv4_packet_conn_read_batch(&rx->conn, ms, 4, 0);
	CHECK_INT_EQ(n, 4);
	for (i = 0; i < n; i++) {
		CHECK_INT_EQ(ms[i].len, 20 + sizeof(payload));
		CHECK_INT_EQ(ipv4_header_parse(&got, bufs[i], ms[i].len), 20);
		CHECK_INT_EQ(got.id, 100 + i);
		CHECK_INT_EQ(got.src.s_addr, addr_of("10.0.0.1"));
		CHECK_INT_EQ(ms[i].addr.sin_addr.s_addr, addr_of("10.0.0.1"));
		CHECK_MEM_EQ(bufs[i] + 20, payload, sizeof(payload));
	}
}

int main(void)
{
	struct ipv4_raw_conn tx, rx;

	lab_init();
	lab_ns("a");
	lab_ns("b");
	lab_veth("a", "eth-a", "10.0.0.1/24", "b", "eth-b", "10.0.0.2/24");
	test_init();

	CHECK_OK(ipv4_raw_conn_init(&tx, lab_socket("a", AF_INET, SOCK_RAW,
						    PROTO)));
	CHECK_OK(ipv4_raw_conn_init(&rx, lab_socket("b", AF_INET, SOCK_RAW,
						    PROTO)));
	CHECK_OK(ipv4_packet_conn_set_control_message(&rx.conn, IPV4_CF_ALL,
						      1));
	test_write_errors(&tx);
	test_kernel_fills(&tx, &rx);
	test_options(&tx, &rx);
	test_short_buffers(&tx, &rx);
	test_write_control(&tx, &rx);
	test_batch_keeps_header(&tx, &rx);
	CHECK_OK(ipv4_packet_conn_close(&tx.conn));
	CHECK_OK(ipv4_packet_conn_close(&rx.conn));
	return check_exit();
}
