// The Go side of bench/shim: the same channel ping-pong and throughput, and a map under a
// mutex, timed with testing.Benchmark. Prints "name ns_per_op" lines for run.sh.
package main

import (
	"fmt"
	"sync"
	"testing"
)

func pingPong(b *testing.B) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ping <- 1
		<-pong
	}
	close(ping)
}

const throughputItems = 100000

func throughput(b *testing.B) {
	for i := 0; i < b.N; i++ {
		ch := make(chan int, 128)
		go func() {
			for j := 0; j < throughputItems; j++ {
				ch <- j
			}
			close(ch)
		}()
		sum := 0
		for v := range ch {
			sum += v
		}
		_ = sum
	}
}

func mapMutex(b *testing.B) {
	m := map[int]int64{}
	var mu sync.Mutex
	for i := 0; i < b.N; i++ {
		mu.Lock()
		m[i&1023]++
		mu.Unlock()
	}
}

func main() {
	report := func(name string, perOp float64) { fmt.Printf("%s %.1f\n", name, perOp) }
	r := testing.Benchmark(pingPong)
	report("go_chan_pingpong_ns", float64(r.T.Nanoseconds())/float64(r.N))
	r = testing.Benchmark(throughput)
	report("go_chan_throughput_ns_per_item", float64(r.T.Nanoseconds())/float64(r.N)/throughputItems)
	r = testing.Benchmark(mapMutex)
	report("go_map_mutex_ns", float64(r.T.Nanoseconds())/float64(r.N))
}
