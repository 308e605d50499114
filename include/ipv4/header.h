/* SPDX-License-Identifier: MIT */
/*
 * IPv4 header codec (RFC 791) and the Internet checksum (RFC 1071).
 *
 * The wire format is the one Linux raw sockets use in both directions: every
 * multi-byte field in network byte order.
 */
#ifndef IPV4_HEADER_H
#define IPV4_HEADER_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IPV4_VERSION 4
#define IPV4_HEADER_LEN 20      /* header length without options */
#define IPV4_HEADER_MAX_LEN 60  /* 15 words, the largest the field allows */
#define IPV4_OPTIONS_MAX_LEN 40 /* IPV4_HEADER_MAX_LEN - IPV4_HEADER_LEN */

/* Header flags, as in bits 0x4000 and 0x2000 of the flags/offset word. */
enum ipv4_header_flags {
	IPV4_HF_MF = 0x1, /* more fragments */
	IPV4_HF_DF = 0x2, /* don't fragment */
};

struct ipv4_header {
	uint8_t version;    /* 4 */
	uint8_t header_len; /* bytes, options included: 20 to 60 */
	uint8_t tos;
	uint16_t total_len; /* bytes, header and payload */
	uint16_t id;
	uint8_t flags;     /* IPV4_HF_*, and 0x4 for the reserved bit */
	uint16_t frag_off; /* in 8-byte units: 0 to 8191 */
	uint8_t ttl;
	uint8_t protocol;
	uint16_t checksum;
	struct in_addr src;
	struct in_addr dst;
	uint8_t options_len; /* bytes used in options[] */
	uint8_t options[IPV4_OPTIONS_MAX_LEN];
};

/* Largest output of ipv4_header_format(), the terminating NUL included. */
#define IPV4_HEADER_STRLEN 160

/*
 * Parses the header at the start of buf into *h, overwriting every field.
 * Returns the header length in bytes (the payload starts there), or
 * IPV4_ERR_HEADER_TOO_SHORT, IPV4_ERR_HEADER_LENGTH, IPV4_ERR_HEADER_TRUNCATED
 * or IPV4_ERR_VERSION, or -EINVAL for a NULL argument. On failure *h is
 * left zeroed.
 */
IPV4_EXPORT int ipv4_header_parse(struct ipv4_header *h, const void *buf,
				  size_t len);

/*
 * Writes h to buf in wire format, with the header length field taken from
 * h->options_len (h->header_len and h->version are not read) and the checksum
 * field copied from h->checksum. Returns the bytes written, or
 * IPV4_ERR_OPTIONS_LENGTH, IPV4_ERR_MISSING_ADDRESS (h->dst is 0.0.0.0),
 * -EINVAL (flags over 0x7 or frag_off over 8191, which do not fit their
 * bits) or IPV4_ERR_NO_SPACE.
 */
IPV4_EXPORT int ipv4_header_marshal(const struct ipv4_header *h, void *buf,
				    size_t cap);

/*
 * Formats h as one line: "ver=4 hdrlen=20 tos=0x1 totallen=48879 id=0xcafe
 * flags=0x2 fragoff=0x5dc ttl=255 proto=1 cksum=0xdead src=172.16.254.254
 * dst=192.168.0.1". Returns the length written without the NUL, or
 * IPV4_ERR_NO_SPACE (buf then contains the truncated, terminated line).
 */
IPV4_EXPORT int ipv4_header_format(const struct ipv4_header *h, char *buf,
				   size_t cap);

/*
 * Returns the Internet checksum of len bytes, in host byte order: store it
 * with htons(). An odd last byte is padded with a zero byte. Over a header
 * whose checksum field is correct the result is 0.
 */
IPV4_EXPORT uint16_t ipv4_checksum(const void *buf, size_t len);

/*
 * Returns 1 if the header at buf, whose header length field is read from
 * buf, carries a valid checksum, 0 if not, or a parse error code.
 */
IPV4_EXPORT int ipv4_header_checksum_valid(const void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
