/* SPDX-License-Identifier: MIT */
/*
 * Any-source multicast between two namespaces linked by two veth pairs. The
 * sender is in tx, the receivers are in rx, and each received datagram's
 * control message must name the group, the receiving veth and the TTL the
 * sender set. Leaving a group, turning loopback off and joining on the
 * other interface each stop delivery, which is checked by waiting QUIET_MS
 * after the same path has been shown to deliver. The same holds for ICMP
 * echo requests sent to a group over raw sockets, through packet conns and
 * raw conns.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "lab.h"

#define QUIET_MS 300 /* how long "nothing arrives" is watched for */
#define RECV_MS 2000 /* maximum wait for a datagram that must arrive */

/* Interface indexes, filled by build_lab(). */
static int tx_if0;
static int tx_if1;
static int rx_if0;
static int rx_if1;

/*
 * tx-if0 10.0.1.1/24 <-> rx-if0 10.0.1.2/24
 * tx-if1 10.0.2.1/24 <-> rx-if1 10.0.2.2/24
 */
static void build_lab(void)
{
	lab_ns("tx");
	lab_ns("rx");
	lab_veth("tx", "tx-if0", "10.0.1.1/24", "rx", "rx-if0", "10.0.1.2/24");
	lab_veth("tx", "tx-if1", "10.0.2.1/24", "rx", "rx-if1", "10.0.2.2/24");
	tx_if0 = lab_ifindex("tx", "tx-if0");
	tx_if1 = lab_ifindex("tx", "tx-if1");
	rx_if0 = lab_ifindex("rx", "rx-if0");
	rx_if1 = lab_ifindex("rx", "rx-if1");
}

static const struct sockaddr *sa(const struct sockaddr_in *sin)
{
	return (const struct sockaddr *)sin;
}

/* Returns a UDP socket in tx that sends multicast by ifindex with ttl. */
static int open_sender(int ifindex, int ttl)
{
	int fd = lab_udp("tx", "0.0.0.0", 0);

	CHECK_OK(ipv4_set_multicast_interface(fd, ifindex));
	CHECK_OK(ipv4_set_multicast_ttl(fd, ttl));
	return fd;
}

static void send_text(int fd, const char *group, uint16_t port,
		      const char *text)
{
	struct sockaddr_in dst = lab_addr(group, port);
	size_t len = strlen(text);

	CHECK_INT_EQ(sendto(fd, text, len, 0, sa(&dst), sizeof(dst)), len);
}

/*
 * Opens a receiver in ns on 0.0.0.0:port with every control message on. A
 * read waits at most RECV_MS.
 */
static void open_receiver(struct ipv4_packet_conn *c, const char *ns,
			  uint16_t port)
{
	int fd = lab_udp(ns, "0.0.0.0", port);

	lab_recv_timeout(fd, RECV_MS);
	CHECK_FATAL(ipv4_packet_conn_init(c, fd) == 0);
	CHECK_OK(ipv4_packet_conn_set_control_message(c, IPV4_CF_ALL, 1));
}

static void join(struct ipv4_packet_conn *c, int ifindex, const char *group)
{
	struct sockaddr_in g = lab_addr(group, 0);

	CHECK_OK(ipv4_join_group(c->fd, ifindex, sa(&g)));
}

static void leave(struct ipv4_packet_conn *c, int ifindex, const char *group)
{
	struct sockaddr_in g = lab_addr(group, 0);

	CHECK_OK(ipv4_leave_group(c->fd, ifindex, sa(&g)));
}

/* What a received datagram must carry. */
struct expected {
	const char *text;
	const char *group;
	const char *src;
	int ifindex;
	int ttl;
};

/* A received datagram: its bytes (NUL-terminated), control and source. */
struct received {
	char text[256];
	int len;
	struct ipv4_control_message cm;
	struct sockaddr_in src;
};

static void read_datagram(struct ipv4_packet_conn *c, struct received *got)
{
	memset(got, 0, sizeof(*got));
	got->len = ipv4_packet_conn_read_from(
	    c, got->text, sizeof(got->text) - 1, &got->cm, &got->src);
	if (got->len < 0)
		memset(&got->cm, 0, sizeof(got->cm));
}

static void check_received(const struct received *got,
			   const struct expected *want)
{
	struct in_addr group;
	struct in_addr source;

	inet_pton(AF_INET, want->group, &group);
	inet_pton(AF_INET, want->src, &source);
	CHECK_INT_EQ(got->len, strlen(want->text));
	if (got->len < 0)
		return;
	CHECK_STR_EQ(got->text, want->text);
	CHECK_INT_EQ(ntohl(got->cm.dst.s_addr), ntohl(group.s_addr));
	CHECK_INT_EQ(got->cm.ifindex, want->ifindex);
	CHECK_INT_EQ(got->cm.ttl, want->ttl);
	CHECK_INT_EQ(ntohl(got->src.sin_addr.s_addr), ntohl(source.s_addr));
}

static void check_datagram(struct ipv4_packet_conn *c,
			   const struct expected *want)
{
	struct received got;

	read_datagram(c, &got);
	check_received(&got, want);
}

/*
 * Reads two datagrams that may arrive in either order, as datagrams over
 * two interfaces can, and checks each against the expectation of its text.
 */
static void check_two_datagrams(struct ipv4_packet_conn *c,
				const struct expected want[2])
{
	struct received got;
	int seen[2] = {0, 0};
	int i;
	int which;

	for (i = 0; i < 2; i++) {
		read_datagram(c, &got);
		which = strcmp(got.text, want[1].text) == 0;
		seen[which]++;
		check_received(&got, &want[which]);
	}
	CHECK_INT_EQ(seen[0], 1);
	CHECK_INT_EQ(seen[1], 1);
}

static void check_quiet(struct ipv4_packet_conn *c)
{
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};

	CHECK_INT_EQ(poll(&pfd, 1, QUIET_MS), 0);
}

static void test_control_message(void)
{
	static const int ttls[] = {1, 7, 255};
	struct ipv4_packet_conn rx;
	struct ipv4_control_message cm;
	struct sockaddr_in src = {0};
	struct sockaddr_in from = {0};
	socklen_t from_len = sizeof(from);
	int tx = open_sender(tx_if0, 1);
	char buf[64];
	size_t i;

	open_receiver(&rx, "rx", 5001);
	join(&rx, rx_if0, "239.1.1.1");
	for (i = 0; i < sizeof(ttls) / sizeof(ttls[0]); i++) {
		struct expected want = {"ttl", "239.1.1.1", "10.0.1.1", rx_if0,
					ttls[i]};

		CHECK_OK(ipv4_set_multicast_ttl(tx, ttls[i]));
		CHECK_INT_EQ(ipv4_multicast_ttl(tx), ttls[i]);
		send_text(tx, "239.1.1.1", 5001, "ttl");
		check_datagram(&rx, &want);
	}

	/* The source port and the local address of the receiving veth. */
	CHECK_FATAL(getsockname(tx, (struct sockaddr *)&from, &from_len) == 0);
	send_text(tx, "239.1.1.1", 5001, "ports");
	CHECK_INT_EQ(
	    ipv4_packet_conn_read_from(&rx, buf, sizeof(buf), &cm, &src), 5);
	CHECK_INT_EQ(ntohs(src.sin_port), ntohs(from.sin_port));
	CHECK_INT_EQ(ntohl(cm.src.s_addr), 0x0a000102); /* 10.0.1.2 */
	close(tx);
	ipv4_packet_conn_close(&rx);
}

static void test_leave_stops_delivery(void)
{
	struct expected want = {"joined", "239.1.1.2", "10.0.1.1", 0, 3};
	struct ipv4_packet_conn rx;
	int tx = open_sender(tx_if0, 3);

	want.ifindex = rx_if0;
	open_receiver(&rx, "rx", 5002);
	join(&rx, rx_if0, "239.1.1.2");
	send_text(tx, "239.1.1.2", 5002, "joined");
	check_datagram(&rx, &want);

	leave(&rx, rx_if0, "239.1.1.2");
	send_text(tx, "239.1.1.2", 5002, "left");
	check_quiet(&rx);

	join(&rx, rx_if0, "239.1.1.2");
	want.text = "rejoined";
	send_text(tx, "239.1.1.2", 5002, "rejoined");
	check_datagram(&rx, &want);
	close(tx);
	ipv4_packet_conn_close(&rx);
}

/*
 * A second socket in the sender's namespace, joined on the sending veth,
 * gets the sender's datagrams while loopback is on and not while it is off.
 * The receiver in rx gets them either way, which shows they were sent.
 */
static void test_loopback(void)
{
	struct expected remote = {"loop-on", "239.1.1.3", "10.0.1.1", 0, 1};
	struct expected local = {"loop-on", "239.1.1.3", "10.0.1.1", 0, 1};
	struct ipv4_packet_conn near;
	struct ipv4_packet_conn far;
	int tx = open_sender(tx_if0, 1);

	remote.ifindex = rx_if0;
	local.ifindex = tx_if0;
	open_receiver(&near, "tx", 5003);
	open_receiver(&far, "rx", 5003);
	join(&near, tx_if0, "239.1.1.3");
	join(&far, rx_if0, "239.1.1.3");

	CHECK_INT_EQ(ipv4_multicast_loopback(tx), 1);
	send_text(tx, "239.1.1.3", 5003, "loop-on");
	check_datagram(&far, &remote);
	check_datagram(&near, &local);

	CHECK_OK(ipv4_set_multicast_loopback(tx, 0));
	CHECK_INT_EQ(ipv4_multicast_loopback(tx), 0);
	remote.text = "loop-off";
	send_text(tx, "239.1.1.3", 5003, "loop-off");
	check_datagram(&far, &remote);
	check_quiet(&near);

	CHECK_OK(ipv4_set_multicast_loopback(tx, 1));
	remote.text = "loop-on-again";
	local.text = "loop-on-again";
	send_text(tx, "239.1.1.3", 5003, "loop-on-again");
	check_datagram(&far, &remote);
	check_datagram(&near, &local);
	close(tx);
	ipv4_packet_conn_close(&near);
	ipv4_packet_conn_close(&far);
}

/*
 * Several sockets bound to one port with SO_REUSEADDR, each joined to a
 * group on both interfaces, each get a copy of what arrives on either.
 */
static void test_sockets_sharing_port(void)
{
	const struct expected want[] = {
	    {"by-if0", "239.1.1.4", "10.0.1.1", rx_if0, 2},
	    {"by-if1", "239.1.1.4", "10.0.2.1", rx_if1, 2},
	};
	struct ipv4_packet_conn rx[3];
	int tx0 = open_sender(tx_if0, 2);
	int tx1 = open_sender(tx_if1, 2);
	size_t i;

	for (i = 0; i < 3; i++) {
		open_receiver(&rx[i], "rx", 5004);
		join(&rx[i], rx_if0, "239.1.1.4");
		join(&rx[i], rx_if1, "239.1.1.4");
	}
	send_text(tx0, "239.1.1.4", 5004, "by-if0");
	send_text(tx1, "239.1.1.4", 5004, "by-if1");
	for (i = 0; i < 3; i++) {
		check_two_datagrams(&rx[i], want);
		check_quiet(&rx[i]);
	}
	close(tx0);
	close(tx1);
	for (i = 0; i < 3; i++)
		ipv4_packet_conn_close(&rx[i]);
}

/*
 * One socket per interface, bound to that interface's unicast address, as
 * the reference's per-interface listeners are: joining and leaving work,
 * but Linux 6.18 delivers a group's datagrams only to sockets bound to the
 * group or to 0.0.0.0, so these receive nothing.
 */
static void test_per_interface_sockets(void)
{
	static const char *const addrs[] = {"10.0.1.2", "10.0.2.2"};
	const int ifindexes[] = {rx_if0, rx_if1};
	const struct expected want = {"to-group", "224.0.0.254", "10.0.1.1",
				      rx_if0, 1};
	struct ipv4_packet_conn rx[2];
	struct ipv4_packet_conn any;
	int tx0 = open_sender(tx_if0, 1);
	size_t i;

	for (i = 0; i < 2; i++) {
		CHECK_FATAL(ipv4_packet_conn_init(
				&rx[i], lab_udp("rx", addrs[i], 5009)) == 0);
		join(&rx[i], ifindexes[i], "224.0.0.254");
	}
	open_receiver(&any, "rx", 5009);
	send_text(tx0, "224.0.0.254", 5009, "to-group");
	check_quiet(&rx[0]);
	check_quiet(&rx[1]);
	/* The wildcard socket gets it through the others' membership. */
	check_datagram(&any, &want);
	for (i = 0; i < 2; i++) {
		leave(&rx[i], ifindexes[i], "224.0.0.254");
		ipv4_packet_conn_close(&rx[i]);
	}
	ipv4_packet_conn_close(&any);
	close(tx0);
}

/*
 * One socket joined to a group on each interface and to a third group on
 * both gets each datagram with the group and interface it came by. A group
 * joined on one interface only is not delivered from the other.
 */
static void test_groups_on_interfaces(void)
{
	struct expected g1 = {"g1", "239.2.0.1", "10.0.1.1", 0, 1};
	struct expected g2 = {"g2", "239.2.0.2", "10.0.2.1", 0, 1};
	struct expected g3_0 = {"g3-0", "224.0.0.251", "10.0.1.1", 0, 1};
	struct expected g3_1 = {"g3-1", "224.0.0.251", "10.0.2.1", 0, 1};
	struct ipv4_packet_conn rx;
	struct ipv4_packet_conn tx1;
	int tx0 = open_sender(tx_if0, 1);

	g1.ifindex = rx_if0;
	g2.ifindex = rx_if1;
	g3_0.ifindex = rx_if0;
	g3_1.ifindex = rx_if1;

	/* The second sender picks its interface through the packet conn. */
	CHECK_FATAL(ipv4_packet_conn_init(&tx1, lab_udp("tx", "0.0.0.0", 0)) ==
		    0);
	CHECK_INT_EQ(ipv4_packet_conn_multicast_interface(&tx1), 0);
	CHECK_OK(ipv4_packet_conn_set_multicast_interface(&tx1, tx_if1));
	CHECK_INT_EQ(ipv4_packet_conn_multicast_interface(&tx1), tx_if1);

	open_receiver(&rx, "rx", 5005);
	join(&rx, rx_if0, "239.2.0.1");
	join(&rx, rx_if1, "239.2.0.2");
	join(&rx, rx_if0, "224.0.0.251");
	join(&rx, rx_if1, "224.0.0.251");

	send_text(tx0, "239.2.0.1", 5005, "g1");
	check_datagram(&rx, &g1);
	send_text(tx1.fd, "239.2.0.2", 5005, "g2");
	check_datagram(&rx, &g2);
	send_text(tx0, "224.0.0.251", 5005, "g3-0");
	check_datagram(&rx, &g3_0);
	send_text(tx1.fd, "224.0.0.251", 5005, "g3-1");
	check_datagram(&rx, &g3_1);

	send_text(tx1.fd, "239.2.0.1", 5005, "g1-on-if1");
	send_text(tx0, "239.2.0.2", 5005, "g2-on-if0");
	check_quiet(&rx);

	leave(&rx, rx_if0, "224.0.0.251");
	send_text(tx0, "224.0.0.251", 5005, "g3-0-left");
	g3_1.text = "g3-1-kept";
	send_text(tx1.fd, "224.0.0.251", 5005, "g3-1-kept");
	check_datagram(&rx, &g3_1);
	check_quiet(&rx);
	close(tx0);
	ipv4_packet_conn_close(&tx1);
	ipv4_packet_conn_close(&rx);
}

/* ifindex 0 joins on the interface of the route to the group. */
static void test_join_by_route(void)
{
	struct expected want = {"by-route", "239.3.0.1", "10.0.2.1", 0, 1};
	struct sockaddr_in group = lab_addr("239.3.0.1", 0);
	struct ipv4_packet_conn rx;
	int tx0 = open_sender(tx_if0, 1);
	int tx1 = open_sender(tx_if1, 1);

	want.ifindex = rx_if1;
	open_receiver(&rx, "rx", 5006);
	CHECK_ERR(ipv4_join_group(rx.fd, 0, sa(&group)), -ENODEV);
	lab_must("ip -n rx route add 224.0.0.0/4 dev rx-if1");
	CHECK_OK(ipv4_join_group(rx.fd, 0, sa(&group)));

	send_text(tx0, "239.3.0.1", 5006, "wrong-interface");
	send_text(tx1, "239.3.0.1", 5006, "by-route");
	check_datagram(&rx, &want);
	check_quiet(&rx);

	CHECK_OK(ipv4_leave_group(rx.fd, 0, sa(&group)));
	send_text(tx1, "239.3.0.1", 5006, "after-leave");
	check_quiet(&rx);
	lab_must("ip -n rx route del 224.0.0.0/4 dev rx-if1");
	close(tx0);
	close(tx1);
	ipv4_packet_conn_close(&rx);
}

#define ECHO_DATA "HELLO-R-U-THERE"
#define ECHO_LEN (8 + sizeof(ECHO_DATA) - 1)

/* Builds an ICMP echo request with identifier 0x1234 and sequence seq. */
static void build_echo(unsigned char *buf, int seq)
{
	uint16_t sum;

	memset(buf, 0, 8);
	buf[0] = IPV4_ICMP_ECHO;
	buf[4] = 0x12;
	buf[5] = 0x34;
	buf[6] = (unsigned char)(seq >> 8);
	buf[7] = (unsigned char)seq;
	memcpy(buf + 8, ECHO_DATA, ECHO_LEN - 8);
	sum = htons(ipv4_checksum(buf, ECHO_LEN));
	memcpy(buf + 2, &sum, 2);
}

/*
 * A group to join, and the one source to join it with (NULL: any), for the
 * UDP, ICMP and raw tests modelled on the reference's.
 */
struct reference_group {
	const char *group;
	const char *source;
};

static const struct reference_group reference_groups[] = {
    {"224.0.0.254", NULL}, /* RFC 4727 experimental group */
    {"232.0.1.254", "10.0.1.1"},
};

static void join_reference_group(int fd, const struct reference_group *g)
{
	struct sockaddr_in group = lab_addr(g->group, 0);
	struct sockaddr_in source;

	if (g->source == NULL) {
		CHECK_OK(ipv4_join_group(fd, rx_if0, sa(&group)));
		return;
	}
	source = lab_addr(g->source, 0);
	CHECK_OK(ipv4_join_source_group(fd, rx_if0, sa(&group), sa(&source)));
}

static void check_control(const struct ipv4_control_message *cm, int on,
			  const char *group, int ttl)
{
	struct in_addr want;

	inet_pton(AF_INET, group, &want);
	if (!on) {
		CHECK_INT_EQ(cm->ttl, 0);
		CHECK_INT_EQ(cm->ifindex, 0);
		CHECK_INT_EQ(cm->dst.s_addr, 0);
		return;
	}
	CHECK_INT_EQ(ntohl(cm->dst.s_addr), ntohl(want.s_addr));
	CHECK_INT_EQ(cm->ifindex, rx_if0);
	CHECK_INT_EQ(cm->ttl, ttl);
}

/*
 * Sends one datagram from tx to group g and port with TTL ttl, and checks
 * what rx reads with its control messages on or off.
 */
static void udp_round(struct ipv4_packet_conn *tx, struct ipv4_packet_conn *rx,
		      size_t g, uint16_t port, int ttl, int on)
{
	struct sockaddr_in dst = lab_addr(reference_groups[g].group, port);
	struct ipv4_control_message cm;
	struct sockaddr_in src;
	char buf[64];
	int n;

	CHECK_OK(ipv4_packet_conn_set_control_message(rx, IPV4_CF_ALL, on));
	CHECK_OK(ipv4_set_multicast_ttl(tx->fd, ttl));
	n = ipv4_packet_conn_write_to(tx, ECHO_DATA, ECHO_LEN - 8, NULL, &dst);
	CHECK_INT_EQ(n, ECHO_LEN - 8);

	n = ipv4_packet_conn_read_from(rx, buf, sizeof(buf), &cm, &src);
	CHECK_INT_EQ(n, ECHO_LEN - 8);
	if (n != ECHO_LEN - 8)
		return;
	CHECK_MEM_EQ(buf, ECHO_DATA, ECHO_LEN - 8);
	CHECK_INT_EQ(ntohl(src.sin_addr.s_addr), 0x0a000101);
	check_control(&cm, on, reference_groups[g].group, ttl);
}

/*
 * UDP sockets bound to the group address itself, as the reference's
 * multicast UDP test binds them, joined to any source or to one: the
 * control message follows the flags toggled on, off and on.
 */
static void test_udp_bound_to_group(void)
{
	size_t g;

	for (g = 0; g < 2; g++) {
		uint16_t port = (uint16_t)(5010 + g);
		struct ipv4_packet_conn tx;
		struct ipv4_packet_conn rx;

		CHECK_FATAL(ipv4_packet_conn_init(
				&tx, lab_udp("tx", "0.0.0.0", 0)) == 0);
		CHECK_FATAL(ipv4_packet_conn_init(
				&rx, lab_udp("rx", reference_groups[g].group,
					     port)) == 0);
		lab_recv_timeout(rx.fd, RECV_MS);
		join_reference_group(rx.fd, &reference_groups[g]);
		CHECK_OK(ipv4_packet_conn_set_multicast_interface(&tx, tx_if0));
		CHECK_OK(ipv4_set_multicast_loopback(tx.fd, 1));
		CHECK_INT_EQ(ipv4_multicast_loopback(tx.fd), 1);

		udp_round(&tx, &rx, g, port, 1, 1);
		udp_round(&tx, &rx, g, port, 2, 0);
		udp_round(&tx, &rx, g, port, 3, 1);
		ipv4_packet_conn_close(&tx);
		ipv4_packet_conn_close(&rx);
	}
}

/*
 * Sends one echo request from tx to group g with TTL ttl, and checks what rx
 * reads with its control messages on or off.
 */
static void icmp_round(struct ipv4_packet_conn *tx, struct ipv4_packet_conn *rx,
		       size_t g, int ttl, int on)
{
	struct sockaddr_in dst = lab_addr(reference_groups[g].group, 0);
	unsigned char echo[ECHO_LEN];
	unsigned char buf[128];
	struct ipv4_control_message cm;
	struct sockaddr_in src;
	int n;

	build_echo(echo, ttl);
	CHECK_OK(ipv4_packet_conn_set_control_message(rx, IPV4_CF_ALL, on));
	CHECK_OK(ipv4_set_multicast_ttl(tx->fd, ttl));
	n = ipv4_packet_conn_write_to(tx, echo, ECHO_LEN, NULL, &dst);
	CHECK_INT_EQ(n, ECHO_LEN);

	n = ipv4_packet_conn_read_from(rx, buf, sizeof(buf), &cm, &src);
	CHECK_INT_EQ(n, ECHO_LEN);
	if (n != ECHO_LEN)
		return;
	CHECK_MEM_EQ(buf, echo, ECHO_LEN);
	CHECK_INT_EQ(ntohl(src.sin_addr.s_addr), 0x0a000101);
	check_control(&cm, on, reference_groups[g].group, ttl);
}

static int open_icmp_socket(const char *ns)
{
	return lab_socket(ns, AF_INET, SOCK_RAW, IPPROTO_ICMP);
}

/*
 * Echo requests to a group over raw ICMP sockets through packet conns: the
 * read returns the ICMP message alone, and the control message follows the
 * flags as they are toggled on, off and on, with the TTL set by
 * ipv4_set_multicast_ttl().
 */
static void test_icmp_packet_conn(void)
{
	size_t g;

	for (g = 0; g < 2; g++) {
		struct ipv4_packet_conn tx;
		struct ipv4_packet_conn rx;

		CHECK_FATAL(
		    ipv4_packet_conn_init(&tx, open_icmp_socket("tx")) == 0);
		CHECK_FATAL(
		    ipv4_packet_conn_init(&rx, open_icmp_socket("rx")) == 0);
		lab_recv_timeout(rx.fd, RECV_MS);
		join_reference_group(rx.fd, &reference_groups[g]);
		CHECK_OK(ipv4_packet_conn_set_multicast_interface(&tx, tx_if0));

		icmp_round(&tx, &rx, g, 1, 1);
		icmp_round(&tx, &rx, g, 2, 0);
		icmp_round(&tx, &rx, g, 3, 1);
		ipv4_packet_conn_close(&tx);
		ipv4_packet_conn_close(&rx);
	}
}

/* Sends an echo request with TOS and TTL tos_ttl in a header of our own. */
static void write_raw_echo(struct ipv4_raw_conn *tx, const char *src,
			   const char *group, int tos_ttl, int seq)
{
	struct ipv4_header h;
	unsigned char echo[ECHO_LEN];

	memset(&h, 0, sizeof(h));
	h.version = IPV4_VERSION;
	h.header_len = IPV4_HEADER_LEN;
	h.tos = (uint8_t)tos_ttl;
	h.ttl = (uint8_t)tos_ttl;
	h.protocol = IPV4_ICMP_PROTOCOL;
	h.total_len = (uint16_t)(IPV4_HEADER_LEN + ECHO_LEN);
	if (src != NULL)
		inet_pton(AF_INET, src, &h.src);
	inet_pton(AF_INET, group, &h.dst);
	build_echo(echo, seq);
	CHECK_INT_EQ(ipv4_raw_conn_write_to(tx, &h, echo, ECHO_LEN, NULL),
		     IPV4_HEADER_LEN + ECHO_LEN);
}

/*
 * Sends one echo request from tx to group g with TOS and TTL tos_ttl, and
 * checks what rx reads. For a source-specific group a packet from 10.0.1.3
 * goes first, and the source filter must drop it.
 */
static void raw_round(struct ipv4_raw_conn *tx, struct ipv4_raw_conn *rx,
		      size_t g, int tos_ttl, int on)
{
	const char *group = reference_groups[g].group;
	unsigned char expected[ECHO_LEN];
	unsigned char buf[128];
	struct ipv4_control_message cm;
	struct ipv4_header h;
	struct in_addr dst;
	int n;

	inet_pton(AF_INET, group, &dst);
	CHECK_OK(
	    ipv4_packet_conn_set_control_message(&rx->conn, IPV4_CF_ALL, on));
	if (reference_groups[g].source != NULL)
		write_raw_echo(tx, "10.0.1.3", group, tos_ttl, 99);
	write_raw_echo(tx, NULL, group, tos_ttl, tos_ttl);
	build_echo(expected, tos_ttl);

	n = ipv4_raw_conn_read_from(rx, buf, sizeof(buf), &h, &cm);
	CHECK_INT_EQ(n, ECHO_LEN);
	if (n != ECHO_LEN)
		return;
	CHECK_MEM_EQ(buf + h.header_len, expected, ECHO_LEN);
	CHECK_INT_EQ(h.tos, tos_ttl);
	CHECK_INT_EQ(h.ttl, tos_ttl);
	CHECK_INT_EQ(h.protocol, IPV4_ICMP_PROTOCOL);
	CHECK_INT_EQ(ntohl(h.src.s_addr), 0x0a000101); /* filled in */
	CHECK_INT_EQ(h.dst.s_addr, dst.s_addr);
	check_control(&cm, on, group, tos_ttl);
}

/*
 * Echo requests to a group through raw conns: the read returns the header
 * as sent (TOS and TTL from the header, source filled by the kernel) and
 * the control message follows the flags.
 */
static void test_raw_conn(void)
{
	size_t g;

	lab_must("ip -n tx addr add 10.0.1.3/24 dev tx-if0");
	for (g = 0; g < 2; g++) {
		struct ipv4_raw_conn tx;
		struct ipv4_raw_conn rx;

		CHECK_FATAL(ipv4_raw_conn_init(&tx, open_icmp_socket("tx")) ==
			    0);
		CHECK_FATAL(ipv4_raw_conn_init(&rx, open_icmp_socket("rx")) ==
			    0);
		lab_recv_timeout(rx.conn.fd, RECV_MS);
		join_reference_group(rx.conn.fd, &reference_groups[g]);
		CHECK_OK(ipv4_set_multicast_interface(tx.conn.fd, tx_if0));

		raw_round(&tx, &rx, g, 1, 1);
		raw_round(&tx, &rx, g, 2, 0);
		raw_round(&tx, &rx, g, 3, 1);
		check_quiet(&rx.conn);
		ipv4_packet_conn_close(&tx.conn);
		ipv4_packet_conn_close(&rx.conn);
	}
	lab_must("ip -n tx addr del 10.0.1.3/24 dev tx-if0");
}

/*
 * One raw conn joined to a group on both interfaces gets the echo requests
 * that arrive on each, with that interface in the control message.
 */
static void test_raw_conn_on_interfaces(void)
{
	const int tx_ifs[] = {tx_if0, tx_if1};
	const int rx_ifs[] = {rx_if0, rx_if1};
	const uint32_t sources[] = {0x0a000101, 0x0a000201};
	struct ipv4_raw_conn tx;
	struct ipv4_raw_conn rx;
	size_t i;

	CHECK_FATAL(ipv4_raw_conn_init(&tx, open_icmp_socket("tx")) == 0);
	CHECK_FATAL(ipv4_raw_conn_init(&rx, open_icmp_socket("rx")) == 0);
	lab_recv_timeout(rx.conn.fd, RECV_MS);
	CHECK_OK(
	    ipv4_packet_conn_set_control_message(&rx.conn, IPV4_CF_ALL, 1));
	for (i = 0; i < 2; i++)
		join(&rx.conn, rx_ifs[i], "224.0.0.254");

	for (i = 0; i < 2; i++) {
		unsigned char buf[128];
		struct ipv4_control_message cm;
		struct ipv4_header h;
		int n;

		CHECK_OK(ipv4_set_multicast_interface(tx.conn.fd, tx_ifs[i]));
		write_raw_echo(&tx, NULL, "224.0.0.254", 1, (int)i + 1);
		n = ipv4_raw_conn_read_from(&rx, buf, sizeof(buf), &h, &cm);
		CHECK_INT_EQ(n, ECHO_LEN);
		if (n != ECHO_LEN)
			continue;
		CHECK_INT_EQ(ntohl(h.src.s_addr), sources[i]);
		CHECK_INT_EQ(cm.ifindex, rx_ifs[i]);
		CHECK_INT_EQ(buf[h.header_len + 7], i + 1); /* the sequence */
	}
	for (i = 0; i < 2; i++)
		leave(&rx.conn, rx_ifs[i], "224.0.0.254");
	ipv4_packet_conn_close(&tx.conn);
	ipv4_packet_conn_close(&rx.conn);
}

/*
 * Raw conns of protocol 253 (RFC 3692, for experiments), one per interface
 * and bound to its unicast address, as in the reference's per-interface raw
 * listeners: each joins and leaves the group on its own interface.
 */
static void test_per_interface_raw_conns(void)
{
	static const char *const addrs[] = {"10.0.1.2", "10.0.2.2"};
	const int ifindexes[] = {rx_if0, rx_if1};
	struct ipv4_raw_conn rx[2];
	size_t i;

	for (i = 0; i < 2; i++) {
		struct sockaddr_in addr = lab_addr(addrs[i], 0);
		int fd = lab_socket("rx", AF_INET, SOCK_RAW, 253);

		CHECK_FATAL(bind(fd, sa(&addr), sizeof(addr)) == 0);
		CHECK_FATAL(ipv4_raw_conn_init(&rx[i], fd) == 0);
		join(&rx[i].conn, ifindexes[i], "224.0.0.254");
	}
	for (i = 0; i < 2; i++) {
		struct sockaddr_in group = lab_addr("224.0.0.254", 0);

		leave(&rx[i].conn, ifindexes[i], "224.0.0.254");
		CHECK_ERR(
		    ipv4_leave_group(rx[i].conn.fd, ifindexes[i], sa(&group)),
		    -EADDRNOTAVAIL);
		ipv4_packet_conn_close(&rx[i].conn);
	}
}

int main(void)
{
	lab_init();
	build_lab();
	test_control_message();
	test_leave_stops_delivery();
	test_loopback();
	test_sockets_sharing_port();
	test_per_interface_sockets();
	test_groups_on_interfaces();
	test_join_by_route();
	test_udp_bound_to_group();
	test_icmp_packet_conn();
	test_raw_conn();
	test_raw_conn_on_interfaces();
	test_per_interface_raw_conns();
	return check_exit();
}
