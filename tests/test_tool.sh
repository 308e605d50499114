#!/bin/bash
# Tests the ipv4 tool: help, every bad-argument case (exit status 2 and one
# line on stderr) and header decoding of the codec's test vectors. In a
# two-namespace lab, listen and send must show the destination, interface
# and TTL of each datagram that arrives, and trace must show each router of
# a chain of three and then the destination.
set -u
: "${IPV4_BUILD_DIR:?set IPV4_BUILD_DIR to the build directory}"
: "${IPV4_SOURCE_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
. "$IPV4_SOURCE_DIR/scripts/lab-common.sh"

tool="$IPV4_BUILD_DIR/tools/ipv4"
work=$(mktemp -d)
failures=0
trap 'lab_cleanup; rm -rf "$work"' EXIT

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

# expect_usage NAME PATTERN ARGS...: exit status 2, nothing on stdout and
# exactly one line on stderr, which matches PATTERN.
expect_usage() {
	local name=$1 pattern=$2 status lines
	shift 2
	"$tool" "$@" >"$work/out" 2>"$work/err"
	status=$?
	lines=$(wc -l <"$work/err")
	[ "$status" = 2 ] || fail "$name: exit status $status, expected 2"
	[ "$lines" = 1 ] || fail "$name: $lines lines on stderr, expected 1"
	[ -s "$work/out" ] && fail "$name: unexpected output on stdout"
	expect_output "$name" "$pattern" "$work/err"
}

# expect_ok NAME ARGS...: exit status 0, output in $work/out.
expect_ok() {
	local name=$1 status
	shift
	"$tool" "$@" >"$work/out" 2>"$work/err"
	status=$?
	[ "$status" = 0 ] || {
		fail "$name: exit status $status, expected 0:"
		sed 's/^/    /' "$work/err" >&2
	}
}

test_help() {
	local cmd
	expect_ok "ipv4 --help" --help
	expect_output "ipv4 --help" '^usage: ipv4 COMMAND' "$work/out"
	for cmd in listen send header trace; do
		expect_ok "$cmd --help" "$cmd" --help
		expect_output "$cmd --help" "^usage: ipv4 $cmd" "$work/out"
	done
	expect_usage "no command" 'missing command'
	expect_usage "unknown command" 'unknown command "bogus"' bogus
	expect_usage "short option" 'unknown option -x' listen -x
}

test_header_vectors() {
	expect_ok "header 20 bytes" header \
		45 01 be ef ca fe 45 dc ff 01 de ad ac 10 fe fe c0 a8 00 01
	expect_output "header 20 bytes" \
		'^ver=4 hdrlen=20 tos=0x1 totallen=48879 id=0xcafe flags=0x2 fragoff=0x5dc ttl=255 proto=1 cksum=0xdead src=172.16.254.254 dst=192.168.0.1$' \
		"$work/out"
	expect_output "header 20 bytes" '^flags: DF$' "$work/out"
	expect_output "header 20 bytes" \
		'^checksum: invalid \(0xdead in the header, 0x8078 computed\)$' \
		"$work/out"
	expect_output "header 20 bytes" '^options: none$' "$work/out"

	expect_ok "header 24 bytes" header \
		4601bef3cafe45dcff01deadac10fefec0a80001fffefeff
	expect_output "header 24 bytes" \
		'^ver=4 hdrlen=24 tos=0x1 totallen=48883 id=0xcafe flags=0x2 fragoff=0x5dc ttl=255 proto=1 cksum=0xdead src=172.16.254.254 dst=192.168.0.1$' \
		"$work/out"
	expect_output "header 24 bytes" '^options: ff fe fe ff \(4 bytes\)$' \
		"$work/out"
	expect_output "header 24 bytes" '^payload: 0 bytes after the header$' \
		"$work/out"

	# A header the kernel would send, with a correct checksum, and 4
	# bytes of payload after it, given as one argument with spaces.
	expect_ok "header valid" header \
		"45000018 00004000 40110000 0a000001 0a000002 deadbeef"
	expect_output "header valid" '^checksum: invalid .* 0x26d3 computed' \
		"$work/out"
	expect_ok "header valid" header \
		"45000018 00004000 401126d3 0a000001 0a000002 deadbeef"
	expect_output "header valid" '^checksum: valid' "$work/out"
	expect_output "header valid" '^payload: 4 bytes after the header$' \
		"$work/out"
}

test_header_errors() {
	expect_usage "header odd hex" 'odd number of hex digits \(3\)' \
		header 450
	expect_usage "header bad digit" "invalid hex digit 'g'" header 45g0
	expect_usage "header no hex" 'no hex digits' header
	expect_usage "header short" 'shorter than 20 bytes' header 4500
	expect_usage "header version" 'version' header \
		6500001400000000401100000a0000010a000002
	expect_usage "header unknown option" 'unknown option --bogus' \
		header --bogus 45
}

test_listen_errors() {
	local g=224.0.0.251:5353
	expect_usage "listen no group" 'missing argument' listen
	expect_usage "listen extra argument" 'unexpected argument "x"' \
		listen $g x
	expect_usage "listen unicast" '10.0.0.1 is not a multicast group' \
		listen 10.0.0.1:5353
	expect_usage "listen bad address" 'invalid IPv4 address "224.0.0.300"' \
		listen 224.0.0.300:5353
	expect_usage "listen name" 'names are not resolved' \
		listen mdns.example:5353
	expect_usage "listen no port" 'missing port' listen 224.0.0.251
	expect_usage "listen port range" 'invalid port "70000"' \
		listen 224.0.0.251:70000
	expect_usage "listen port zero" 'invalid port "0"' listen 224.0.0.251:0
	expect_usage "listen interface" 'unknown interface "eth9"' \
		listen $g --interface eth9
	expect_usage "listen count zero" 'invalid --count "0"' \
		listen $g --count 0
	expect_usage "listen count word" 'invalid --count "many"' \
		listen $g --count many
	expect_usage "listen timeout" 'invalid --timeout "-1"' \
		listen $g --timeout -1
	expect_usage "listen missing value" 'option --timeout needs a value' \
		listen $g --timeout
	expect_usage "listen unknown option" 'unknown option --ttl' \
		listen $g --ttl 3
}

test_send_errors() {
	local g=224.0.0.251:5353
	expect_usage "send no text" 'missing argument' send $g
	expect_usage "send unicast" '192.0.2.1 is not a multicast group' \
		send 192.0.2.1:5353 hi
	expect_usage "send port range" 'invalid port "65536"' \
		send 224.0.0.251:65536 hi
	expect_usage "send ttl 256" 'invalid --ttl "256": give an integer from 0 to 255' \
		send $g hi --ttl 256
	expect_usage "send ttl negative" 'invalid --ttl "-1"' send $g hi --ttl -1
	expect_usage "send tos" 'invalid --tos "0x100"' send $g hi --tos 0x100
	expect_usage "send loopback" 'invalid --loopback "yes": give on or off' \
		send $g hi --loopback yes
	expect_usage "send count" 'invalid --count "0"' send $g hi --count 0
	expect_usage "send interface" 'unknown interface "eth9"' \
		send $g hi --interface eth9
	expect_usage "send missing value" 'option --ttl needs a value' \
		send $g hi --ttl
	expect_usage "send unknown option" 'unknown option --timeout' \
		send $g hi --timeout=3
}

test_trace_errors() {
	expect_usage "trace no host" 'missing argument' trace
	expect_usage "trace name" 'invalid IPv4 address "example.com"' \
		trace example.com
	expect_usage "trace max hops" 'invalid --max-hops "256"' \
		trace 10.1.4.2 --max-hops 256
	expect_usage "trace probes" 'invalid --probes "0"' \
		trace 10.1.4.2 --probes 0
	expect_usage "trace wait" 'invalid --wait "0"' trace 10.1.4.2 --wait 0
	expect_usage "trace unknown option" 'unknown option --ttl' \
		trace 10.1.4.2 --ttl 3
}

# listen_in NS NAME ARGS...: starts `ipv4 listen ARGS` in NS in the
# background, output in $work/NAME.out and .err, status in $work/NAME.rc,
# and waits until it has joined.
listen_in() {
	local ns=$1 name=$2
	shift 2
	rm -f "$work/$name.out" "$work/$name.err" "$work/$name.rc"
	(
		ip netns exec "$ns" "$tool" listen "$@" >"$work/$name.out" \
			2>"$work/$name.err"
		echo $? >"$work/$name.rc"
	) &
	lab_wait_for "$work/$name.err" '^listening on' 5 ||
		fail "$name: listen did not start: $(cat "$work/$name.err")"
}

# listen_status NAME: waits up to 10 s for the listener NAME and prints
# its exit status.
listen_status() {
	lab_wait_for "$work/$1.rc" . 10 || {
		echo timeout
		return
	}
	cat "$work/$1.rc"
}

test_listen_send() {
	local ifindex status
	lab_ns a
	lab_ns b
	lab_veth a eth0 10.0.0.1/24 b eth1 10.0.0.2/24
	ifindex=$(ip netns exec b cat /sys/class/net/eth1/ifindex)

	listen_in b rx 239.1.2.3:4000 --interface eth1 --count 2 --timeout 10
	ip netns exec a "$tool" send 239.1.2.3:4000 "hi there" \
		--interface eth0 --ttl 7 --tos 0x28 --count 2 >"$work/send.out" \
		2>&1 || fail "send: exit status $?: $(cat "$work/send.out")"
	expect_output "send" \
		'^sent len=8 to 239.1.2.3:4000 interface=eth0 ttl=7 tos=0x28$' \
		"$work/send.out"
	status=$(listen_status rx)
	[ "$status" = 0 ] || fail "listen: exit status $status, expected 0"
	[ "$(grep -c . "$work/rx.out")" = 2 ] ||
		fail "listen: expected 2 lines in: $(cat "$work/rx.out")"
	expect_output "listen" \
		"^src=10\.0\.0\.1:[0-9]+ dst=239\.1\.2\.3 interface=eth1 ifindex=$ifindex ttl=7 len=8 data=\"hi there\"$" \
		"$work/rx.out"

	# With --loopback off the sender's own host gets no copy; on, it does.
	listen_in a self 239.1.2.3:4000 --count 1 --timeout 1 --interface eth0
	ip netns exec a "$tool" send 239.1.2.3:4000 quiet --interface eth0 \
		--loopback off >/dev/null
	status=$(listen_status self)
	[ "$status" = 1 ] ||
		fail "loopback off: listen exit status $status, expected 1"
	expect_output "loopback off" '^ipv4 listen: timed out after 0 of 1' \
		"$work/self.err"
	[ -s "$work/self.out" ] && fail "loopback off: a datagram arrived"

	listen_in a self 239.1.2.3:4000 --count 1 --timeout 5 --interface eth0
	ip netns exec a "$tool" send 239.1.2.3:4000 loud --interface eth0 \
		--loopback on >/dev/null
	status=$(listen_status self)
	[ "$status" = 0 ] ||
		fail "loopback on: listen exit status $status, expected 0"
	expect_output "loopback on" \
		'^src=10\.0\.0\.1:[0-9]+ dst=239\.1\.2\.3 interface=eth0 .*data="loud"$' \
		"$work/self.out"

	# Without --interface the route to the group picks the interface, and
	# namespace a has none: a runtime failure, exit status 1, one line.
	ip netns exec a "$tool" listen 239.1.2.3:4000 >"$work/out" 2>"$work/err"
	status=$?
	[ "$status" = 1 ] || fail "listen no route: exit status $status"
	[ "$(wc -l <"$work/err")" = 1 ] ||
		fail "listen no route: expected one line on stderr"
	expect_output "listen no route" \
		'^ipv4 listen: join group failed: No such device \(ENODEV\)$' \
		"$work/err"

	# A timeout without --count is the normal end of listening.
	listen_in b idle 239.1.2.3:4000 --timeout 0.3 --interface eth1
	status=$(listen_status idle)
	[ "$status" = 0 ] || fail "idle listen: exit status $status, expected 0"
}

test_trace() {
	local status
	lab_router_chain
	ip netns exec src "$tool" trace 10.1.4.2 --max-hops 8 --wait 1 \
		>"$work/trace.out" 2>&1
	status=$?
	[ "$status" = 0 ] || fail "trace: exit status $status, expected 0"
	expect_output "trace" '^trace to 10\.1\.4\.2, 8 hops max' \
		"$work/trace.out"
	expect_output "trace hop 1" '^ 1  10\.1\.1\.2  [0-9.]+ ms  [0-9.]+ ms  [0-9.]+ ms$' \
		"$work/trace.out"
	expect_output "trace hop 2" '^ 2  10\.1\.2\.2  [0-9.]+ ms' \
		"$work/trace.out"
	expect_output "trace hop 3" '^ 3  10\.1\.3\.2  [0-9.]+ ms' \
		"$work/trace.out"
	expect_output "trace hop 4" '^ 4  10\.1\.4\.2  [0-9.]+ ms' \
		"$work/trace.out"
	[ "$(wc -l <"$work/trace.out")" = 5 ] ||
		fail "trace: expected 5 lines in: $(cat "$work/trace.out")"

	# A router without a route reports the network unreachable. Linux's
	# ip_error() limits those messages per source with its own token
	# bucket (net.ipv4.route.error_cost, 1 s, settable only in the initial
	# namespace), which a recent time-exceeded message may have emptied:
	# the first probe can go unanswered, the one sent 1.1 s later cannot.
	ip netns exec src "$tool" trace 10.1.9.9 --probes 2 --wait 1.1 \
		>"$work/trace.out" 2>"$work/trace.err"
	status=$?
	[ "$status" = 1 ] || fail "trace unreachable: exit status $status"
	expect_output "trace unreachable" '^ 2  (\*  )?10\.1\.2\.2  [0-9.]+ ms !N' \
		"$work/trace.out"
	expect_output "trace unreachable" 'not reached \(destination unreachable\)' \
		"$work/trace.err"

	# A destination that ignores echo requests shows * at its hop.
	ip netns exec dst sysctl -qw net.ipv4.icmp_echo_ignore_all=1
	ip netns exec src "$tool" trace 10.1.4.2 --max-hops 4 --probes 2 \
		--wait 0.3 >"$work/trace.out" 2>"$work/trace.err"
	status=$?
	[ "$status" = 1 ] || fail "trace silent: exit status $status"
	expect_output "trace silent" '^ 4  \*  \*$' "$work/trace.out"
	expect_output "trace silent" 'not reached within the maximum hops' \
		"$work/trace.err"

	# Without CAP_NET_RAW there is no raw socket, and one line explains it.
	if command -v setpriv >/dev/null 2>&1; then
		ip netns exec src setpriv --bounding-set=-net_raw "$tool" \
			trace 10.1.4.2 >"$work/trace.out" 2>"$work/trace.err"
		status=$?
		[ "$status" = 1 ] || fail "trace no raw: exit status $status"
		[ "$(wc -l <"$work/trace.err")" = 1 ] ||
			fail "trace no raw: expected one line on stderr"
		expect_output "trace no raw" 'CAP_NET_RAW' "$work/trace.err"
	else
		echo "skipped: setpriv not found, so trace without CAP_NET_RAW"
	fi
}

test_help
test_header_vectors
test_header_errors
test_listen_errors
test_send_errors
test_trace_errors
if [ "${IPV4_ISOLATED:-}" = 1 ]; then
	lab_require_isolation
	test_listen_send
	test_trace
else
	echo "skipped: not isolated, so no listen, send or trace lab"
fi
if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
echo "all tool checks passed"
