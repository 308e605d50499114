/* SPDX-License-Identifier: MIT */
/*
 * IP-level socket options on a caller's file descriptor.
 *
 * Getters return the value (non-negative) or a negative code; setters return
 * 0 or a negative code. Arguments are checked before any system call: a
 * negative fd is -EBADF, a value out of range is -EINVAL, a NULL address is
 * IPV4_ERR_MISSING_ADDRESS, a sockaddr whose family is not AF_INET is
 * IPV4_ERR_NOT_IPV4 and a group outside 224.0.0.0/4 is IPV4_ERR_NOT_MULTICAST.
 * Address arguments point to a struct sockaddr_in.
 */
#ifndef IPV4_SOCKOPT_H
#define IPV4_SOCKOPT_H

#include <sys/socket.h>
#include <netinet/in.h>

#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Any IPv4 socket: type of service (0-255) and unicast TTL (1-255, or -1 to
 * restore the kernel's default, net.ipv4.ip_default_ttl). On TCP the kernel
 * keeps the two ECN bits of the TOS byte as they are.
 */
IPV4_EXPORT int ipv4_tos(int fd);
IPV4_EXPORT int ipv4_set_tos(int fd, int tos);
IPV4_EXPORT int ipv4_ttl(int fd);
IPV4_EXPORT int ipv4_set_ttl(int fd, int ttl);

/*
 * Datagram and raw sockets: the interface multicast datagrams leave by.
 * ifindex 0 lets the routing table choose. There is no fd-level getter,
 * because Linux's getsockopt(IP_MULTICAST_IF) returns only an address; use
 * ipv4_packet_conn_multicast_interface(), which remembers what was set.
 */
IPV4_EXPORT int ipv4_set_multicast_interface(int fd, int ifindex);

/*
 * Multicast TTL (0-255, or -1 for the default of 1) and loopback of the
 * socket's own datagrams (0 or 1; other values are -EINVAL). On a TCP socket
 * the kernel rejects setting the multicast TTL with -EINVAL.
 */
IPV4_EXPORT int ipv4_multicast_ttl(int fd);
IPV4_EXPORT int ipv4_set_multicast_ttl(int fd, int ttl);
IPV4_EXPORT int ipv4_multicast_loopback(int fd);
IPV4_EXPORT int ipv4_set_multicast_loopback(int fd, int on);

/*
 * Any-source multicast (RFC 1112), with IP_ADD_MEMBERSHIP and
 * IP_DROP_MEMBERSHIP. ifindex 0 lets the routing table choose the interface
 * (-ENODEV when no route covers the group). Joining twice is -EADDRINUSE,
 * leaving a group never joined is -EADDRNOTAVAIL and joining on a TCP socket
 * is -EPROTO, as the kernel reports them.
 */
IPV4_EXPORT int ipv4_join_group(int fd, int ifindex,
				const struct sockaddr *group);
IPV4_EXPORT int ipv4_leave_group(int fd, int ifindex,
				 const struct sockaddr *group);

/*
 * Source-specific multicast (RFC 4607, IGMPv3). Join and leave put the group
 * in include mode with one more or one less source. Exclude and include
 * act on a group joined with ipv4_join_group() (exclude mode), blocking a
 * source or allowing it again. A source of 0.0.0.0, 255.255.255.255 or in
 * 224.0.0.0/4 is -EINVAL, before any system call. The kernel returns -EINVAL
 * for a filter on a group in the other mode or not joined. NOTE: Linux 6.18
 * accepts these on a TCP socket, where ipv4_join_group() gets -EPROTO.
 */
IPV4_EXPORT int ipv4_join_source_group(int fd, int ifindex,
				       const struct sockaddr *group,
				       const struct sockaddr *source);
IPV4_EXPORT int ipv4_leave_source_group(int fd, int ifindex,
					const struct sockaddr *group,
					const struct sockaddr *source);
IPV4_EXPORT int ipv4_exclude_source(int fd, int ifindex,
				    const struct sockaddr *group,
				    const struct sockaddr *source);
IPV4_EXPORT int ipv4_include_source(int fd, int ifindex,
				    const struct sockaddr *group,
				    const struct sockaddr *source);

#ifdef __cplusplus
}
#endif

#endif
