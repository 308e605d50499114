/* SPDX-License-Identifier: MIT */
/*
 * ipv4 trace HOST: traces the route to HOST with ICMP echo requests of TTL
 * 1, 2, ..., matching each time-exceeded message or echo reply to its probe
 * by the echo ID and sequence number it quotes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ipv4.h"
#include "cli.h"

static const char trace_usage[] =
    "usage: ipv4 trace HOST [--max-hops N] [--probes N] [--wait SECONDS]\n"
    "\n"
    "Sends ICMP echo requests to HOST, a dotted quad (names are not\n"
    "resolved), with TTL 1, 2, ... and prints per hop the address that\n"
    "answered and the round-trip time of each probe, or * when none came\n"
    "within the wait. Stops at the hop where HOST replies. Needs a raw\n"
    "ICMP socket: run as root or with CAP_NET_RAW.\n"
    "\n"
    "Options:\n"
    "  --max-hops N      largest TTL tried, 1 to 255 (default 30)\n"
    "  --probes N        probes per hop, 1 to 10 (default 3)\n"
    "  --wait SECONDS    wait for each reply (default 2, fractions allowed)\n"
    "\n"
    "Exit status: 0 when HOST replied, 1 when it did not within the hops\n"
    "or a call failed, 2 for a bad argument.\n";

#define TRACE_ECHO_LEN 16 /* ICMP echo header and 8 bytes of data */
#define TRACE_TYPE_NONE (-1)

struct trace_config {
	struct sockaddr_in host;
	long max_hops;
	long probes;
	int64_t wait; /* ns */
	uint16_t id;
};

/* The reply to one probe. */
struct trace_reply {
	int type; /* ICMP type, or TRACE_TYPE_NONE when the wait ran out */
	int code;
	struct in_addr from;
	int64_t rtt; /* ns */
};

static int trace_parse(int argc, char **argv, struct trace_config *cfg,
		       int *help)
{
	struct cli_option opts[] = {
	    {"max-hops", NULL},
	    {"probes", NULL},
	    {"wait", NULL},
	};
	struct cli_args args;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	cfg->host.sin_family = AF_INET;
	cfg->max_hops = 30;
	cfg->probes = 3;
	cfg->wait = 2000000000;
	r = cli_parse("trace", argc, argv, opts, 3, &args);
	if (r != CLI_OK || (*help = args.help))
		return r;
	r = cli_check_args("trace", &args, 1, 1, "ipv4 trace HOST [OPTIONS]");
	if (r == CLI_OK)
		r = cli_parse_address("trace", args.pos[0],
				      &cfg->host.sin_addr);
	if (r == CLI_OK && opts[0].value)
		r = cli_parse_long("trace", "max-hops", opts[0].value, 1, 255,
				   &cfg->max_hops);
	if (r == CLI_OK && opts[1].value)
		r = cli_parse_long("trace", "probes", opts[1].value, 1, 10,
				   &cfg->probes);
	if (r == CLI_OK && opts[2].value)
		r = cli_parse_seconds("trace", "wait", opts[2].value,
				      &cfg->wait);
	return r;
}

/* Lets through only the ICMP types a trace waits for. */
static int trace_set_filter(int fd)
{
	struct ipv4_icmp_filter f;

	ipv4_icmp_filter_set_all(&f, 1);
	ipv4_icmp_filter_accept(&f, IPV4_ICMP_ECHO_REPLY);
	ipv4_icmp_filter_accept(&f, IPV4_ICMP_TIME_EXCEEDED);
	ipv4_icmp_filter_accept(&f, IPV4_ICMP_DEST_UNREACHABLE);
	return ipv4_icmp_filter_set(fd, &f);
}

static int trace_open(struct ipv4_packet_conn *c)
{
	int fd;
	int r;

	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0 && (errno == EPERM || errno == EACCES)) {
		fputs("ipv4 trace: opening a raw ICMP socket was not permitted:"
		      " run as root or with CAP_NET_RAW\n",
		      stderr);
		return CLI_FAILURE;
	}
	if (fd < 0)
		return cli_failure("trace", "raw ICMP socket", -errno);
	r = ipv4_packet_conn_init(c, fd);
	if (r < 0) {
		close(fd);
		return cli_failure("trace", "packet conn", r);
	}
	r = trace_set_filter(fd);
	if (r >= 0)
		r = ipv4_packet_conn_set_control_message(c, IPV4_CF_ALL, 1);
	if (r < 0) {
		ipv4_packet_conn_close(c);
		return cli_failure("trace", "socket setup", r);
	}
	return CLI_OK;
}

static uint16_t trace_get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int trace_send(const struct trace_config *cfg,
		      struct ipv4_packet_conn *c, int ttl, uint16_t seq)
{
	static const char data[8] = "libipv4!"; /* 8 bytes, no NUL */
	unsigned char msg[TRACE_ECHO_LEN] = {IPV4_ICMP_ECHO, 0};
	uint16_t sum;
	int r;

	msg[4] = (unsigned char)(cfg->id >> 8);
	msg[5] = (unsigned char)cfg->id;
	msg[6] = (unsigned char)(seq >> 8);
	msg[7] = (unsigned char)seq;
	memcpy(msg + 8, data, sizeof(data));
	sum = ipv4_checksum(msg, sizeof(msg));
	msg[2] = (unsigned char)(sum >> 8);
	msg[3] = (unsigned char)sum;

	r = ipv4_set_ttl(c->fd, ttl);
	if (r < 0)
		return cli_failure("trace", "set TTL", r);
	r = ipv4_packet_conn_write_to(c, msg, sizeof(msg), NULL, &cfg->host);
	if (r < 0)
		return cli_failure("trace", "write", r);
	return CLI_OK;
}

/*
 * Returns 1 if the ICMP message msg of len bytes is the reply to, or an
 * error quoting, the echo request with the config's ID and sequence seq.
 * Errors quote the IPv4 header of the probe and its first 8 bytes.
 */
static int trace_matches(const struct trace_config *cfg,
			 const unsigned char *msg, size_t len, uint16_t seq)
{
	const unsigned char *echo = msg;
	struct ipv4_header inner;
	int hlen;

	if (len < 8)
		return 0;
	if (msg[0] == IPV4_ICMP_TIME_EXCEEDED ||
	    msg[0] == IPV4_ICMP_DEST_UNREACHABLE) {
		hlen = ipv4_header_parse(&inner, msg + 8, len - 8);
		if (hlen < 0 || inner.protocol != IPV4_ICMP_PROTOCOL ||
		    len - 8 < (size_t)hlen + 8 ||
		    inner.dst.s_addr != cfg->host.sin_addr.s_addr)
			return 0;
		echo = msg + 8 + hlen;
		if (echo[0] != IPV4_ICMP_ECHO)
			return 0;
	} else if (msg[0] != IPV4_ICMP_ECHO_REPLY) {
		return 0;
	}
	return trace_get16(echo + 4) == cfg->id && trace_get16(echo + 6) == seq;
}

/* Waits for the reply to probe seq, sent at time sent. */
static int trace_wait(const struct trace_config *cfg,
		      struct ipv4_packet_conn *c, uint16_t seq, int64_t sent,
		      struct trace_reply *reply)
{
	unsigned char buf[1500];
	struct ipv4_control_message cm;
	struct sockaddr_in from;
	int r;

	reply->type = TRACE_TYPE_NONE;
	ipv4_packet_conn_set_read_deadline(c, sent + cfg->wait);
	for (;;) {
		r = ipv4_packet_conn_read_from(c, buf, sizeof(buf), &cm, &from);
		if (r == IPV4_ERR_TIMEOUT)
			return CLI_OK;
		/* A reply longer than buf still quotes the probe up front. */
		if (r == IPV4_ERR_TRUNCATED)
			r = (int)sizeof(buf);
		if (r < 0)
			return cli_failure("trace", "read", r);
		if (trace_matches(cfg, buf, (size_t)r, seq))
			break;
	}
	reply->rtt = ipv4_now() - sent;
	reply->type = buf[0];
	reply->code = buf[1];
	reply->from = from.sin_addr;
	return CLI_OK;
}

/* Prints the marks of traceroute(8) for the common unreachable codes. */
static void trace_print_unreachable(int code)
{
	switch (code) {
	case 0:
		fputs(" !N", stdout); /* network unreachable */
		break;
	case 1:
		fputs(" !H", stdout); /* host unreachable */
		break;
	case 2:
		fputs(" !P", stdout); /* protocol unreachable */
		break;
	case 13:
		fputs(" !X", stdout); /* administratively prohibited */
		break;
	default:
		printf(" !<%d>", code);
		break;
	}
}

/* Prints one probe's result; *last is the address printed last on the line. */
static void trace_print_reply(const struct trace_reply *reply,
			      struct in_addr *last)
{
	char addr[INET_ADDRSTRLEN];

	if (reply->type == TRACE_TYPE_NONE) {
		fputs("  *", stdout);
		return;
	}
	if (reply->from.s_addr != last->s_addr)
		printf("  %s", cli_ntop(reply->from, addr));
	*last = reply->from;
	printf("  %.3f ms", (double)reply->rtt / 1e6);
	if (reply->type == IPV4_ICMP_DEST_UNREACHABLE)
		trace_print_unreachable(reply->code);
}

/*
 * Probes one hop. Sets *reached when HOST replied and *unreachable when a
 * router reported HOST unreachable.
 */
static int trace_hop(const struct trace_config *cfg, struct ipv4_packet_conn *c,
		     int ttl, int *reached, int *unreachable)
{
	struct in_addr last = {0};
	struct trace_reply reply;
	long probe;
	int r;

	printf("%2d", ttl);
	for (probe = 0; probe < cfg->probes; probe++) {
		uint16_t seq = (uint16_t)((ttl - 1) * cfg->probes + probe + 1);
		int64_t sent = ipv4_now();

		r = trace_send(cfg, c, ttl, seq);
		if (r == CLI_OK)
			r = trace_wait(cfg, c, seq, sent, &reply);
		if (r != CLI_OK)
			return r;
		trace_print_reply(&reply, &last);
		fflush(stdout);
		if (reply.type == IPV4_ICMP_ECHO_REPLY)
			*reached = 1;
		if (reply.type == IPV4_ICMP_DEST_UNREACHABLE)
			*unreachable = 1;
	}
	putchar('\n');
	return CLI_OK;
}

static int trace_run(const struct trace_config *cfg, struct ipv4_packet_conn *c)
{
	char host[INET_ADDRSTRLEN];
	int reached = 0;
	int unreachable = 0;
	int ttl;
	int r;

	cli_ntop(cfg->host.sin_addr, host);
	printf("trace to %s, %ld hops max, %ld probe%s per hop\n", host,
	       cfg->max_hops, cfg->probes, cfg->probes == 1 ? "" : "s");
	for (ttl = 1; ttl <= cfg->max_hops; ttl++) {
		r = trace_hop(cfg, c, ttl, &reached, &unreachable);
		if (r != CLI_OK)
			return r;
		if (reached)
			return CLI_OK;
		if (unreachable)
			break;
	}
	fprintf(stderr, "ipv4 trace: %s not reached %s\n", host,
		unreachable ? "(destination unreachable)"
			    : "within the maximum hops: try a larger "
			      "--max-hops");
	return CLI_FAILURE;
}

int cli_trace(int argc, char **argv)
{
	struct trace_config cfg;
	struct ipv4_packet_conn c;
	int help = 0;
	int r;

	r = trace_parse(argc, argv, &cfg, &help);
	if (r != CLI_OK)
		return r;
	if (help) {
		fputs(trace_usage, stdout);
		return CLI_OK;
	}
	/* The ID distinguishes this process's probes from other pings. */
	cfg.id = (uint16_t)getpid();
	r = trace_open(&c);
	if (r != CLI_OK)
		return r;
	r = trace_run(&cfg, &c);
	ipv4_packet_conn_close(&c);
	return r;
}
