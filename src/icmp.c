/* SPDX-License-Identifier: MIT */
/* ICMP type names (IANA registry) and the raw-socket ICMP_FILTER option. */
#include <errno.h>

#include "internal.h"

/* <netinet/in.h> (from internal.h) must come first for musl. */
#include <linux/icmp.h>

#define IPV4_ICMP_FILTER_TYPES 32 /* bits of struct icmp_filter */

const char *ipv4_icmp_type_name(int type)
{
	switch (type) {
	case IPV4_ICMP_ECHO_REPLY:
		return "echo reply";
	case IPV4_ICMP_DEST_UNREACHABLE:
		return "destination unreachable";
	case IPV4_ICMP_REDIRECT:
		return "redirect";
	case IPV4_ICMP_ECHO:
		return "echo";
	case IPV4_ICMP_ROUTER_ADVERTISEMENT:
		return "router advertisement";
	case IPV4_ICMP_ROUTER_SOLICITATION:
		return "router solicitation";
	case IPV4_ICMP_TIME_EXCEEDED:
		return "time exceeded";
	case IPV4_ICMP_PARAMETER_PROBLEM:
		return "parameter problem";
	case IPV4_ICMP_TIMESTAMP:
		return "timestamp";
	case IPV4_ICMP_TIMESTAMP_REPLY:
		return "timestamp reply";
	case IPV4_ICMP_PHOTURIS:
		return "photuris";
	case IPV4_ICMP_EXTENDED_ECHO_REQUEST:
		return "extended echo request";
	case IPV4_ICMP_EXTENDED_ECHO_REPLY:
		return "extended echo reply";
	}
	return "unknown";
}

/* Returns 0 for a type the Linux filter covers, or the reason it does not. */
static int ipv4__icmp_filter_check(const struct ipv4_icmp_filter *f, int type)
{
	if (f == NULL || type < 0)
		return -EINVAL;
	if (type >= IPV4_ICMP_FILTER_TYPES)
		return IPV4_ERR_ICMP_TYPE_RANGE;
	return 0;
}

int ipv4_icmp_filter_accept(struct ipv4_icmp_filter *f, int type)
{
	int err = ipv4__icmp_filter_check(f, type);

	if (err < 0)
		return err;
	f->blocked &= ~(UINT32_C(1) << type);
	return 0;
}

int ipv4_icmp_filter_block(struct ipv4_icmp_filter *f, int type)
{
	int err = ipv4__icmp_filter_check(f, type);

	if (err < 0)
		return err;
	f->blocked |= UINT32_C(1) << type;
	return 0;
}

void ipv4_icmp_filter_set_all(struct ipv4_icmp_filter *f, int block)
{
	if (f != NULL)
		f->blocked = block ? UINT32_MAX : 0;
}

int ipv4_icmp_filter_will_block(const struct ipv4_icmp_filter *f, int type)
{
	int err = ipv4__icmp_filter_check(f, type);

	if (err < 0)
		return err;
	return (f->blocked & UINT32_C(1) << type) != 0;
}

int ipv4_icmp_filter_get(int fd, struct ipv4_icmp_filter *f)
{
	struct icmp_filter kf = {0};
	socklen_t len = sizeof(kf);
	int err;

	if (f == NULL)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	err = ipv4__sys_getsockopt(fd, SOL_RAW, ICMP_FILTER, &kf, &len);
	if (err < 0)
		return err;
	f->blocked = kf.data;
	return 0;
}

int ipv4_icmp_filter_set(int fd, const struct ipv4_icmp_filter *f)
{
	struct icmp_filter kf;

	if (f == NULL)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	kf.data = f->blocked;
	return ipv4__sys_setsockopt(fd, SOL_RAW, ICMP_FILTER, &kf, sizeof(kf));
}
