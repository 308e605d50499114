/* SPDX-License-Identifier: MIT */
/* IPv4 header codec (RFC 791) and the Internet checksum (RFC 1071). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define IPV4_FRAG_OFF_MASK 0x1fffu /* low 13 bits of the flags/offset word */
#define IPV4_FLAGS_SHIFT 13
#define IPV4_FLAGS_MASK 0x7u /* reserved, DF, MF */

static uint16_t ipv4__get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void ipv4__put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Checks the fixed fields that tell whether buf starts with a header, and
 * returns the header length in bytes or an error. The version is checked
 * before the length field, so that an IPv6 packet (whose low nibble is part
 * of its traffic class) reports the wrong version, not a bad length.
 */
static int ipv4__header_len(const uint8_t *b, size_t len)
{
	int hdrlen;

	if (len < IPV4_HEADER_LEN)
		return IPV4_ERR_HEADER_TOO_SHORT;
	if (b[0] >> 4 != IPV4_VERSION)
		return IPV4_ERR_VERSION;
	hdrlen = (b[0] & 0x0f) * 4;
	if (hdrlen < IPV4_HEADER_LEN)
		return IPV4_ERR_HEADER_LENGTH;
	if ((size_t)hdrlen > len)
		return IPV4_ERR_HEADER_TRUNCATED;
	return hdrlen;
}

int ipv4_header_parse(struct ipv4_header *h, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	unsigned word;
	int hdrlen;

	if (h == NULL)
		return -EINVAL;
	memset(h, 0, sizeof(*h));
	if (buf == NULL)
		return -EINVAL;
	hdrlen = ipv4__header_len(b, len);
	if (hdrlen < 0)
		return hdrlen;

	h->version = b[0] >> 4;
	h->header_len = (uint8_t)hdrlen;
	h->tos = b[1];
	h->total_len = ipv4__get16(b + 2);
	h->id = ipv4__get16(b + 4);
	word = ipv4__get16(b + 6);
	h->flags = (uint8_t)(word >> IPV4_FLAGS_SHIFT);
	h->frag_off = (uint16_t)(word & IPV4_FRAG_OFF_MASK);
	h->ttl = b[8];
	h->protocol = b[9];
	h->checksum = ipv4__get16(b + 10);
	memcpy(&h->src, b + 12, 4);
	memcpy(&h->dst, b + 16, 4);
	h->options_len = (uint8_t)(hdrlen - IPV4_HEADER_LEN);
	memcpy(h->options, b + IPV4_HEADER_LEN, h->options_len);
	return hdrlen;
}

/* Returns 0 when h can be written as it is, or the reason it cannot. */
static int ipv4__header_check(const struct ipv4_header *h)
{
	if (h->options_len % 4 != 0 || h->options_len > IPV4_OPTIONS_MAX_LEN)
		return IPV4_ERR_OPTIONS_LENGTH;
	if (h->dst.s_addr == htonl(INADDR_ANY))
		return IPV4_ERR_MISSING_ADDRESS;
	/* Masking these would send a different header than the caller's. */
	if (h->flags > IPV4_FLAGS_MASK || h->frag_off > IPV4_FRAG_OFF_MASK)
		return -EINVAL;
	return 0;
}

int ipv4_header_marshal(const struct ipv4_header *h, void *buf, size_t cap)
{
	uint8_t *b = buf;
	size_t hdrlen;
	int err;

	if (h == NULL || (buf == NULL && cap > 0))
		return -EINVAL;
	err = ipv4__header_check(h);
	if (err < 0)
		return err;
	hdrlen = IPV4_HEADER_LEN + (size_t)h->options_len;
	if (cap < hdrlen)
		return IPV4_ERR_NO_SPACE;

	b[0] = (uint8_t)(IPV4_VERSION << 4 | hdrlen / 4);
	b[1] = h->tos;
	ipv4__put16(b + 2, h->total_len);
	ipv4__put16(b + 4, h->id);
	ipv4__put16(b + 6,
		    (unsigned)h->flags << IPV4_FLAGS_SHIFT | h->frag_off);
	b[8] = h->ttl;
	b[9] = h->protocol;
	ipv4__put16(b + 10, h->checksum);
	memcpy(b + 12, &h->src, 4);
	memcpy(b + 16, &h->dst, 4);
	memcpy(b + IPV4_HEADER_LEN, h->options, h->options_len);
	return (int)hdrlen;
}

/* Writes a as a dotted quad into out, which fits "255.255.255.255". */
static void ipv4__format_addr(char out[16], struct in_addr a)
{
	const uint8_t *q = (const uint8_t *)&a.s_addr;

	(void)snprintf(out, 16, "%u.%u.%u.%u", q[0], q[1], q[2], q[3]);
}

int ipv4_header_format(const struct ipv4_header *h, char *buf, size_t cap)
{
	char src[16], dst[16];
	int n;

	if (h == NULL || buf == NULL)
		return -EINVAL;
	if (cap == 0)
		return IPV4_ERR_NO_SPACE;
	ipv4__format_addr(src, h->src);
	ipv4__format_addr(dst, h->dst);
	/* "0x%x" rather than "%#x": Go prints 0 as "0x0", C as "0". */
	n = snprintf(buf, cap,
		     "ver=%u hdrlen=%u tos=0x%x totallen=%u id=0x%x flags=0x%x "
		     "fragoff=0x%x ttl=%u proto=%u cksum=0x%x src=%s dst=%s",
		     h->version, h->header_len, h->tos, h->total_len, h->id,
		     h->flags, h->frag_off, h->ttl, h->protocol, h->checksum,
		     src, dst);
	if (n < 0 || (size_t)n >= cap)
		return IPV4_ERR_NO_SPACE;
	return n;
}

uint16_t ipv4_checksum(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint64_t sum = 0;
	size_t i;

	/* A NULL buffer sums as an empty one instead of being dereferenced. */
	if (b == NULL)
		len = 0;
	/*
	 * A 64-bit sum of 16-bit words cannot overflow below 2^48 words, far
	 * beyond any IPv4 datagram, so the carries are folded only at the end.
	 */
	for (i = 0; i + 1 < len; i += 2)
		sum += ipv4__get16(b + i);
	if (len % 2 != 0)
		sum += (uint32_t)b[len - 1] << 8; /* pad with a zero byte */
	while (sum >> 16 != 0)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int ipv4_header_checksum_valid(const void *buf, size_t len)
{
	int hdrlen;

	if (buf == NULL)
		return -EINVAL;
	hdrlen = ipv4__header_len(buf, len);
	if (hdrlen < 0)
		return hdrlen;
	return ipv4_checksum(buf, (size_t)hdrlen) == 0;
}
