/* SPDX-License-Identifier: MIT */
/*
 * libipv4: IPv4 socket options, control messages, headers and packet I/O
 * for Linux. This umbrella header includes every public header.
 */
#ifndef IPV4_H
#define IPV4_H

#include "ipv4/version.h"
#include "ipv4/error.h"
#include "ipv4/header.h"
#include "ipv4/options.h"
#include "ipv4/control.h"
#include "ipv4/sockopt.h"
#include "ipv4/icmp.h"
#include "ipv4/bpf.h"
#include "ipv4/conn.h"
#include "ipv4/gso.h"

#endif
