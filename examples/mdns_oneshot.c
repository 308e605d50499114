/* SPDX-License-Identifier: MIT */
/*
 * One-shot mDNS responder: joins 224.0.0.251 on an interface, listens on
 * UDP port 5353, ignores every datagram not sent to the group, answers the
 * sender of the first one that was (a unicast reply) and exits.
 *
 * usage: mdns_oneshot IFNAME [SECONDS]
 *
 * The socket is bound to 0.0.0.0:5353, so unicast datagrams to the port
 * arrive too, and the destination control message distinguishes them. The
 * answer is "ANSWER " and the query's bytes, a stand-in for mDNS records.
 * Exits 1 if no query came within SECONDS (default 10).
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
	fprintf(stderr, "mdns_oneshot: %s failed: %s\n", what,
		ipv4_strerror(code));
	return 1;
}

static int open_conn(struct ipv4_packet_conn *c, int ifindex,
		     const struct sockaddr_in *group)
{
	struct sockaddr_in any = {.sin_family = AF_INET,
				  .sin_port = htons(5353)};
	int on = 1;
	int fd;
	int r;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail("socket", -errno);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&any, sizeof(any)) != 0) {
		r = -errno;
		close(fd);
		return fail("bind 0.0.0.0:5353", r);
	}
	r = ipv4_packet_conn_init(c, fd);
	if (r < 0) {
		close(fd);
		return fail("packet conn", r);
	}
	r = ipv4_join_group(fd, ifindex, (const struct sockaddr *)group);
	if (r < 0)
		return fail("join 224.0.0.251", r);
	r = ipv4_packet_conn_set_control_message(c, IPV4_CF_DST, 1);
	if (r < 0)
		return fail("control message", r);
	return 0;
}

/* Answers the first query sent to the group, ignoring the others. */
static int serve_one(struct ipv4_packet_conn *c,
		     const struct sockaddr_in *group)
{
	unsigned char query[1500];
	char answer[sizeof(query) + 8] = "ANSWER ";
	char from[INET_ADDRSTRLEN], to[INET_ADDRSTRLEN];
	struct ipv4_control_message cm;
	struct sockaddr_in peer;
	int n;
	int r;

	for (;;) {
		n = ipv4_packet_conn_read_from(c, query, sizeof(query), &cm,
					       &peer);
		if (n < 0)
			return fail("read", n);
		inet_ntop(AF_INET, &peer.sin_addr, from, sizeof(from));
		inet_ntop(AF_INET, &cm.dst, to, sizeof(to));
		if (cm.dst.s_addr == group->sin_addr.s_addr)
			break;
		printf("ignored %d bytes from %s:%u to %s\n", n, from,
		       ntohs(peer.sin_port), to);
		fflush(stdout);
	}
	memcpy(answer + 7, query, (size_t)n);
	r = ipv4_packet_conn_write_to(c, answer, (size_t)n + 7, NULL, &peer);
	if (r < 0)
		return fail("write", r);
	printf("answered %d bytes from %s:%u to %s\n", n, from,
	       ntohs(peer.sin_port), to);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in group = {.sin_family = AF_INET};
	struct ipv4_packet_conn c;
	int ifindex = argc > 1 ? (int)if_nametoindex(argv[1]) : 0;
	int seconds = argc > 2 ? parse_number(argv[2]) : 10;
	int r;

	if (ifindex <= 0 || seconds <= 0) {
		fputs("usage: mdns_oneshot IFNAME [SECONDS]\n", stderr);
		return 2;
	}
	inet_pton(AF_INET, "224.0.0.251", &group.sin_addr);
	r = open_conn(&c, ifindex, &group);
	if (r != 0)
		return r;
	ipv4_packet_conn_set_read_deadline(&c,
					   ipv4_now() + seconds * 1000000000LL);
	fprintf(stderr, "listening on 0.0.0.0:5353, group 224.0.0.251 on %s\n",
		argv[1]);
	r = serve_one(&c, &group);
	ipv4_packet_conn_close(&c);
	return r;
}
