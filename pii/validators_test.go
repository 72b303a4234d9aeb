package pii

import (
	"testing"
	"time"
)

// Test failure messages name cases by index and description, never by value.

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func TestResidentID(t *testing.T) {
	cases := []struct {
		v    string
		ok   bool
		what string
	}{
		{"11010519491231002X", true, "GB 11643 example, X check"},
		{"440524188001010014", true, "GB 11643 example, 1880, abolished county 潮阳县"},
		{"11010519491231002x", true, "lower-case x"},
		{"110103198001010013", true, "abolished code 崇文区 (in 2002-2009 revisions)"},
		{"110105194912310021", false, "wrong check digit"},
		{"990101198001010016", false, "unknown province"},
		{"110105199902300029", false, "February 30"},
		{"110105203001010010", false, "future birth date"},
		{"11010519491231002", false, "17 characters"},
		{"1101051949123100XX", false, "X before the end"},
	}
	for i, c := range cases {
		// recompute check digits for the cases that only vary the date or region
		v := c.v
		if c.what == "February 30" || c.what == "future birth date" || c.what == "unknown province" || c.what == "abolished code 崇文区 (in 2002-2009 revisions)" {
			v = v[:17] + string(idCheck[checkSum(v[:17])%11])
		}
		if got := ValidResidentID(v, now); got != c.ok {
			t.Errorf("case %d (%s): got %v want %v", i, c.what, got, c.ok)
		}
	}
}

func checkSum(s17 string) int {
	sum := 0
	for i, w := range idWeights {
		sum += int(s17[i]-'0') * w
	}
	return sum
}

func TestRegionQuality(t *testing.T) {
	cases := []struct {
		code, want int
	}{{110105, regionExact}, {110103, regionExact}, {440524, regionPref}, {990101, regionNone},
		{110000, regionNone}, {123456, regionNone}, {0, regionNone}, {652901, regionExact}}
	for _, c := range cases {
		if got := regionQuality(c.code); got != c.want {
			t.Errorf("region %06d: got %d want %d", c.code, got, c.want)
		}
	}
}

func TestHKID(t *testing.T) {
	cases := []struct {
		v  string
		ok bool
	}{{"A1234563", true}, {"G123456A", true}, {"AB9876543", true}, {"A1234564", false}, {"A123456B", false},
		{"1234567", false}, {"ABC123456", false}}
	for i, c := range cases {
		if got := ValidHKID([]byte(c.v)); got != c.ok {
			t.Errorf("case %d: got %v want %v", i, got, c.ok)
		}
	}
}

func TestTWID(t *testing.T) {
	cases := []struct {
		v  string
		ok bool
	}{{"A123456789", true}, {"A123456788", false}, {"A323456789", false}, {"1123456789", false}}
	for i, c := range cases {
		if got := ValidTWID([]byte(c.v)); got != c.ok {
			t.Errorf("case %d: got %v want %v", i, got, c.ok)
		}
	}
}

func TestUSCC(t *testing.T) {
	cases := []struct {
		v  string
		ok bool
	}{{"91350100M000100Y43", true}, {"91350100M000100Y44", false}, {"91990100M000100Y43", false}, {"9135010OM000100Y43", false}}
	for i, c := range cases {
		if got := ValidUSCC([]byte(c.v)); got != c.ok {
			t.Errorf("case %d: got %v want %v", i, got, c.ok)
		}
	}
}

func TestCards(t *testing.T) {
	cases := []struct {
		v  string
		ok bool
	}{{"4111111111111111", true}, {"5555555555554444", true}, {"378282246310005", true},
		{"6011111111111117", true}, {"3530111333300000", true}, {"6200000000000005", true},
		{"4111111111111112", false}, {"9787111111111111", false}, {"20261127120000", false},
		{"1234567812345670", false}}
	for i, c := range cases {
		if got := ValidCard([]byte(c.v)); got != c.ok {
			t.Errorf("case %d: got %v want %v", i, got, c.ok)
		}
	}
}

func TestIBAN(t *testing.T) {
	cases := []struct {
		v  string
		ok bool
	}{{"GB82WEST12345698765432", true}, {"DE89370400440532013000", true}, {"GB82WEST12345698765433", false},
		{"GB82WEST1234569876543", false}, {"XX82WEST12345698765432", false}}
	for i, c := range cases {
		if got := ValidIBAN([]byte(c.v)); got != c.ok {
			t.Errorf("case %d: got %v want %v", i, got, c.ok)
		}
	}
}

func TestSSN(t *testing.T) {
	cases := []struct {
		v  string
		ok bool
	}{{"123456789", true}, {"000123456", false}, {"666123456", false}, {"900123456", false},
		{"123006789", false}, {"123450000", false}}
	for i, c := range cases {
		if got := ValidSSN([]byte(c.v)); got != c.ok {
			t.Errorf("case %d: got %v want %v", i, got, c.ok)
		}
	}
}

func TestMobile(t *testing.T) {
	cases := []struct {
		v  string
		ok bool
	}{{"13812345678", true}, {"19912345678", true}, {"16212345678", true}, {"14512345678", true},
		{"14012345678", false}, {"15412345678", false}, {"17912345678", false}, {"12345678901", false},
		{"10086123456", false}, {"1381234567", false}}
	for i, c := range cases {
		if got := ValidMobile([]byte(c.v)); got != c.ok {
			t.Errorf("case %d: got %v want %v", i, got, c.ok)
		}
	}
}

func TestIPv6(t *testing.T) {
	for _, c := range []string{"::1", "::", "fe80::1", "2001:db8::ff00:42:8329", "2001:0db8:0000:0000:0000:ff00:0042:8329",
		"::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:7::"} {
		if !validIPv6([]byte(c)) {
			t.Errorf("valid %s rejected", c)
		}
	}
	for _, c := range []string{"1:2:3", "12:30:45", "1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9", ":1:2:3:4:5:6:7", "::1.2.3", "::256.1.1.1", "g::1"} {
		if validIPv6([]byte(c)) {
			t.Errorf("invalid %s accepted", c)
		}
	}
}
