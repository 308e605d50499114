/* SPDX-License-Identifier: MIT */
/*
 * Bodies of the fuzz targets. Each fuzz/fuzz_*.c wraps one of them in
 * LLVMFuzzerTestOneInput(), and tests/test_corpus.c runs every file of
 * fuzz/corpus/<target>/ through the same function, so the seeds and every
 * saved crash input stay regression tests without libFuzzer.
 *
 * A target returns 0 and calls abort() when a property fails, which both
 * libFuzzer and the test report as a crash.
 */
#ifndef IPV4_FUZZ_TARGETS_H
#define IPV4_FUZZ_TARGETS_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipv4.h"

#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: fuzz check failed: %s\n",      \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

static inline int fuzz_is_header_error(int err)
{
	return err == IPV4_ERR_HEADER_TOO_SHORT ||
	       err == IPV4_ERR_HEADER_LENGTH ||
	       err == IPV4_ERR_HEADER_TRUNCATED || err == IPV4_ERR_VERSION;
}

/* Checks the fields that parse derives from the header length. */
static inline void fuzz_check_parsed(const struct ipv4_header *h, int hl,
				     size_t size)
{
	FUZZ_CHECK(hl >= IPV4_HEADER_LEN && hl <= IPV4_HEADER_MAX_LEN);
	FUZZ_CHECK((size_t)hl <= size);
	FUZZ_CHECK(hl % 4 == 0);
	FUZZ_CHECK(h->version == IPV4_VERSION);
	FUZZ_CHECK(h->header_len == hl);
	FUZZ_CHECK(h->options_len == hl - IPV4_HEADER_LEN);
	FUZZ_CHECK(h->flags <= 7 && h->frag_off <= 0x1fff);
}

/*
 * Walk of any option bytes: every option lies inside them, each step
 * advances, the walk ends cleanly or on a malformed option, and
 * ipv4_option_find() agrees with it.
 */
static inline int fuzz_options_walk(const uint8_t *data, size_t size)
{
	const uint8_t *opt, *found, *first_of[256] = {0};
	size_t rem, used = 0;
	int end, r, type, absent;

	ipv4_option_for_each(opt, rem, data, size)
	{
		FUZZ_CHECK(opt == data + used);
		FUZZ_CHECK(ipv4_option_len(opt) >= 1);
		FUZZ_CHECK(ipv4_option_len(opt) <= rem);
		FUZZ_CHECK(ipv4_option_data(opt) + ipv4_option_data_len(opt) ==
			   opt + ipv4_option_len(opt));
		if (first_of[opt[0]] == NULL)
			first_of[opt[0]] = opt;
		used += ipv4_option_len(opt);
		FUZZ_CHECK(used + rem - ipv4_option_len(opt) == size);
	}
	end = ipv4_option_ok(opt, rem);
	FUZZ_CHECK(end == 0 || end == IPV4_ERR_OPTION_MALFORMED);
	/* Each type found once, and the first type never found. */
	for (type = 1, absent = 0; type < 256; type++) {
		if (first_of[type] == NULL) {
			if (absent == 0)
				absent = type;
			continue;
		}
		r = ipv4_option_find(data, size, (uint8_t)type, &found);
		FUZZ_CHECK(r == 1 && found == first_of[type]);
	}
	if (absent != 0) {
		r = ipv4_option_find(data, size, (uint8_t)absent, &found);
		FUZZ_CHECK(r == end && found == NULL);
	}
	return 0;
}

/* Parse, format and checksum of any bytes: no crash, consistent results. */
static inline int fuzz_header_parse(const uint8_t *data, size_t size)
{
	struct ipv4_header h;
	char line[IPV4_HEADER_STRLEN];
	int hl, valid;

	hl = ipv4_header_parse(&h, data, size);
	valid = ipv4_header_checksum_valid(data, size);
	if (hl < 0) {
		FUZZ_CHECK(fuzz_is_header_error(hl));
		FUZZ_CHECK(valid == hl);
		return 0;
	}
	fuzz_check_parsed(&h, hl, size);
	FUZZ_CHECK(valid == (ipv4_checksum(data, (size_t)hl) == 0));
	FUZZ_CHECK(ipv4_header_format(&h, line, sizeof(line)) > 0);
	fuzz_options_walk(h.options, h.options_len);
	return 0;
}

/*
 * Whatever parses marshals back to the same header bytes. Parse accepts only
 * version 4 and takes the header length from the IHL field, and marshal
 * writes version 4 and the IHL from options_len, so the two bytes that
 * marshal derives instead of copying match too. The one exception is a
 * destination of 0.0.0.0, which marshal rejects.
 */
static inline int fuzz_header_roundtrip(const uint8_t *data, size_t size)
{
	struct ipv4_header h, again;
	uint8_t out[IPV4_HEADER_MAX_LEN];
	int hl, n;

	hl = ipv4_header_parse(&h, data, size);
	if (hl < 0)
		return 0;
	fuzz_check_parsed(&h, hl, size);
	n = ipv4_header_marshal(&h, out, sizeof(out));
	if (h.dst.s_addr == 0) {
		FUZZ_CHECK(n == IPV4_ERR_MISSING_ADDRESS);
		return 0;
	}
	FUZZ_CHECK(n == hl);
	FUZZ_CHECK(memcmp(out, data, (size_t)hl) == 0);
	FUZZ_CHECK(ipv4_header_marshal(&h, out, (size_t)hl - 1) ==
		   IPV4_ERR_NO_SPACE);

	FUZZ_CHECK(ipv4_header_parse(&again, out, (size_t)n) == hl);
	FUZZ_CHECK(again.tos == h.tos && again.total_len == h.total_len);
	FUZZ_CHECK(again.id == h.id && again.flags == h.flags);
	FUZZ_CHECK(again.frag_off == h.frag_off && again.ttl == h.ttl);
	FUZZ_CHECK(again.protocol == h.protocol);
	FUZZ_CHECK(again.checksum == h.checksum);
	FUZZ_CHECK(again.src.s_addr == h.src.s_addr);
	FUZZ_CHECK(again.dst.s_addr == h.dst.s_addr);
	FUZZ_CHECK(memcmp(again.options, h.options, sizeof(h.options)) == 0);
	return 0;
}

static inline void fuzz_control_parse_at(const uint8_t *data, size_t size)
{
	struct ipv4_control_message cm;
	char line[IPV4_CONTROL_STRLEN];
	int err;

	err = ipv4_control_parse(&cm, data, size);
	FUZZ_CHECK(err == 0 || err == IPV4_ERR_CMSG_MALFORMED);
	FUZZ_CHECK(ipv4_control_format(&cm, line, sizeof(line)) > 0);
}

/* Parse of any ancillary bytes, at the given address and one byte on. */
static inline int fuzz_control_parse(const uint8_t *data, size_t size)
{
	fuzz_control_parse_at(data, size);
	if (size > 0)
		fuzz_control_parse_at(data + 1, size - 1);
	return 0;
}

static inline int fuzz_read_int(const uint8_t **p, size_t *size)
{
	int v = 0;

	if (*size >= sizeof(v)) {
		memcpy(&v, *p, sizeof(v));
		*p += sizeof(v);
		*size -= sizeof(v);
	}
	return v;
}

/*
 * An arbitrary message (ttl, src, dst, ifindex, segment size as host-order
 * ints, then a byte of buffer capacity) marshals or gets the right error,
 * and parsing what marshal wrote gives back the fields it sends.
 */
static inline int fuzz_control_roundtrip(const uint8_t *data, size_t size)
{
	struct ipv4_control_message cm, got;
	uint8_t buf[IPV4_CONTROL_MARSHAL_MAX];
	size_t cap = sizeof(buf);
	int n;

	cm.ttl = fuzz_read_int(&data, &size);
	cm.src.s_addr = (uint32_t)fuzz_read_int(&data, &size);
	cm.dst.s_addr = (uint32_t)fuzz_read_int(&data, &size);
	cm.ifindex = fuzz_read_int(&data, &size);
	cm.segment_size = fuzz_read_int(&data, &size);
	if (size > 0)
		cap = data[0] % (sizeof(buf) + 1);

	n = ipv4_control_marshal(&cm, buf, cap);
	if (cm.ifindex < 0 || cm.segment_size < 0) {
		FUZZ_CHECK(n == -EINVAL);
		return 0;
	}
	if (cm.segment_size > 65535) {
		FUZZ_CHECK(n == IPV4_ERR_SEGMENT_SIZE);
		return 0;
	}
	if (n == IPV4_ERR_NO_SPACE) {
		FUZZ_CHECK(cap < sizeof(buf));
		return 0;
	}
	FUZZ_CHECK(n >= 0 && (size_t)n <= cap);
	FUZZ_CHECK(ipv4_control_parse(&got, buf, (size_t)n) == 0);
	FUZZ_CHECK(got.src.s_addr == cm.src.s_addr);
	FUZZ_CHECK(got.ifindex == cm.ifindex);
	FUZZ_CHECK(got.segment_size == cm.segment_size);
	FUZZ_CHECK(got.ttl == 0 && got.dst.s_addr == 0);
	return 0;
}

#endif
