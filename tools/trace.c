/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli.h"

/* TODO: listen, send and trace land once the packet conn is in the library. */
static int cli_not_built(const char *cmd)
{
	fprintf(stderr, "ipv4 %s: not built yet\n", cmd);
	return CLI_FAILURE;
}

int cli_listen(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("listen");
}

int cli_send(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("send");
}

int cli_trace(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("trace");
}
