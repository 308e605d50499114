/* SPDX-License-Identifier: MIT */
/*
 * Marking TCP: a server that marks the segments of each accepted connection
 * as DiffServ AF11 (TOS 0x28) with TTL 128, writes a greeting and closes.
 *
 * usage: marking_tcp PORT [CONNECTIONS]
 *
 * The options go on the accepted socket, so the SYN-ACK, which the kernel
 * sends before accept() returns, still carries the listener's TOS and TTL.
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

#define AF11 0x28 /* DSCP 10 (AF11) in the upper six bits, no ECN */

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
	fprintf(stderr, "marking_tcp: %s failed: %s\n", what,
		ipv4_strerror(code));
	return 1;
}

static int listen_on(int port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	int on = 1;
	int fd;

	sin.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(fd, 8) != 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

/* Marks the connection, checks what the kernel kept and greets the peer. */
static int serve(int fd, const struct sockaddr_in *peer)
{
	static const char greeting[] = "HELLO-R-U-THERE-ACK\n";
	char addr[INET_ADDRSTRLEN];
	int r;

	r = ipv4_set_tos(fd, AF11);
	if (r < 0)
		return fail("set TOS", r);
	r = ipv4_set_ttl(fd, 128);
	if (r < 0)
		return fail("set TTL", r);
	printf("accepted %s:%u tos=0x%x ttl=%d\n",
	       inet_ntop(AF_INET, &peer->sin_addr, addr, sizeof(addr)),
	       ntohs(peer->sin_port), ipv4_tos(fd), ipv4_ttl(fd));
	fflush(stdout);
	if (write(fd, greeting, sizeof(greeting) - 1) < 0)
		return fail("write", -errno);
	return 0;
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? parse_number(argv[1]) : 0;
	int connections = argc > 2 ? parse_number(argv[2]) : 1;
	int lfd;
	int i;

	if (port < 1 || port > 65535 || connections < 1) {
		fputs("usage: marking_tcp PORT [CONNECTIONS]\n", stderr);
		return 2;
	}
	lfd = listen_on(port);
	if (lfd < 0)
		return fail("listen", lfd);
	fprintf(stderr, "listening on 0.0.0.0:%d\n", port);
	for (i = 0; i < connections; i++) {
		struct sockaddr_in peer = {0};
		socklen_t len = sizeof(peer);
		int fd = accept(lfd, (struct sockaddr *)&peer, &len);
		int r;

		if (fd < 0)
			return fail("accept", -errno);
		r = serve(fd, &peer);
		close(fd);
		if (r != 0)
			return r;
	}
	close(lfd);
	return 0;
}
