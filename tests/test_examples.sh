#!/bin/bash
# Runs the example programs in namespace labs and checks what they put on
# the wire or print. marking_tcp's segments must carry TOS 0x28 and TTL 128
# at the client (seen by tcpdump). traceroute must show three routers and
# then the destination. ospf_hello's hello must reach a neighbour with TOS
# 0xc0, TTL 1 and protocol 89. The mDNS example has its own test in C
# (test_mdns_example.c), because its querier needs one socket that sends
# both unicast and multicast and reads the reply.
set -u
: "${IPV4_BUILD_DIR:?set IPV4_BUILD_DIR to the build directory}"
: "${IPV4_SOURCE_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$IPV4_SOURCE_DIR/scripts/lab-common.sh"

examples="$IPV4_BUILD_DIR/examples"
work=$(mktemp -d)
failures=0
trap 'jobs -p | xargs -r kill 2>/dev/null; lab_cleanup; rm -rf "$work"' EXIT

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect_output NAME PATTERN FILE: FILE has a line matching PATTERN.
expect_output() {
	grep -qE -- "$2" "$3" || {
		fail "$1: no line matches '$2' in:"
		sed 's/^/    /' "$3" >&2
	}
}

# capture_start NS NAME FILTER: runs tcpdump on eth0 in NS in the
# background, the packets in $work/NAME.pcap.txt, and waits until it
# captures. Returns 1, with a "skipped:" line, when tcpdump is not installed
# or cannot run here: in a user namespace its switch to the tcpdump user
# fails, because setgroups(2) is denied there.
capture_start() {
	if ! command -v tcpdump >/dev/null 2>&1; then
		echo "skipped: tcpdump not found, so $2 packets are not checked"
		return 1
	fi
	ip netns exec "$1" tcpdump -i eth0 -n -v -l "$3" \
		>"$work/$2.pcap.txt" 2>"$work/$2.tcpdump.err" &
	capture_pid=$!
	local tries=50
	while [ "$tries" -gt 0 ] && kill -0 "$capture_pid" 2>/dev/null &&
		! grep -q 'listening on' "$work/$2.tcpdump.err"; do
		sleep 0.1
		tries=$((tries - 1))
	done
	if ! grep -q 'listening on' "$work/$2.tcpdump.err"; then
		echo "skipped: tcpdump cannot capture here, so $2 packets are" \
			"not checked: $(head -n 1 "$work/$2.tcpdump.err")"
		return 1
	fi
}

capture_stop() {
	sleep 0.2
	kill "$capture_pid" 2>/dev/null
	wait "$capture_pid" 2>/dev/null
}

# Joins each header line of tcpdump -v with the line after it, so that a
# segment's TOS and TTL and its addresses and flags are on one line.
join_pairs() {
	sed -n 'N;s/\n */ | /;p' "$1"
}

test_marking_tcp() {
	local captured=0 status
	lab_ns srv
	lab_ns cli
	lab_veth srv eth0 10.0.5.1/24 cli eth0 10.0.5.2/24
	ip netns exec srv "$examples/marking_tcp" 8000 1 >"$work/tcp.out" \
		2>"$work/tcp.err" &
	local server=$!
	lab_wait_for "$work/tcp.err" '^listening on' 5 ||
		fail "marking_tcp did not start: $(cat "$work/tcp.err")"
	capture_start cli tcp 'tcp and src host 10.0.5.1' && captured=1

	timeout 5 ip netns exec cli bash -c \
		'exec 3<>/dev/tcp/10.0.5.1/8000 && cat <&3' >"$work/tcp.got"
	wait "$server"
	status=$?
	[ "$status" = 0 ] || fail "marking_tcp: exit status $status"
	expect_output "marking_tcp greeting" '^HELLO-R-U-THERE-ACK$' \
		"$work/tcp.got"
	expect_output "marking_tcp options" \
		'^accepted 10\.0\.5\.2:[0-9]+ tos=0x28 ttl=128$' "$work/tcp.out"

	[ "$captured" = 1 ] || return
	capture_stop
	join_pairs "$work/tcp.pcap.txt" >"$work/tcp.segments"
	# The data segment and what follows it carry the marks. The SYN-ACK
	# left before accept(), with the listener's TOS and TTL.
	expect_output "marking_tcp data segment" \
		'tos 0x28, ttl 128, .* \| 10\.0\.5\.1\.8000 > 10\.0\.5\.2\.[0-9]+: Flags \[P\.\]' \
		"$work/tcp.segments"
	expect_output "marking_tcp fin segment" \
		'tos 0x28, ttl 128, .* \| 10\.0\.5\.1\.8000 > 10\.0\.5\.2\.[0-9]+: Flags \[F\.\]' \
		"$work/tcp.segments"
	if grep -E 'Flags \[(P|F)\.\]' "$work/tcp.segments" |
		grep -vqE 'tos 0x28, ttl 128,'; then
		fail "marking_tcp: a segment after accept() is not marked:"
		sed 's/^/    /' "$work/tcp.segments" >&2
	fi
}

test_traceroute() {
	local status
	lab_router_chain
	ip netns exec src "$examples/traceroute" 10.1.4.2 8 \
		>"$work/trace.out" 2>&1
	status=$?
	[ "$status" = 0 ] || fail "traceroute: exit status $status"
	expect_output "traceroute hop 1" \
		$'^1\t10\\.1\\.1\\.2\t[0-9.]+ ms\tttl=64 src=10\\.1\\.1\\.1 dst=10\\.1\\.1\\.1 ifindex=[0-9]+$' \
		"$work/trace.out"
	expect_output "traceroute hop 2" $'^2\t10\\.1\\.2\\.2\t[0-9.]+ ms\tttl=63 ' \
		"$work/trace.out"
	expect_output "traceroute hop 3" $'^3\t10\\.1\\.3\\.2\t[0-9.]+ ms\tttl=62 ' \
		"$work/trace.out"
	expect_output "traceroute destination" \
		$'^4\t10\\.1\\.4\\.2\t[0-9.]+ ms\tttl=61 ' "$work/trace.out"
	[ "$(wc -l <"$work/trace.out")" = 4 ] ||
		fail "traceroute: expected 4 lines in: $(cat "$work/trace.out")"

	# A destination that ignores echo requests gets a * at its hop.
	ip netns exec dst sysctl -qw net.ipv4.icmp_echo_ignore_all=1
	ip netns exec src "$examples/traceroute" 10.1.4.2 4 \
		>"$work/trace.out" 2>&1
	status=$?
	[ "$status" = 1 ] || fail "traceroute silent: exit status $status"
	expect_output "traceroute silent" $'^4\t\\*$' "$work/trace.out"
}

test_ospf_hello() {
	local captured=0 status ifindex
	lab_ns o1
	lab_ns o2
	lab_veth o1 eth0 10.0.6.1/24 o2 eth0 10.0.6.2/24
	ifindex=$(ip netns exec o2 cat /sys/class/net/eth0/ifindex)
	ip netns exec o2 "$examples/ospf_hello" listen eth0 5 \
		>"$work/ospf.out" 2>"$work/ospf.err" &
	local listener=$!
	lab_wait_for "$work/ospf.err" '^listening for OSPF' 5 ||
		fail "ospf_hello listen did not start: $(cat "$work/ospf.err")"
	capture_start o2 ospf 'ip proto 89' && captured=1

	ip netns exec o1 "$examples/ospf_hello" send eth0 10.0.6.1 \
		>"$work/ospf.sent" 2>&1 || fail "ospf_hello send: exit status $?"
	expect_output "ospf_hello send" '^sent 64 bytes to 224\.0\.0\.5' \
		"$work/ospf.sent"
	wait "$listener"
	status=$?
	[ "$status" = 0 ] || fail "ospf_hello listen: exit status $status"
	# The kernel filled the ID and the checksum, which were 0.
	expect_output "ospf_hello header" \
		'^header: ver=4 hdrlen=20 tos=0xc0 totallen=64 id=0x[1-9a-f][0-9a-f]* flags=0x0 fragoff=0x0 ttl=1 proto=89 cksum=0x[1-9a-f][0-9a-f]* src=10\.0\.6\.1 dst=224\.0\.0\.5$' \
		"$work/ospf.out"
	expect_output "ospf_hello control" \
		"^control: ttl=1 src=10\\.0\\.6\\.2 dst=224\\.0\\.0\\.5 ifindex=$ifindex\$" \
		"$work/ospf.out"
	expect_output "ospf_hello body" \
		'^hello from router 10\.0\.6\.1, 44 bytes$' "$work/ospf.out"

	[ "$captured" = 1 ] || return
	capture_stop
	join_pairs "$work/ospf.pcap.txt" >"$work/ospf.packets"
	expect_output "ospf_hello on the wire" \
		'tos 0xc0, ttl 1, .*proto OSPF \(89\), length 64\) \| 10\.0\.6\.1 > 224\.0\.0\.5: OSPFv2, Hello' \
		"$work/ospf.packets"
}

lab_require_isolation
test_marking_tcp
test_traceroute
test_ospf_hello
if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
echo "all example checks passed"
