package main

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// maxRange is the most keys one range may expand to, so that a typo such
// as 1-1000000 is caught before a long run starts.
const maxRange = 100000

// keySyntax says what keys a vendor takes.
type keySyntax struct {
	// name is the vendor's word for the key (id, coupon code, uuid_code).
	name string
	// numeric keys are integers >= 1, and ranges like 40-60 expand.
	numeric bool
	// check is the vendor's rule for one key; nil for none.
	check func(string) error
}

// parseKeys reads a -keys value: a comma-separated list ("7,12,40-60";
// ranges for numeric keys only), or "@file" with one key (or list) a line,
// blank lines and lines starting with # ignored. Keys are returned in the
// order given; a key given twice is an error.
func parseKeys(spec string, ks keySyntax, readFile func(string) ([]byte, error)) ([]string, error) {
	var keys []string
	seen := map[string]int{}
	add := func(k, where string) error {
		if n, dup := seen[k]; dup {
			return fmt.Errorf("%s %q is given twice (%s and item %d)", ks.name, k, where, n)
		}
		seen[k] = len(keys) + 1
		keys = append(keys, k)
		return nil
	}
	addList := func(list, where string, split bool) error {
		parts := []string{list}
		if split {
			parts = strings.Split(list, ",")
		}
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if p == "" {
				return fmt.Errorf("%s: empty %s", where, ks.name)
			}
			if !ks.numeric {
				if ks.check != nil {
					if err := ks.check(p); err != nil {
						return fmt.Errorf("%s: %q: %v", where, p, err)
					}
				}
				if err := add(p, where); err != nil {
					return err
				}
				continue
			}
			lo, hi, isRange := strings.Cut(p, "-")
			a, err := strconv.Atoi(strings.TrimSpace(lo))
			b := a
			if err == nil && isRange {
				b, err = strconv.Atoi(strings.TrimSpace(hi))
			}
			if err != nil || a < 1 || b < 1 {
				return fmt.Errorf("%s: %q is not an %s (a number >= 1) or a range like 40-60", where, p, ks.name)
			}
			if b < a {
				return fmt.Errorf("%s: range %q runs backwards", where, p)
			}
			if b-a >= maxRange {
				return fmt.Errorf("%s: range %q has more than %d ids", where, p, maxRange)
			}
			for id := a; id <= b; id++ {
				if err := add(strconv.Itoa(id), where); err != nil {
					return err
				}
			}
		}
		return nil
	}

	if name, ok := strings.CutPrefix(spec, "@"); ok {
		b, err := readFile(name)
		if err != nil {
			return nil, fmt.Errorf("-keys: %w", err)
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for line := 1; sc.Scan(); line++ {
			text := strings.TrimSpace(sc.Text())
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			// Codes may hold commas only in a file, one a line; numeric
			// ids may still be listed with commas and ranges.
			if err := addList(text, fmt.Sprintf("%s line %d", name, line), ks.numeric); err != nil {
				return nil, err
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("-keys: %s: %w", name, err)
		}
		if len(keys) == 0 {
			return nil, fmt.Errorf("-keys: %s holds no keys", name)
		}
		return keys, nil
	}
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("-keys is empty")
	}
	if err := addList(spec, "-keys", true); err != nil {
		return nil, err
	}
	return keys, nil
}

// parseOneKey reads a single key (a CSV cell).
func parseOneKey(s string, ks keySyntax) (string, error) {
	s = strings.TrimSpace(s)
	if ks.numeric {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return "", fmt.Errorf("%q is not an %s (a number >= 1)", s, ks.name)
		}
		return strconv.Itoa(n), nil
	}
	if s == "" {
		return "", fmt.Errorf("empty %s", ks.name)
	}
	if ks.check != nil {
		if err := ks.check(s); err != nil {
			return "", fmt.Errorf("%q: %v", s, err)
		}
	}
	return s, nil
}
