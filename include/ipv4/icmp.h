/* SPDX-License-Identifier: MIT */
/* ICMP message types (IANA registry) and the Linux raw-socket ICMP filter. */
#ifndef IPV4_ICMP_H
#define IPV4_ICMP_H

#include <stdint.h>

#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IPV4_ICMP_PROTOCOL 1 /* IP protocol number of ICMP */

enum ipv4_icmp_type {
	IPV4_ICMP_ECHO_REPLY = 0,
	IPV4_ICMP_DEST_UNREACHABLE = 3,
	IPV4_ICMP_REDIRECT = 5,
	IPV4_ICMP_ECHO = 8,
	IPV4_ICMP_ROUTER_ADVERTISEMENT = 9,
	IPV4_ICMP_ROUTER_SOLICITATION = 10,
	IPV4_ICMP_TIME_EXCEEDED = 11,
	IPV4_ICMP_PARAMETER_PROBLEM = 12,
	IPV4_ICMP_TIMESTAMP = 13,
	IPV4_ICMP_TIMESTAMP_REPLY = 14,
	IPV4_ICMP_PHOTURIS = 40,
	IPV4_ICMP_EXTENDED_ECHO_REQUEST = 42,
	IPV4_ICMP_EXTENDED_ECHO_REPLY = 43,
};

/*
 * Returns the registry name of type ("echo", "time exceeded", ...), or
 * "unknown" for a type the registry does not name or outside 0-255.
 */
IPV4_EXPORT const char *ipv4_icmp_type_name(int type);

/*
 * The Linux ICMP_FILTER bitmap: bit n set blocks type n. Linux filters only
 * types 0-31, so the functions below reject a type of 32 or more with
 * IPV4_ERR_ICMP_TYPE_RANGE (and negative types with -EINVAL) instead of
 * aliasing it onto a lower type.
 */
struct ipv4_icmp_filter {
	uint32_t blocked;
};

/* Clear or set the bit of type. Return 0, or a range error. */
IPV4_EXPORT int ipv4_icmp_filter_accept(struct ipv4_icmp_filter *f, int type);
IPV4_EXPORT int ipv4_icmp_filter_block(struct ipv4_icmp_filter *f, int type);
/* Blocks every type when block is non-zero, accepts every type otherwise. */
IPV4_EXPORT void ipv4_icmp_filter_set_all(struct ipv4_icmp_filter *f,
					  int block);
/* Returns 1 if type is blocked, 0 if accepted, or a range error. */
IPV4_EXPORT int ipv4_icmp_filter_will_block(const struct ipv4_icmp_filter *f,
					    int type);

/*
 * Read and set the filter of a raw IPPROTO_ICMP socket. Types 32 and above
 * always pass the kernel's filter. Return 0, -EINVAL for a NULL f, -EBADF
 * for a negative fd, or the kernel's error. On an AF_INET socket that is not
 * raw, Linux returns -ENOPROTOOPT to set and -EOPNOTSUPP to get, and on an
 * AF_INET raw socket of another protocol -EOPNOTSUPP to both. Other families
 * give their own codes: -EOPNOTSUPP on AF_UNIX, -ENOPROTOOPT on AF_INET6.
 */
IPV4_EXPORT int ipv4_icmp_filter_get(int fd, struct ipv4_icmp_filter *f);
IPV4_EXPORT int ipv4_icmp_filter_set(int fd, const struct ipv4_icmp_filter *f);

#ifdef __cplusplus
}
#endif

#endif
