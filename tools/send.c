/* SPDX-License-Identifier: MIT */
/* ipv4 send GROUP:PORT TEXT: sends TEXT as a UDP datagram to a group. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "ipv4.h"

static const char send_usage[] =
    "usage: ipv4 send GROUP:PORT TEXT [--interface NAME] [--ttl N]\n"
    "                 [--tos N] [--loopback on|off] [--count N]\n"
    "\n"
    "Sends TEXT as one UDP datagram to the multicast GROUP on PORT and\n"
    "prints a line for each datagram sent.\n"
    "\n"
    "Options:\n"
    "  --interface NAME   send on interface NAME (default: the one the\n"
    "                     routing table gives for GROUP)\n"
    "  --ttl N            multicast TTL, 0 to 255 (default 1: the link)\n"
    "  --tos N            type of service byte, 0 to 255 or 0x00 to 0xff\n"
    "                     (default 0)\n"
    "  --loopback on|off  deliver a copy to listeners on this host\n"
    "                     (default on)\n"
    "  --count N          send N datagrams (default 1)\n";

struct send_config {
	struct sockaddr_in group;
	const char *text;
	int ifindex; /* 0: the routing table chooses */
	long ttl;    /* -1: the kernel's default */
	long tos;    /* -1: the kernel's default */
	int loopback;
	long count;
};

static int send_parse_options(struct cli_option *opts, struct send_config *cfg)
{
	int r = CLI_OK;

	if (opts[0].value)
		r = cli_parse_interface("send", opts[0].value, &cfg->ifindex);
	if (r == CLI_OK && opts[1].value)
		r = cli_parse_long("send", "ttl", opts[1].value, 0, 255,
				   &cfg->ttl);
	if (r == CLI_OK && opts[2].value)
		r = cli_parse_long("send", "tos", opts[2].value, 0, 255,
				   &cfg->tos);
	if (r == CLI_OK && opts[3].value)
		r = cli_parse_on_off("send", "loopback", opts[3].value,
				     &cfg->loopback);
	if (r == CLI_OK && opts[4].value)
		r = cli_parse_long("send", "count", opts[4].value, 1, 1000000,
				   &cfg->count);
	return r;
}

static int send_parse(int argc, char **argv, struct send_config *cfg, int *help)
{
	struct cli_option opts[] = {
	    {"interface", NULL}, {"ttl", NULL},	  {"tos", NULL},
	    {"loopback", NULL},	 {"count", NULL},
	};
	struct cli_args args;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	cfg->ttl = -1;
	cfg->tos = -1;
	cfg->loopback = 1;
	cfg->count = 1;
	r = cli_parse("send", argc, argv, opts, 5, &args);
	if (r != CLI_OK || (*help = args.help))
		return r;
	r = cli_check_args("send", &args, 2, 2,
			   "ipv4 send GROUP:PORT TEXT [OPTIONS]");
	if (r != CLI_OK)
		return r;
	r = cli_parse_group_port("send", args.pos[0], &cfg->group);
	if (r != CLI_OK)
		return r;
	cfg->text = args.pos[1];
	return send_parse_options(opts, cfg);
}

static int send_set_options(const struct send_config *cfg,
			    struct ipv4_packet_conn *c)
{
	int r;

	r = ipv4_packet_conn_set_multicast_interface(c, cfg->ifindex);
	if (r < 0)
		return cli_failure("send", "set multicast interface", r);
	if (cfg->ttl >= 0) {
		r = ipv4_set_multicast_ttl(c->fd, (int)cfg->ttl);
		if (r < 0)
			return cli_failure("send", "set multicast TTL", r);
	}
	if (cfg->tos >= 0) {
		r = ipv4_set_tos(c->fd, (int)cfg->tos);
		if (r < 0)
			return cli_failure("send", "set TOS", r);
	}
	r = ipv4_set_multicast_loopback(c->fd, cfg->loopback);
	if (r < 0)
		return cli_failure("send", "set multicast loopback", r);
	return CLI_OK;
}

static int send_open(const struct send_config *cfg, struct ipv4_packet_conn *c)
{
	int fd;
	int r;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return cli_failure("send", "socket", -errno);
	r = ipv4_packet_conn_init(c, fd);
	if (r < 0) {
		close(fd);
		return cli_failure("send", "packet conn", r);
	}
	r = send_set_options(cfg, c);
	if (r != CLI_OK)
		ipv4_packet_conn_close(c);
	return r;
}

static int send_all(const struct send_config *cfg, struct ipv4_packet_conn *c)
{
	size_t len = strlen(cfg->text);
	char group[INET_ADDRSTRLEN];
	char ifname[IF_NAMESIZE] = "default";
	long i;
	int r;

	if (cfg->ifindex > 0)
		if_indextoname((unsigned)cfg->ifindex, ifname);
	cli_ntop(cfg->group.sin_addr, group);
	for (i = 0; i < cfg->count; i++) {
		r = ipv4_packet_conn_write_to(c, cfg->text, len, NULL,
					      &cfg->group);
		if (r < 0)
			return cli_failure("send", "write", r);
		printf("sent len=%d to %s:%u interface=%s ttl=%d tos=0x%x\n", r,
		       group, ntohs(cfg->group.sin_port), ifname,
		       ipv4_multicast_ttl(c->fd), ipv4_tos(c->fd));
		fflush(stdout);
	}
	return CLI_OK;
}

int cli_send(int argc, char **argv)
{
	struct send_config cfg;
	struct ipv4_packet_conn c;
	int help = 0;
	int r;

	r = send_parse(argc, argv, &cfg, &help);
	if (r != CLI_OK)
		return r;
	if (help) {
		fputs(send_usage, stdout);
		return CLI_OK;
	}
	r = send_open(&cfg, &c);
	if (r != CLI_OK)
		return r;
	r = send_all(&cfg, &c);
	ipv4_packet_conn_close(&c);
	return r;
}
