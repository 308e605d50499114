/* SPDX-License-Identifier: MIT */
/*
 * A bounds-checked walk over IPv4 header options (RFC 791), such as the
 * options[] of a parsed struct ipv4_header. Each option is one type byte,
 * then, except for End of Options List and No Operation, a length byte that
 * counts the whole option and its data.
 *
 *	const uint8_t *opt;
 *	size_t rem;
 *
 *	ipv4_option_for_each(opt, rem, h.options, h.options_len)
 *		use(ipv4_option_type(opt), ipv4_option_data(opt),
 *		    ipv4_option_data_len(opt));
 *	if (ipv4_option_ok(opt, rem) < 0)
 *		the options are malformed;
 */
#ifndef IPV4_OPTIONS_H
#define IPV4_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Option types (IANA "IP Option Numbers"): copied flag, class, number. */
enum ipv4_option_type {
	IPV4_OPT_EOL = 0,	     /* end of options list */
	IPV4_OPT_NOP = 1,	     /* no operation */
	IPV4_OPT_RR = 7,	     /* record route */
	IPV4_OPT_TIMESTAMP = 68,     /* internet timestamp */
	IPV4_OPT_SECURITY = 130,     /* RFC 1108 security */
	IPV4_OPT_LSRR = 131,	     /* loose source and record route */
	IPV4_OPT_SSRR = 137,	     /* strict source and record route */
	IPV4_OPT_ROUTER_ALERT = 148, /* RFC 2113 */
};

/* Non-zero when routers copy the option into every fragment. */
#define IPV4_OPT_COPIED(type) (((type)&0x80) != 0)
#define IPV4_OPT_CLASS(type) (((type) >> 5) & 0x3)
#define IPV4_OPT_NUMBER(type) ((type)&0x1f)

/*
 * Checks the option at opt, with rem bytes left in the options. Returns 1
 * when a whole option starts there, and 0 at the end of the list: no bytes
 * left, or End of Options List, after which only padding follows. Returns
 * IPV4_ERR_OPTION_MALFORMED when the length byte is missing, under 2, or
 * runs past rem. Reads only opt[0] and opt[1], and those only within rem.
 */
IPV4_EXPORT int ipv4_option_ok(const uint8_t *opt, size_t rem);

/*
 * Returns the option after opt and takes its length from *rem. Call it only
 * after ipv4_option_ok() returned 1 for opt and *rem.
 */
IPV4_EXPORT const uint8_t *ipv4_option_next(const uint8_t *opt, size_t *rem);

/*
 * Accessors of an option that ipv4_option_ok() accepted. A NULL opt gives 0,
 * or NULL from ipv4_option_data() and ipv4_option_next().
 */
IPV4_EXPORT uint8_t ipv4_option_type(const uint8_t *opt);
/* Returns the whole option's length: 1 for No Operation. */
IPV4_EXPORT size_t ipv4_option_len(const uint8_t *opt);
/* Returns the data after the type and length bytes. */
IPV4_EXPORT const uint8_t *ipv4_option_data(const uint8_t *opt);
IPV4_EXPORT size_t ipv4_option_data_len(const uint8_t *opt);

/*
 * Finds the first option of type in the len bytes at buf and stores it in
 * *opt. Returns 1 when found, 0 when not, or IPV4_ERR_OPTION_MALFORMED when
 * the walk meets a malformed option first, or -EINVAL for a NULL argument
 * or a type of IPV4_OPT_EOL, which ends the walk instead of being found.
 */
IPV4_EXPORT int ipv4_option_find(const void *buf, size_t len, uint8_t type,
				 const uint8_t **opt);

/* Visits each option of the len bytes at buf; see the example above. */
#define ipv4_option_for_each(opt, rem, buf, len)                               \
	for ((opt) = (const uint8_t *)(buf), (rem) = (len);                    \
	     ipv4_option_ok((opt), (rem)) > 0;                                 \
	     (opt) = ipv4_option_next((opt), &(rem)))

#ifdef __cplusplus
}
#endif

#endif
