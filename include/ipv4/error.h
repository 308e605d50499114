/* SPDX-License-Identifier: MIT */
/*
 * Error codes.
 *
 * Every function of the library returns a non-negative value on success and
 * a negative code on failure. A code is either a negated errno value (-EINVAL,
 * -EAGAIN, ...) passed up from the kernel or from argument checks, or one of
 * the IPV4_ERR_* codes below for conditions errno has no name for. Library
 * codes lie in -4000 .. -4099, far from every errno value.
 */
#ifndef IPV4_ERROR_H
#define IPV4_ERROR_H

#include "ipv4/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, message): the one list behind the enum and the strings. */
#define IPV4_ERROR_MAP(X)                                                      \
	X(HEADER_TOO_SHORT, -4001, "IPv4 header shorter than 20 bytes")        \
	X(HEADER_LENGTH, -4002,                                                \
	  "IPv4 header length field under 5 words (20 bytes)")                 \
	X(HEADER_TRUNCATED, -4003,                                             \
	  "IPv4 header length field exceeds the buffer")                       \
	X(VERSION, -4004, "IP version field is not 4")                         \
	X(OPTIONS_LENGTH, -4005,                                               \
	  "IPv4 options length is not a multiple of 4 or exceeds 40 bytes")    \
	X(MISSING_ADDRESS, -4006, "missing address")                           \
	X(NOT_IPV4, -4007, "address is not an IPv4 address")                   \
	X(NOT_MULTICAST, -4008, "address is not an IPv4 multicast group")      \
	X(INVALID_CONN, -4009, "invalid connection")                           \
	X(INVALID_CONN_TYPE, -4010,                                            \
	  "socket type is wrong for this connection")                          \
	X(NO_SPACE, -4011, "output buffer too small")                          \
	X(CMSG_MALFORMED, -4012,                                               \
	  "control message length runs past the ancillary data")               \
	X(TRUNCATED, -4013,                                                    \
	  "datagram longer than the buffer; the rest was discarded")           \
	X(CONTROL_TRUNCATED, -4014,                                            \
	  "ancillary data longer than the control buffer; some was discarded") \
	X(TIMEOUT, -4015, "I/O deadline exceeded")                             \
	X(ICMP_TYPE_RANGE, -4016,                                              \
	  "ICMP type outside 0-31, which the Linux ICMP filter covers")        \
	X(EMPTY_PROGRAM, -4017, "BPF program has no instructions")             \
	X(SEGMENT_SIZE, -4018,                                                 \
	  "UDP segment size or count outside the kernel's GSO limits")         \
	X(NOT_SUPPORTED, -4019, "not supported by this kernel or device")      \
	X(OPTION_MALFORMED, -4020,                                             \
	  "IPv4 option length is under 2 or runs past the options")

enum ipv4_error {
#define IPV4_ERROR_ENUM(name, value, message) IPV4_ERR_##name = (value),
	IPV4_ERROR_MAP(IPV4_ERROR_ENUM)
#undef IPV4_ERROR_ENUM
};

/*
 * Returns a static message for any code: library codes, negated errno values
 * and unknown values alike. The string is never NULL and never freed.
 */
IPV4_EXPORT const char *ipv4_strerror(int code);

/* Returns the code's symbolic name ("IPV4_ERR_TIMEOUT", "EAGAIN", ...). */
IPV4_EXPORT const char *ipv4_err_name(int code);

#ifdef __cplusplus
}
#endif

#endif
