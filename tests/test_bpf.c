/* SPDX-License-Identifier: MIT */
/*
 * Classic BPF filters on real traffic over a veth: a program that accepts
 * one source address or one datagram length drops the rest. The library's
 * own argument errors and the kernel's verdicts (no final return, too many
 * instructions, locked filter, nothing to detach) reach the caller.
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

#define PORT 4300
#define QUIET_MS 300 /* how long "nothing arrives" is watched for */

/* One instruction a line. */
/* clang-format off */
static const struct sock_filter accept_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
};

/* Accepts datagrams whose IPv4 source is 10.0.0.1 (0x0a000001). */
static const struct sock_filter accept_source[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_NET_OFF + 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0a000001, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* Accepts 10-byte payloads: on UDP the program reads 8 + 10 bytes. */
static const struct sock_filter accept_length[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 18, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* Accepts datagrams whose first payload byte (after 8 of UDP) is even. */
static const struct sock_filter accept_even_byte[] = {
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 8),
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 1),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 4096),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* Accepts nothing. */
static const struct sock_filter drop_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0),
};
/* clang-format on */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Namespaces a (10.0.0.1 and 10.0.0.3 on veth-a) and b (10.0.0.2). */
static void build_lab(void)
{
	lab_ns("a");
	lab_ns("b");
	lab_veth("a", "veth-a", "10.0.0.1/24", "b", "veth-b", "10.0.0.2/24");
	lab_must("ip -n a addr add 10.0.0.3/24 dev veth-a");
}

static void send_text(int fd, const char *text)
{
	struct sockaddr_in dst = lab_addr("10.0.0.2", PORT);
	size_t len = strlen(text);

	CHECK_INT_EQ(
	    sendto(fd, text, len, 0, (struct sockaddr *)&dst, sizeof(dst)),
	    len);
}

/*
 * Receives one datagram within timeout_ms into buf (NUL-terminated) and
 * returns its length, or -1 when none arrives in time.
 */
static int recv_text(int fd, char *buf, size_t cap, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t n;

	buf[0] = '\0';
	if (poll(&pfd, 1, timeout_ms) != 1)
		return -1;
	n = recv(fd, buf, cap - 1, MSG_DONTWAIT);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

static void check_receives(int fd, const char *text)
{
	char buf[128];

	CHECK_INT_EQ(recv_text(fd, buf, sizeof(buf), 2000), strlen(text));
	CHECK_STR_EQ(buf, text);
}

static void check_quiet(int fd)
{
	char buf[128];

	CHECK_INT_EQ(recv_text(fd, buf, sizeof(buf), QUIET_MS), -1);
}

static void test_source_filter(void)
{
	int from_1 = lab_udp("a", "10.0.0.1", 0);
	int from_3 = lab_udp("a", "10.0.0.3", 0);
	int rx = lab_udp("b", "10.0.0.2", PORT);

	/* First prove that both senders reach the receiver. */
	send_text(from_3, "three");
	check_receives(rx, "three");
	send_text(from_1, "one");
	check_receives(rx, "one");

	CHECK_OK(ipv4_bpf_attach(rx, accept_source, COUNT(accept_source)));
	send_text(from_3, "three-dropped");
	send_text(from_1, "one-a");
	send_text(from_3, "three-dropped-again");
	send_text(from_1, "one-b");
	check_receives(rx, "one-a");
	check_receives(rx, "one-b");
	check_quiet(rx);

	CHECK_OK(ipv4_bpf_detach(rx));
	send_text(from_3, "three-after-detach");
	check_receives(rx, "three-after-detach");
	close(from_1);
	close(from_3);
	close(rx);
}

static void test_length_filter(void)
{
	int tx = lab_udp("a", "10.0.0.1", 0);
	int rx = lab_udp("b", "10.0.0.2", PORT);

	CHECK_OK(ipv4_bpf_attach(rx, accept_length, COUNT(accept_length)));
	send_text(tx, "nine-byte");
	send_text(tx, "ten-bytes!");
	send_text(tx, "eleven-byte");
	send_text(tx, "");
	send_text(tx, "0123456789");
	check_receives(rx, "ten-bytes!");
	check_receives(rx, "0123456789");
	check_quiet(rx);
	close(tx);
	close(rx);
}

/* The reference's own case: one-byte datagrams 0 to 9, only even ones kept. */
static void test_payload_filter(void)
{
	int tx = lab_udp("a", "10.0.0.1", 0);
	int rx = lab_udp("b", "10.0.0.2", PORT);
	struct sockaddr_in dst = lab_addr("10.0.0.2", PORT);
	unsigned char byte;
	int i;

	CHECK_OK(
	    ipv4_bpf_attach(rx, accept_even_byte, COUNT(accept_even_byte)));
	for (i = 0; i < 10; i++) {
		byte = (unsigned char)i;
		CHECK_INT_EQ(sendto(tx, &byte, 1, 0, (struct sockaddr *)&dst,
				    sizeof(dst)),
			     1);
	}
	for (i = 0; i < 10; i += 2) {
		char buf[16];

		CHECK_INT_EQ(recv_text(rx, buf, sizeof(buf), 2000), 1);
		CHECK_INT_EQ(buf[0], i);
	}
	check_quiet(rx);
	close(tx);
	close(rx);
}

/* Attaching a second program replaces the first. */
static void test_attach_replaces(void)
{
	int tx = lab_udp("a", "10.0.0.1", 0);
	int rx = lab_udp("b", "10.0.0.2", PORT);

	CHECK_OK(ipv4_bpf_attach(rx, drop_all, COUNT(drop_all)));
	send_text(tx, "dropped");
	check_quiet(rx);
	CHECK_OK(ipv4_bpf_attach(rx, accept_all, COUNT(accept_all)));
	send_text(tx, "accepted");
	check_receives(rx, "accepted");
	close(tx);
	close(rx);
}

/* A locked filter keeps working and can be neither replaced nor removed. */
static void test_lock(void)
{
	int from_1 = lab_udp("a", "10.0.0.1", 0);
	int from_3 = lab_udp("a", "10.0.0.3", 0);
	int rx = lab_udp("b", "10.0.0.2", PORT);

	CHECK_OK(ipv4_bpf_attach(rx, accept_source, COUNT(accept_source)));
	CHECK_OK(ipv4_bpf_lock(rx));
	CHECK_ERR(ipv4_bpf_attach(rx, accept_all, COUNT(accept_all)), -EPERM);
	CHECK_ERR(ipv4_bpf_detach(rx), -EPERM);
	send_text(from_3, "three-locked-out");
	send_text(from_1, "one-locked-in");
	check_receives(rx, "one-locked-in");
	check_quiet(rx);
	close(from_1);
	close(from_3);
	close(rx);
}

static void test_lock_without_program(void)
{
	int fd = lab_socket(NULL, AF_INET, SOCK_DGRAM, 0);

	CHECK_OK(ipv4_bpf_lock(fd));
	CHECK_ERR(ipv4_bpf_attach(fd, accept_all, COUNT(accept_all)), -EPERM);
	CHECK_ERR(ipv4_bpf_detach(fd), -EPERM);
	close(fd);
}

static void test_detach_without_program(void)
{
	int fd = lab_socket(NULL, AF_INET, SOCK_DGRAM, 0);

	CHECK_ERR(ipv4_bpf_detach(fd), -ENOENT);
	CHECK_OK(ipv4_bpf_attach(fd, accept_all, COUNT(accept_all)));
	CHECK_OK(ipv4_bpf_detach(fd));
	CHECK_ERR(ipv4_bpf_detach(fd), -ENOENT);
	close(fd);
}

static struct sock_filter long_program[IPV4_BPF_MAX_INSNS + 1];

/* Returns a program of n instructions: n - 1 loads, then a return. */
static const struct sock_filter *program_of(size_t n)
{
	const struct sock_filter load = BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0);
	const struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, 0xffff);
	size_t i;

	for (i = 0; i + 1 < n; i++)
		long_program[i] = load;
	long_program[n - 1] = ret;
	return long_program;
}

static void test_kernel_verdicts(void)
{
	/* clang-format off */
	static const struct sock_filter no_return[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
	};
	static const struct sock_filter bad_jump[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 5),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	/* clang-format on */
	int fd = lab_socket(NULL, AF_INET, SOCK_DGRAM, 0);

	CHECK_ERR(ipv4_bpf_attach(fd, no_return, COUNT(no_return)), -EINVAL);
	CHECK_ERR(ipv4_bpf_attach(fd, bad_jump, COUNT(bad_jump)), -EINVAL);
	CHECK_ERR(ipv4_bpf_attach(fd, program_of(IPV4_BPF_MAX_INSNS + 1),
				  IPV4_BPF_MAX_INSNS + 1),
		  -EINVAL);
	CHECK_OK(ipv4_bpf_attach(fd, program_of(IPV4_BPF_MAX_INSNS),
				 IPV4_BPF_MAX_INSNS));
	/* A rejected program leaves the one attached before in place. */
	CHECK_ERR(ipv4_bpf_attach(fd, no_return, COUNT(no_return)), -EINVAL);
	CHECK_OK(ipv4_bpf_detach(fd));
	CHECK_ERR(ipv4_bpf_detach(fd), -ENOENT);
	close(fd);
}

/* Checked before any system call, so a closed fd is never reached. */
static void test_argument_errors(void)
{
	int fd = lab_socket(NULL, AF_INET, SOCK_DGRAM, 0);

	close(fd);
	CHECK_ERR(ipv4_bpf_attach(fd, accept_all, 0), IPV4_ERR_EMPTY_PROGRAM);
	CHECK_ERR(ipv4_bpf_attach(fd, NULL, 0), IPV4_ERR_EMPTY_PROGRAM);
	CHECK_ERR(ipv4_bpf_attach(fd, NULL, 1), -EINVAL);
	CHECK_ERR(ipv4_bpf_attach(fd, accept_all, 65536), -EINVAL);
	CHECK_ERR(ipv4_bpf_attach(fd, accept_all, (size_t)-1), -EINVAL);
	/* Valid arguments reach the kernel, which returns EBADF. */
	CHECK_ERR(ipv4_bpf_attach(fd, accept_all, COUNT(accept_all)), -EBADF);
	CHECK_ERR(ipv4_bpf_detach(fd), -EBADF);
	CHECK_ERR(ipv4_bpf_lock(fd), -EBADF);

	CHECK_ERR(ipv4_bpf_attach(-1, accept_all, COUNT(accept_all)), -EBADF);
	CHECK_ERR(ipv4_bpf_detach(-1), -EBADF);
	CHECK_ERR(ipv4_bpf_lock(-1), -EBADF);
}

/* On a raw socket the program reads the packet from its IPv4 header on. */
static void test_raw_socket_filter(void)
{
	/* clang-format off */
	static const struct sock_filter accept_source_raw[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0a000001, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	/* clang-format on */
	int from_1 = lab_udp("a", "10.0.0.1", 0);
	int from_3 = lab_udp("a", "10.0.0.3", 0);
	int rx = lab_socket("b", AF_INET, SOCK_RAW, IPPROTO_UDP);
	unsigned char pkt[256];
	struct pollfd pfd = {.fd = rx, .events = POLLIN};
	ssize_t n;

	CHECK_OK(
	    ipv4_bpf_attach(rx, accept_source_raw, COUNT(accept_source_raw)));
	send_text(from_3, "raw-dropped");
	send_text(from_1, "raw-kept");

	CHECK_INT_EQ(poll(&pfd, 1, 2000), 1);
	n = recv(rx, pkt, sizeof(pkt), MSG_DONTWAIT);
	CHECK_INT_EQ(n, 20 + 8 + 8);
	CHECK_INT_EQ(pkt[12], 10);
	CHECK_INT_EQ(pkt[15], 1);
	CHECK_MEM_EQ(pkt + 28, "raw-kept", 8);
	CHECK_INT_EQ(poll(&pfd, 1, QUIET_MS), 0);
	close(from_1);
	close(from_3);
	close(rx);
}

int main(void)
{
	lab_init();
	test_argument_errors();
	test_detach_without_program();
	test_kernel_verdicts();
	test_lock_without_program();

	build_lab();
	test_source_filter();
	test_length_filter();
	test_payload_filter();
	test_attach_replaces();
	test_lock();
	test_raw_socket_filter();
	return check_exit();
}
