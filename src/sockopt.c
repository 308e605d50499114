/* SPDX-License-Identifier: MIT */
/*
 * IP-level socket options. One table gives each option's level, name, kind
 * of argument and range. The setters hand their arguments to option_set(),
 * which checks them and builds the argument that the option's kind needs
 * before the one system call.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

enum option_kind {
	OPTION_INT,	     /* an int in [min, max] */
	OPTION_INTERFACE,    /* struct ip_mreqn carrying an ifindex */
	OPTION_GROUP,	     /* struct ip_mreqn carrying a group */
	OPTION_SOURCE_GROUP, /* struct group_source_req */
};

struct option {
	int level;
	int name;
	enum option_kind kind;
	int min;
	int max;
	/* -1 is also accepted: the kernel then restores its default. */
	int resets;
};

enum option_id {
	OPT_TOS,
	OPT_TTL,
	OPT_MULTICAST_TTL,
	OPT_MULTICAST_LOOP,
	OPT_MULTICAST_IF,
	OPT_JOIN_GROUP,
	OPT_LEAVE_GROUP,
	OPT_JOIN_SOURCE_GROUP,
	OPT_LEAVE_SOURCE_GROUP,
	OPT_BLOCK_SOURCE,
	OPT_UNBLOCK_SOURCE,
};

/*
 * Linux (net/ipv4/ip_sockglue.c, checked on 6.18 by tests/test_sockopt.c):
 * IP_TTL takes -1 for net.ipv4.ip_default_ttl, and IP_MULTICAST_TTL maps -1
 * to 1, its default, so both accept -1 here too. IP_TOS has no range check
 * in the kernel and keeps only the low byte, so 256 would silently become
 * 0, which the range here rejects. IP_MULTICAST_LOOP takes any int as a
 * boolean, but only 0 and 1 are accepted here, so that 2 is not taken as on.
 *
 * Any-source groups are joined with IP_ADD_MEMBERSHIP and a struct ip_mreqn,
 * which carries an interface index, rather than with MCAST_JOIN_GROUP: the
 * kernel rejects IP_ADD_MEMBERSHIP on a TCP socket with EPROTO but lets
 * MCAST_JOIN_GROUP succeed there. The source filters need the RFC 3678
 * MCAST_* options, because IP_ADD_SOURCE_MEMBERSHIP names the interface by
 * address, not by index. A filter acts on the same membership either way.
 */
/* clang-format off */
#define INT_OPTION(name, min, max, resets) \
	{IPPROTO_IP, (name), OPTION_INT, (min), (max), (resets)}
#define ADDRESS_OPTION(name, kind) {IPPROTO_IP, (name), (kind), 0, 0, 0}

static const struct option options[] = {
	[OPT_TOS] = INT_OPTION(IP_TOS, 0, 255, 0),
	[OPT_TTL] = INT_OPTION(IP_TTL, 1, 255, 1),
	[OPT_MULTICAST_TTL] = INT_OPTION(IP_MULTICAST_TTL, 0, 255, 1),
	[OPT_MULTICAST_LOOP] = INT_OPTION(IP_MULTICAST_LOOP, 0, 1, 0),
	[OPT_MULTICAST_IF] = ADDRESS_OPTION(IP_MULTICAST_IF, OPTION_INTERFACE),
	[OPT_JOIN_GROUP] = ADDRESS_OPTION(IP_ADD_MEMBERSHIP, OPTION_GROUP),
	[OPT_LEAVE_GROUP] = ADDRESS_OPTION(IP_DROP_MEMBERSHIP, OPTION_GROUP),
	[OPT_JOIN_SOURCE_GROUP] =
		ADDRESS_OPTION(MCAST_JOIN_SOURCE_GROUP, OPTION_SOURCE_GROUP),
	[OPT_LEAVE_SOURCE_GROUP] =
		ADDRESS_OPTION(MCAST_LEAVE_SOURCE_GROUP, OPTION_SOURCE_GROUP),
	[OPT_BLOCK_SOURCE] =
		ADDRESS_OPTION(MCAST_BLOCK_SOURCE, OPTION_SOURCE_GROUP),
	[OPT_UNBLOCK_SOURCE] =
		ADDRESS_OPTION(MCAST_UNBLOCK_SOURCE, OPTION_SOURCE_GROUP),
};
/* clang-format on */

static int option_get_int(int fd, enum option_id id)
{
	const struct option *opt = &options[id];
	int err;
	int value;

	if (fd < 0)
		return -EBADF;

	value = ipv4__sys_getsockopt_int(fd, opt->level, opt->name, &err);
	if (err < 0)
		return err;
	return value;
}

/* A setter's arguments: each kind of option reads its own fields. */
struct option_args {
	int value;
	int ifindex;
	const struct sockaddr *group;
	const struct sockaddr *source;
};

/* The argument of setsockopt(), in the layout of the option's kind. */
union option_value {
	int value;
	struct ip_mreqn mreqn;
	struct group_source_req req;
};

static int group_address(const struct sockaddr *group, struct in_addr *out)
{
	int err = ipv4__sockaddr_in(group, out);

	if (err < 0)
		return err;
	if (!ipv4__is_multicast(*out))
		return IPV4_ERR_NOT_MULTICAST;
	return 0;
}

/*
 * Returns whether a can be the source of a datagram: not 0.0.0.0, not a
 * group and not the limited broadcast address (RFC 1122 section 3.2.1.3).
 */
static int source_is_unicast(struct in_addr a)
{
	uint32_t host = ntohl(a.s_addr);

	return host != INADDR_ANY && host != INADDR_BROADCAST &&
	       !ipv4__is_multicast(a);
}

static int source_address(const struct sockaddr *source, struct in_addr *out)
{
	int err = ipv4__sockaddr_in(source, out);

	if (err < 0)
		return err;
	if (!source_is_unicast(*out))
		return -EINVAL;
	return 0;
}

static void sockaddr_storage_in(struct sockaddr_storage *ss,
				struct in_addr addr)
{
	struct sockaddr_in sin;

	memset(ss, 0, sizeof(*ss));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = addr;
	memcpy(ss, &sin, sizeof(sin));
}

static int build_int(const struct option *opt, const struct option_args *args,
		     union option_value *out)
{
	if (opt->resets && args->value == -1) {
		out->value = -1;
		return sizeof(out->value);
	}
	if (args->value < opt->min || args->value > opt->max)
		return -EINVAL;

	out->value = args->value;
	return sizeof(out->value);
}

/*
 * The kernel reads IP_MULTICAST_IF as a struct ip_mreqn, a struct ip_mreq or
 * a bare struct in_addr, chosen by the option length. Only struct ip_mreqn
 * carries an interface index, so it is always the one sent. An index of 0
 * with address 0.0.0.0 clears the choice.
 */
static int build_interface(const struct option_args *args,
			   union option_value *out)
{
	if (args->ifindex < 0)
		return -EINVAL;

	memset(&out->mreqn, 0, sizeof(out->mreqn));
	out->mreqn.imr_ifindex = args->ifindex;
	return sizeof(out->mreqn);
}

static int build_group(const struct option_args *args, union option_value *out)
{
	struct in_addr group;
	int err;

	if (args->ifindex < 0)
		return -EINVAL;
	err = group_address(args->group, &group);
	if (err < 0)
		return err;

	memset(&out->mreqn, 0, sizeof(out->mreqn));
	out->mreqn.imr_multiaddr = group;
	out->mreqn.imr_ifindex = args->ifindex;
	return sizeof(out->mreqn);
}

/*
 * The kernel takes the source-filter options only at exactly
 * sizeof(struct group_source_req) bytes. Any other length is EINVAL.
 */
static int build_source_group(const struct option_args *args,
			      union option_value *out)
{
	struct in_addr group;
	struct in_addr source;
	int err;

	if (args->ifindex < 0)
		return -EINVAL;
	err = group_address(args->group, &group);
	if (err < 0)
		return err;
	err = source_address(args->source, &source);
	if (err < 0)
		return err;

	memset(&out->req, 0, sizeof(out->req));
	out->req.gsr_interface = (uint32_t)args->ifindex;
	sockaddr_storage_in(&out->req.gsr_group, group);
	sockaddr_storage_in(&out->req.gsr_source, source);
	return sizeof(out->req);
}

/* Checks args and builds *out for opt. Returns its length or a code. */
static int build_value(const struct option *opt, const struct option_args *args,
		       union option_value *out)
{
	switch (opt->kind) {
	case OPTION_INT:
		return build_int(opt, args, out);
	case OPTION_INTERFACE:
		return build_interface(args, out);
	case OPTION_GROUP:
		return build_group(args, out);
	case OPTION_SOURCE_GROUP:
		return build_source_group(args, out);
	}
	return -EINVAL;
}

static int option_set(int fd, enum option_id id, const struct option_args *args)
{
	const struct option *opt = &options[id];
	union option_value value;
	int len;

	if (fd < 0)
		return -EBADF;
	len = build_value(opt, args, &value);
	if (len < 0)
		return len;

	return ipv4__sys_setsockopt(fd, opt->level, opt->name, &value,
				    (socklen_t)len);
}

static int option_set_int(int fd, enum option_id id, int value)
{
	const struct option_args args = {.value = value};

	return option_set(fd, id, &args);
}

static int option_set_group(int fd, enum option_id id, int ifindex,
			    const struct sockaddr *group)
{
	const struct option_args args = {.ifindex = ifindex, .group = group};

	return option_set(fd, id, &args);
}

static int option_set_source_group(int fd, enum option_id id, int ifindex,
				   const struct sockaddr *group,
				   const struct sockaddr *source)
{
	const struct option_args args = {
	    .ifindex = ifindex, .group = group, .source = source};

	return option_set(fd, id, &args);
}

int ipv4_tos(int fd)
{
	return option_get_int(fd, OPT_TOS);
}

int ipv4_set_tos(int fd, int tos)
{
	return option_set_int(fd, OPT_TOS, tos);
}

int ipv4_ttl(int fd)
{
	return option_get_int(fd, OPT_TTL);
}

int ipv4_set_ttl(int fd, int ttl)
{
	return option_set_int(fd, OPT_TTL, ttl);
}

int ipv4_multicast_ttl(int fd)
{
	return option_get_int(fd, OPT_MULTICAST_TTL);
}

int ipv4_set_multicast_ttl(int fd, int ttl)
{
	return option_set_int(fd, OPT_MULTICAST_TTL, ttl);
}

int ipv4_multicast_loopback(int fd)
{
	return option_get_int(fd, OPT_MULTICAST_LOOP);
}

int ipv4_set_multicast_loopback(int fd, int on)
{
	return option_set_int(fd, OPT_MULTICAST_LOOP, on);
}

int ipv4_set_multicast_interface(int fd, int ifindex)
{
	const struct option_args args = {.ifindex = ifindex};

	return option_set(fd, OPT_MULTICAST_IF, &args);
}

int ipv4_join_group(int fd, int ifindex, const struct sockaddr *group)
{
	return option_set_group(fd, OPT_JOIN_GROUP, ifindex, group);
}

int ipv4_leave_group(int fd, int ifindex, const struct sockaddr *group)
{
	return option_set_group(fd, OPT_LEAVE_GROUP, ifindex, group);
}

int ipv4_join_source_group(int fd, int ifindex, const struct sockaddr *group,
			   const struct sockaddr *source)
{
	return option_set_source_group(fd, OPT_JOIN_SOURCE_GROUP, ifindex,
				       group, source);
}

int ipv4_leave_source_group(int fd, int ifindex, const struct sockaddr *group,
			    const struct sockaddr *source)
{
	return option_set_source_group(fd, OPT_LEAVE_SOURCE_GROUP, ifindex,
				       group, source);
}

int ipv4_exclude_source(int fd, int ifindex, const struct sockaddr *group,
			const struct sockaddr *source)
{
	return option_set_source_group(fd, OPT_BLOCK_SOURCE, ifindex, group,
				       source);
}

int ipv4_include_source(int fd, int ifindex, const struct sockaddr *group,
			const struct sockaddr *source)
{
	return option_set_source_group(fd, OPT_UNBLOCK_SOURCE, ifindex, group,
				       source);
}
