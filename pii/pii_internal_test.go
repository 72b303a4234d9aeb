package pii

import "testing"

func TestTypeIndex(t *testing.T) {
	for i, ty := range allTypes {
		if typeIndex(ty) != i {
			t.Errorf("%s: index %d", ty, typeIndex(ty))
		}
	}
	if typeIndex("nope") != -1 {
		t.Error("unknown type")
	}
	for i, c := range [...]int{iResidentID, iResidentID15, iMobile, iLandline, iBankCard, iCredential, iPassport,
		iPermitHKMO, iHKID, iTWID, iMOID, iPlate, iPersonName, iAddress, iEmail, iIPAddress, iIBAN, iUSSSN, iUSCC} {
		if c != i {
			t.Errorf("index constant %d is %d", i, c)
		}
	}
}

// TestConcurrent scans from many goroutines with one Detector (run with -race).
func TestConcurrent(t *testing.T) {
	d := New(Options{Now: now})
	text := []byte("身份证11010519491231002X 手机13812345678 a@example.com 北京市朝阳区建国路88号 张三先生")
	done := make(chan int)
	for g := 0; g < 8; g++ {
		go func() {
			n := 0
			for i := 0; i < 200; i++ {
				fs, _ := d.Scan(text)
				n += len(fs)
			}
			done <- n
		}()
	}
	first := <-done
	for g := 1; g < 8; g++ {
		if n := <-done; n != first {
			t.Errorf("goroutine found %d findings, want %d", n, first)
		}
	}
}
