/* SPDX-License-Identifier: MIT */
/*
 * Traceroute: sends ICMP echo requests with TTL 1, 2, ... to HOST and prints
 * per hop the address that replied, the round-trip time and the control
 * message of the reply, or "*" when none came within 2 s. Stops when HOST
 * itself replies. Needs a raw ICMP socket (root or CAP_NET_RAW).
 *
 * usage: traceroute HOST [MAX_HOPS]      (HOST is a dotted quad)
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <ipv4.h>

#define WAIT_NS 2000000000LL

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
	fprintf(stderr, "traceroute: %s failed: %s\n", what,
		ipv4_strerror(code));
	return 1;
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int send_echo(struct ipv4_packet_conn *c, const struct sockaddr_in *dst,
		     uint16_t id, int seq)
{
	static const char data[15] = "HELLO-R-U-THERE"; /* no NUL */
	unsigned char echo[8 + sizeof(data)] = {IPV4_ICMP_ECHO, 0};
	uint16_t sum;

	echo[4] = (unsigned char)(id >> 8);
	echo[5] = (unsigned char)id;
	echo[6] = (unsigned char)(seq >> 8);
	echo[7] = (unsigned char)seq;
	memcpy(echo + 8, data, sizeof(data));
	sum = ipv4_checksum(echo, sizeof(echo));
	echo[2] = (unsigned char)(sum >> 8);
	echo[3] = (unsigned char)sum;
	return ipv4_packet_conn_write_to(c, echo, sizeof(echo), NULL, dst);
}

/*
 * Returns the ICMP type of msg if it responds to the echo request (id, seq):
 * an echo reply, or a time-exceeded message quoting the request's IPv4
 * header and first 8 bytes. Returns -1 for anything else.
 */
static int match(const unsigned char *msg, int n, uint16_t id, int seq)
{
	const unsigned char *echo = msg;
	struct ipv4_header quoted;
	int hlen;

	if (n >= 8 && msg[0] == IPV4_ICMP_TIME_EXCEEDED) {
		hlen = ipv4_header_parse(&quoted, msg + 8, (size_t)n - 8);
		if (hlen < 0 || n < 8 + hlen + 8 ||
		    quoted.protocol != IPV4_ICMP_PROTOCOL)
			return -1;
		echo = msg + 8 + hlen;
	} else if (n < 8 || msg[0] != IPV4_ICMP_ECHO_REPLY) {
		return -1;
	}
	if (get16(echo + 4) != id || get16(echo + 6) != seq)
		return -1;
	return msg[0];
}

/* Probes hop ttl; returns the reply's type, -1 on timeout or an error. */
static int probe(struct ipv4_packet_conn *c, const struct sockaddr_in *dst,
		 uint16_t id, int ttl, int *err)
{
	unsigned char buf[1500];
	char line[IPV4_CONTROL_STRLEN], from[INET_ADDRSTRLEN];
	struct ipv4_control_message cm;
	struct sockaddr_in peer;
	int64_t begin = ipv4_now();
	int type = -1;
	int n;

	*err = ipv4_set_ttl(c->fd, ttl);
	if (*err >= 0)
		*err = send_echo(c, dst, id, ttl);
	if (*err < 0)
		return -1;
	ipv4_packet_conn_set_read_deadline(c, begin + WAIT_NS);
	while (type < 0) {
		n = ipv4_packet_conn_read_from(c, buf, sizeof(buf), &cm, &peer);
		if (n == IPV4_ERR_TIMEOUT) {
			printf("%d\t*\n", ttl);
			return -1;
		}
		if (n < 0 && n != IPV4_ERR_TRUNCATED) {
			*err = n;
			return -1;
		}
		type = match(buf, n < 0 ? (int)sizeof(buf) : n, id, ttl);
	}
	ipv4_control_format(&cm, line, sizeof(line));
	printf("%d\t%s\t%.3f ms\t%s\n", ttl,
	       inet_ntop(AF_INET, &peer.sin_addr, from, sizeof(from)),
	       (double)(ipv4_now() - begin) / 1e6, line);
	return type;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = {.sin_family = AF_INET};
	struct ipv4_packet_conn c;
	int max_hops = argc > 2 ? parse_number(argv[2]) : 64;
	uint16_t id = (uint16_t)getpid();
	int ttl, fd, r, err;

	if (argc < 2 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1 ||
	    max_hops < 1 || max_hops > 255) {
		fputs("usage: traceroute HOST [MAX_HOPS]\n", stderr);
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0)
		return fail("raw ICMP socket (needs CAP_NET_RAW)", -errno);
	r = ipv4_packet_conn_init(&c, fd);
	if (r >= 0)
		r = ipv4_packet_conn_set_control_message(&c, IPV4_CF_ALL, 1);
	if (r < 0)
		return fail("packet conn", r);
	for (ttl = 1; ttl <= max_hops; ttl++) {
		r = probe(&c, &dst, id, ttl, &err);
		if (err < 0)
			return fail("probe", err);
		if (r == IPV4_ICMP_ECHO_REPLY)
			break;
	}
	ipv4_packet_conn_close(&c);
	return ttl <= max_hops ? 0 : 1;
}
