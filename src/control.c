/* SPDX-License-Identifier: MIT */
/*
 * Control messages: sizes, marshal and a bounds-checked parser.
 *
 * The parser walks received ancillary data with its own cmsg _ok/_next pair
 * instead of CMSG_FIRSTHDR and CMSG_NXTHDR. CMSG_FIRSTHDR does not check the
 * first cmsg_len against msg_controllen. glibc before 2.37 (commit 9c443ac4,
 * backported by some distributions) advances CMSG_NXTHDR's pointer by the
 * unchecked cmsg_len before comparing it with the end, which can wrap.
 * Every header and payload is copied out with memcpy, because a cmsg's data
 * need not be aligned for its type.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/udp.h>

#include "internal.h"

/* Older libc headers lack these; the values are those of <linux/udp.h>. */
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

#define IPV4_CF_PKTINFO (IPV4_CF_SRC | IPV4_CF_DST | IPV4_CF_INTERFACE)
#define IPV4_SEGMENT_SIZE_MAX 65535 /* UDP_SEGMENT carries a uint16_t */

/* Bytes from the start of a cmsg to its data, alignment included. */
#define IPV4_CMSG_HDRLEN ((size_t)CMSG_LEN(0))
#define IPV4_CMSG_ALIGN sizeof(size_t)

_Static_assert(CMSG_SPACE(sizeof(struct in_pktinfo)) +
		       CMSG_SPACE(sizeof(uint16_t)) <=
		   IPV4_CONTROL_MARSHAL_MAX,
	       "IPV4_CONTROL_MARSHAL_MAX is too small");
_Static_assert(CMSG_SPACE(sizeof(int)) * 2 +
		       CMSG_SPACE(sizeof(struct in_pktinfo)) <=
		   IPV4_CONTROL_RECV_MAX,
	       "IPV4_CONTROL_RECV_MAX is too small");

int ipv4_control_size(unsigned flags)
{
	int size = 0;

	if ((flags & ~(unsigned)IPV4_CF_ALL) != 0)
		return -EINVAL;
	if (flags & IPV4_CF_TTL)
		size += (int)CMSG_SPACE(sizeof(int));
	if (flags & IPV4_CF_PKTINFO)
		size += (int)CMSG_SPACE(sizeof(struct in_pktinfo));
	return size;
}

static int ipv4__control_needs_pktinfo(const struct ipv4_control_message *cm)
{
	return cm->src.s_addr != htonl(INADDR_ANY) || cm->ifindex > 0;
}

/*
 * Writes one message at p, which has CMSG_SPACE(len) bytes, padding zeroed.
 * Each caller passes a constant len, so the stores have fixed sizes: one
 * memset() of the whole buffer would be a "rep stos" that costs more than
 * the marshal itself.
 */
static size_t ipv4__cmsg_put(uint8_t *p, int level, int type, const void *data,
			     size_t len)
{
	struct cmsghdr hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.cmsg_len = CMSG_LEN(len);
	hdr.cmsg_level = level;
	hdr.cmsg_type = type;
	memcpy(p, &hdr, sizeof(hdr));
	memcpy(p + IPV4_CMSG_HDRLEN, data, len);
	memset(p + CMSG_LEN(len), 0, CMSG_SPACE(len) - CMSG_LEN(len));
	return CMSG_SPACE(len);
}

int ipv4_control_marshal(const struct ipv4_control_message *cm, void *buf,
			 size_t cap)
{
	struct in_pktinfo pi;
	uint16_t segment;
	uint8_t *p = buf;
	size_t need = 0;

	if (cm == NULL || (buf == NULL && cap > 0))
		return -EINVAL;
	if (cm->ifindex < 0 || cm->segment_size < 0)
		return -EINVAL;
	if (cm->segment_size > IPV4_SEGMENT_SIZE_MAX)
		return IPV4_ERR_SEGMENT_SIZE;
	if (ipv4__control_needs_pktinfo(cm))
		need += CMSG_SPACE(sizeof(pi));
	if (cm->segment_size > 0)
		need += CMSG_SPACE(sizeof(segment));
	if (cap < need)
		return IPV4_ERR_NO_SPACE;

	if (ipv4__control_needs_pktinfo(cm)) {
		/*
		 * Zero the in_pktinfo in place, then store its two fields: a
		 * struct built on the stack and copied out as a whole is read
		 * back before its field stores retire (a store-forwarding
		 * stall that doubled the cost of this function).
		 */
		memset(&pi, 0, sizeof(pi));
		p += ipv4__cmsg_put(p, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
		memcpy(p - CMSG_SPACE(sizeof(pi)) + IPV4_CMSG_HDRLEN +
			       offsetof(struct in_pktinfo, ipi_ifindex),
		       &cm->ifindex, sizeof(pi.ipi_ifindex));
		memcpy(p - CMSG_SPACE(sizeof(pi)) + IPV4_CMSG_HDRLEN +
			       offsetof(struct in_pktinfo, ipi_spec_dst),
		       &cm->src, sizeof(pi.ipi_spec_dst));
	}
	if (cm->segment_size > 0) {
		segment = (uint16_t)cm->segment_size;
		ipv4__cmsg_put(p, SOL_UDP, UDP_SEGMENT, &segment,
			       sizeof(segment));
	}
	return (int)need;
}

/*
 * Returns 1 when the len bytes at p start with a whole cmsg header whose
 * cmsg_len covers the header and stays within len, and copies the header to
 * *hdr. Returns 0 otherwise, without reading past p + len.
 */
static int ipv4__cmsg_ok(const uint8_t *p, size_t len, struct cmsghdr *hdr)
{
	if (len < sizeof(*hdr))
		return 0;
	memcpy(hdr, p, sizeof(*hdr));
	return hdr->cmsg_len >= IPV4_CMSG_HDRLEN && hdr->cmsg_len <= len;
}

/*
 * Returns the bytes from the message at p (checked by ipv4__cmsg_ok()) to
 * the next one, or len when it is the last. The padding of the last message
 * may be missing, as the kernel's put_cmsg() leaves it when the buffer ends.
 */
static size_t ipv4__cmsg_next(const struct cmsghdr *hdr, size_t len)
{
	size_t used = hdr->cmsg_len;
	size_t pad =
	    (IPV4_CMSG_ALIGN - used % IPV4_CMSG_ALIGN) % IPV4_CMSG_ALIGN;

	if (pad >= len - used)
		return len;
	return used + pad;
}

/* Copies the cmsg data into out, which needs exactly size bytes or more. */
static int ipv4__cmsg_copy(void *out, size_t size, const uint8_t *data,
			   size_t len)
{
	if (len < size)
		return IPV4_ERR_CMSG_MALFORMED;
	memcpy(out, data, size);
	return 0;
}

static int ipv4__control_read_ip(struct ipv4_control_message *cm, int type,
				 const uint8_t *data, size_t len)
{
	struct in_pktinfo pi;
	int err;

	switch (type) {
	case IP_TTL:
		return ipv4__cmsg_copy(&cm->ttl, sizeof(cm->ttl), data, len);
	case IP_PKTINFO:
		err = ipv4__cmsg_copy(&pi, sizeof(pi), data, len);
		if (err < 0)
			return err;
		cm->dst = pi.ipi_addr;
		cm->src = pi.ipi_spec_dst;
		cm->ifindex = pi.ipi_ifindex;
		return 0;
	}
	return 0;
}

static int ipv4__control_read_udp(struct ipv4_control_message *cm, int type,
				  const uint8_t *data, size_t len)
{
	uint16_t segment;
	int err;

	switch (type) {
	case UDP_GRO:
		return ipv4__cmsg_copy(&cm->segment_size,
				       sizeof(cm->segment_size), data, len);
	case UDP_SEGMENT:
		err = ipv4__cmsg_copy(&segment, sizeof(segment), data, len);
		if (err < 0)
			return err;
		cm->segment_size = segment;
		return 0;
	}
	return 0;
}

/* Reads one message whose header ipv4__cmsg_ok() has checked. */
static int ipv4__control_read(struct ipv4_control_message *cm,
			      const struct cmsghdr *hdr, const uint8_t *data)
{
	size_t len = hdr->cmsg_len - IPV4_CMSG_HDRLEN;

	if (hdr->cmsg_level == IPPROTO_IP)
		return ipv4__control_read_ip(cm, hdr->cmsg_type, data, len);
	if (hdr->cmsg_level == SOL_UDP)
		return ipv4__control_read_udp(cm, hdr->cmsg_type, data, len);
	return 0;
}

int ipv4_control_parse(struct ipv4_control_message *cm, const void *buf,
		       size_t len)
{
	const uint8_t *p = buf;
	struct cmsghdr hdr;
	size_t step;
	int err;

	if (cm == NULL)
		return -EINVAL;
	memset(cm, 0, sizeof(*cm));
	if (buf == NULL && len > 0)
		return -EINVAL;

	while (len > 0) {
		if (!ipv4__cmsg_ok(p, len, &hdr))
			return IPV4_ERR_CMSG_MALFORMED;
		err = ipv4__control_read(cm, &hdr, p + IPV4_CMSG_HDRLEN);
		if (err < 0)
			return err;
		step = ipv4__cmsg_next(&hdr, len);
		p += step;
		len -= step;
	}
	return 0;
}

int ipv4_control_format(const struct ipv4_control_message *cm, char *buf,
			size_t cap)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	int n;

	if (cm == NULL || buf == NULL)
		return -EINVAL;
	if (cap == 0)
		return IPV4_ERR_NO_SPACE;
	inet_ntop(AF_INET, &cm->src, src, sizeof(src));
	inet_ntop(AF_INET, &cm->dst, dst, sizeof(dst));
	if (cm->segment_size != 0)
		n = snprintf(buf, cap,
			     "ttl=%d src=%s dst=%s ifindex=%d "
			     "segsize=%d",
			     cm->ttl, src, dst, cm->ifindex, cm->segment_size);
	else
		n = snprintf(buf, cap, "ttl=%d src=%s dst=%s ifindex=%d",
			     cm->ttl, src, dst, cm->ifindex);
	if (n < 0 || (size_t)n >= cap)
		return IPV4_ERR_NO_SPACE;
	return n;
}
