/* SPDX-License-Identifier: MIT */
/*
 * IPv4 options walk: well-formed lists, every malformed length, and the
 * record-route option as the kernel fills it on 127.0.0.1.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lab.h"

/* Walks len bytes; stores up to 8 types in types[] and returns the count. */
static int walk(const uint8_t *buf, size_t len, int *types, int *end)
{
	const uint8_t *opt;
	size_t rem;
	int n = 0;

	ipv4_option_for_each(opt, rem, buf, len)
	{
		CHECK(opt >= buf);
		/* The loop runs only while ipv4_option_ok() accepts opt. */
		/* cppcheck-suppress nullPointerArithmeticRedundantCheck */
		CHECK(opt + ipv4_option_len(opt) <= buf + len);
		if (n < 8)
			types[n] = ipv4_option_type(opt);
		n++;
	}
	*end = ipv4_option_ok(opt, rem);
	return n;
}

static void test_walk_list(void)
{
	/* NOP, router alert, record route with one slot, EOL, padding. */
	static const uint8_t list[] = {
	    1, 148, 4, 0, 0, 7, 7, 4, 10, 0, 0, 1, 0, 0xee, 0xee, 0xee,
	};
	const uint8_t *opt;
	int types[8] = {0}, end;

	CHECK_INT_EQ(walk(list, sizeof(list), types, &end), 3);
	CHECK_INT_EQ(end, 0);
	CHECK_INT_EQ(types[0], IPV4_OPT_NOP);
	CHECK_INT_EQ(types[1], IPV4_OPT_ROUTER_ALERT);
	CHECK_INT_EQ(types[2], IPV4_OPT_RR);

	CHECK_INT_EQ(ipv4_option_find(list, sizeof(list), IPV4_OPT_RR, &opt),
		     1);
	CHECK(opt == list + 5);
	CHECK_INT_EQ(ipv4_option_len(opt), 7);
	CHECK_INT_EQ(ipv4_option_data_len(opt), 5);
	CHECK(ipv4_option_data(opt) == list + 7);
	CHECK_INT_EQ(ipv4_option_data(opt)[0], 4); /* the RR pointer */

	CHECK_INT_EQ(ipv4_option_find(list, sizeof(list), IPV4_OPT_NOP, &opt),
		     1);
	CHECK_INT_EQ(ipv4_option_len(opt), 1);
	CHECK_INT_EQ(ipv4_option_data_len(opt), 0);
	/* Padding after EOL is never read as an option. */
	CHECK_INT_EQ(ipv4_option_find(list, sizeof(list), 0xee, &opt), 0);
	CHECK(opt == NULL);
	CHECK_INT_EQ(ipv4_option_find(list, sizeof(list), IPV4_OPT_SSRR, &opt),
		     0);

	CHECK(IPV4_OPT_COPIED(IPV4_OPT_LSRR));
	CHECK(!IPV4_OPT_COPIED(IPV4_OPT_RR));
	CHECK_INT_EQ(IPV4_OPT_CLASS(IPV4_OPT_TIMESTAMP), 2);
	CHECK_INT_EQ(IPV4_OPT_NUMBER(IPV4_OPT_ROUTER_ALERT), 20);
}

static void test_walk_ends(void)
{
	static const uint8_t nops[] = {1, 1, 1, 1};
	static const uint8_t data_empty[] = {148, 2};
	const uint8_t *opt;
	int types[8] = {0}, end;

	CHECK_INT_EQ(walk(nops, sizeof(nops), types, &end), 4);
	CHECK_INT_EQ(end, 0);
	CHECK_INT_EQ(walk(nops, 0, types, &end), 0);
	CHECK_INT_EQ(end, 0);
	CHECK_INT_EQ(ipv4_option_ok(NULL, 0), 0);
	CHECK_INT_EQ(ipv4_option_find(NULL, 0, IPV4_OPT_NOP, &opt), 0);
	/* An option with a length of 2 has no data. */
	CHECK_INT_EQ(walk(data_empty, sizeof(data_empty), types, &end), 1);
	CHECK_INT_EQ(end, 0);
	CHECK_INT_EQ(ipv4_option_find(data_empty, 2, 148, &opt), 1);
	CHECK_INT_EQ(ipv4_option_data_len(opt), 0);

	CHECK_ERR(ipv4_option_find(nops, 4, IPV4_OPT_EOL, &opt), -EINVAL);
	CHECK_ERR(ipv4_option_find(NULL, 4, IPV4_OPT_NOP, &opt), -EINVAL);
	CHECK_ERR(ipv4_option_find(nops, 4, IPV4_OPT_NOP, NULL), -EINVAL);
}

/* Runs the walk with the bytes ending where an unmapped page begins. */
static int walk_at_guard(const uint8_t *bytes, size_t len, int *types)
{
	static uint8_t *page;
	static size_t size;
	const uint8_t *opt;
	uint8_t *p;
	int end;

	if (page == NULL) {
		size = (size_t)sysconf(_SC_PAGESIZE);
		page = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK_FATAL(page != MAP_FAILED);
		CHECK_FATAL(mprotect(page + size, size, PROT_NONE) == 0);
	}
	p = page + size - len;
	memcpy(p, bytes, len);
	walk(p, len, types, &end);
	CHECK_INT_EQ(ipv4_option_find(p, len, 0x55, &opt), end);
	return end;
}

static void test_walk_malformed(void)
{
	/* The options of the 24-byte header vector: type 0xff, length 0xfe. */
	static const uint8_t vector[] = {0xff, 0xfe, 0xfe, 0xff};
	static const uint8_t len0[] = {1, 7, 0, 0};
	static const uint8_t len1[] = {7, 1, 0, 0};
	static const uint8_t past[] = {1, 1, 7, 3};
	static const uint8_t no_len[] = {1, 1, 1, 7};
	static const uint8_t after_good[] = {148, 4, 0, 0, 7, 9, 4, 0};
	static const uint8_t exact[] = {1, 7, 3, 4};
	int types[8] = {0};

	CHECK_ERR(walk_at_guard(vector, sizeof(vector), types),
		  IPV4_ERR_OPTION_MALFORMED);
	CHECK_ERR(walk_at_guard(len0, sizeof(len0), types),
		  IPV4_ERR_OPTION_MALFORMED);
	CHECK_ERR(walk_at_guard(len1, sizeof(len1), types),
		  IPV4_ERR_OPTION_MALFORMED);
	CHECK_ERR(walk_at_guard(past, sizeof(past), types),
		  IPV4_ERR_OPTION_MALFORMED);
	CHECK_ERR(walk_at_guard(no_len, sizeof(no_len), types),
		  IPV4_ERR_OPTION_MALFORMED);
	CHECK_ERR(walk_at_guard(after_good, sizeof(after_good), types),
		  IPV4_ERR_OPTION_MALFORMED);
	/* The option before the malformed one was visited. */
	CHECK_INT_EQ(types[0], IPV4_OPT_ROUTER_ALERT);
	/* A length of exactly the bytes left is fine. */
	CHECK_INT_EQ(walk_at_guard(exact, sizeof(exact), types), 0);
	CHECK_INT_EQ(types[1], IPV4_OPT_RR);
	CHECK_INT_EQ(walk_at_guard(after_good, 4, types), 0);
}

/*
 * Sends a UDP datagram with a record-route option (IP_OPTIONS) to
 * 127.0.0.1 and reads it on a raw UDP socket: the kernel has stored the
 * outgoing address in the slot and moved the pointer past it.
 */
static void test_kernel_record_route(void)
{
	static const uint8_t rr[8] = {IPV4_OPT_RR, 7, 4, 0, 0, 0, 0, 0};
	struct sockaddr_in to = lab_addr("127.0.0.1", 5401);
	struct pollfd pfd;
	struct ipv4_header h;
	const uint8_t *opt;
	uint8_t buf[256];
	int raw, tx, hl, n, i;

	raw = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	if (raw < 0 && (errno == EPERM || errno == EACCES))
		check_skip("raw sockets need CAP_NET_RAW");
	CHECK_FATAL(raw >= 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_FATAL(tx >= 0);
	CHECK_FATAL(setsockopt(tx, IPPROTO_IP, IP_OPTIONS, rr, sizeof(rr)) ==
		    0);
	CHECK_FATAL(
	    sendto(tx, "rr", 2, 0, (struct sockaddr *)&to, sizeof(to)) == 2);

	pfd.fd = raw;
	pfd.events = POLLIN;
	for (i = 0; i < 10; i++) {
		CHECK_FATAL(poll(&pfd, 1, 2000) == 1);
		n = (int)recv(raw, buf, sizeof(buf), 0);
		CHECK_FATAL(n > 0);
		hl = ipv4_header_parse(&h, buf, (size_t)n);
		if (hl >= 28 && buf[hl + 2] == 5401 >> 8 &&
		    buf[hl + 3] == (5401 & 0xff))
			break;
	}
	CHECK_FATAL(i < 10);
	CHECK_INT_EQ(h.options_len, 8);
	CHECK_INT_EQ(
	    ipv4_option_find(h.options, h.options_len, IPV4_OPT_RR, &opt), 1);
	CHECK_INT_EQ(ipv4_option_len(opt), 7);
	CHECK_INT_EQ(ipv4_option_data(opt)[0], 8); /* pointer past the slot */
	CHECK_INT_EQ(ipv4_option_data(opt)[1], 127);
	CHECK_INT_EQ(ipv4_option_data(opt)[2], 0);
	CHECK_INT_EQ(ipv4_option_data(opt)[3], 0);
	CHECK_INT_EQ(ipv4_option_data(opt)[4], 1);
	close(raw);
	close(tx);
}

int main(void)
{
	const char *isolated = getenv("IPV4_ISOLATED");

	test_walk_list();
	test_walk_ends();
	test_walk_malformed();
	if (isolated == NULL || strcmp(isolated, "1") != 0) {
		printf("skipped: kernel record route: not isolated\n");
		return check_exit();
	}
	test_kernel_record_route();
	return check_exit();
}
