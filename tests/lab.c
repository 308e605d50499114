/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lab.h"

int check_failures;

void check_skip(const char *reason)
{
	printf("skipped: %s\n", reason);
	fflush(stdout);
	exit(77);
}

int check_exit(void)
{
	if (check_failures > 0) {
		fprintf(stderr, "%d check(s) failed\n", check_failures);
		return 1;
	}
	return 0;
}

__attribute__((format(printf, 1, 0))) static int lab_vsh(const char *fmt,
							       va_list ap)
{
	char cmd[1024];
	int status;

	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	status = system(cmd);
	if (status == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int lab_sh(const char *fmt, ...)
{
	va_list ap;
	int status;

	va_start(ap, fmt);
	status = lab_vsh(fmt, ap);
	va_end(ap);
	return status;
}

void lab_must(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (lab_sh("%s", cmd) != 0) {
		fprintf(stderr, "lab: command failed: %s\n", cmd);
		exit(1);
	}
}

void lab_init(void)
{
	const char *isolated = getenv("IPV4_ISOLATED");

	if (isolated == NULL || strcmp(isolated, "1") != 0)
		check_skip("not isolated: run through tests/isolate or ctest");
	if (lab_sh("ip -V >/dev/null 2>&1") != 0)
		check_skip("ip (iproute2) not found");
	lab_must("mkdir -p /run/netns");
}

void lab_ns(const char *ns)
{
	lab_must("ip netns add %s", ns);
	lab_must("ip -n %s link set lo up", ns);
	lab_sh("ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1"
	       " >/dev/null 2>&1",
	       ns);
}

static void lab_addr_up(const char *ns, const char *ifname, const char *addr)
{
	if (addr != NULL)
		lab_must("ip -n %s addr add %s dev %s", ns, addr, ifname);
	lab_must("ip -n %s link set %s up", ns, ifname);
}

void lab_veth(const char *a, const char *if_a, const char *addr_a,
	      const char *b, const char *if_b, const char *addr_b)
{
	lab_must("ip -n %s link add %s type veth peer name %s netns %s", a,
		 if_a, if_b, b);
	lab_addr_up(a, if_a, addr_a);
	lab_addr_up(b, if_b, addr_b);
}

void lab_bridge(const char *sw, const char *br)
{
	lab_must("ip -n %s link add %s type bridge", sw, br);
	/* No snooping: every port sees every group, as on a plain hub. */
	lab_must("ip -n %s link set %s type bridge mcast_snooping 0", sw, br);
	lab_must("ip -n %s link set %s up", sw, br);
}

void lab_bridge_port(const char *sw, const char *br, const char *ns,
		     const char *ifname, const char *addr)
{
	char port[IFNAMSIZ];

	snprintf(port, sizeof(port), "p-%s", ns);
	lab_veth(ns, ifname, addr, sw, port, NULL);
	lab_must("ip -n %s link set %s master %s", sw, port, br);
}

static int lab_ns_fd(const char *ns)
{
	char path[256];
	int fd;

	if (ns == NULL)
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)getpid());
	else
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "lab: open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

void lab_enter(const char *ns)
{
	int fd = lab_ns_fd(ns);

	if (setns(fd, CLONE_NEWNET) != 0) {
		fprintf(stderr, "lab: setns %s: %s\n", ns ? ns : "(test)",
			strerror(errno));
		exit(1);
	}
	close(fd);
}

int lab_socket(const char *ns, int domain, int type, int protocol)
{
	int fd;

	lab_enter(ns);
	fd = socket(domain, type, protocol);
	if (fd < 0) {
		fprintf(stderr, "lab: socket in %s: %s\n", ns ? ns : "(test)",
			strerror(errno));
		exit(1);
	}
	lab_enter(NULL);
	return fd;
}

int lab_ifindex(const char *ns, const char *ifname)
{
	unsigned index;

	lab_enter(ns);
	index = if_nametoindex(ifname);
	lab_enter(NULL);
	if (index == 0) {
		fprintf(stderr, "lab: no interface %s in %s\n", ifname,
			ns ? ns : "(test)");
		exit(1);
	}
	return (int)index;
}

struct sockaddr_in lab_addr(const char *ip, uint16_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1) {
		fprintf(stderr, "lab: bad address %s\n", ip);
		exit(1);
	}
	return sin;
}

int lab_udp(const char *ns, const char *ip, uint16_t port)
{
	struct sockaddr_in sin = lab_addr(ip, port);
	int fd = lab_socket(ns, AF_INET, SOCK_DGRAM, 0);
	int on = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		fprintf(stderr, "lab: bind %s:%u: %s\n", ip, port,
			strerror(errno));
		exit(1);
	}
	return fd;
}

void lab_recv_timeout(int fd, int ms)
{
	struct timeval tv = {.tv_sec = ms / 1000,
			     .tv_usec = (suseconds_t)(ms % 1000) * 1000};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static uint32_t lab_payload_sum(const unsigned char *p, size_t len,
				uint32_t seq)
{
	uint32_t sum = 2166136261u ^ seq; /* FNV-1a offset basis */
	size_t i;

	for (i = LAB_PAYLOAD_MIN; i < len; i++)
		sum = (sum ^ p[i]) * 16777619u;
	return sum;
}

static void lab_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t lab_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void lab_payload_fill(void *buf, size_t len, uint32_t seq)
{
	unsigned char *p = buf;
	size_t i;

	for (i = LAB_PAYLOAD_MIN; i < len; i++)
		p[i] = (unsigned char)(seq * 131u + (uint32_t)i);
	lab_put32(p, seq);
	lab_put32(p + 4, lab_payload_sum(p, len, seq));
}

int lab_payload_check(const void *buf, size_t len, uint32_t *seq)
{
	const unsigned char *p = buf;

	if (len < LAB_PAYLOAD_MIN)
		return -1;
	*seq = lab_get32(p);
	return lab_get32(p + 4) == lab_payload_sum(p, len, *seq) ? 0 : -1;
}

int lab_read_batch(struct ipv4_packet_conn *c, struct ipv4_message *ms,
		   int n)
{
	int got = 0, r;

	for (int tries = 0; got < n && tries < 10; tries++) {
		r = ipv4_packet_conn_read_batch(c, ms + got, (size_t)(n - got),
						0);
		CHECK_OK(r);
		if (r < 0)
			break;
		got += r;
	}
	return got;
}
