#!/bin/bash
# Runs the lab part of scripts/demo against the tool of this build and
# checks its output. The datagram sent to 224.0.0.251:5353 must arrive at
# both receivers with its destination, interface and TTL, and the trace must
# show the three routers and then the destination.
set -u
: "${IPV4_BUILD_DIR:?set IPV4_BUILD_DIR to the build directory}"
: "${IPV4_SOURCE_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
failures=0

expect() {
	grep -qE -- "$2" "$out" || {
		echo "FAIL: $1: no line matches '$2'" >&2
		failures=$((failures + 1))
	}
}

IPV4_BUILD_DIR="$IPV4_BUILD_DIR" bash "$IPV4_SOURCE_DIR/scripts/demo" \
	--no-build >"$out" 2>&1
status=$?
cat "$out"
[ "$status" = 0 ] || {
	echo "FAIL: demo exit status $status, expected 0" >&2
	failures=$((failures + 1))
}

datagram='src=10\.0\.0\.1:[0-9]+ dst=224\.0\.0\.251 interface=eth0 ifindex=[0-9]+ ttl=255 len=14 data="hello from snd"$'
expect "receiver rx1" "^\[rx1\]   $datagram"
expect "receiver rx2" "^\[rx2\]   $datagram"
expect "trace hop 1" '^\[src\]    1  10\.1\.1\.2  [0-9.]+ ms'
expect "trace hop 2" '^\[src\]    2  10\.1\.2\.2  [0-9.]+ ms'
expect "trace hop 3" '^\[src\]    3  10\.1\.3\.2  [0-9.]+ ms'
expect "trace destination" '^\[src\]    4  10\.1\.4\.2  [0-9.]+ ms'
if grep -qE '^\[src\]    5 ' "$out"; then
	echo "FAIL: trace went past the destination" >&2
	failures=$((failures + 1))
fi
expect "cleanup" '^== done: the lab is removed$'
if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
