/* SPDX-License-Identifier: MIT */
/*
 * Shared part of the C benchmark programs. bench-sys (bare system calls) and
 * bench-lib (libipv4) link the same harness, each with its own sys.c or lib.c
 * that implements every workload the way a programmer would write it with
 * that interface. The run script (bench/run) starts one process per workload
 * and repetition, so the two programs and the Go one can be interleaved.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* Datagrams per fill/drain round: fits the 4 MiB receive buffer at 1200 B. */
#define BENCH_FILL_COUNT 256
/* Receive buffer forced on every receiving socket, so all sides drop alike. */
#define BENCH_RCVBUF (4 << 20)
/* Largest batch the workloads use. */
#define BENCH_BATCH_MAX 64
/* GSO sends per sendmmsg() and GRO reads per recvmmsg(), at most. */
#define BENCH_GSO_BATCH_MAX 8
/* Largest datagram the workloads send, GSO sends included. */
#define BENCH_BUF_MAX 65536

struct bench_args {
	const char *workload;
	size_t size;	/* datagram or codec input bytes */
	int batch;	/* messages per batch call */
	double seconds; /* time to spend measuring */
};

struct bench_result {
	double value;  /* CPU ns per operation, or datagrams received per s */
	double value2; /* CPU ns per received datagram (fill/drain, threads) */
	double allocs; /* heap allocations per operation, -1 if not counted */
	unsigned long long ops;
	unsigned long long sent;     /* sender/receiver workloads */
	unsigned long long received; /* sender/receiver workloads */
};

/* A bound receiving socket and an unbound-port sending one on 127.0.0.1. */
struct bench_pair {
	int tx;
	int rx;
	struct sockaddr_in rx_addr;
};

/* Implemented by sys.c and lib.c: returns 0, or -1 after printing why. */
int bench_run(const struct bench_args *a, struct bench_result *r);
/*
 * Implemented by sys.c and lib.c: the text of error err (positive), which
 * is an errno value, or in lib.c also the negation of an IPV4_ERR_* code.
 */
const char *bench_strerror(int err);

/* ns on CLOCK_MONOTONIC, which bounds every run. */
int64_t bench_now(void);
/*
 * CPU time of the process in ns (CLOCK_PROCESS_CPUTIME_ID), user and kernel.
 * Single-thread workloads report it per operation, so the time a busy
 * machine gives to other processes is not counted.
 */
int64_t bench_cpu_now(void);
/* Returns 1 once a->seconds have passed since start. */
int bench_elapsed(const struct bench_args *a, int64_t start);
/* Heap allocations so far, counted by allocs.so when it is preloaded. */
unsigned long long bench_allocs(void);
int bench_allocs_counted(void);
/* Sets r->allocs from a count taken before the measured loop. */
void bench_set_allocs(struct bench_result *r, unsigned long long before,
		      unsigned long long ops);

/* Opens the pair; timeout_ms bounds each blocking receive. */
void bench_pair_open(struct bench_pair *p, int timeout_ms);
void bench_pair_close(struct bench_pair *p);
void bench_fill(void *buf, size_t len, unsigned seed);
/* Prints what failed with bench_strerror(err) and exits with 1. */
void bench_die(const char *what, int err);

/*
 * One sender thread and one receiver thread on a pair, for a->seconds.
 * send() returns the datagrams it sent; recv() returns the datagrams it
 * received, 0 when the receive timeout of the pair expired. Negative
 * returns stop the workload.
 */
struct bench_threads_ops {
	int (*send)(void *ctx);
	int (*recv)(void *ctx);
	void *send_ctx;
	void *recv_ctx;
};
void bench_threads(const struct bench_args *a, struct bench_result *r,
		   const struct bench_threads_ops *ops);

/* Compiler barrier: the loop must compute what p points to every time. */
static inline void bench_use(const void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* The header test vector: 20 bytes, and 24 with options ff fe fe ff. */
extern const uint8_t bench_header20[20];
extern const uint8_t bench_header24[24];
/* Ancillary data as recvmsg returns it: IP_TTL 64, then IP_PKTINFO. */
size_t bench_control_bytes(void *buf, size_t cap);

#endif
