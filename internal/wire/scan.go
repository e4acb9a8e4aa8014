package wire

// Span scanning of JSON already checked with json.Valid: the helpers below
// find where values begin and end without decoding them, so that a caller
// can compare or count values without allocating.

// SkipSpace returns the index of the first non-space byte of s at or after i.
func SkipSpace(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// StringEnd returns the index just past the JSON string starting at s[i].
func StringEnd(s []byte, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}

// ValueEnd returns the index just past the JSON value starting at s[i]: a
// string, an object or array (brackets counted outside strings), or a
// literal or number (up to the next delimiter or space).
func ValueEnd(s []byte, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '"':
		return StringEnd(s, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '"':
				j = StringEnd(s, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(s)
	}
	j := i
	for j < len(s) && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' {
		j++
	}
	return j
}

// EachElement calls f with each element of s, a valid JSON array, and its
// index, stopping at f's first error.
func EachElement(s []byte, f func(i int, elem []byte) error) error {
	i := SkipSpace(s, 0)
	if i >= len(s) || s[i] != '[' {
		return nil
	}
	i = SkipSpace(s, i+1)
	for n := 0; i < len(s) && s[i] != ']'; n++ {
		end := ValueEnd(s, i)
		if err := f(n, s[i:end]); err != nil {
			return err
		}
		i = SkipSpace(s, end)
		if i < len(s) && s[i] == ',' {
			i = SkipSpace(s, i+1)
		}
	}
	return nil
}
