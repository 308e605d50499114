/* SPDX-License-Identifier: MIT */
/* Version of the headers, and the export macro of the shared library. */
#ifndef IPV4_VERSION_H
#define IPV4_VERSION_H

#define IPV4_VERSION_MAJOR 0
#define IPV4_VERSION_MINOR 1
#define IPV4_VERSION_PATCH 0

#if defined(IPV4_BUILDING) && defined(__GNUC__)
#define IPV4_EXPORT __attribute__((visibility("default")))
#else
#define IPV4_EXPORT
#endif

#endif
