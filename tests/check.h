/* SPDX-License-Identifier: MIT */
/*
 * Assertions for the test programs. Each failed check prints the file, line,
 * expression and both operands, and counts a failure; check_exit() returns
 * the status for main. A test that lacks a privilege or kernel feature calls
 * check_skip(), which exits 77 (CTest's skip code) after printing why.
 */
#ifndef IPV4_TEST_CHECK_H
#define IPV4_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipv4.h"

extern int check_failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #cond);                              \
			check_failures++;                                      \
		}                                                              \
	} while (0)

#define CHECK_INT_EQ(a, b)                                                     \
	do {                                                                   \
		long long check_a_ = (long long)(a);                           \
		long long check_b_ = (long long)(b);                           \
		if (check_a_ != check_b_) {                                    \
			fprintf(stderr,                                        \
				"%s:%d: %s == %s failed: %lld != %lld\n",      \
				__FILE__, __LINE__, #a, #b, check_a_,          \
				check_b_);                                     \
			check_failures++;                                      \
		}                                                              \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                     \
	do {                                                                   \
		const char *check_a_ = (a);                                    \
		const char *check_b_ = (b);                                    \
		if (strcmp(check_a_, check_b_) != 0) {                         \
			fprintf(stderr,                                        \
				"%s:%d: %s == %s failed: \"%s\" != \"%s\"\n",  \
				__FILE__, __LINE__, #a, #b, check_a_,          \
				check_b_);                                     \
			check_failures++;                                      \
		}                                                              \
	} while (0)

#define CHECK_MEM_EQ(a, b, n)                                                  \
	do {                                                                   \
		if (memcmp((a), (b), (n)) != 0) {                              \
			fprintf(stderr, "%s:%d: memcmp(%s, %s, %s) != 0\n",    \
				__FILE__, __LINE__, #a, #b, #n);               \
			check_failures++;                                      \
		}                                                              \
	} while (0)

/* Checks that a library call succeeded, printing the error it returned. */
#define CHECK_OK(call)                                                         \
	do {                                                                   \
		long long check_r_ = (long long)(call);                        \
		if (check_r_ < 0) {                                            \
			fprintf(stderr, "%s:%d: %s failed: %lld (%s: %s)\n",   \
				__FILE__, __LINE__, #call, check_r_,           \
				ipv4_err_name((int)check_r_),                  \
				ipv4_strerror((int)check_r_));                 \
			check_failures++;                                      \
		}                                                              \
	} while (0)

/* Checks that a library call failed with the expected code. */
#define CHECK_ERR(call, code)                                                  \
	do {                                                                   \
		long long check_r_ = (long long)(call);                        \
		if (check_r_ != (long long)(code)) {                           \
			fprintf(stderr,                                        \
				"%s:%d: %s returned %lld (%s), expected %s "   \
				"(%d)\n",                                      \
				__FILE__, __LINE__, #call, check_r_,           \
				ipv4_err_name((int)check_r_), #code,           \
				(int)(code));                                  \
			check_failures++;                                      \
		}                                                              \
	} while (0)

/* Stops the test at once: for a failure later checks cannot survive. */
#define CHECK_FATAL(cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: fatal: CHECK(%s) failed\n",    \
				__FILE__, __LINE__, #cond);                    \
			exit(1);                                               \
		}                                                              \
	} while (0)

void check_skip(const char *reason);
int check_exit(void);

#endif
