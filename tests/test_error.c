/* SPDX-License-Identifier: MIT */
/* ipv4_strerror() and ipv4_err_name() cover every code. */
#include <errno.h>

#include "check.h"

static void test_library_codes(void)
{
#define CHECK_CODE(name, value, message)                                       \
	CHECK_STR_EQ(ipv4_strerror(IPV4_ERR_##name), message);                 \
	CHECK_STR_EQ(ipv4_err_name(IPV4_ERR_##name), "IPV4_ERR_" #name);       \
	CHECK(IPV4_ERR_##name < -4000 && IPV4_ERR_##name > -4100);
	IPV4_ERROR_MAP(CHECK_CODE)
#undef CHECK_CODE
}

static void test_errno_codes(void)
{
	CHECK_STR_EQ(ipv4_err_name(-EAGAIN), "EAGAIN");
	CHECK_STR_EQ(ipv4_err_name(-EINVAL), "EINVAL");
	CHECK_STR_EQ(ipv4_strerror(-EINVAL), strerror(EINVAL));
	CHECK_STR_EQ(ipv4_strerror(0), "success");
	CHECK_STR_EQ(ipv4_err_name(0), "OK");
}

/* Every errno value Linux defines has a name. Values 41 and 58 are unused. */
static void test_errno_names_complete(void)
{
	int e;

	CHECK_STR_EQ(ipv4_err_name(-EPROTO), "EPROTO");
	CHECK_STR_EQ(ipv4_err_name(-EHOSTDOWN), "EHOSTDOWN");
	CHECK_STR_EQ(ipv4_err_name(-EOPNOTSUPP), "EOPNOTSUPP");
	for (e = 1; e <= 133; e++) {
		if (e == 41 || e == 58)
			continue;
		if (strcmp(ipv4_err_name(-e), "UNKNOWN") == 0) {
			fprintf(stderr, "errno %d has no name\n", e);
			check_failures++;
		}
	}
}

/*
 * Messages for unassigned errno values must stay valid after later calls,
 * because glibc frees its "Unknown error N" buffer on the next strerror().
 */
static void test_unknown_messages_stay_valid(void)
{
	const char *first = ipv4_strerror(-200);
	const char *second = ipv4_strerror(-201);

	CHECK_STR_EQ(first, "unknown error");
	CHECK_STR_EQ(second, "unknown error");
	CHECK_STR_EQ(ipv4_strerror(-41), "unknown error");
	CHECK_STR_EQ(ipv4_err_name(-41), "UNKNOWN");
}

static void test_unknown_codes(void)
{
	CHECK_STR_EQ(ipv4_strerror(-4099), "unknown error");
	CHECK_STR_EQ(ipv4_strerror(-100000), "unknown error");
	CHECK_STR_EQ(ipv4_err_name(-100000), "UNKNOWN");
	CHECK(ipv4_strerror(-4095) != NULL);
}

int main(void)
{
	test_library_codes();
	test_errno_codes();
	test_errno_names_complete();
	test_unknown_messages_stay_valid();
	test_unknown_codes();
	return check_exit();
}
