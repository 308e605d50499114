/* SPDX-License-Identifier: MIT */
/*
 * Per-packet control messages: the ancillary data of recvmsg and sendmsg
 * at level IPPROTO_IP (IP_TTL, IP_PKTINFO) and, for segmentation offload,
 * at level IPPROTO_UDP (UDP_GRO on receive, UDP_SEGMENT on send).
 */
#ifndef IPV4_CONTROL_H
#define IPV4_CONTROL_H

#include <stddef.h>
#include <netinet/in.h>

#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for the control messages the kernel attaches to received datagrams. */
enum ipv4_control_flags {
	IPV4_CF_TTL = 1u << 0,	     /* IP_RECVTTL: received TTL */
	IPV4_CF_SRC = 1u << 1,	     /* IP_PKTINFO: source address */
	IPV4_CF_DST = 1u << 2,	     /* IP_PKTINFO: destination address */
	IPV4_CF_INTERFACE = 1u << 3, /* IP_PKTINFO: receiving interface */
	IPV4_CF_ALL = 0xfu,
};

struct ipv4_control_message {
	/*
	 * Received: the datagram's TTL. Not sent by ipv4_control_marshal(),
	 * because the outgoing TTL is a socket option (ipv4_set_ttl()).
	 */
	int ttl;
	/*
	 * Received: the local address the datagram was routed to (the
	 * in_pktinfo ipi_spec_dst). Sent: the source address to use.
	 */
	struct in_addr src;
	/* Received: the destination address in the IPv4 header. */
	struct in_addr dst;
	/* Received: the arrival interface. Sent: the outgoing interface. */
	int ifindex;
	/*
	 * Received with UDP_GRO on: the size of each coalesced segment, or 0.
	 * Sent: the UDP_SEGMENT size that splits the payload, or 0 for none.
	 */
	int segment_size;
};

/* Largest output of ipv4_control_format(), the terminating NUL included. */
#define IPV4_CONTROL_STRLEN 96

/* Ancillary space that ipv4_control_marshal() needs at most. */
#define IPV4_CONTROL_MARSHAL_MAX 64

/*
 * Ancillary space that any set of flags needs on receive, UDP_GRO included:
 * CMSG_SPACE(4) for IP_TTL, CMSG_SPACE(12) for IP_PKTINFO and CMSG_SPACE(4)
 * for UDP_GRO, or 24 + 32 + 24 bytes with the 64-bit cmsg header.
 */
#define IPV4_CONTROL_RECV_MAX 80

/*
 * Returns the ancillary-buffer bytes (CMSG_SPACE sums) needed to receive the
 * control messages that flags ask for, or -EINVAL for an unknown flag bit.
 * SRC, DST and INTERFACE share one IP_PKTINFO message.
 */
IPV4_EXPORT int ipv4_control_size(unsigned flags);

/*
 * Writes the control messages that cm requests: IP_PKTINFO when cm->src is not
 * 0.0.0.0 or cm->ifindex > 0, UDP_SEGMENT when cm->segment_size > 0. Returns
 * the bytes written (0 when there is nothing to send), -EINVAL for a
 * negative ifindex or segment size, IPV4_ERR_SEGMENT_SIZE for a segment
 * size over 65535, or IPV4_ERR_NO_SPACE. cm->ttl and cm->dst are not read.
 * buf needs no alignment.
 */
IPV4_EXPORT int ipv4_control_marshal(const struct ipv4_control_message *cm,
				     void *buf, size_t cap);

/*
 * Fills cm from received ancillary data, zeroing it first. IP_TTL, IP_PKTINFO
 * and UDP_GRO are read, and UDP_SEGMENT too, so that parsing the output of
 * ipv4_control_marshal() gives its fields back. Other levels and types are
 * skipped. buf needs no alignment, and the padding after the last message
 * may be missing. Returns 0, or IPV4_ERR_CMSG_MALFORMED for a header that
 * does not fit, a length that is too small for its header or its type, or
 * one that runs past the end of buf (cm then keeps what came before it).
 */
IPV4_EXPORT int ipv4_control_parse(struct ipv4_control_message *cm,
				   const void *buf, size_t len);

/*
 * Formats cm as "ttl=64 src=10.0.0.1 dst=224.0.0.251 ifindex=2", followed by
 * " segsize=N" when cm->segment_size is not 0. An unset address prints as
 * 0.0.0.0 where Go prints <nil>. Returns the length without the NUL, or
 * IPV4_ERR_NO_SPACE (buf then contains the truncated, terminated line).
 */
IPV4_EXPORT int ipv4_control_format(const struct ipv4_control_message *cm,
				    char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
