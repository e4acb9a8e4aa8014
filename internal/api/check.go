package api

import (
	"strconv"
	"unicode/utf8"
)

// Checker collects every broken rule of a request so that one
// ValidationError can list them all. The zero value is ready to use.
type Checker struct {
	fields []FieldError
}

// Fail records that field has problem.
func (c *Checker) Fail(field, problem string) {
	c.fields = append(c.fields, FieldError{Field: field, Problem: problem})
}

// Check records problem for field unless ok.
func (c *Checker) Check(ok bool, field, problem string) {
	if !ok {
		c.Fail(field, problem)
	}
}

// Required records "is required" when v is empty.
func (c *Checker) Required(field, v string) bool {
	if v == "" {
		c.Fail(field, "is required")
		return false
	}
	return true
}

// Length checks that v has between min and max characters (runes). A max of
// 0 means no upper bound.
func (c *Checker) Length(field, v string, min, max int) {
	n := utf8.RuneCountInString(v)
	switch {
	case n < min:
		c.Fail(field, "must be at least "+strconv.Itoa(min)+" characters")
	case max > 0 && n > max:
		c.Fail(field, "must be at most "+strconv.Itoa(max)+" characters")
	}
}

// NonNegative records "must not be negative" when p is set and below zero.
func (c *Checker) NonNegative(field string, p *int) {
	if p != nil && *p < 0 {
		c.Fail(field, "must not be negative")
	}
}

// OneOf checks that v is one of allowed.
func (c *Checker) OneOf(field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	msg := "must be one of "
	for i, a := range allowed {
		if i > 0 {
			msg += ", "
		}
		msg += strconv.Quote(a)
	}
	c.Fail(field, msg)
}

// Err returns nil when no rule was broken, else a *ValidationError.
func (c *Checker) Err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: c.fields}
}
