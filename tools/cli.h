/* SPDX-License-Identifier: MIT */
/*
 * Argument handling shared by the commands of the ipv4 tool.
 *
 * Every parser below prints one line on stderr when a value is bad, naming
 * the command, the value and what to give instead, and returns CLI_USAGE, so
 * that a command can return its result as the exit status.
 */
#ifndef IPV4_TOOL_CLI_H
#define IPV4_TOOL_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "ipv4.h"

/* Exit statuses of the tool. */
enum cli_status {
	CLI_OK = 0,
	CLI_FAILURE = 1, /* a system call or library call failed */
	CLI_USAGE = 2,	 /* a bad argument: nothing was sent or joined */
};

/* Maximum number of positional arguments (header joins its words). */
#define CLI_MAX_ARGS 256

/* One "--name VALUE" option; every option of the tool takes a value. */
struct cli_option {
	const char *name;  /* without the leading "--" */
	const char *value; /* output: the value given last, or NULL */
};

struct cli_args {
	char *pos[CLI_MAX_ARGS]; /* positional arguments, in order */
	int npos;
	int help; /* --help or -h was given */
};

/*
 * Splits argv (the words after the command name) into the options in opts
 * and positional arguments. Accepts "--name VALUE", "--name=VALUE", "--help",
 * "-h" and "--" (the words after it are positional).
 */
int cli_parse(const char *cmd, int argc, char **argv, struct cli_option *opts,
	      size_t nopts, struct cli_args *args);

/*
 * Prints "ipv4 CMD: MESSAGE" on stderr and returns CLI_USAGE. Inline, so that
 * clang-analyzer sees the return value in every file that calls it.
 */
__attribute__((format(printf, 2, 3))) static inline int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ipv4 %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_USAGE;
}

/*
 * Prints "ipv4 CMD: WHAT failed: MESSAGE (NAME)" for a library code on
 * stderr and returns CLI_FAILURE.
 */
static inline int cli_failure(const char *cmd, const char *what, int code)
{
	fprintf(stderr, "ipv4 %s: %s failed: %s (%s)\n", cmd, what,
		ipv4_strerror(code), ipv4_err_name(code));
	return CLI_FAILURE;
}

/* Checks the number of positional arguments against min and max. */
int cli_check_args(const char *cmd, const struct cli_args *args, int min,
		   int max, const char *usage);

/*
 * Parses a decimal or 0x-prefixed integer from min to max for option name
 * (named in the message as --name).
 */
int cli_parse_long(const char *cmd, const char *name, const char *text,
		   long min, long max, long *out);

/* Parses a positive number of seconds, fractions allowed, into ns. */
int cli_parse_seconds(const char *cmd, const char *name, const char *text,
		      int64_t *out_ns);

/* Parses "on" or "off" into 1 or 0. */
int cli_parse_on_off(const char *cmd, const char *name, const char *text,
		     int *out);

/* Looks up an interface name in the current network namespace. */
int cli_parse_interface(const char *cmd, const char *text, int *ifindex);

/* Parses a dotted quad; names are never resolved. */
int cli_parse_address(const char *cmd, const char *text, struct in_addr *out);

/* Parses GROUP:PORT, with GROUP in 224.0.0.0/4 and PORT from 1 to 65535. */
int cli_parse_group_port(const char *cmd, const char *text,
			 struct sockaddr_in *out);

/* Formats an address as a dotted quad into buf (INET_ADDRSTRLEN bytes). */
const char *cli_ntop(struct in_addr a, char *buf);

/* The commands: each returns its exit status. */
int cli_header(int argc, char **argv);
int cli_listen(int argc, char **argv);
int cli_send(int argc, char **argv);
int cli_trace(int argc, char **argv);

#endif
