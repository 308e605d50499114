/* SPDX-License-Identifier: MIT */
/*
 * Runs examples/mdns_oneshot in a namespace and queries it from a neighbour
 * over a veth. The first query, a unicast datagram to its port, must be
 * ignored. The second, sent to 224.0.0.251, must get a unicast reply to the
 * querier's address and port. Both queries leave one socket, so a reply to
 * the unicast one would arrive there too and fail the test.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "lab.h"

/* Finds the example next to this test: build/tests/.. /examples. */
static void example_path(char *path, size_t cap)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	CHECK_FATAL(n > 0);
	self[n] = '\0';
	snprintf(path, cap, "%s/../examples/mdns_oneshot", dirname(self));
}

/* Starts the responder in namespace m; its stdout goes to *out. */
static pid_t start_responder(const char *path, FILE **out)
{
	int ready[2], output[2];
	char line[256];
	FILE *err;
	pid_t pid;

	CHECK_FATAL(pipe(ready) == 0 && pipe(output) == 0);
	pid = fork();
	CHECK_FATAL(pid >= 0);
	if (pid == 0) {
		dup2(ready[1], 2);
		dup2(output[1], 1);
		execlp("ip", "ip", "netns", "exec", "m", path, "eth0", "5",
		       (char *)NULL);
		_exit(127);
	}
	close(ready[1]);
	close(output[1]);
	/* The responder prints this line once it has joined the group. */
	err = fdopen(ready[0], "r");
	CHECK_FATAL(err != NULL);
	CHECK_FATAL(fgets(line, sizeof(line), err) != NULL);
	CHECK(strncmp(line, "listening on 0.0.0.0:5353", 25) == 0);
	fclose(err);
	*out = fdopen(output[0], "r");
	CHECK_FATAL(*out != NULL);
	return pid;
}

static void send_query(int fd, const char *ip, const char *text)
{
	struct sockaddr_in to = lab_addr(ip, 5353);

	CHECK_INT_EQ(sendto(fd, text, strlen(text), 0, (struct sockaddr *)&to,
			    sizeof(to)),
		     strlen(text));
}

static void check_reply(int fd)
{
	static const char expected[] = "ANSWER group query";
	struct sockaddr_in from = {0};
	socklen_t len = sizeof(from);
	char buf[256];
	ssize_t n;

	n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from,
		     &len);
	CHECK_INT_EQ(n, sizeof(expected) - 1);
	if (n < 0)
		return;
	buf[n] = '\0';
	CHECK_STR_EQ(buf, expected);
	CHECK_STR_EQ(inet_ntoa(from.sin_addr), "10.0.7.1");
	CHECK_INT_EQ(ntohs(from.sin_port), 5353);

	/* No second reply: the unicast query was ignored. */
	lab_recv_timeout(fd, 300);
	n = recv(fd, buf, sizeof(buf), 0);
	CHECK_INT_EQ(n, -1);
}

static void check_responder_output(FILE *out, pid_t pid)
{
	char line[256] = "";
	int status = 0;

	CHECK(fgets(line, sizeof(line), out) != NULL);
	CHECK(strncmp(line, "ignored 13 bytes from 10.0.7.2:", 31) == 0);
	CHECK(strstr(line, " to 10.0.7.1\n") != NULL);
	CHECK(fgets(line, sizeof(line), out) != NULL);
	CHECK(strncmp(line, "answered 11 bytes from 10.0.7.2:", 32) == 0);
	CHECK(strstr(line, " to 224.0.0.251\n") != NULL);
	fclose(out);
	CHECK_INT_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_INT_EQ(WEXITSTATUS(status), 0);
}

int main(void)
{
	char path[PATH_MAX + 32];
	FILE *out;
	pid_t pid;
	int fd;

	lab_init();
	example_path(path, sizeof(path));
	if (access(path, X_OK) != 0)
		check_skip("examples/mdns_oneshot is not built");
	lab_ns("m");
	lab_ns("q");
	lab_veth("m", "eth0", "10.0.7.1/24", "q", "eth0", "10.0.7.2/24");

	pid = start_responder(path, &out);
	fd = lab_udp("q", "10.0.7.2", 0);
	lab_recv_timeout(fd, 3000);
	CHECK_OK(ipv4_set_multicast_interface(fd, lab_ifindex("q", "eth0")));
	send_query(fd, "10.0.7.1", "unicast query");
	send_query(fd, "224.0.0.251", "group query");
	check_reply(fd);
	check_responder_output(out, pid);
	close(fd);
	return check_exit();
}
