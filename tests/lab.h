/* SPDX-License-Identifier: MIT */
/*
 * Network namespace labs for the tests.
 *
 * A test runs under tests/isolate, inside private network and mount
 * namespaces, so the namespaces and links it adds here vanish when it exits.
 * lab_init() checks that, and every lab function stops the test with exit
 * status 1 when a command fails. Addresses come from 10.0.0.0/8 or
 * 192.0.2.0/24; nothing reaches the host's own interfaces.
 */
#ifndef IPV4_TEST_LAB_H
#define IPV4_TEST_LAB_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "check.h"
#include "ipv4/conn.h"

/* Skips the test (exit 77) when not isolated or when `ip` is missing. */
void lab_init(void);

/* Runs a shell command built from fmt; returns its exit status. */
int lab_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs a shell command and stops the test if it fails. */
void lab_must(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Adds a namespace with loopback up and IPv6 off. */
void lab_ns(const char *ns);

/*
 * Links namespace a, interface if_a, address addr_a ("10.0.0.1/24") to
 * namespace b with a veth pair, both ends up. A NULL address leaves that
 * end without one.
 */
void lab_veth(const char *a, const char *if_a, const char *addr_a,
	      const char *b, const char *if_b, const char *addr_b);

/*
 * Adds a bridge br in namespace sw and joins host namespace ns to it with a
 * veth pair: ifname (with address addr) in ns, a port in sw.
 */
void lab_bridge(const char *sw, const char *br);
void lab_bridge_port(const char *sw, const char *br, const char *ns,
		     const char *ifname, const char *addr);

/*
 * Moves the calling thread into namespace ns (NULL: the test's own one)
 * until the next call. Sockets stay in the namespace they were made in.
 */
void lab_enter(const char *ns);

/* Returns a socket made in namespace ns. */
int lab_socket(const char *ns, int domain, int type, int protocol);

/* Returns the index of ifname in namespace ns. */
int lab_ifindex(const char *ns, const char *ifname);

/* Builds a sockaddr_in from dotted quad and port. */
struct sockaddr_in lab_addr(const char *ip, uint16_t port);

/* Returns a UDP socket in ns bound to ip:port, with SO_REUSEADDR on. */
int lab_udp(const char *ns, const char *ip, uint16_t port);

/* Sets SO_RCVTIMEO so that a lost datagram fails a test instead of hanging. */
void lab_recv_timeout(int fd, int ms);

/*
 * Test payloads that prove a datagram arrived intact: bytes 0-3 hold seq and
 * bytes 4-7 a checksum over seq and the filler that follows (big-endian).
 * len must be at least LAB_PAYLOAD_MIN.
 */
#define LAB_PAYLOAD_MIN 8
void lab_payload_fill(void *buf, size_t len, uint32_t seq);

/* Returns 0 and stores seq when the payload is intact, -1 otherwise. */
int lab_payload_check(const void *buf, size_t len, uint32_t *seq);

/*
 * Batch-reads into ms until n messages arrived, in at most 10 calls, and
 * returns how many did. Each call waits at most the socket's receive
 * timeout (lab_recv_timeout()), and a failed call fails the test.
 */
int lab_read_batch(struct ipv4_packet_conn *c, struct ipv4_message *ms,
		   int n);

#endif
