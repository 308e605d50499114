/* SPDX-License-Identifier: MIT */
/*
 * OSPF hello: sends one OSPFv2 hello (RFC 2328, section A.3.2) to
 * AllSPFRouters (224.0.0.5) on an interface through a raw conn, with TOS 0xc0
 * (DSCP CS6, network control), TTL 1 and protocol 89, as OSPF routers do; or
 * waits for one and prints its IPv4 header and control message.
 *
 * usage: ospf_hello send IFNAME ROUTER_ID
 *        ospf_hello listen IFNAME [SECONDS]
 *
 * Needs a raw socket (root or CAP_NET_RAW).
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <ipv4.h>

#define OSPF_PROTOCOL 89
#define OSPF_HEADER_LEN 24
#define OSPF_HELLO_LEN 20 /* without neighbours */

/* Returns the number in s, or -1 if s is no decimal from 0 to INT_MAX. */
static int parse_number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end != '\0' || v < 0 || v > INT_MAX)
		return -1;
	return (int)v;
}

static int fail(const char *what, int code)
{
	fprintf(stderr, "ospf_hello: %s failed: %s\n", what,
		ipv4_strerror(code));
	return 1;
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* Builds a hello from router_id with no neighbours and no authentication. */
static void build_hello(unsigned char *pkt, struct in_addr router_id)
{
	unsigned char *hello = pkt + OSPF_HEADER_LEN;
	uint16_t sum;

	memset(pkt, 0, OSPF_HEADER_LEN + OSPF_HELLO_LEN);
	pkt[0] = 2; /* OSPF version 2 */
	pkt[1] = 1; /* hello */
	put16(pkt + 2, OSPF_HEADER_LEN + OSPF_HELLO_LEN);
	memcpy(pkt + 4, &router_id, 4); /* area 0.0.0.0 follows, zeroed */
	memset(hello, 0xff, 3);		/* network mask 255.255.255.0 */
	put16(hello + 4, 10);		/* hello interval, s */
	hello[6] = 0x02;		/* options: E (external routing) */
	hello[7] = 1;			/* router priority */
	hello[11] = 40;			/* router dead interval, s */
	sum = ipv4_checksum(pkt, OSPF_HEADER_LEN + OSPF_HELLO_LEN);
	put16(pkt + 12, sum);
}

static int open_raw(struct ipv4_raw_conn *c, int ifindex)
{
	struct sockaddr_in group = {.sin_family = AF_INET};
	int fd;
	int r;

	inet_pton(AF_INET, "224.0.0.5", &group.sin_addr);
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, OSPF_PROTOCOL);
	if (fd < 0)
		return fail("raw socket (needs CAP_NET_RAW)", -errno);
	r = ipv4_raw_conn_init(c, fd);
	if (r < 0)
		return fail("raw conn", r);
	r = ipv4_join_group(fd, ifindex, (const struct sockaddr *)&group);
	if (r < 0)
		return fail("join 224.0.0.5", r);
	return 0;
}

static int send_hello(struct ipv4_raw_conn *c, int ifindex,
		      struct in_addr router_id)
{
	unsigned char ospf[OSPF_HEADER_LEN + OSPF_HELLO_LEN];
	struct ipv4_control_message cm = {.ifindex = ifindex};
	struct ipv4_header h = {
	    .version = IPV4_VERSION,
	    .header_len = IPV4_HEADER_LEN,
	    .tos = 0xc0,
	    .total_len = IPV4_HEADER_LEN + sizeof(ospf),
	    .ttl = 1,
	    .protocol = OSPF_PROTOCOL,
	};
	int r;

	inet_pton(AF_INET, "224.0.0.5", &h.dst);
	build_hello(ospf, router_id);
	/* The control message picks the interface, so no route is needed. */
	r = ipv4_raw_conn_write_to(c, &h, ospf, sizeof(ospf), &cm);
	if (r < 0)
		return fail("write", r);
	printf("sent %d bytes to 224.0.0.5 ifindex=%d\n", r, ifindex);
	return 0;
}

static int listen_hello(struct ipv4_raw_conn *c, int seconds)
{
	unsigned char buf[1500];
	char header[IPV4_HEADER_STRLEN], control[IPV4_CONTROL_STRLEN];
	char router[INET_ADDRSTRLEN];
	struct ipv4_control_message cm;
	struct ipv4_header h;
	const unsigned char *ospf;
	int n;

	ipv4_packet_conn_set_control_message(&c->conn, IPV4_CF_ALL, 1);
	ipv4_packet_conn_set_read_deadline(&c->conn,
					   ipv4_now() + seconds * 1000000000LL);
	fprintf(stderr, "listening for OSPF on 224.0.0.5\n");
	do {
		n = ipv4_raw_conn_read_from(c, buf, sizeof(buf), &h, &cm);
		if (n < 0)
			return fail("read", n);
		ospf = buf + h.header_len;
	} while (n < OSPF_HEADER_LEN || ospf[0] != 2 || ospf[1] != 1);
	ipv4_header_format(&h, header, sizeof(header));
	ipv4_control_format(&cm, control, sizeof(control));
	printf("header: %s\ncontrol: %s\n", header, control);
	printf("hello from router %s, %d bytes\n",
	       inet_ntop(AF_INET, ospf + 4, router, sizeof(router)), n);
	return 0;
}

int main(int argc, char **argv)
{
	struct ipv4_raw_conn c;
	struct in_addr router_id;
	int ifindex = argc > 2 ? (int)if_nametoindex(argv[2]) : 0;
	int seconds = argc > 3 ? parse_number(argv[3]) : 10;
	int r;

	if (argc == 4 && strcmp(argv[1], "send") == 0 && ifindex > 0 &&
	    inet_pton(AF_INET, argv[3], &router_id) == 1) {
		r = open_raw(&c, ifindex);
		return r != 0 ? r : send_hello(&c, ifindex, router_id);
	}
	if (argc <= 4 && argc >= 3 && strcmp(argv[1], "listen") == 0 &&
	    ifindex > 0 && seconds > 0) {
		r = open_raw(&c, ifindex);
		return r != 0 ? r : listen_hello(&c, seconds);
	}
	fputs("usage: ospf_hello send IFNAME ROUTER_ID\n"
	      "       ospf_hello listen IFNAME [SECONDS]\n",
	      stderr);
	return 2;
}
