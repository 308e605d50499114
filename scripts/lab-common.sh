# Shell helpers for network namespace labs, sourced by scripts/demo and the
# shell tests. Call them only inside private network and mount namespaces
# with a private /run (tests/isolate), so that `ip netns add` creates
# namespaces that vanish with the caller. Addresses come from 10.0.0.0/8;
# nothing touches the host's own interfaces.

# Namespaces this shell added, removed again by lab_cleanup.
LAB_NAMESPACES=

lab_die() {
	echo "lab: $*" >&2
	exit 1
}

# Stops with a message unless run inside the private namespaces of
# tests/isolate, and makes the directory that `ip netns add` needs.
lab_require_isolation() {
	[ "${IPV4_ISOLATED:-}" = 1 ] ||
		lab_die "not isolated: run this through tests/isolate"
	command -v ip >/dev/null 2>&1 ||
		lab_die "ip (iproute2) not found: apt-get install iproute2"
	mkdir -p /run/netns
}

# lab_ns NAME: adds a namespace with loopback up and IPv6 off.
lab_ns() {
	ip netns add "$1" || lab_die "ip netns add $1 failed"
	LAB_NAMESPACES="$LAB_NAMESPACES $1"
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		>/dev/null 2>&1 || true
}

# lab_veth NS_A IF_A ADDR_A NS_B IF_B ADDR_B: links two namespaces with a
# veth pair and sets both ends up. An address of "-" leaves that end without
# one.
lab_veth() {
	ip -n "$1" link add "$2" type veth peer name "$5" netns "$4" ||
		lab_die "veth $1/$2 - $4/$5 failed"
	[ "$3" = - ] || ip -n "$1" addr add "$3" dev "$2"
	[ "$6" = - ] || ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

# lab_bridge NS BRIDGE: adds a bridge that floods multicast to every port.
lab_bridge() {
	ip -n "$1" link add "$2" type bridge || lab_die "bridge $2 failed"
	ip -n "$1" link set "$2" type bridge mcast_snooping 0
	ip -n "$1" link set "$2" up
}

# lab_bridge_port SWITCH_NS BRIDGE NS IFNAME ADDR: plugs NS into the bridge.
lab_bridge_port() {
	lab_veth "$3" "$4" "$5" "$1" "p-$3" -
	ip -n "$1" link set "p-$3" master "$2"
}

# lab_router NS: turns on forwarding and lifts the ICMP rate limit, so that
# every probe of a traceroute gets its time-exceeded message.
lab_router() {
	ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$1" sysctl -qw net.ipv4.icmp_ratelimit=0
}

# lab_multicast_lan: a sender "snd" and receivers "rx1" and "rx2", each
# with eth0 on bridge br0 in namespace "sw", in 10.0.0.0/24.
lab_multicast_lan() {
	lab_ns sw
	lab_bridge sw br0
	lab_ns snd
	lab_ns rx1
	lab_ns rx2
	lab_bridge_port sw br0 snd eth0 10.0.0.1/24
	lab_bridge_port sw br0 rx1 eth0 10.0.0.2/24
	lab_bridge_port sw br0 rx2 eth0 10.0.0.3/24
}

# lab_router_chain: host "src" (10.1.1.1) reaches host "dst" (10.1.4.2)
# through routers r1, r2 and r3, one /24 per link:
#   src 10.1.1.1 - 10.1.1.2 r1 10.1.2.1 - 10.1.2.2 r2 10.1.3.1 -
#   10.1.3.2 r3 10.1.4.1 - 10.1.4.2 dst
# Each router sends its time-exceeded messages from the address facing src.
lab_router_chain() {
	local ns
	for ns in src r1 r2 r3 dst; do
		lab_ns "$ns"
	done
	lab_veth src eth0 10.1.1.1/24 r1 west 10.1.1.2/24
	lab_veth r1 east 10.1.2.1/24 r2 west 10.1.2.2/24
	lab_veth r2 east 10.1.3.1/24 r3 west 10.1.3.2/24
	lab_veth r3 east 10.1.4.1/24 dst eth0 10.1.4.2/24
	for ns in r1 r2 r3; do
		lab_router "$ns"
	done
	ip -n src route add default via 10.1.1.2
	ip -n r1 route add default via 10.1.2.2
	ip -n r2 route add 10.1.1.0/24 via 10.1.2.1
	ip -n r2 route add 10.1.4.0/24 via 10.1.3.2
	ip -n r3 route add default via 10.1.3.1
	ip -n dst route add default via 10.1.4.1
}

# lab_wait_for FILE PATTERN SECONDS: waits until FILE has a line matching
# PATTERN (grep -E); returns 1 after SECONDS without one.
lab_wait_for() {
	local tries=$(($3 * 10))
	while [ "$tries" -gt 0 ]; do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# lab_cleanup: removes the namespaces this shell added.
lab_cleanup() {
	local ns
	for ns in $LAB_NAMESPACES; do
		ip netns del "$ns" 2>/dev/null || true
	done
	LAB_NAMESPACES=
}
