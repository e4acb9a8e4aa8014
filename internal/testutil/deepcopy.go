package testutil

import "reflect"

// DeepCopy returns a copy of v that shares no memory with it that can be
// changed: pointers, slices, maps and arrays are copied all the way down
// (exported and unexported struct fields alike, the latter shallowly when
// they hold only immutable values such as error sentinels). Compare it with
// v later (reflect.DeepEqual) to prove nothing changed v in between.
func DeepCopy[T any](v T) T {
	rv := reflect.ValueOf(&v).Elem()
	out := reflect.New(rv.Type()).Elem()
	deepCopy(out, rv)
	return out.Interface().(T)
}

func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		c := reflect.New(src.Elem().Type()).Elem()
		deepCopy(c, src.Elem())
		dst.Set(c)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Array:
		for i := 0; i < src.Len(); i++ {
			deepCopy(dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			k := reflect.New(it.Key().Type()).Elem()
			deepCopy(k, it.Key())
			val := reflect.New(it.Value().Type()).Elem()
			deepCopy(val, it.Value())
			m.SetMapIndex(k, val)
		}
		dst.Set(m)
	case reflect.Struct:
		dst.Set(src) // every field, unexported ones included, shallowly
		for i := 0; i < src.NumField(); i++ {
			if dst.Field(i).CanSet() {
				deepCopy(dst.Field(i), src.Field(i))
			}
		}
	default:
		dst.Set(src)
	}
}
