/* SPDX-License-Identifier: MIT */
/*
 * Source-specific multicast (IGMPv3 source filters) on one link: senders s1
 * (10.0.0.1) and s2 (10.0.0.2) and a receiver (10.0.0.9) share a bridge
 * without snooping, so every datagram reaches the receiver's interface and
 * only its source filter decides delivery. Where tcpdump is installed, the
 * IGMPv3 reports the receiver's kernel sends are captured and decoded.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "lab.h"

#define QUIET_MS 300 /* how long "nothing arrives" is watched for */
#define RECV_MS 2000 /* maximum wait for a datagram that must arrive */
#define PORT 5100

static int rx_if;
static int s1_if;
static int s2_if;

static void build_lab(void)
{
	lab_ns("sw");
	lab_ns("s1");
	lab_ns("s2");
	lab_ns("rx");
	lab_bridge("sw", "br0");
	lab_bridge_port("sw", "br0", "s1", "eth0", "10.0.0.1/24");
	lab_bridge_port("sw", "br0", "s2", "eth0", "10.0.0.2/24");
	lab_bridge_port("sw", "br0", "rx", "eth0", "10.0.0.9/24");
	/* IGMPv3 reports carry the source lists that are checked below. */
	lab_must("ip netns exec rx sysctl -qw "
		 "net.ipv4.conf.eth0.force_igmp_version=3");
	rx_if = lab_ifindex("rx", "eth0");
	s1_if = lab_ifindex("s1", "eth0");
	s2_if = lab_ifindex("s2", "eth0");
}

static const struct sockaddr *sa(const struct sockaddr_in *sin)
{
	return (const struct sockaddr *)sin;
}

static int open_sender(const char *ns, int ifindex)
{
	int fd = lab_udp(ns, "0.0.0.0", 0);

	CHECK_OK(ipv4_set_multicast_interface(fd, ifindex));
	return fd;
}

/* The two senders, s1 and s2, and the receiver. */
struct ssm_lab {
	int s1;
	int s2;
	int rx;
};

static void open_lab(struct ssm_lab *lab)
{
	lab->s1 = open_sender("s1", s1_if);
	lab->s2 = open_sender("s2", s2_if);
	lab->rx = lab_udp("rx", "0.0.0.0", PORT);
}

static void close_lab(struct ssm_lab *lab)
{
	close(lab->s1);
	close(lab->s2);
	close(lab->rx);
}

static void send_text(int fd, const char *group, const char *text)
{
	struct sockaddr_in dst = lab_addr(group, PORT);
	size_t len = strlen(text);

	CHECK_INT_EQ(sendto(fd, text, len, 0, sa(&dst), sizeof(dst)), len);
}

/*
 * Receives one datagram within timeout_ms into buf (NUL-terminated) and its
 * source into *from. Returns its length, or -1 when none arrives in time.
 */
static int recv_text(int fd, char *buf, size_t cap, struct in_addr *from,
		     int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	struct sockaddr_in src = {0};
	socklen_t src_len = sizeof(src);
	ssize_t n;

	buf[0] = '\0';
	if (poll(&pfd, 1, timeout_ms) != 1)
		return -1;
	n = recvfrom(fd, buf, cap - 1, MSG_DONTWAIT, (struct sockaddr *)&src,
		     &src_len);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	*from = src.sin_addr;
	return (int)n;
}

static void check_quiet(int fd)
{
	struct in_addr from;
	char buf[128];

	CHECK_INT_EQ(recv_text(fd, buf, sizeof(buf), &from, QUIET_MS), -1);
}

/*
 * Receives one datagram within RECV_MS and returns 1 if it came from s1
 * with its text, 2 if from s2, and 0 for anything else or nothing.
 */
static int recv_sender(int fd)
{
	struct in_addr from = {0};
	char buf[128];

	if (recv_text(fd, buf, sizeof(buf), &from, RECV_MS) < 0)
		return 0;
	if (ntohl(from.s_addr) == 0x0a000001 && strcmp(buf, "from-s1") == 0)
		return 1;
	if (ntohl(from.s_addr) == 0x0a000002 && strcmp(buf, "from-s2") == 0)
		return 2;
	fprintf(stderr, "unexpected datagram \"%s\" from %s\n", buf,
		inet_ntoa(from));
	return 0;
}

/*
 * Sends one datagram from each sender and checks that the one from s1
 * arrives if and only if from_s1 is set, and likewise for s2. The two
 * travel through different bridge ports, so either may arrive first.
 */
static void check_delivery(struct ssm_lab *lab, const char *group, int from_s1,
			   int from_s2)
{
	int seen[3] = {0, 0, 0};
	int i;

	send_text(lab->s2, group, "from-s2");
	send_text(lab->s1, group, "from-s1");
	for (i = 0; i < from_s1 + from_s2; i++)
		seen[recv_sender(lab->rx)]++;
	check_quiet(lab->rx);
	CHECK_INT_EQ(seen[0], 0);
	CHECK_INT_EQ(seen[1], from_s1);
	CHECK_INT_EQ(seen[2], from_s2);
}

static void test_include_mode(void)
{
	struct sockaddr_in group = lab_addr("232.1.1.1", 0);
	struct sockaddr_in s1 = lab_addr("10.0.0.1", 0);
	struct sockaddr_in s2 = lab_addr("10.0.0.2", 0);
	struct ssm_lab lab;

	open_lab(&lab);
	CHECK_OK(ipv4_join_source_group(lab.rx, rx_if, sa(&group), sa(&s1)));
	check_delivery(&lab, "232.1.1.1", 1, 0);

	CHECK_OK(ipv4_join_source_group(lab.rx, rx_if, sa(&group), sa(&s2)));
	check_delivery(&lab, "232.1.1.1", 1, 1);

	CHECK_OK(ipv4_leave_source_group(lab.rx, rx_if, sa(&group), sa(&s1)));
	check_delivery(&lab, "232.1.1.1", 0, 1);

	/* Leaving the last source leaves the group. */
	CHECK_OK(ipv4_leave_source_group(lab.rx, rx_if, sa(&group), sa(&s2)));
	check_delivery(&lab, "232.1.1.1", 0, 0);
	CHECK_ERR(ipv4_leave_source_group(lab.rx, rx_if, sa(&group), sa(&s2)),
		  -EINVAL);

	/* Leaving the group ends a source-specific membership too. */
	CHECK_OK(ipv4_join_source_group(lab.rx, rx_if, sa(&group), sa(&s1)));
	check_delivery(&lab, "232.1.1.1", 1, 0);
	CHECK_OK(ipv4_leave_group(lab.rx, rx_if, sa(&group)));
	check_delivery(&lab, "232.1.1.1", 0, 0);
	close_lab(&lab);
}

static void test_exclude_mode(void)
{
	struct sockaddr_in group = lab_addr("239.1.1.1", 0);
	struct sockaddr_in s2 = lab_addr("10.0.0.2", 0);
	struct ssm_lab lab;

	open_lab(&lab);
	CHECK_OK(ipv4_join_group(lab.rx, rx_if, sa(&group)));
	check_delivery(&lab, "239.1.1.1", 1, 1);

	CHECK_OK(ipv4_exclude_source(lab.rx, rx_if, sa(&group), sa(&s2)));
	check_delivery(&lab, "239.1.1.1", 1, 0);
	CHECK_ERR(ipv4_exclude_source(lab.rx, rx_if, sa(&group), sa(&s2)),
		  -EADDRNOTAVAIL);

	CHECK_OK(ipv4_include_source(lab.rx, rx_if, sa(&group), sa(&s2)));
	check_delivery(&lab, "239.1.1.1", 1, 1);

	CHECK_OK(ipv4_leave_group(lab.rx, rx_if, sa(&group)));
	check_delivery(&lab, "239.1.1.1", 0, 0);
	close_lab(&lab);
}

/* A capture of the receiver's interface by tcpdump, bounded to 30 s. */
struct capture {
	char dir[64];
};

/*
 * Starts tcpdump and waits up to 5 s until it captures. Returns -1, with a
 * "skipped:" line, when it cannot: in a user namespace its switch of user
 * fails, because setgroups(2) is denied there.
 */
static int capture_start(struct capture *cap)
{
	int i;

	snprintf(cap->dir, sizeof(cap->dir), "/tmp/ipv4-ssm-XXXXXX");
	CHECK_FATAL(mkdtemp(cap->dir) != NULL);
	lab_must("timeout 30 ip netns exec rx tcpdump -Z root -U -n -i eth0 "
		 "-w %s/igmp.pcap igmp >%s/log 2>&1 & echo $! >%s/pid",
		 cap->dir, cap->dir, cap->dir);
	for (i = 0; i < 50; i++) {
		if (lab_sh("grep -qs 'listening on' %s/log", cap->dir) == 0)
			return 0;
		if (lab_sh("kill -0 $(cat %s/pid) 2>/dev/null", cap->dir) != 0)
			break;
		usleep(100 * 1000);
	}
	printf("skipped: tcpdump cannot capture here, so the IGMPv3 reports "
	       "are not checked:\n");
	fflush(stdout);
	lab_sh("head -n 3 %s/log", cap->dir);
	return -1;
}

static void capture_stop(struct capture *cap)
{
	int i;

	lab_sh("kill $(cat %s/pid) 2>/dev/null", cap->dir);
	for (i = 0; i < 50; i++) {
		if (lab_sh("kill -0 $(cat %s/pid) 2>/dev/null", cap->dir) != 0)
			break;
		usleep(100 * 1000);
	}
}

/* Returns whether the decoded capture contains the text part. */
static int capture_has(struct capture *cap, const char *part)
{
	return lab_sh("tcpdump -vv -n -r %s/igmp.pcap 2>/dev/null | "
		      "grep -qF '%s'",
		      cap->dir, part) == 0;
}

/*
 * Waits up to 3 s for a report containing part. Linux 6.18 sends each
 * state-change report twice within about a second, but merges changes made
 * before the first is sent, so each change is checked before the next.
 */
static void check_report(struct capture *cap, const char *part)
{
	int tries;

	for (tries = 0; tries < 30; tries++) {
		if (capture_has(cap, part))
			return;
		usleep(100 * 1000);
	}
	fprintf(stderr, "no IGMPv3 report with \"%s\" in:\n", part);
	lab_sh("tcpdump -vv -n -r %s/igmp.pcap >&2", cap->dir);
	CHECK(!"IGMPv3 report captured");
}

static void test_igmpv3_reports(void)
{
	struct sockaddr_in ssm = lab_addr("232.1.1.2", 0);
	struct sockaddr_in asm_group = lab_addr("239.1.1.2", 0);
	struct sockaddr_in s1 = lab_addr("10.0.0.1", 0);
	struct sockaddr_in s2 = lab_addr("10.0.0.2", 0);
	struct capture cap = {{0}};
	int fd;

	if (lab_sh("command -v tcpdump >/dev/null 2>&1") != 0) {
		printf("skipped: tcpdump not found, so the IGMPv3 reports are "
		       "not checked\n");
		return;
	}
	if (capture_start(&cap) < 0) {
		capture_stop(&cap);
		lab_sh("rm -rf %s", cap.dir);
		return;
	}
	fd = lab_udp("rx", "0.0.0.0", PORT + 1);

	CHECK_OK(ipv4_join_source_group(fd, rx_if, sa(&ssm), sa(&s1)));
	check_report(&cap, "[gaddr 232.1.1.2 allow { 10.0.0.1 }]");
	CHECK_OK(ipv4_join_source_group(fd, rx_if, sa(&ssm), sa(&s2)));
	check_report(&cap, "[gaddr 232.1.1.2 allow { 10.0.0.2 }]");
	CHECK_OK(ipv4_leave_source_group(fd, rx_if, sa(&ssm), sa(&s1)));
	check_report(&cap, "[gaddr 232.1.1.2 block { 10.0.0.1 }]");
	CHECK_OK(ipv4_leave_source_group(fd, rx_if, sa(&ssm), sa(&s2)));
	check_report(&cap, "[gaddr 232.1.1.2 block { 10.0.0.2 }]");

	CHECK_OK(ipv4_join_group(fd, rx_if, sa(&asm_group)));
	check_report(&cap, "[gaddr 239.1.1.2 to_ex { }]");
	CHECK_OK(ipv4_exclude_source(fd, rx_if, sa(&asm_group), sa(&s2)));
	check_report(&cap, "[gaddr 239.1.1.2 block { 10.0.0.2 }]");
	CHECK_OK(ipv4_include_source(fd, rx_if, sa(&asm_group), sa(&s2)));
	check_report(&cap, "[gaddr 239.1.1.2 allow { 10.0.0.2 }]");
	CHECK_OK(ipv4_leave_group(fd, rx_if, sa(&asm_group)));
	check_report(&cap, "[gaddr 239.1.1.2 to_in { }]");

	close(fd);
	capture_stop(&cap);
	lab_sh("rm -rf %s", cap.dir);
}

int main(void)
{
	lab_init();
	build_lab();
	test_include_mode();
	test_exclude_mode();
	test_igmpv3_reports();
	return check_exit();
}
