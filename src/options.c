/* SPDX-License-Identifier: MIT */
/* Bounds-checked walk over IPv4 header options (RFC 791, section 3.1). */
#include <errno.h>

#include "internal.h"
#include "ipv4/options.h"

/* Types without a length byte: they are a single byte. */
static int ipv4__option_is_single(uint8_t type)
{
	return type == IPV4_OPT_EOL || type == IPV4_OPT_NOP;
}

int ipv4_option_ok(const uint8_t *opt, size_t rem)
{
	if (opt == NULL || rem == 0 || opt[0] == IPV4_OPT_EOL)
		return 0;
	if (opt[0] == IPV4_OPT_NOP)
		return 1;
	/* Linux's __ip_options_compile() rejects the same three cases. */
	if (rem < 2 || opt[1] < 2 || opt[1] > rem)
		return IPV4_ERR_OPTION_MALFORMED;
	return 1;
}

const uint8_t *ipv4_option_next(const uint8_t *opt, size_t *rem)
{
	size_t len;

	if (opt == NULL || rem == NULL)
		return NULL;
	len = ipv4_option_len(opt);
	*rem -= len;
	return opt + len;
}

/* The accessors give 0 or NULL for a NULL opt rather than crash. */
uint8_t ipv4_option_type(const uint8_t *opt)
{
	return opt != NULL ? opt[0] : IPV4_OPT_EOL;
}

size_t ipv4_option_len(const uint8_t *opt)
{
	if (opt == NULL)
		return 0;
	return ipv4__option_is_single(opt[0]) ? 1 : opt[1];
}

const uint8_t *ipv4_option_data(const uint8_t *opt)
{
	if (opt == NULL)
		return NULL;
	return opt + (ipv4__option_is_single(opt[0]) ? 1 : 2);
}

size_t ipv4_option_data_len(const uint8_t *opt)
{
	if (opt == NULL)
		return 0;
	return ipv4__option_is_single(opt[0]) ? 0 : (size_t)opt[1] - 2;
}

int ipv4_option_find(const void *buf, size_t len, uint8_t type,
		     const uint8_t **opt)
{
	const uint8_t *p;
	size_t rem;

	if ((buf == NULL && len > 0) || opt == NULL || type == IPV4_OPT_EOL)
		return -EINVAL;
	*opt = NULL;
	ipv4_option_for_each(p, rem, buf, len)
	{
		if (p[0] == type) {
			*opt = p;
			return 1;
		}
	}
	return ipv4_option_ok(p, rem);
}
