package pii_test

import (
	"fmt"
	"time"

	"github.com/scruple/scruple/pii"
)

func Example() {
	d := pii.New(pii.Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	text := []byte("联系人：王小明，手机 138 1234 5678，身份证号11010519491231002X。")
	fs, sig := d.Scan(text)
	for _, f := range fs {
		fmt.Println(f.Type, f.Sensitive, f.Level)
	}
	fmt.Println(string(pii.Redact(text, fs, pii.Mask)))
	fmt.Println(string(pii.Redact(text, fs, pii.Partial)))
	fmt.Println(sig.Subjects, sig.Bulk, sig.Minor)
	// Output:
	// person_name false C2
	// cn_mobile false C2
	// cn_resident_id true C2
	// 联系人：[person_name]，手机 [cn_mobile]，身份证号[cn_resident_id]。
	// 联系人：王**，手机 138 **** 5678，身份证号110105********002X。
	// 2 false false
}
