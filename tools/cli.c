/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ipv4.h"
#include "cli.h"

static struct cli_option *cli_find_option(struct cli_option *opts, size_t nopts,
					  const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nopts; i++) {
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	}
	return NULL;
}

static int cli_add_positional(const char *cmd, struct cli_args *args,
			      char *word)
{
	if (args->npos == CLI_MAX_ARGS)
		return cli_usage_error(cmd, "more than %d arguments",
				       CLI_MAX_ARGS);
	args->pos[args->npos++] = word;
	return CLI_OK;
}

/* Handles the option at argv[*i], consuming its value; *i moves past it. */
static int cli_parse_option(const char *cmd, int argc, char **argv, int *i,
			    struct cli_option *opts, size_t nopts)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	struct cli_option *opt = cli_find_option(opts, nopts, name, len);

	if (opt == NULL)
		return cli_usage_error(cmd,
				       "unknown option --%.*s: see 'ipv4 %s "
				       "--help' for the options",
				       (int)len, name, cmd);
	if (eq != NULL) {
		opt->value = eq + 1;
	} else if (*i + 1 < argc) {
		*i += 1;
		opt->value = argv[*i];
	} else {
		return cli_usage_error(cmd,
				       "option --%s needs a value: see 'ipv4 "
				       "%s --help'",
				       opt->name, cmd);
	}
	return CLI_OK;
}

int cli_parse(const char *cmd, int argc, char **argv, struct cli_option *opts,
	      size_t nopts, struct cli_args *args)
{
	int only_positional = 0;
	int i;
	int r;

	memset(args, 0, sizeof(*args));
	for (i = 0; i < argc; i++) {
		const char *word = argv[i];

		if (only_positional || word[0] != '-' || word[1] == '\0') {
			r = cli_add_positional(cmd, args, argv[i]);
		} else if (strcmp(word, "--") == 0) {
			only_positional = 1;
			r = CLI_OK;
		} else if (strcmp(word, "--help") == 0 ||
			   strcmp(word, "-h") == 0) {
			args->help = 1;
			r = CLI_OK;
		} else if (word[1] == '-') {
			r = cli_parse_option(cmd, argc, argv, &i, opts, nopts);
		} else {
			r = cli_usage_error(cmd,
					    "unknown option %s: options are "
					    "long, like --count; see 'ipv4 %s "
					    "--help'",
					    word, cmd);
		}
		if (r != CLI_OK)
			return r;
	}
	return CLI_OK;
}

int cli_check_args(const char *cmd, const struct cli_args *args, int min,
		   int max, const char *usage)
{
	if (args->npos < min)
		return cli_usage_error(cmd, "missing argument: usage: %s",
				       usage);
	if (args->npos > max)
		return cli_usage_error(cmd,
				       "unexpected argument \"%s\": usage: %s",
				       args->pos[max], usage);
	return CLI_OK;
}

int cli_parse_long(const char *cmd, const char *name, const char *text,
		   long min, long max, long *out)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 0);
	if (errno != 0 || end == text || *end != '\0' || value < min ||
	    value > max)
		return cli_usage_error(cmd,
				       "invalid --%s \"%s\": give an integer "
				       "from %ld to %ld",
				       name, text, min, max);
	*out = value;
	return CLI_OK;
}

int cli_parse_seconds(const char *cmd, const char *name, const char *text,
		      int64_t *out_ns)
{
	/* A year is far beyond any sensible wait and fits int64_t in ns. */
	const double max_seconds = 365.0 * 24 * 3600;
	char *end;
	double value;

	errno = 0;
	value = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !isfinite(value) ||
	    value <= 0 || value > max_seconds)
		return cli_usage_error(cmd,
				       "invalid --%s \"%s\": give a number of "
				       "seconds above 0, like 2 or 0.5",
				       name, text);
	*out_ns = (int64_t)(value * 1e9);
	return CLI_OK;
}

int cli_parse_on_off(const char *cmd, const char *name, const char *text,
		     int *out)
{
	if (strcmp(text, "on") == 0) {
		*out = 1;
		return CLI_OK;
	}
	if (strcmp(text, "off") == 0) {
		*out = 0;
		return CLI_OK;
	}
	return cli_usage_error(cmd, "invalid --%s \"%s\": give on or off", name,
			       text);
}

int cli_parse_interface(const char *cmd, const char *text, int *ifindex)
{
	unsigned index = 0;

	if (strlen(text) < IF_NAMESIZE)
		index = if_nametoindex(text);
	if (index == 0 || index > INT_MAX)
		return cli_usage_error(cmd,
				       "unknown interface \"%s\": give a name "
				       "that 'ip link' lists in this network "
				       "namespace",
				       text);
	*ifindex = (int)index;
	return CLI_OK;
}

int cli_parse_address(const char *cmd, const char *text, struct in_addr *out)
{
	if (inet_pton(AF_INET, text, out) != 1)
		return cli_usage_error(cmd,
				       "invalid IPv4 address \"%s\": give a "
				       "dotted quad like 192.0.2.1 (names are "
				       "not resolved)",
				       text);
	return CLI_OK;
}

static int cli_parse_port(const char *cmd, const char *text, const char *port,
			  uint16_t *out)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(port, &end, 10);
	if (errno != 0 || end == port || *end != '\0' || value < 1 ||
	    value > 65535)
		return cli_usage_error(cmd,
				       "invalid port \"%s\" in \"%s\": give "
				       "a port from 1 to 65535",
				       port, text);
	*out = (uint16_t)value;
	return CLI_OK;
}

int cli_parse_group_port(const char *cmd, const char *text,
			 struct sockaddr_in *out)
{
	char host[INET_ADDRSTRLEN];
	const char *colon = strrchr(text, ':');
	uint16_t port = 0; /* set for clang-analyzer, which cannot see that
			    * cli_usage_error() never returns CLI_OK */
	size_t len;
	int r;

	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	if (colon == NULL)
		return cli_usage_error(cmd,
				       "missing port in \"%s\": give "
				       "GROUP:PORT, like 224.0.0.251:5353",
				       text);
	len = (size_t)(colon - text);
	if (len >= sizeof(host))
		len = sizeof(host) - 1; /* too long for a dotted quad anyway */
	memcpy(host, text, len);
	host[len] = '\0';

	r = cli_parse_address(cmd, host, &out->sin_addr);
	if (r != CLI_OK)
		return r;
	if (!IN_MULTICAST(ntohl(out->sin_addr.s_addr)))
		return cli_usage_error(cmd,
				       "%s is not a multicast group: give an "
				       "address in 224.0.0.0/4, like "
				       "224.0.0.251",
				       host);
	r = cli_parse_port(cmd, text, colon + 1, &port);
	if (r != CLI_OK)
		return r;
	out->sin_port = htons(port);
	return CLI_OK;
}

const char *cli_ntop(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}
