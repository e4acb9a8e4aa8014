package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
)

// registerFilters defines one string flag per list filter and returns a
// func that collects the flags given.
func registerFilters(fs *flag.FlagSet) func() filterSet {
	vals := map[string]*string{}
	names := make([]string, 0, len(filterDocs))
	for name := range filterDocs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		vals[name] = fs.String(name, "", filterDocs[name])
	}
	return func() filterSet {
		f := filterSet{}
		fs.Visit(func(fl *flag.Flag) {
			if p, ok := vals[fl.Name]; ok {
				f[fl.Name] = *p
			}
		})
		return f
	}
}

// selectFlag is the repeatable -select filter=value.
type selectFlag struct{ f filterSet }

func (s *selectFlag) String() string { return "" }

func (s *selectFlag) Set(v string) error {
	name, val, ok := strings.Cut(v, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return fmt.Errorf("%q is not filter=value", v)
	}
	if _, known := filterDocs[name]; !known {
		var names []string
		for n := range filterDocs {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("unknown filter %q: one of %s", name, strings.Join(names, ", "))
	}
	if s.f == nil {
		s.f = filterSet{}
	}
	if _, dup := s.f[name]; dup {
		return fmt.Errorf("filter %s is given twice", name)
	}
	s.f[name] = val
	return nil
}

// limitOf reads the limit filter (0: none).
func limitOf(f filterSet) (int, error) {
	s, ok := f[filterLimit]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("limit: %q is not a number >= 1", s)
	}
	return n, nil
}

// cmdList lists coupons: an aligned table, or JSON lines with -json.
func cmdList(e *env, args []string) (int, error) {
	fs := newFlagSet("list", commandUsage["list"])
	var c commonFlags
	c.register(fs, true)
	filters := registerFilters(fs)
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return exitUsage, err
	}
	if len(pos) > 0 {
		return exitUsage, usagef("list takes no argument %q: filters are flags, e.g. -code-like 'SUMMER*'", pos[0])
	}
	if err := c.check(e); err != nil {
		return exitUsage, err
	}
	v, err := findVendor(c.vendor)
	if err != nil {
		return exitUsage, &usageError{err.Error()}
	}
	f := filters()
	if err := checkFilters(v, f); err != nil {
		return exitUsage, &usageError{err.Error()}
	}
	limit, err := limitOf(f)
	if err != nil {
		return exitUsage, &usageError{err.Error()}
	}
	counter := newCountingTransport()
	sess, err := connect(e, v, &c, counter)
	if err != nil {
		return exitUsage, err
	}
	defer sess.close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-e.interrupt:
			cancel()
		case <-ctx.Done():
		}
	}()

	var tw *tabwriter.Writer
	if !c.json {
		tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	}
	n := 0
	header := false
	for r, err := range sess.list(ctx, f) {
		if err != nil {
			if tw != nil {
				tw.Flush()
			}
			if ctx.Err() != nil {
				fmt.Fprintf(e.stderr, "couponctl: interrupted after %d coupons\n", n)
				return exitInterrupted, nil
			}
			if refusedBeforeSending(err, counter) {
				return exitUsage, usagef("listing %s coupons: %v (nothing was sent)", v.name(), err)
			}
			return exitFailed, fmt.Errorf("listing %s coupons: %w", v.name(), err)
		}
		if !f.match(r) {
			continue
		}
		n++
		if c.json {
			fmt.Fprintln(e.stdout, rowJSON(r))
		} else {
			if !header {
				header = true
				writeTableHeader(tw, r)
			}
			writeTableRow(tw, r)
		}
		if limit > 0 && n >= limit {
			break
		}
	}
	if tw != nil {
		tw.Flush()
	}
	fmt.Fprintf(e.stderr, "%d coupon(s), %d request(s)\n", n, counter.requests())
	return exitOK, nil
}

// writeTableHeader writes the column names of the table fields of r.
func writeTableHeader(w io.Writer, r row) {
	var cols []string
	for _, c := range r.fields {
		if c.table {
			cols = append(cols, strings.ToUpper(c.name))
		}
	}
	fmt.Fprintln(w, strings.Join(cols, "\t"))
}

// writeTableRow writes r's table fields.
func writeTableRow(w io.Writer, r row) {
	var cells []string
	for _, c := range r.fields {
		if c.table {
			cells = append(cells, cellText(c.value))
		}
	}
	fmt.Fprintln(w, strings.Join(cells, "\t"))
}

// cellText writes a value for the table.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case string:
		if x == "" {
			return "-"
		}
		return strings.NewReplacer("\t", " ", "\n", " ").Replace(x)
	case *time.Time:
		if x == nil {
			return "-"
		}
		return formatHuman(*x)
	case time.Time:
		if x.IsZero() {
			return "-"
		}
		return formatHuman(x)
	case time.Duration:
		return utmcoupon.FormatTimeSpan(x)
	case *int:
		if x == nil {
			return "-"
		}
		return strconv.Itoa(*x)
	case *float64:
		if x == nil {
			return "-"
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []int:
		if len(x) == 0 {
			return "-"
		}
		parts := make([]string, len(x))
		for i, n := range x {
			parts[i] = strconv.Itoa(n)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// rowJSON writes r as one JSON object with its fields in wire order.
func rowJSON(r row) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r.fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.name)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(jsonValue(c.value))
		if err != nil {
			v = []byte("null")
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

// jsonValue prepares a value for JSON: times as RFC 3339, a nil pointer
// as null.
func jsonValue(v any) any {
	switch x := v.(type) {
	case *time.Time:
		if x == nil {
			return nil
		}
		return x.Format(time.RFC3339Nano)
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x.Format(time.RFC3339Nano)
	case time.Duration:
		return utmcoupon.FormatTimeSpan(x)
	}
	return v
}
