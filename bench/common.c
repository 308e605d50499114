/* SPDX-License-Identifier: MIT */
/*
 * Harness of bench-sys and bench-lib.
 *
 * Usage: bench-sys WORKLOAD SIZE BATCH SECONDS
 * Prints one line: "value=... value2=... allocs=... ops=... sent=...
 * received=...". The workloads are listed in bench/run.py.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "bench.h"

const uint8_t bench_header20[20] = {
    0x45, 0x01, 0xbe, 0xef, 0xca, 0xfe, 0x45, 0xdc, 0xff, 0x01,
    0xde, 0xad, 0xac, 0x10, 0xfe, 0xfe, 0xc0, 0xa8, 0x00, 0x01,
};

const uint8_t bench_header24[24] = {
    0x46, 0x01, 0xbe, 0xf3, 0xca, 0xfe, 0x45, 0xdc, 0xff, 0x01, 0xde, 0xad,
    0xac, 0x10, 0xfe, 0xfe, 0xc0, 0xa8, 0x00, 0x01, 0xff, 0xfe, 0xfe, 0xff,
};

int64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t bench_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int bench_elapsed(const struct bench_args *a, int64_t start)
{
	return (double)(bench_now() - start) >= a->seconds * 1e9;
}

static unsigned long long (*bench_alloc_counter(void))(void)
{
	static unsigned long long (*counter)(void);
	static int looked_up;

	if (!looked_up) {
		*(void **)&counter = dlsym(RTLD_DEFAULT, "bench_alloc_count");
		looked_up = 1;
	}
	return counter;
}

unsigned long long bench_allocs(void)
{
	unsigned long long (*counter)(void) = bench_alloc_counter();

	return counter != NULL ? counter() : 0;
}

int bench_allocs_counted(void)
{
	return bench_alloc_counter() != NULL;
}

void bench_set_allocs(struct bench_result *r, unsigned long long before,
		      unsigned long long ops)
{
	unsigned long long after = bench_allocs();

	if (!bench_allocs_counted() || ops == 0) {
		r->allocs = -1;
		return;
	}
	r->allocs = (double)(after - before) / (double)ops;
}

void bench_die(const char *what, int err)
{
	fprintf(stderr, "bench: %s failed: %s\n", what, bench_strerror(err));
	exit(1);
}

static int bench_socket(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		bench_die("socket", errno);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		bench_die("bind 127.0.0.1", errno);
	return fd;
}

void bench_pair_open(struct bench_pair *p, int timeout_ms)
{
	struct timeval tv = {.tv_sec = timeout_ms / 1000,
			     .tv_usec = (timeout_ms % 1000) * 1000};
	socklen_t len = sizeof(p->rx_addr);
	int size = BENCH_RCVBUF;

	p->tx = bench_socket();
	p->rx = bench_socket();
	/*
	 * SO_RCVBUFFORCE passes net.core.rmem_max, which Go's
	 * net.UDPConn.SetReadBuffer cannot. Without CAP_NET_ADMIN, SO_RCVBUF
	 * gets at most rmem_max.
	 */
	if (setsockopt(p->rx, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) != 0 &&
	    setsockopt(p->rx, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) != 0)
		bench_die("SO_RCVBUF", errno);
	if (setsockopt(p->tx, SOL_SOCKET, SO_SNDBUFFORCE, &size,
		       sizeof(size)) != 0 &&
	    setsockopt(p->tx, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) != 0)
		bench_die("SO_SNDBUF", errno);
	if (setsockopt(p->rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
		bench_die("SO_RCVTIMEO", errno);
	if (getsockname(p->rx, (struct sockaddr *)&p->rx_addr, &len) != 0)
		bench_die("getsockname", errno);
}

void bench_pair_close(struct bench_pair *p)
{
	close(p->tx);
	close(p->rx);
}

void bench_fill(void *buf, size_t len, unsigned seed)
{
	unsigned char *b = buf;

	for (size_t i = 0; i < len; i++)
		b[i] = (unsigned char)(seed + i * 7);
}

size_t bench_control_bytes(void *buf, size_t cap)
{
	struct in_pktinfo pi = {.ipi_ifindex = 1};
	struct msghdr msg = {.msg_control = buf, .msg_controllen = cap};
	struct cmsghdr *cmsg;
	int ttl = 64;

	memset(buf, 0, cap);
	pi.ipi_spec_dst.s_addr = htonl(INADDR_LOOPBACK);
	pi.ipi_addr.s_addr = htonl(INADDR_LOOPBACK);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = IPPROTO_IP;
	cmsg->cmsg_type = IP_TTL;
	cmsg->cmsg_len = CMSG_LEN(sizeof(ttl));
	memcpy(CMSG_DATA(cmsg), &ttl, sizeof(ttl));
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = IPPROTO_IP;
	cmsg->cmsg_type = IP_PKTINFO;
	cmsg->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cmsg), &pi, sizeof(pi));
	return CMSG_SPACE(sizeof(ttl)) + CMSG_SPACE(sizeof(pi));
}

int main(int argc, char **argv)
{
	struct bench_args a;
	struct bench_result r = {.allocs = -1};

	if (argc != 5) {
		fprintf(stderr, "usage: %s WORKLOAD SIZE BATCH SECONDS\n",
			argv[0]);
		return 2;
	}
	a.workload = argv[1];
	a.size = strtoul(argv[2], NULL, 10);
	a.batch = atoi(argv[3]);
	a.seconds = atof(argv[4]);
	if (a.size > BENCH_BUF_MAX || a.batch < 1 ||
	    a.batch > BENCH_BATCH_MAX || a.seconds <= 0) {
		fprintf(stderr, "bench: invalid size, batch or seconds\n");
		return 2;
	}
	if (bench_run(&a, &r) != 0)
		return 1;
	printf("value=%.3f value2=%.3f allocs=%.4f ops=%llu sent=%llu "
	       "received=%llu\n",
	       r.value, r.value2, r.allocs, r.ops, r.sent, r.received);
	return 0;
}

/*
 * Pins the calling thread of a pair to a CPU that the process may use: the
 * sender (role 0) to the first and the receiver (role 1) to the second.
 * BENCH_PIN=swapped exchanges them and BENCH_PIN=none leaves both to the
 * scheduler, as does a process that may use fewer than two CPUs. On the
 * 2-CPU machine of docs/BENCHMARKS.md, a pair received about a fifth fewer
 * datagrams with its sender on the second CPU than on the first, and each
 * unpinned run landed in one of the two cases.
 */
static void bench_pin(int role)
{
	const char *pin = getenv("BENCH_PIN");
	cpu_set_t allowed, target;
	int nth = role, seen = 0;

	if (pin != NULL && strcmp(pin, "none") == 0)
		return;
	if (pin != NULL && strcmp(pin, "swapped") == 0)
		nth = 1 - role;
	if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 ||
	    CPU_COUNT(&allowed) < 2)
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || seen++ != nth)
			continue;
		CPU_ZERO(&target);
		CPU_SET(cpu, &target);
		if (sched_setaffinity(0, sizeof target, &target) != 0)
			bench_die("sched_setaffinity", errno);
		return;
	}
}

struct bench_threads_state {
	const struct bench_args *a;
	const struct bench_threads_ops *ops;
	int receiver_ready;
	int sender_done;
	unsigned long long received;
	int error; /* the receiver's negative return, 0 while none */
};

static void *bench_receiver(void *arg)
{
	struct bench_threads_state *s = arg;
	int n;

	bench_pin(1);
	__atomic_store_n(&s->receiver_ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		n = s->ops->recv(s->ops->recv_ctx);
		if (n < 0) {
			s->error = n;
			break;
		}
		s->received += (unsigned)n;
		if (n == 0 &&
		    __atomic_load_n(&s->sender_done, __ATOMIC_ACQUIRE))
			break;
	}
	return NULL;
}

void bench_threads(const struct bench_args *a, struct bench_result *r,
		   const struct bench_threads_ops *ops)
{
	struct bench_threads_state s = {.a = a, .ops = ops};
	unsigned long long before;
	pthread_t receiver;
	int64_t start, end, cpu;
	int n;

	if (pthread_create(&receiver, NULL, bench_receiver, &s) != 0)
		bench_die("pthread_create", EAGAIN);
	while (!__atomic_load_n(&s.receiver_ready, __ATOMIC_ACQUIRE))
		sched_yield();
	/*
	 * Only now, because the receiver picked its CPU from the mask it
	 * inherited from this thread, which pinning this thread narrows.
	 */
	bench_pin(0);
	before = bench_allocs();
	cpu = bench_cpu_now();
	start = bench_now();
	do {
		for (int i = 0; i < 16; i++) {
			n = ops->send(ops->send_ctx);
			if (n < 0)
				bench_die("send", -n);
			r->sent += (unsigned)n;
		}
	} while (!bench_elapsed(a, start));
	end = bench_now();
	__atomic_store_n(&s.sender_done, 1, __ATOMIC_RELEASE);
	pthread_join(receiver, NULL);
	if (s.error < 0)
		bench_die("receive", -s.error);
	r->received = s.received;
	r->ops = r->sent + r->received;
	/* Allocations of both threads while the sender ran, per datagram. */
	bench_set_allocs(r, before, r->ops);
	r->value = (double)r->received * 1e9 / (double)(end - start);
	/* Both threads, the receiver's final drain included. */
	if (r->received > 0)
		r->value2 =
		    (double)(bench_cpu_now() - cpu) / (double)r->received;
}
