// SPDX-License-Identifier: MIT

// Command bench is the Go column of the libipv4 benchmark suite: the same
// workloads as bench-sys and bench-lib, written with golang.org/x/net/ipv4
// as a Go program would use it.
//
// Usage: bench WORKLOAD SIZE BATCH SECONDS
//
// It prints one line in the format of the C programs:
// "value=... value2=... allocs=... ops=... sent=... received=...".
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"
)

const (
	fillCount     = 256     // datagrams per fill/drain round, as in bench.h
	rcvBuf        = 4 << 20 // receive buffer forced on every receiving socket
	soRcvBufForce = 33      // SO_RCVBUFFORCE, missing from package syscall
	soSndBufForce = 32      // SO_SNDBUFFORCE
)

type args struct {
	workload string
	size     int
	batch    int
	seconds  time.Duration
}

type result struct {
	value, value2, allocs float64
	ops, sent, received   uint64
}

// pair is a receiving and a sending socket on 127.0.0.1.
type pair struct {
	tx, rx *ipv4.PacketConn
	rxAddr net.Addr
}

var sink int

func die(what string, err error) {
	fmt.Fprintf(os.Stderr, "bench: %s failed: %v\n", what, err)
	os.Exit(1)
}

// setBuffer sets the buffer named by force (SO_RCVBUFFORCE or
// SO_SNDBUFFORCE) to rcvBuf bytes. Without CAP_NET_ADMIN it falls back to
// plain, which net.core.rmem_max or wmem_max caps, as the C programs do.
func setBuffer(c net.PacketConn, force, plain int) {
	raw, err := c.(*net.UDPConn).SyscallConn()
	if err != nil {
		die("SyscallConn", err)
	}
	var serr error
	err = raw.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, force,
			rcvBuf)
		if serr != nil {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET,
				plain, rcvBuf)
		}
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		die("SO_RCVBUF/SO_SNDBUF", err)
	}
}

func openPair() *pair {
	tx, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		die("listen", err)
	}
	rx, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		die("listen", err)
	}
	setBuffer(rx, soRcvBufForce, syscall.SO_RCVBUF)
	setBuffer(tx, soSndBufForce, syscall.SO_SNDBUF)
	return &pair{tx: ipv4.NewPacketConn(tx), rx: ipv4.NewPacketConn(rx),
		rxAddr: rx.LocalAddr()}
}

func (p *pair) close() {
	p.tx.Close()
	p.rx.Close()
}

func fill(b []byte, seed int) {
	for i := range b {
		b[i] = byte(seed + i*7)
	}
}

func mallocs() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs
}

func setAllocs(r *result, before, ops uint64) {
	if ops > 0 {
		r.allocs = float64(mallocs()-before) / float64(ops)
	}
}

// cpuNow returns the CPU time of the process in ns, user and kernel, as
// bench_cpu_now() does in C. It includes the garbage collector's threads.
func cpuNow() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		die("clock_gettime", err)
	}
	return ts.Nano()
}

func perOp(cpu int64, ops uint64) float64 {
	return float64(cpuNow()-cpu) / float64(ops)
}

func runSingle(a args, r *result, withControl bool) {
	p := openPair()
	defer p.close()
	wb := make([]byte, a.size)
	rb := make([]byte, 2048)
	fill(wb, 1)
	var out *ipv4.ControlMessage
	if withControl {
		flags := ipv4.FlagTTL | ipv4.FlagDst | ipv4.FlagInterface
		if err := p.rx.SetControlMessage(flags, true); err != nil {
			die("SetControlMessage", err)
		}
		out = &ipv4.ControlMessage{Src: net.IPv4(127, 0, 0, 1),
			IfIndex: 1}
	}
	p.rx.SetReadDeadline(time.Now().Add(a.seconds + 5*time.Second))
	before := mallocs()
	start := time.Now()
	cpu := cpuNow()
	for time.Since(start) < a.seconds {
		if _, err := p.tx.WriteTo(wb, out, p.rxAddr); err != nil {
			die("WriteTo", err)
		}
		_, cm, _, err := p.rx.ReadFrom(rb)
		if err != nil {
			die("ReadFrom", err)
		}
		if withControl && (cm == nil || cm.TTL != 64 || cm.IfIndex != 1) {
			die("control message check", errors.New("wrong values"))
		}
		r.ops++
	}
	r.value = perOp(cpu, r.ops)
	setAllocs(r, before, r.ops)
}

func sendMessages(p *pair, size, n int) []ipv4.Message {
	ms := make([]ipv4.Message, n)
	for i := range ms {
		b := make([]byte, size)
		fill(b, i)
		ms[i] = ipv4.Message{Buffers: [][]byte{b}, Addr: p.rxAddr}
	}
	return ms
}

func recvMessages(n int) []ipv4.Message {
	ms := make([]ipv4.Message, n)
	for i := range ms {
		ms[i] = ipv4.Message{Buffers: [][]byte{make([]byte, 2048)}}
	}
	return ms
}

func runBatch(a args, r *result) {
	p := openPair()
	defer p.close()
	tx := sendMessages(p, a.size, a.batch)
	rx := recvMessages(a.batch)
	p.rx.SetReadDeadline(time.Now().Add(a.seconds + 5*time.Second))
	before := mallocs()
	start := time.Now()
	cpu := cpuNow()
	for time.Since(start) < a.seconds {
		n, err := p.tx.WriteBatch(tx, 0)
		if err != nil || n != a.batch {
			die("WriteBatch", err)
		}
		for got := 0; got < a.batch; got += n {
			n, err = p.rx.ReadBatch(rx[:a.batch-got], 0)
			if err != nil {
				die("ReadBatch", err)
			}
		}
		r.ops += uint64(a.batch)
	}
	r.value = perOp(cpu, r.ops)
	setAllocs(r, before, r.ops)
}

// pin locks the calling goroutine to its thread and pins that thread as
// bench_pin does in the C programs: the sender (role 0) to the first CPU the
// process may use and the receiver (role 1) to the second, exchanged by
// BENCH_PIN=swapped, not at all with BENCH_PIN=none. The runtime's other
// threads, such as the one that polls the network, stay free to run
// anywhere.
func pin(role int) {
	nth := role
	switch os.Getenv("BENCH_PIN") {
	case "none":
		return
	case "swapped":
		nth = 1 - role
	}
	var allowed, target unix.CPUSet
	if unix.SchedGetaffinity(0, &allowed) != nil || allowed.Count() < 2 {
		return
	}
	runtime.LockOSThread()
	seen := 0
	for cpu := 0; cpu < 1024; cpu++ {
		if !allowed.IsSet(cpu) {
			continue
		}
		if seen == nth {
			target.Zero()
			target.Set(cpu)
			if err := unix.SchedSetaffinity(0, &target); err != nil {
				die("SchedSetaffinity", err)
			}
			return
		}
		seen++
	}
}

func runThreads(a args, r *result) {
	p := openPair()
	defer p.close()
	tx := sendMessages(p, a.size, a.batch)
	rx := recvMessages(a.batch)
	var received uint64
	var wg sync.WaitGroup
	var ready int32
	wg.Add(1)
	go func() {
		defer wg.Done()
		pin(1)
		atomic.StoreInt32(&ready, 1)
		for {
			n, err := p.rx.ReadBatch(rx, 0)
			if err != nil {
				if errors.Is(err, os.ErrDeadlineExceeded) {
					return
				}
				die("ReadBatch", err)
			}
			received += uint64(n)
		}
	}()
	for atomic.LoadInt32(&ready) == 0 {
		runtime.Gosched()
	}
	pin(0)
	before := mallocs()
	cpu := cpuNow()
	start := time.Now()
	for time.Since(start) < a.seconds {
		for i := 0; i < 16; i++ {
			n, err := p.tx.WriteBatch(tx, 0)
			if err != nil {
				die("WriteBatch", err)
			}
			r.sent += uint64(n)
		}
	}
	elapsed := time.Since(start)
	// Give the receiver 50 ms to drain its queue, as the C programs do.
	p.rx.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	wg.Wait()
	r.received = received
	r.ops = r.sent + r.received
	setAllocs(r, before, r.ops)
	r.value = float64(r.received) * 1e9 / float64(elapsed.Nanoseconds())
	if r.received > 0 {
		r.value2 = float64(cpuNow()-cpu) / float64(r.received)
	}
}

func runFill(a args, r *result) {
	p := openPair()
	defer p.close()
	wb := make([]byte, a.size)
	rb := make([]byte, 2048)
	fill(wb, 3)
	p.rx.SetReadDeadline(time.Now().Add(a.seconds + 5*time.Second))
	var sendNs, recvNs int64
	before := mallocs()
	start := time.Now()
	for time.Since(start) < a.seconds {
		t0 := cpuNow()
		for i := 0; i < fillCount; i++ {
			if _, err := p.tx.WriteTo(wb, nil, p.rxAddr); err != nil {
				die("WriteTo", err)
			}
		}
		t1 := cpuNow()
		for i := 0; i < fillCount; i++ {
			if _, _, _, err := p.rx.ReadFrom(rb); err != nil {
				die("ReadFrom", err)
			}
		}
		t2 := cpuNow()
		sendNs += t1 - t0
		recvNs += t2 - t1
		r.ops += fillCount
	}
	r.value = float64(sendNs) / float64(r.ops)
	r.value2 = float64(recvNs) / float64(r.ops)
	setAllocs(r, before, 2*r.ops)
}

var header20 = []byte{
	0x45, 0x01, 0xbe, 0xef, 0xca, 0xfe, 0x45, 0xdc, 0xff, 0x01,
	0xde, 0xad, 0xac, 0x10, 0xfe, 0xfe, 0xc0, 0xa8, 0x00, 0x01,
}

var header24 = []byte{
	0x46, 0x01, 0xbe, 0xf3, 0xca, 0xfe, 0x45, 0xdc, 0xff, 0x01, 0xde, 0xad,
	0xac, 0x10, 0xfe, 0xfe, 0xc0, 0xa8, 0x00, 0x01, 0xff, 0xfe, 0xfe, 0xff,
}

// codecLoop runs op in rounds of 1000 until a.seconds have passed.
func codecLoop(a args, r *result, op func()) {
	before := mallocs()
	start := time.Now()
	cpu := cpuNow()
	for time.Since(start) < a.seconds {
		for i := 0; i < 1000; i++ {
			op()
		}
		r.ops += 1000
	}
	r.value = perOp(cpu, r.ops)
	setAllocs(r, before, r.ops)
}

func headerVector(size int) []byte {
	if size == 24 {
		return header24
	}
	return header20
}

func runHeaderParse(a args, r *result) {
	in := headerVector(a.size)
	var h ipv4.Header
	codecLoop(a, r, func() {
		if err := h.Parse(in); err != nil {
			die("Header.Parse", err)
		}
		sink += h.Len
	})
}

func runHeaderMarshal(a args, r *result) {
	h, err := ipv4.ParseHeader(headerVector(a.size))
	if err != nil {
		die("ParseHeader", err)
	}
	codecLoop(a, r, func() {
		b, err := h.Marshal()
		if err != nil {
			die("Header.Marshal", err)
		}
		sink += len(b)
	})
}

// controlBytes returns IP_TTL 64 and IP_PKTINFO as recvmsg returns them on
// linux/amd64, the bytes bench_control_bytes() builds in C.
func controlBytes() []byte {
	b := make([]byte, 56)
	put := func(off, length, typ int) {
		b[off] = byte(length)
		b[off+8] = syscall.IPPROTO_IP
		b[off+12] = byte(typ)
	}
	put(0, 20, syscall.IP_TTL)
	b[16] = 64
	put(24, 28, syscall.IP_PKTINFO)
	b[40] = 1                            // ipi_ifindex
	copy(b[44:48], []byte{127, 0, 0, 1}) // ipi_spec_dst
	copy(b[48:52], []byte{127, 0, 0, 1}) // ipi_addr
	return b
}

func runControlParse(a args, r *result) {
	in := controlBytes()
	var cm ipv4.ControlMessage
	codecLoop(a, r, func() {
		if err := cm.Parse(in); err != nil {
			die("ControlMessage.Parse", err)
		}
		sink += cm.TTL
	})
}

func runControlMarshal(a args, r *result) {
	cm := ipv4.ControlMessage{Src: net.IPv4(127, 0, 0, 1), IfIndex: 1}
	codecLoop(a, r, func() {
		sink += len(cm.Marshal())
	})
}

func runControlSize(a args, r *result) {
	flags := ipv4.FlagTTL | ipv4.FlagDst | ipv4.FlagInterface
	codecLoop(a, r, func() {
		sink += len(ipv4.NewControlMessage(flags))
	})
}

// checksum is hand-written: golang.org/x/net/ipv4 exports no checksum.
func checksum(b []byte) uint16 {
	var sum uint32
	i := 0
	for ; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if i < len(b) {
		sum += uint32(b[i]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

func runChecksum(a args, r *result) {
	in := make([]byte, 1500)
	fill(in, 5)
	in = in[:a.size]
	codecLoop(a, r, func() {
		sink += int(checksum(in))
	})
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintf(os.Stderr, "usage: %s WORKLOAD SIZE BATCH SECONDS\n",
			os.Args[0])
		os.Exit(2)
	}
	var a args
	var err1, err2, err3 error
	a.workload = os.Args[1]
	a.size, err1 = strconv.Atoi(os.Args[2])
	a.batch, err2 = strconv.Atoi(os.Args[3])
	secs, err3 := strconv.ParseFloat(os.Args[4], 64)
	if err1 != nil || err2 != nil || err3 != nil || a.batch < 1 ||
		a.size > 65536 || secs <= 0 {
		fmt.Fprintln(os.Stderr, "bench: invalid size, batch or seconds")
		os.Exit(2)
	}
	a.seconds = time.Duration(secs * float64(time.Second))
	r := result{allocs: -1}
	switch a.workload {
	case "single":
		runSingle(a, &r, false)
	case "single-cm":
		runSingle(a, &r, true)
	case "batch":
		runBatch(a, &r)
	case "threads":
		runThreads(a, &r)
	case "fill":
		runFill(a, &r)
	case "header-parse":
		runHeaderParse(a, &r)
	case "header-marshal":
		runHeaderMarshal(a, &r)
	case "control-parse":
		runControlParse(a, &r)
	case "control-marshal":
		runControlMarshal(a, &r)
	case "control-size":
		runControlSize(a, &r)
	case "checksum":
		runChecksum(a, &r)
	default:
		fmt.Fprintf(os.Stderr, "bench: no Go workload %s\n", a.workload)
		os.Exit(3)
	}
	fmt.Printf("value=%.3f value2=%.3f allocs=%.4f ops=%d sent=%d "+
		"received=%d\n", r.value, r.value2, r.allocs, r.ops, r.sent,
		r.received)
}
