/* SPDX-License-Identifier: MIT */
/* ipv4 header HEX: decodes an IPv4 header given in hexadecimal. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ipv4.h"
#include "cli.h"

static const char header_usage[] =
    "usage: ipv4 header HEX\n"
    "\n"
    "Decodes the IPv4 header at the start of HEX, the bytes of a packet in\n"
    "hexadecimal, with or without spaces (several arguments are joined):\n"
    "prints its fields, whether its checksum is valid, its options and\n"
    "the number of bytes that follow it.\n"
    "\n"
    "Example:\n"
    "  ipv4 header 45 01 be ef ca fe 45 dc ff 01 de ad ac 10 fe fe "
    "c0 a8 00 01\n";

/* A whole IPv4 packet at most: the total length field is 16 bits. */
#define HEADER_MAX_INPUT 65535

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Appends the hex digits of word to buf; *digits counts them all. */
static int header_decode_word(const char *word, unsigned char *buf,
			      size_t *digits)
{
	const char *p;

	for (p = word; *p != '\0'; p++) {
		int v;

		if (isspace((unsigned char)*p))
			continue;
		v = hex_value((unsigned char)*p);
		if (v < 0)
			return cli_usage_error("header",
					       "invalid hex digit '%c' in "
					       "\"%s\": give bytes as hex "
					       "digits 0-9 and a-f",
					       *p, word);
		if (*digits / 2 >= HEADER_MAX_INPUT)
			return cli_usage_error("header",
					       "more than %d bytes: give one "
					       "packet at most",
					       HEADER_MAX_INPUT);
		if (*digits % 2 == 0)
			buf[*digits / 2] = (unsigned char)(v << 4);
		else
			buf[*digits / 2] |= (unsigned char)v;
		*digits += 1;
	}
	return CLI_OK;
}

static int header_decode_hex(const struct cli_args *args, unsigned char *buf,
			     size_t *len)
{
	size_t digits = 0;
	int i;
	int r;

	for (i = 0; i < args->npos; i++) {
		r = header_decode_word(args->pos[i], buf, &digits);
		if (r != CLI_OK)
			return r;
	}
	if (digits == 0)
		return cli_usage_error("header",
				       "no hex digits given: usage: ipv4 "
				       "header HEX");
	if (digits % 2 != 0)
		return cli_usage_error("header",
				       "odd number of hex digits (%zu): give "
				       "two digits per byte, like 45 00",
				       digits);
	*len = digits / 2;
	return CLI_OK;
}

static void header_print_flags(const struct ipv4_header *h)
{
	const char *df = h->flags & IPV4_HF_DF ? " DF" : "";
	const char *mf = h->flags & IPV4_HF_MF ? " MF" : "";

	printf("flags:%s%s%s\n", df, mf, *df || *mf ? "" : " none");
}

static void header_print_checksum(const struct ipv4_header *h,
				  const unsigned char *buf, int valid)
{
	unsigned char copy[IPV4_HEADER_MAX_LEN];

	/* The expected value is the checksum over the header, field zeroed. */
	memcpy(copy, buf, h->header_len);
	copy[10] = 0;
	copy[11] = 0;
	printf("checksum: %s (0x%04x in the header, 0x%04x computed)\n",
	       valid ? "valid" : "invalid", h->checksum,
	       ipv4_checksum(copy, h->header_len));
}

static void header_print_options(const struct ipv4_header *h)
{
	int i;

	if (h->options_len == 0) {
		puts("options: none");
		return;
	}
	fputs("options:", stdout);
	for (i = 0; i < h->options_len; i++)
		printf(" %02x", h->options[i]);
	printf(" (%d bytes)\n", h->options_len);
}

static int header_print(const unsigned char *buf, size_t len)
{
	char line[IPV4_HEADER_STRLEN];
	struct ipv4_header h;
	int valid;
	int r;

	r = ipv4_header_parse(&h, buf, len);
	if (r < 0)
		return cli_usage_error("header",
				       "cannot decode the %zu bytes given: %s",
				       len, ipv4_strerror(r));
	valid = ipv4_header_checksum_valid(buf, len);
	if (valid < 0)
		return cli_failure("header", "checksum check", valid);
	r = ipv4_header_format(&h, line, sizeof(line));
	if (r < 0)
		return cli_failure("header", "format", r);

	puts(line);
	header_print_flags(&h);
	header_print_checksum(&h, buf, valid);
	header_print_options(&h);
	printf("payload: %zu bytes after the header\n", len - h.header_len);
	return CLI_OK;
}

int cli_header(int argc, char **argv)
{
	static unsigned char buf[HEADER_MAX_INPUT];
	struct cli_args args;
	size_t len = 0;
	int r;

	r = cli_parse("header", argc, argv, NULL, 0, &args);
	if (r != CLI_OK)
		return r;
	if (args.help) {
		fputs(header_usage, stdout);
		return CLI_OK;
	}
	r = header_decode_hex(&args, buf, &len);
	if (r != CLI_OK)
		return r;
	return header_print(buf, len);
}
