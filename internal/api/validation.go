package api

import "strings"

// FieldError is one broken rule in a request, found before sending it.
type FieldError struct {
	// Field is the wire name of the field, e.g. "applies_to", "coupon_code".
	Field string
	// Problem says what is wrong, e.g. "is required".
	Problem string
}

// ValidationError is returned before any request is sent when the request
// breaks a rule the vendor documents. It lists every broken field at once.
// It matches ErrInvalidRequest and ErrNotSent.
type ValidationError struct {
	// Vendor names the package that refused the request, e.g.
	// "bigcommerce"; empty only for a ValidationError built by hand.
	Vendor string
	// Operation names the request that was not sent, as APIError.Operation
	// does: its method and path, and for a vendor that selects the coupon
	// in the body the wire field and value, e.g.
	// `PUT /stores/abc/v2/coupons/7` or
	// `POST /api/2.1/product/update_coupon coupon_code "SUMMER15"`. Empty
	// when there was no request to name (a nil request). Credentials are
	// redacted.
	Operation string
	// Fields lists every broken rule, in the order the fields were checked.
	Fields []FieldError
}

// Error returns "<vendor>: invalid request for <operation>: <field>
// <problem>; ...". Without a Vendor it starts "couponkit: invalid request".
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Vendor != "" {
		b.WriteString(e.Vendor)
	} else {
		b.WriteString("couponkit")
	}
	b.WriteString(": invalid request")
	if e.Operation != "" {
		b.WriteString(" for ")
		b.WriteString(e.Operation)
	}
	b.WriteString(": ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteByte(' ')
		b.WriteString(f.Problem)
	}
	return b.String()
}

// Is reports true for ErrInvalidRequest and ErrNotSent: nothing was sent.
func (e *ValidationError) Is(target error) bool {
	return target == ErrInvalidRequest || target == ErrNotSent
}
