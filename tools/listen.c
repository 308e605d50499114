/* SPDX-License-Identifier: MIT */
/*
 * ipv4 listen GROUP:PORT: joins a multicast group and prints each datagram
 * with the control data the kernel attaches to it.
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "ipv4.h"

static const char listen_usage[] =
    "usage: ipv4 listen GROUP:PORT [--interface NAME] [--count N]\n"
    "                   [--timeout SECONDS]\n"
    "\n"
    "Joins the multicast GROUP, binds UDP port PORT on it and prints one\n"
    "line per datagram received: source address and port, destination\n"
    "address, receiving interface (name and index), TTL, length and the\n"
    "first bytes of data.\n"
    "\n"
    "Options:\n"
    "  --interface NAME   join on interface NAME (default: the one the\n"
    "                     routing table gives for GROUP)\n"
    "  --count N          stop after N datagrams\n"
    "  --timeout SECONDS  stop after SECONDS (fractions allowed)\n"
    "\n"
    "Prints \"listening on GROUP:PORT\" on stderr once it has joined.\n"
    "Exit status: 0 after N datagrams, or at the timeout when no --count\n"
    "was given; 1 when the timeout ends it before N datagrams arrived or a\n"
    "call fails; 2 for a bad argument.\n";

/* Bytes of data printed per datagram; longer data ends in "...". */
#define LISTEN_DATA_SHOWN 64

struct listen_config {
	struct sockaddr_in group;
	int ifindex;	 /* 0: the routing table chooses */
	long count;	 /* 0: no limit */
	int64_t timeout; /* ns, 0: none */
};

static int listen_parse(int argc, char **argv, struct listen_config *cfg,
			int *help)
{
	struct cli_option opts[] = {
	    {"interface", NULL},
	    {"count", NULL},
	    {"timeout", NULL},
	};
	struct cli_args args;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	r = cli_parse("listen", argc, argv, opts, 3, &args);
	if (r != CLI_OK || (*help = args.help))
		return r;
	r = cli_check_args("listen", &args, 1, 1,
			   "ipv4 listen GROUP:PORT [OPTIONS]");
	if (r == CLI_OK)
		r = cli_parse_group_port("listen", args.pos[0], &cfg->group);
	if (r == CLI_OK && opts[0].value)
		r = cli_parse_interface("listen", opts[0].value, &cfg->ifindex);
	if (r == CLI_OK && opts[1].value)
		r = cli_parse_long("listen", "count", opts[1].value, 1,
				   1000000000, &cfg->count);
	if (r == CLI_OK && opts[2].value)
		r = cli_parse_seconds("listen", "timeout", opts[2].value,
				      &cfg->timeout);
	return r;
}

/*
 * Opens the UDP socket bound to the group address, so that datagrams sent
 * to other groups or as unicast to the same port do not reach it, and joins
 * the group.
 */
static int listen_open(const struct listen_config *cfg,
		       struct ipv4_packet_conn *c)
{
	const unsigned flags = IPV4_CF_TTL | IPV4_CF_DST | IPV4_CF_INTERFACE;
	int on = 1;
	int fd;
	int r;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return cli_failure("listen", "socket", -errno);
	/* Several listeners may share the port, as mDNS responders do. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    bind(fd, (const struct sockaddr *)&cfg->group,
		 sizeof(cfg->group)) != 0) {
		r = -errno;
		close(fd);
		return cli_failure("listen", "bind", r);
	}
	r = ipv4_packet_conn_init(c, fd);
	if (r < 0) {
		close(fd);
		return cli_failure("listen", "packet conn", r);
	}
	r = ipv4_join_group(fd, cfg->ifindex,
			    (const struct sockaddr *)&cfg->group);
	if (r < 0) {
		ipv4_packet_conn_close(c);
		return cli_failure("listen", "join group", r);
	}
	r = ipv4_packet_conn_set_control_message(c, flags, 1);
	if (r < 0) {
		ipv4_packet_conn_close(c);
		return cli_failure("listen", "control messages", r);
	}
	return CLI_OK;
}

static void listen_print_data(const unsigned char *data, size_t len)
{
	size_t i;

	fputs(" data=\"", stdout);
	for (i = 0; i < len && i < LISTEN_DATA_SHOWN; i++) {
		if (data[i] == '"' || data[i] == '\\')
			printf("\\%c", data[i]);
		else if (isprint(data[i]))
			putchar(data[i]);
		else
			printf("\\x%02x", data[i]);
	}
	fputs(len > LISTEN_DATA_SHOWN ? "\"..." : "\"", stdout);
}

static void listen_print(const unsigned char *data, size_t len,
			 const struct ipv4_control_message *cm,
			 const struct sockaddr_in *src)
{
	char ifname[IF_NAMESIZE] = "?";
	char from[INET_ADDRSTRLEN];
	char to[INET_ADDRSTRLEN];

	if (cm->ifindex > 0 &&
	    if_indextoname((unsigned)cm->ifindex, ifname) == NULL)
		strcpy(ifname, "?");
	printf("src=%s:%u dst=%s interface=%s ifindex=%d ttl=%d len=%zu",
	       cli_ntop(src->sin_addr, from), ntohs(src->sin_port),
	       cli_ntop(cm->dst, to), ifname, cm->ifindex, cm->ttl, len);
	listen_print_data(data, len);
	putchar('\n');
	fflush(stdout);
}

/* Reads until the count or the deadline; returns the exit status. */
static int listen_loop(const struct listen_config *cfg,
		       struct ipv4_packet_conn *c)
{
	/* The largest UDP payload fits, so no datagram is truncated. */
	static unsigned char buf[65536];
	struct ipv4_control_message cm;
	struct sockaddr_in src;
	long received = 0;
	int r;

	if (cfg->timeout > 0)
		ipv4_packet_conn_set_read_deadline(c,
						   ipv4_now() + cfg->timeout);
	while (cfg->count == 0 || received < cfg->count) {
		r = ipv4_packet_conn_read_from(c, buf, sizeof(buf), &cm, &src);
		if (r == IPV4_ERR_TIMEOUT && cfg->count == 0)
			return CLI_OK;
		if (r == IPV4_ERR_TIMEOUT) {
			fprintf(stderr,
				"ipv4 listen: timed out after %ld of %ld "
				"datagrams: %s\n",
				received, cfg->count, ipv4_strerror(r));
			return CLI_FAILURE;
		}
		if (r < 0)
			return cli_failure("listen", "read", r);
		listen_print(buf, (size_t)r, &cm, &src);
		received++;
	}
	return CLI_OK;
}

int cli_listen(int argc, char **argv)
{
	struct listen_config cfg;
	struct ipv4_packet_conn c;
	char group[INET_ADDRSTRLEN];
	int help = 0;
	int r;

	r = listen_parse(argc, argv, &cfg, &help);
	if (r != CLI_OK)
		return r;
	if (help) {
		fputs(listen_usage, stdout);
		return CLI_OK;
	}
	r = listen_open(&cfg, &c);
	if (r != CLI_OK)
		return r;
	fprintf(stderr, "listening on %s:%u\n",
		cli_ntop(cfg.group.sin_addr, group), ntohs(cfg.group.sin_port));
	r = listen_loop(&cfg, &c);
	ipv4_packet_conn_close(&c);
	return r;
}
