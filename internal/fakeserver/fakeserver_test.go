package fakeserver

import (
	"net/http/httptest"
	"sync"
	"testing"
)

func TestSeedID(t *testing.T) {
	next := int64(1)
	if got := SeedID(0, &next); got != 1 || next != 2 {
		t.Fatalf("SeedID(0) = %d, next %d; want 1, 2", got, next)
	}
	if got := SeedID(10, &next); got != 10 || next != 11 {
		t.Fatalf("SeedID(10) = %d, next %d; want 10, 11", got, next)
	}
	if got := SeedID(3, &next); got != 3 || next != 11 {
		t.Fatalf("SeedID(3) = %d, next %d; want 3, 11 (next never moves back)", got, next)
	}
}

func TestField(t *testing.T) {
	var mu sync.Mutex
	m := map[int64]*struct{ pw string }{7: {"secret"}}
	pick := func(r *struct{ pw string }) string { return r.pw }
	if v, ok := Field(&mu, m, 7, pick); v != "secret" || !ok {
		t.Fatalf("Field(7) = %q, %v", v, ok)
	}
	if v, ok := Field(&mu, m, 8, pick); v != "" || ok {
		t.Fatalf("Field(8) = %q, %v; want zero, false", v, ok)
	}
}

func TestSetGet(t *testing.T) {
	var mu sync.Mutex
	x := 1
	Set(&mu, &x, 5)
	if got := Get(&mu, &x); got != 5 {
		t.Fatalf("Get = %d, want 5", got)
	}
}

func TestSorted(t *testing.T) {
	m := map[string]int{"c": 3, "a": 1, "b": 2}
	got := Sorted(m, func(v int) int { return v })
	if len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("Sorted = %v", got)
	}
	if got := Sorted(map[int]int{}, func(v int) int { return v }); got == nil || len(got) != 0 {
		t.Fatalf("Sorted(empty) = %#v, want an empty non-nil slice", got)
	}
}

func TestApply(t *testing.T) {
	s, v := "old", "new"
	Apply(&s, nil)
	if s != "old" {
		t.Fatalf("Apply(nil) changed the value to %q", s)
	}
	Apply(&s, &v)
	if s != "new" {
		t.Fatalf("Apply = %q, want new", s)
	}
}

func TestPathID(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want int64
		ok   bool
	}{{"42", 42, true}, {"-3", -3, true}, {"x", 0, false}, {"", 0, false}, {"4.0", 0, false}} {
		r := httptest.NewRequest("GET", "/", nil)
		r.SetPathValue("id", tc.raw)
		got, ok := PathID(r, "id")
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("PathID(%q) = %d, %v; want %d, %v", tc.raw, got, ok, tc.want, tc.ok)
		}
	}
}

func TestIntOr(t *testing.T) {
	if n, err := IntOr("", 9); n != 9 || err != nil {
		t.Fatalf(`IntOr("") = %d, %v`, n, err)
	}
	if n, err := IntOr("12", 9); n != 12 || err != nil {
		t.Fatalf(`IntOr("12") = %d, %v`, n, err)
	}
	if _, err := IntOr("x", 9); err == nil {
		t.Fatal(`IntOr("x") gave no error`)
	}
}

func TestRandomHex(t *testing.T) {
	a, b := RandomHex(16), RandomHex(16)
	if len(a) != 32 || a == b {
		t.Fatalf("RandomHex(16) = %q, %q: want 32 hex digits, different each call", a, b)
	}
}
