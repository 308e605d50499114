/* SPDX-License-Identifier: MIT */
/*
 * Soak test. Sender threads in namespace "a" stream sequence-numbered,
 * checksummed datagrams over a veth pair to receiver threads in namespace
 * "b", all through packet conns with batch I/O and control messages on.
 * Meanwhile a toggler thread keeps changing control flags, TTLs, the TOS,
 * multicast options and deadlines under them.
 *
 * At the end every datagram sent is either received intact (its payload
 * checksum holds and its sequence number is new) or counted as dropped by
 * the kernel: UDP InErrors in namespace b's /proc/net/snmp, or a drop on
 * the veth pair's counters. Each receiver also reports the drops it saw
 * through SO_RXQ_OVFL. The resident set size, read from /proc/self/statm,
 * may grow by at most RSS_GROWTH_MAX over the run, and no thread may see
 * an error.
 *
 * IPV4_SOAK_SECONDS sets the length (default 30 s).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "lab.h"

#define NS_PER_SEC 1000000000LL
#define SOAK_SECONDS_DEFAULT 30

#define SENDER_IP "10.0.0.1"
#define RECEIVER_IP "10.0.0.2"
#define GROUP_IP "239.1.2.3"

/*
 * Stream 0 is multicast to GROUP_IP, the others unicast to RECEIVER_IP. The
 * last one floods: its sender never waits and its receive buffer keeps the
 * default size, so that the kernel drops some of it and the count of drops
 * is put to the test.
 */
#define STREAMS 3
#define FLOOD (STREAMS - 1)
#define PORT_BASE 5100

#define BATCH 32
#define DATAGRAM_MAX 1200
/* A sender waits while this many of its datagrams are unaccounted for. */
#define IN_FLIGHT_MAX 1024
#define CONTROL_CAP 128
/*
 * Sequence numbers a receiver remembers, to tell a late datagram from a
 * duplicate. A veth delivers through per-CPU backlogs, so a sender thread
 * that moves to another CPU can have its datagrams overtaken.
 */
#define SEEN_WINDOW 65536

/*
 * The bound on RSS growth: the library and the loops allocate nothing. A
 * sanitizer build also grows its shadow memory and, with ASan's
 * detect_stack_use_after_return, the fake stacks of each thread: 4.5 MiB in
 * a 10 s run with clang 14, so such builds get a looser bound.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SOAK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SOAK_SANITIZED 1
#endif
#endif
#ifdef SOAK_SANITIZED
#define RSS_GROWTH_MAX (32L << 20)
#else
#define RSS_GROWTH_MAX (4L << 20)
#endif

/* The TTLs the toggler switches between, unicast and multicast. */
#define TTL_LOW 64
#define TTL_HIGH 65
#define MULTICAST_TTL_LOW 1
#define MULTICAST_TTL_HIGH 2

struct stream {
	struct ipv4_packet_conn tx; /* in namespace a */
	struct ipv4_packet_conn rx; /* in namespace b */
	struct sockaddr_in dst;
	int multicast;
	/* Written by the sender, read by the receiver and the summary. */
	uint64_t sent;
	/* Written by the receiver: */
	uint64_t received;
	uint64_t next_seq;	/* one past the highest sequence number seen */
	uint64_t reordered;	/* arrived after a higher sequence number */
	uint64_t ovfl;		/* the last SO_RXQ_OVFL count seen */
	uint64_t duplicates;	/* sequence numbers seen twice or late */
	uint64_t corrupt;	/* checksum or length wrong */
	uint64_t bad_control;	/* control message fields wrong */
	uint64_t truncated;	/* MSG_TRUNC or MSG_CTRUNC */
	int errors;
	pthread_t sender, receiver;
	unsigned char tx_bufs[BATCH][DATAGRAM_MAX];
	unsigned char rx_bufs[BATCH][DATAGRAM_MAX + 100];
	/* seen[seq % SEEN_WINDOW]: which of the last numbers arrived. */
	unsigned char seen[SEEN_WINDOW];
	union {
		/* cppcheck-suppress unusedStructMember ; only aligns buf */
		size_t align; /* as struct cmsghdr, which cannot be in an array */
		unsigned char buf[CONTROL_CAP];
	} control[BATCH];
};

static struct stream streams[STREAMS];
static int vb_index;
static int stop_sending;   /* atomic: senders stop */
static int stop_toggling;  /* atomic: the toggler stops */
static int errors_toggler; /* toggler calls that failed */
static uint64_t toggles;

static long rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, resident = 0;

	CHECK_FATAL(f != NULL);
	/* NOLINTNEXTLINE(cert-err34-c): kernel-written numbers */
	CHECK_FATAL(fscanf(f, "%ld %ld", &size, &resident) == 2);
	fclose(f);
	return resident * sysconf(_SC_PAGESIZE);
}

static size_t datagram_len(uint64_t seq)
{
	return 64 + (size_t)(seq * 37 % (DATAGRAM_MAX - 64));
}

static int stopped(const int *flag)
{
	return __atomic_load_n(flag, __ATOMIC_RELAXED);
}

static void report_error(struct stream *s, const char *what, int err)
{
	fprintf(stderr, "stream %d: %s: %s\n", (int)(s - streams), what,
		ipv4_strerror(err));
	s->errors++;
}

/*
 * Sends batches of BATCH datagrams until stop_sending is set. While
 * IN_FLIGHT_MAX datagrams are neither received nor reported dropped through
 * SO_RXQ_OVFL, it waits so that the receivers keep up. It waits 50 ms at
 * most, because a drop is only reported with the next datagram that
 * arrives.
 */
static void *sender_main(void *arg)
{
	struct stream *s = arg;
	struct ipv4_message ms[BATCH];
	struct iovec iov[BATCH];
	struct timespec pause = {0, 100000};
	uint64_t seq = 0, done;
	int i, n, waits = 0;

	while (!stopped(&stop_sending)) {
		done = __atomic_load_n(&s->received, __ATOMIC_RELAXED) +
		       __atomic_load_n(&s->ovfl, __ATOMIC_RELAXED);
		if (s != &streams[FLOOD] && seq - done > IN_FLIGHT_MAX &&
		    waits < 500) {
			nanosleep(&pause, NULL);
			waits++;
			continue;
		}
		waits = 0;
		memset(ms, 0, sizeof(ms));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = s->tx_bufs[i];
			iov[i].iov_len = datagram_len(seq + (uint64_t)i);
			lab_payload_fill(s->tx_bufs[i], iov[i].iov_len,
					 (uint32_t)(seq + (uint64_t)i));
			ms[i].iov = &iov[i];
			ms[i].iovlen = 1;
			ms[i].addr = s->dst;
		}
		n = ipv4_packet_conn_write_batch(&s->tx, ms, BATCH, 0);
		if (n < 0) {
			report_error(s, "write batch", n);
			break;
		}
		for (i = 0; i < n; i++)
			if (ms[i].len != iov[i].iov_len)
				report_error(s, "short write", -EMSGSIZE);
		seq += (uint64_t)n;
		__atomic_store_n(&s->sent, seq, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Returns the SO_RXQ_OVFL count in the ancillary data, or -1 if absent. */
static int64_t control_ovfl(const void *control, size_t len)
{
	struct msghdr msg;
	struct cmsghdr *c;
	uint32_t drops;

	memset(&msg, 0, sizeof(msg));
	msg.msg_control = (void *)control;
	msg.msg_controllen = len;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_RXQ_OVFL &&
		    c->cmsg_len >= CMSG_LEN(sizeof(drops))) {
			memcpy(&drops, CMSG_DATA(c), sizeof(drops));
			return drops;
		}
	}
	return -1;
}

/* Checks the fields the toggler left on; absent ones read as 0. */
static int control_is_valid(const struct stream *s,
			    const struct ipv4_control_message *cm)
{
	int low = s->multicast ? MULTICAST_TTL_LOW : TTL_LOW;
	int high = s->multicast ? MULTICAST_TTL_HIGH : TTL_HIGH;
	in_addr_t dst = s->dst.sin_addr.s_addr;

	if (cm->ttl != 0 && cm->ttl != low && cm->ttl != high)
		return 0;
	if (cm->dst.s_addr != 0 && cm->dst.s_addr != dst)
		return 0;
	return cm->ifindex == 0 || cm->ifindex == vb_index;
}

/*
 * Records seq and returns 1 if it was not seen before. A number older than
 * the window counts as seen: nothing is overtaken by that many datagrams.
 */
static int sequence_is_new(struct stream *s, uint64_t seq)
{
	uint64_t i;

	if (seq >= s->next_seq) {
		if (seq - s->next_seq >= SEEN_WINDOW)
			memset(s->seen, 0, sizeof(s->seen));
		else
			for (i = s->next_seq; i < seq; i++)
				s->seen[i % SEEN_WINDOW] = 0;
		s->seen[seq % SEEN_WINDOW] = 1;
		s->next_seq = seq + 1;
		return 1;
	}
	if (s->next_seq - seq > SEEN_WINDOW || s->seen[seq % SEEN_WINDOW])
		return 0;
	s->seen[seq % SEEN_WINDOW] = 1;
	s->reordered++;
	return 1;
}

static void check_message(struct stream *s, const struct ipv4_message *m)
{
	struct ipv4_control_message cm;
	uint32_t seq;
	int64_t ovfl;

	if (m->flags & (MSG_TRUNC | MSG_CTRUNC))
		s->truncated++;
	if (ipv4_control_parse(&cm, m->control, m->control_len) < 0 ||
	    !control_is_valid(s, &cm))
		s->bad_control++;
	ovfl = control_ovfl(m->control, m->control_len);
	if (ovfl >= 0 && (uint64_t)ovfl > s->ovfl)
		__atomic_store_n(&s->ovfl, (uint64_t)ovfl, __ATOMIC_RELAXED);

	if (lab_payload_check(m->iov->iov_base, m->len, &seq) != 0 ||
	    m->len != datagram_len(seq)) {
		s->corrupt++;
		return;
	}
	/* 32-bit sequence numbers: a 30 s run sends far fewer. */
	if (!sequence_is_new(s, seq)) {
		s->duplicates++;
		return;
	}
	__atomic_store_n(&s->received, s->received + 1, __ATOMIC_RELAXED);
}

/*
 * Receives batches until the toggler has stopped and then nothing comes for
 * a second. Before that, a blocking read returns -EAGAIN after the
 * SO_RCVTIMEO of the socket, or IPV4_ERR_TIMEOUT at a deadline the toggler
 * set, and the loop goes on.
 */
static void *receiver_main(void *arg)
{
	struct stream *s = arg;
	struct ipv4_message ms[BATCH];
	struct iovec iov[BATCH];
	int i, n, draining;

	for (;;) {
		memset(ms, 0, sizeof(ms));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = s->rx_bufs[i];
			iov[i].iov_len = sizeof(s->rx_bufs[i]);
			ms[i].iov = &iov[i];
			ms[i].iovlen = 1;
			ms[i].control = s->control[i].buf;
			ms[i].control_cap = sizeof(s->control[i].buf);
		}
		draining = stopped(&stop_toggling);
		if (draining)
			ipv4_packet_conn_set_read_deadline(
				&s->rx, ipv4_now() + NS_PER_SEC);
		n = ipv4_packet_conn_read_batch(&s->rx, ms, BATCH, 0);
		if (n == IPV4_ERR_TIMEOUT && draining)
			break;
		if (n == IPV4_ERR_TIMEOUT || n == -EAGAIN)
			continue;
		if (n < 0) {
			report_error(s, "read batch", n);
			break;
		}
		for (i = 0; i < n; i++)
			check_message(s, &ms[i]);
	}
	return NULL;
}

static void toggle_check(int err)
{
	if (err < 0) {
		fprintf(stderr, "toggler: %s\n", ipv4_strerror(err));
		errors_toggler++;
	}
}

/* Changes one option of every stream, cycling through them every 1 ms. */
static void toggle_once(uint64_t round)
{
	int on = (int)(round / 8 % 2);
	int i, tx, rx;

	for (i = 0; i < STREAMS; i++) {
		tx = streams[i].tx.fd;
		rx = streams[i].rx.fd;
		switch (round % 8) {
		case 0:
			toggle_check(ipv4_packet_conn_set_control_message(
				&streams[i].rx, IPV4_CF_TTL, on));
			break;
		case 1:
			toggle_check(ipv4_packet_conn_set_control_message(
				&streams[i].rx, IPV4_CF_DST | IPV4_CF_INTERFACE,
				!on));
			break;
		case 2:
			toggle_check(ipv4_set_ttl(tx, on ? TTL_HIGH : TTL_LOW));
			break;
		case 3:
			toggle_check(ipv4_set_multicast_ttl(
				tx, on ? MULTICAST_TTL_HIGH
				       : MULTICAST_TTL_LOW));
			break;
		case 4:
			toggle_check(ipv4_set_tos(tx, on ? 0x10 : 0));
			break;
		case 5:
			toggle_check(ipv4_set_multicast_loopback(tx, on));
			break;
		case 6:
			/* Far enough ahead never to expire while data flows. */
			toggle_check(ipv4_packet_conn_set_read_deadline(
				&streams[i].rx,
				on ? ipv4_now() + 5 * NS_PER_SEC : 0));
			break;
		default:
			toggle_check(ipv4_multicast_ttl(tx));
			toggle_check(ipv4_tos(rx));
			toggle_check(ipv4_packet_conn_control_message(
				&streams[i].rx));
			break;
		}
	}
}

static void *toggler_main(void *arg)
{
	struct timespec ms = {0, 1000000};
	uint64_t round = 0;

	(void)arg;
	while (!stopped(&stop_toggling)) {
		toggle_once(round++);
		nanosleep(&ms, NULL);
	}
	toggles = round;
	return NULL;
}

/* Returns the counter name of the "Udp:" lines of /proc/net/snmp in ns. */
static long long udp_counter(const char *ns, const char *name)
{
	char header[512], values[512];
	char *save1, *save2, *h, *v;
	long long value = -1;
	FILE *f;

	lab_enter(ns);
	f = fopen("/proc/thread-self/net/snmp", "r");
	lab_enter(NULL);
	CHECK_FATAL(f != NULL);
	while (fgets(header, sizeof(header), f) != NULL) {
		if (strncmp(header, "Udp:", 4) != 0)
			continue;
		CHECK_FATAL(fgets(values, sizeof(values), f) != NULL);
		h = strtok_r(header, " \n", &save1);
		v = strtok_r(values, " \n", &save2);
		while (h != NULL && v != NULL) {
			if (strcmp(h, name) == 0)
				value = strtoll(v, NULL, 10);
			h = strtok_r(NULL, " \n", &save1);
			v = strtok_r(NULL, " \n", &save2);
		}
		break;
	}
	fclose(f);
	CHECK_FATAL(value >= 0);
	return value;
}

/* Returns the rx and tx drops of ifname in ns, from /proc/net/dev. */
static long long link_drops(const char *ns, const char *ifname)
{
	char line[512], name[64];
	unsigned long long v[16];
	long long drops = -1;
	FILE *f;

	lab_enter(ns);
	f = fopen("/proc/thread-self/net/dev", "r");
	lab_enter(NULL);
	CHECK_FATAL(f != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');

		if (colon == NULL)
			continue;
		*colon = ' ';
		/* NOLINTNEXTLINE(cert-err34-c): kernel-written numbers */
		if (sscanf(line, "%63s %llu %llu %llu %llu %llu %llu %llu %llu "
				 "%llu %llu %llu %llu",
			   name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7], &v[8], &v[9], &v[10], &v[11]) != 13)
			continue;
		/* rx drop is the fourth number and tx drop the twelfth. */
		if (strcmp(name, ifname) == 0)
			drops = (long long)(v[3] + v[11]);
	}
	fclose(f);
	CHECK_FATAL(drops >= 0);
	return drops;
}

static int soak_seconds(void)
{
	const char *text = getenv("IPV4_SOAK_SECONDS");
	long value;
	char *end;

	if (text == NULL || *text == '\0')
		return SOAK_SECONDS_DEFAULT;
	value = strtol(text, &end, 10);
	if (*end != '\0' || value < 1 || value > 3600) {
		fprintf(stderr, "IPV4_SOAK_SECONDS=%s: give 1 to 3600\n", text);
		exit(1);
	}
	return (int)value;
}

static void open_conn(struct ipv4_packet_conn *c, int fd)
{
	int err = ipv4_packet_conn_init(c, fd);

	if (err < 0) {
		fprintf(stderr, "ipv4_packet_conn_init: %s\n",
			ipv4_strerror(err));
		exit(1);
	}
}

static void stream_open(struct stream *s, int index, int va_index)
{
	struct sockaddr_in group = lab_addr(GROUP_IP, 0);
	uint16_t port = (uint16_t)(PORT_BASE + index);
	int on = 1, size = 4 << 20;
	int rx;

	s->multicast = index == 0;
	s->dst = lab_addr(s->multicast ? GROUP_IP : RECEIVER_IP, port);
	rx = lab_udp("b", s->multicast ? GROUP_IP : RECEIVER_IP, port);
	/* As root in its namespace the test may pass net.core.rmem_max. */
	if (index != FLOOD &&
	    setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	CHECK_FATAL(setsockopt(rx, SOL_SOCKET, SO_RXQ_OVFL, &on,
			       sizeof(on)) == 0);
	lab_recv_timeout(rx, 200);
	open_conn(&s->rx, rx);
	CHECK_OK(ipv4_packet_conn_set_control_message(&s->rx, IPV4_CF_ALL, 1));
	if (s->multicast)
		CHECK_OK(ipv4_join_group(rx, vb_index,
					 (struct sockaddr *)&group));

	open_conn(&s->tx, lab_udp("a", SENDER_IP, 0));
	CHECK_OK(ipv4_set_ttl(s->tx.fd, TTL_LOW));
	CHECK_OK(ipv4_set_multicast_ttl(s->tx.fd, MULTICAST_TTL_LOW));
	CHECK_OK(ipv4_packet_conn_set_multicast_interface(&s->tx, va_index));
}

int main(void)
{
	int seconds = soak_seconds();
	long long in_errors, link_before, link_after, socket_drops, link;
	uint64_t sent = 0, received = 0, ovfl = 0, lost;
	pthread_t toggler;
	long rss_before, rss_after;
	int i, va_index;

	lab_init();
	lab_ns("a");
	lab_ns("b");
	lab_veth("a", "va", SENDER_IP "/24", "b", "vb", RECEIVER_IP "/24");
	va_index = lab_ifindex("a", "va");
	vb_index = lab_ifindex("b", "vb");
	for (i = 0; i < STREAMS; i++)
		stream_open(&streams[i], i, va_index);
	in_errors = udp_counter("b", "InErrors");
	link_before = link_drops("a", "va") + link_drops("b", "vb");

	for (i = 0; i < STREAMS; i++) {
		CHECK_FATAL(pthread_create(&streams[i].receiver, NULL,
					   receiver_main, &streams[i]) == 0);
		CHECK_FATAL(pthread_create(&streams[i].sender, NULL,
					   sender_main, &streams[i]) == 0);
	}
	CHECK_FATAL(pthread_create(&toggler, NULL, toggler_main, NULL) == 0);

	/* RSS once every thread runs, so that their stacks are counted. */
	sleep(1);
	rss_before = rss_bytes();
	sleep((unsigned)(seconds > 1 ? seconds - 1 : 1));
	rss_after = rss_bytes();

	__atomic_store_n(&stop_sending, 1, __ATOMIC_RELAXED);
	for (i = 0; i < STREAMS; i++)
		pthread_join(streams[i].sender, NULL);
	__atomic_store_n(&stop_toggling, 1, __ATOMIC_RELAXED);
	pthread_join(toggler, NULL);
	for (i = 0; i < STREAMS; i++)
		pthread_join(streams[i].receiver, NULL);

	socket_drops = udp_counter("b", "InErrors") - in_errors;
	link_after = link_drops("a", "va") + link_drops("b", "vb");
	link = link_after - link_before;
	for (i = 0; i < STREAMS; i++) {
		struct stream *s = &streams[i];

		printf("stream %d (%s): sent %llu, received %llu "
		       "(%llu reordered), SO_RXQ_OVFL %llu\n",
		       i,
		       s->multicast   ? "multicast"
		       : i == FLOOD ? "unicast flood"
				    : "unicast",
		       (unsigned long long)s->sent,
		       (unsigned long long)s->received,
		       (unsigned long long)s->reordered,
		       (unsigned long long)s->ovfl);
		CHECK_INT_EQ(s->errors, 0);
		CHECK_INT_EQ(s->corrupt, 0);
		CHECK_INT_EQ(s->duplicates, 0);
		CHECK_INT_EQ(s->bad_control, 0);
		CHECK_INT_EQ(s->truncated, 0);
		CHECK(s->received > 0);
		CHECK(s->received <= s->sent);
		sent += s->sent;
		received += s->received;
		ovfl += s->ovfl;
	}
	lost = sent - received;
	CHECK_INT_EQ(errors_toggler, 0);
	CHECK(toggles > 100);
	/* Every datagram that did not arrive is a drop the kernel counted. */
	CHECK_INT_EQ(lost, socket_drops + link);
	CHECK(ovfl <= (uint64_t)socket_drops);
	CHECK(rss_after - rss_before <= RSS_GROWTH_MAX);

	printf("soak: %d s, %llu toggles, sent %llu, received %llu, dropped "
	       "%llu (UDP InErrors %lld, link %lld, SO_RXQ_OVFL %llu), "
	       "RSS %ld KiB before, %ld KiB after\n",
	       seconds, (unsigned long long)toggles,
	       (unsigned long long)sent, (unsigned long long)received,
	       (unsigned long long)lost, socket_drops, link,
	       (unsigned long long)ovfl, rss_before >> 10, rss_after >> 10);
	for (i = 0; i < STREAMS; i++) {
		ipv4_packet_conn_close(&streams[i].tx);
		ipv4_packet_conn_close(&streams[i].rx);
	}
	return check_exit();
}
