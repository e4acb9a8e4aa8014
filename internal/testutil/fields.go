package testutil

import (
	"reflect"
	"testing"
)

// AllFieldsSet fails t for every exported field of the struct v (or *v)
// that holds its zero value, except the named ones. Round-trip tests use it
// so that a new request field that UpdateRequest forgets to fill fails the
// build's tests instead of being silently wiped on the vendor.
func AllFieldsSet(t testing.TB, v any, except ...string) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			t.Fatalf("AllFieldsSet: nil %v", rv.Type())
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		t.Fatalf("AllFieldsSet: %v is not a struct", rv.Type())
	}
	skip := map[string]bool{}
	for _, name := range except {
		skip[name] = true
	}
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		if !f.IsExported() || skip[f.Name] {
			continue
		}
		if rv.Field(i).IsZero() {
			t.Errorf("%s.%s is not set: fill it (every writable field must be set explicitly)", rv.Type().Name(), f.Name)
		}
	}
}
