/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "ipv4/error.h"

const char *ipv4_strerror(int code)
{
	switch (code) {
#define IPV4_ERROR_MESSAGE(name, value, message)                               \
	case (value):                                                          \
		return (message);
		IPV4_ERROR_MAP(IPV4_ERROR_MESSAGE)
#undef IPV4_ERROR_MESSAGE
	}
	if (code >= 0)
		return "success";
	/*
	 * glibc and musl return static strings for known errno values; for
	 * unknown ones glibc since 2.32 formats into a thread-local buffer.
	 */
	if (code > -4096)
		return strerror(-code);
	return "unknown error";
}

/* Symbolic names of the errno values this library can return. */
#define IPV4_ERRNO_MAP(X)                                                      \
	X(EPERM) X(ENOENT) X(EINTR) X(EIO) X(EBADF) X(EAGAIN) X(ENOMEM)        \
	X(EACCES) X(EFAULT) X(EBUSY) X(EEXIST) X(ENODEV) X(EINVAL) X(ENFILE)   \
	X(EMFILE) X(ENOSPC) X(EPIPE) X(ERANGE) X(ENOSYS) X(ENOTSOCK)           \
	X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE) X(ENOPROTOOPT)               \
	X(EPROTONOSUPPORT) X(EOPNOTSUPP) X(EAFNOSUPPORT) X(EADDRINUSE)         \
	X(EADDRNOTAVAIL) X(ENETDOWN) X(ENETUNREACH) X(ECONNRESET) X(ENOBUFS)   \
	X(EISCONN) X(ENOTCONN) X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTUNREACH)    \
	X(EALREADY) X(EINPROGRESS) X(ENXIO) X(E2BIG)

const char *ipv4_err_name(int code)
{
	switch (code) {
#define IPV4_ERROR_NAME(name, value, message)                                  \
	case (value):                                                          \
		return "IPV4_ERR_" #name;
		IPV4_ERROR_MAP(IPV4_ERROR_NAME)
#undef IPV4_ERROR_NAME
#define IPV4_ERRNO_NAME(e)                                                     \
	case -(e):                                                             \
		return #e;
		IPV4_ERRNO_MAP(IPV4_ERRNO_NAME)
#undef IPV4_ERRNO_NAME
	}
	if (code >= 0)
		return "OK";
	return "UNKNOWN";
}
