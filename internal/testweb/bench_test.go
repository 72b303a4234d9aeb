package testweb

import (
	"io"
	"strconv"
	"testing"
)

// BenchmarkStartBench measures rendering and serving a 20×1,000-page web.
func BenchmarkStartBench(b *testing.B) {
	for i := 0; i < b.N; i++ {
		w, err := Start(BenchSpec(20, 1000))
		if err != nil {
			b.Fatal(err)
		}
		w.Close()
	}
}

// BenchmarkServe measures pages served per second over keep-alive
// connections.
func BenchmarkServe(b *testing.B) {
	s := BenchSpec(4, 1000)
	s.NoLog = true
	w, err := Start(s)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	b.SetBytes(7500)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := w.Client()
		defer c.CloseIdleConnections()
		i := 0
		for pb.Next() {
			i++
			resp, err := c.Get(w.URL("s"+strconv.Itoa(i%4)+".bench.test", "/p/"+strconv.Itoa(i%1000)+".html"))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
