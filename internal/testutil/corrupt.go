package testutil

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/internal/api"
)

// Invalid is what CorruptEachString appends to a string: a byte that is
// never valid UTF-8.
const Invalid = "\xff"

// CorruptEachString finds every string a request built by build carries,
// wherever it sits (struct fields, pointers, slices, map keys and values,
// values inside interfaces; empty strings are fields left unset and are
// skipped), and for each one calls check with a fresh
// request in which only that string has Invalid appended. path names the
// string the Go way: "Name", "AppliesTo.Entity", "ShippingMethods[0]",
// "RestrictedTo.States[CA]" (a map value), "RestrictedTo.States{CA}" (a map
// key). It returns how many strings it corrupted, so a test can check that
// build filled every field it means to cover.
func CorruptEachString[T any](build func() T, check func(path string, req T)) int {
	first := build()
	paths := stringPaths(reflect.ValueOf(&first).Elem(), "")
	for i, want := range paths {
		req := build()
		n := i
		path, ok := corruptNth(reflect.ValueOf(&req).Elem(), "", &n)
		if !ok || path != want {
			panic("testutil: build returned requests of different shapes: " + want)
		}
		check(path, req)
	}
	return len(paths)
}

// CheckEveryString corrupts, one at a time, every string of the request
// build returns (see CorruptEachString) and checks that update refuses it
// with a *api.ValidationError whose only field is wire[path] with a problem
// about UTF-8, and that sent (the number of requests the server saw) stays
// 0. build must fill every string field of the request; a path missing
// from wire fails the test, so a new string field cannot go unchecked.
func CheckEveryString[T any](t *testing.T, build func() T, update func(T) error, sent func() int, wire map[string]string) {
	t.Helper()
	seen := map[string]bool{}
	CorruptEachString(build, func(path string, req T) {
		seen[path] = true
		want, ok := wire[path]
		if !ok {
			t.Errorf("%s: no wire field listed for this string", path)
			return
		}
		err := update(req)
		var ve *api.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s with invalid UTF-8: err = %v, want a *ValidationError", path, err)
			return
		}
		for _, f := range ve.Fields {
			if f.Field != want || !strings.Contains(f.Problem, "UTF-8") {
				t.Errorf("%s with invalid UTF-8: field error %q %q, want only %q about UTF-8", path, f.Field, f.Problem, want)
			}
		}
	})
	for path := range wire {
		if !seen[path] {
			t.Errorf("%s: listed, but build left it empty (or it does not exist)", path)
		}
	}
	if n := sent(); n != 0 {
		t.Errorf("%d requests were sent; invalid input must send nothing", n)
	}
}

// stringPaths lists the paths of every string under v, in walk order.
func stringPaths(v reflect.Value, path string) []string {
	var out []string
	walk(v, path, func(p string, _ func(string)) bool {
		out = append(out, p)
		return false
	})
	return out
}

// corruptNth appends Invalid to the *n-th string under v (counting down
// *n) and returns its path.
func corruptNth(v reflect.Value, path string, n *int) (string, bool) {
	var hit string
	found := walk(v, path, func(p string, set func(string)) bool {
		if *n > 0 {
			*n--
			return false
		}
		set(Invalid)
		hit = p
		return true
	})
	return hit, found
}

// walk calls visit for each string under v with its path and a function
// that appends a suffix to it; it stops when visit returns true.
func walk(v reflect.Value, path string, visit func(path string, appendTo func(string)) bool) bool {
	switch v.Kind() {
	case reflect.String:
		// An empty string is a field the request does not set.
		return v.Len() > 0 && visit(path, func(s string) { v.SetString(v.String() + s) })
	case reflect.Pointer:
		return !v.IsNil() && walk(v.Elem(), path, visit)
	case reflect.Interface:
		if v.IsNil() {
			return false
		}
		// The value inside an interface cannot be set in place: work on a
		// copy and store it back.
		cp := reflect.New(v.Elem().Type()).Elem()
		cp.Set(v.Elem())
		if walk(cp, path, visit) {
			v.Set(cp)
			return true
		}
		return false
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			p := t.Field(i).Name
			if path != "" {
				p = path + "." + p
			}
			if walk(v.Field(i), p, visit) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i), visit) {
				return true
			}
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			panic("testutil: map keys must be strings: " + path)
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			key := k.String()
			elem := v.MapIndex(k)
			if visit(path+"{"+key+"}", func(s string) {
				nk := reflect.New(k.Type()).Elem()
				nk.SetString(key + s)
				v.SetMapIndex(k, reflect.Value{})
				v.SetMapIndex(nk, elem)
			}) {
				return true
			}
			cp := reflect.New(elem.Type()).Elem()
			cp.Set(elem)
			if walk(cp, path+"["+key+"]", visit) {
				v.SetMapIndex(k, cp)
				return true
			}
		}
	}
	return false
}
