/* SPDX-License-Identifier: MIT */
/*
 * The ipv4 command-line tool: listens to and sends multicast datagrams,
 * decodes IPv4 headers and traces routes, all through libipv4.
 */
#include <stdio.h>
#include <string.h>

#include "ipv4.h"
#include "cli.h"

static const char usage[] =
    "usage: ipv4 COMMAND [ARGUMENTS] [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  listen GROUP:PORT  join a multicast group and print each datagram\n"
    "                     with its source, destination, interface and TTL\n"
    "  send GROUP:PORT TEXT\n"
    "                     send TEXT as a UDP datagram to a multicast group\n"
    "  header HEX         decode an IPv4 header given in hexadecimal\n"
    "  trace HOST         trace the route to HOST with ICMP echo requests\n"
    "                     (needs root or CAP_NET_RAW)\n"
    "\n"
    "Run 'ipv4 COMMAND --help' for the options of a command.\n"
    "Exit status: 0 on success, 1 when a system or library call fails,\n"
    "2 for a bad argument.\n";

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"listen", cli_listen},
    {"send", cli_send},
    {"header", cli_header},
    {"trace", cli_trace},
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		fputs("ipv4: missing command: run 'ipv4 --help' for the "
		      "commands\n",
		      stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("ipv4 (libipv4) %d.%d.%d\n", IPV4_VERSION_MAJOR,
		       IPV4_VERSION_MINOR, IPV4_VERSION_PATCH);
		return CLI_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	}
	fprintf(stderr,
		"ipv4: unknown command \"%s\": run 'ipv4 --help' for the "
		"commands\n",
		argv[1]);
	return CLI_USAGE;
}
