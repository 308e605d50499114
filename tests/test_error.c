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
	test_unknown_codes();
	return check_exit();
}
