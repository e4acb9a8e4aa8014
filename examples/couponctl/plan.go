package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// maxReported is how many problems of one kind a message lists before
// saying "and N more".
const maxReported = 20

// problems collects input errors so that all of them are reported at once.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// err returns nil, or one error listing the problems (at most maxReported).
func (p problems) err(what string) error {
	if len(p) == 0 {
		return nil
	}
	shown := p
	if len(shown) > maxReported {
		shown = shown[:maxReported]
	}
	msg := what + ":\n  " + strings.Join(shown, "\n  ")
	if n := len(p) - len(shown); n > 0 {
		msg += fmt.Sprintf("\n  ... and %d more", n)
	}
	return errors.New(msg)
}

// parseSettings reads field=value arguments for v, rejecting every bad one
// (unknown field, bad value, a field given twice) in one error.
func parseSettings(v vendor, args []string) ([]setting, error) {
	var out []setting
	var bad problems
	seen := map[string]bool{}
	for _, a := range args {
		name, raw, ok := strings.Cut(a, "=")
		name = strings.TrimSpace(name)
		op := opSet
		if n, found := strings.CutSuffix(name, "+"); found {
			op, name = opAdd, strings.TrimSpace(n)
		} else if n, found := strings.CutSuffix(name, "-"); found {
			op, name = opSub, strings.TrimSpace(n)
		}
		if !ok || name == "" {
			bad.add("%q is not field=value, field+=amount or field-=amount", a)
			continue
		}
		if seen[name] {
			bad.add("%s is given twice", name)
			continue
		}
		seen[name] = true
		s, err := v.parseSetting(name, op, raw)
		if err != nil {
			bad.add("%v", err)
			continue
		}
		out = append(out, s)
	}
	if err := bad.err("bad field values (nothing was sent)"); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("give at least one field=value to set")
	}
	return out, nil
}

// settingsText is the plan text of a set command, for the journal header:
// the settings sorted by field, a relative value written with its
// operator (expires+=7d, also for expires=+7d, so that either spelling
// resumes the other).
func settingsText(ss []setting) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		op, raw := s.Op, strings.TrimSpace(s.Raw)
		if op == opSet && s.v.rel && len(raw) > 1 {
			op, raw = string(raw[0])+"=", raw[1:]
		}
		parts[i] = s.Field + op + raw
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// samePlan reports whether two plan texts name the same changes: equal,
// or equal once the older spellings of relative values are read as "+="
// and "-=" (journals written before couponctl spelled them expires+=7d):
// "=+" always, "=-" before a step with a unit (=-12h), never before a bare
// number (max_uses=-1 is minus one).
func samePlan(a, b string) bool {
	norm := func(s string) string {
		s = strings.ReplaceAll(s, "=+", "+=")
		return oldStep.ReplaceAllString(s, "-=$1")
	}
	return a == b || norm(a) == norm(b)
}

// oldStep is an older spelling of a negative step: =-12h.
var oldStep = regexp.MustCompile(`=-([0-9]+[wdhms])\b`)

// keyColumns are the header names accepted for the key column of a plan.
func keyColumns(v vendor) []string {
	return []string{"key", v.keys().name}
}

// parsePlan reads a CSV plan for v: a header row naming the key column
// (key, or the vendor's key name) and one column per field; then one row
// per coupon. An empty cell leaves that field as it is; "none" clears it.
// Every row is checked before anything is sent, and every problem is
// reported with its row number. It returns the items and the plan text
// for the journal header (file name and SHA-256 of its content), and
// notices for the user (rows skipped because every cell is empty).
func parsePlan(v vendor, name string, content []byte) ([]*item, string, []string, error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.Comment = '#'
	header, err := r.Read()
	if err == io.EOF {
		return nil, "", nil, fmt.Errorf("%s is empty: want a header row like \"%s,field\"", name, v.keys().name)
	}
	if err != nil {
		return nil, "", nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // a BOM from spreadsheet exports
	}
	var bad problems
	var notes []string
	if len(header) == 1 && strings.Contains(header[0], ";") {
		return nil, "", nil, fmt.Errorf("%s: the header %q is one column holding ';': the file looks ';'-separated "+
			"(a spreadsheet export in a locale with decimal commas); save it as comma-separated CSV", name, header[0])
	}
	keyCol := -1
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		header[i] = h
		switch {
		case h == "":
			bad.add("header column %d has no name", i+1)
		case seen[h]:
			bad.add("header names column %s twice", h)
		case keyCol < 0 && containsString(keyColumns(v), h):
			keyCol = i
		case !v.hasField(h):
			bad.add("%s has no settable field %q; valid fields: %s", v.name(), h, strings.Join(fieldNames(v), ", "))
		}
		seen[h] = true
	}
	if keyCol < 0 {
		bad.add("the header has no key column: name it %s", strings.Join(keyColumns(v), " or "))
	}
	if len(header) < 2 {
		bad.add("the header names no field to set")
	}
	if err := bad.err(name + ": bad header (nothing was sent)"); err != nil {
		return nil, "", nil, err
	}

	var items []*item
	keys := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			bad.add("%v", err)
			if len(bad) > maxReported {
				break
			}
			continue
		}
		if allEmpty(rec) {
			notes = append(notes, fmt.Sprintf("%s: row %d is empty: skipped", name, line))
			continue
		}
		if len(rec) != len(header) {
			bad.add("row %d has %d cells, the header %d", line, len(rec), len(header))
			continue
		}
		key := strings.TrimSpace(rec[keyCol])
		if key == "" {
			bad.add("row %d has no %s", line, v.keys().name)
			continue
		}
		key, err = parseOneKey(key, v.keys())
		if err != nil {
			bad.add("row %d: %v", line, err)
			continue
		}
		if first, dup := keys[key]; dup {
			bad.add("row %d: %s %s is planned already on row %d", line, v.keys().name, key, first)
			continue
		}
		keys[key] = line
		it := &item{key: key}
		for i, cell := range rec {
			if i == keyCol || strings.TrimSpace(cell) == "" {
				continue
			}
			s, err := v.parseSetting(header[i], opSet, cell)
			if err != nil {
				bad.add("row %d (%s %s): %v", line, v.keys().name, key, err)
				continue
			}
			it.sets = append(it.sets, s)
		}
		if len(it.sets) == 0 && !hasCellError(bad, line) {
			bad.add("row %d (%s %s) sets no field: every cell is empty", line, v.keys().name, key)
			continue
		}
		items = append(items, it)
	}
	// a unique field (a coupon code) may not be planned twice with one value
	for col, h := range header {
		if col == keyCol {
			continue
		}
		seen := map[string]string{}
		for _, it := range items {
			for _, s := range it.sets {
				if s.Field != h || !s.unique {
					continue
				}
				val := strings.TrimSpace(s.Raw)
				if other, dup := seen[val]; dup {
					bad.add("%s %q is planned for %s %s and %s: it must be unique", h, val, v.keys().name, other, it.key)
				}
				seen[val] = it.key
			}
		}
	}
	if err := bad.err(name + ": bad rows (nothing was sent)"); err != nil {
		return nil, "", nil, err
	}
	if len(items) == 0 {
		return nil, "", nil, fmt.Errorf("%s has a header but no rows", name)
	}
	sum := sha256.Sum256(content)
	return items, fmt.Sprintf("%s sha256:%x", baseName(name), sum[:8]), notes, nil
}

// allEmpty reports whether every cell of a CSV row is blank.
func allEmpty(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// hasCellError reports whether a problem is already recorded for line.
func hasCellError(p problems, line int) bool {
	prefix := fmt.Sprintf("row %d ", line)
	for _, s := range p {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// fieldNames lists v's settable fields.
func fieldNames(v vendor) []string {
	var out []string
	for _, d := range v.fieldDocs() {
		out = append(out, d.Name)
	}
	return out
}

// containsString reports whether list holds s.
func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// baseName is the last element of a slash- or backslash-separated path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
