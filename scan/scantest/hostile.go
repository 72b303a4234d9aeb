package scantest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// RawPDF assembles a PDF from object bodies (object i+1 is objs[i]) and a
// trailer dictionary body, with a correct cross-reference table; extra is
// written between the objects and the table (a hand-made xref section, for
// instance, when xref is false).
func RawPDF(objs []string, trailer string, xref bool) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	if xref {
		fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
		for _, o := range offs {
			fmt.Fprintf(&b, "%010d 00000 n \n", o)
		}
	}
	fmt.Fprintf(&b, "trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n", trailer, x)
	return b.Bytes()
}

// Stream is a PDF stream object body holding data as it is (no filter).
func Stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// FlateStream is a PDF stream object body holding data compressed with
// FlateDecode, layers times (a chain of filters).
func FlateStream(dict string, data []byte, layers int) string {
	filters := ""
	for range layers {
		var z bytes.Buffer
		w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		w.Write(data)
		w.Close()
		data = z.Bytes()
		filters += " /FlateDecode"
	}
	return fmt.Sprintf("<< %s /Filter [%s] /Length %d >>\nstream\n%s\nendstream", dict, filters, len(data), data)
}

// ZlibRepeat compresses n copies of unit with zlib without holding them.
func ZlibRepeat(unit []byte, n int) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	for range n {
		w.Write(unit)
	}
	w.Close()
	return z.Bytes()
}

// OverlapZip builds a zip whose n central-directory entries all point at
// the same local file: a non-recursive "overlapping files" bomb (Fifield
// 2019, reduced to its simplest form). The one member holds data, stored or
// deflated as given.
func OverlapZip(t testing.TB, name string, data []byte, n int, store bool) []byte {
	t.Helper()
	one := Zip(t, Member{Name: name, Data: data, Store: store})
	// Find the central directory record and the end record.
	eocd := bytes.LastIndex(one, []byte("PK\x05\x06"))
	cdOff := int(binary.LittleEndian.Uint32(one[eocd+16:]))
	cdLen := int(binary.LittleEndian.Uint32(one[eocd+12:]))
	rec := one[cdOff : cdOff+cdLen]
	var b bytes.Buffer
	b.Write(one[:cdOff])
	for range n {
		b.Write(rec)
	}
	end := bytes.Clone(one[eocd:])
	binary.LittleEndian.PutUint16(end[8:], uint16(n))
	binary.LittleEndian.PutUint16(end[10:], uint16(n))
	binary.LittleEndian.PutUint32(end[12:], uint32(n*cdLen))
	b.Write(end)
	return b.Bytes()
}

// PatchZipSizes sets the compressed size of every entry of a zip, in its
// local headers and central directory, to size (a lie about what the
// member holds).
func PatchZipSizes(z []byte, size uint32) []byte {
	z = bytes.Clone(z)
	for i := 0; ; {
		j := bytes.Index(z[i:], []byte("PK\x01\x02"))
		if j < 0 {
			break
		}
		binary.LittleEndian.PutUint32(z[i+j+20:], size)
		i += j + 4
	}
	return z
}

// PeakHeap runs f while sampling the live heap and returns the largest
// value seen above the heap in use before f started. Sampling can miss a
// short spike, never invent one: a low figure is a lower bound.
func PeakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				mu.Lock()
				peak = max(peak, m.HeapAlloc)
				mu.Unlock()
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapAlloc)
	if peak < base {
		return 0
	}
	return peak - base
}

// SparseTar builds a tar holding one file in the PAX sparse format 1.0
// (GNU.sparse.* records): data at offset 0, then a hole up to realSize.
// archive/tar expands the hole into zeros as the file is read, so a few
// kilobytes read back as realSize bytes.
func SparseTar(name string, data []byte, realSize int64) []byte {
	rec := func(k, v string) string {
		l := len(k) + len(v) + 3
		n := len(strconv.Itoa(l))
		if len(strconv.Itoa(l+n)) > n {
			n++
		}
		return fmt.Sprintf("%d %s=%s\n", l+n, k, v)
	}
	recs := rec("GNU.sparse.major", "1") + rec("GNU.sparse.minor", "0") + rec("GNU.sparse.name", name) +
		rec("GNU.sparse.realsize", strconv.FormatInt(realSize, 10))
	body := tarPad([]byte(fmt.Sprintf("1\n0\n%d\n", len(data))))
	body = append(body, data...)
	var b []byte
	b = append(b, tarHeader("pax", len(recs), 'x')...)
	b = append(b, tarPad([]byte(recs))...)
	b = append(b, tarHeader("sparse", len(body), '0')...)
	b = append(b, tarPad(body)...)
	return append(b, make([]byte, 1024)...)
}

func tarHeader(name string, size int, typ byte) []byte {
	h := make([]byte, 512)
	copy(h, name)
	copy(h[100:], "0000644\x00")
	copy(h[108:], "0000000\x00")
	copy(h[116:], "0000000\x00")
	copy(h[124:], fmt.Sprintf("%011o\x00", size))
	copy(h[136:], "00000000000\x00")
	h[156] = typ
	copy(h[257:], "ustar\x0000")
	copy(h[148:], "        ")
	sum := 0
	for _, c := range h {
		sum += int(c)
	}
	copy(h[148:], fmt.Sprintf("%06o\x00 ", sum))
	return h
}

func tarPad(b []byte) []byte {
	if r := len(b) % 512; r != 0 {
		b = append(b, make([]byte, 512-r)...)
	}
	return b
}
