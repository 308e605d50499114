/* SPDX-License-Identifier: MIT */
/* The ipv4 command-line tool. */
#include <stdio.h>

int main(void)
{
	fputs("usage: ipv4 COMMAND ...\n", stderr);
	return 2;
}
