package jframeworktest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/jframework"
)

// collectionPath is the list endpoint, GET /api/v1/coupons.
const collectionPath = "/api/v1/coupons"

// defaultPageSize is JFramework's page size when pageSize is not sent.
const defaultPageSize = 200

// listJSON is the data of a list answer.
type listJSON struct {
	Items      []couponJSON `json:"items"`
	TotalItems int          `json:"totalItems"`
	PageNumber int          `json:"pageNumber"`
	PageSize   int          `json:"pageSize"`
}

// handle routes one admitted request: the list, a read or an update. The
// route and method are checked before the credentials, as before.
func (s *Server) handle(r *http.Request) (any, *failure) {
	path := r.URL.EscapedPath()
	if path == collectionPath {
		if r.Method != http.MethodGet {
			return nil, notAllowed(r.Method, http.MethodGet)
		}
		if f := s.authorize(r); f != nil {
			return nil, f
		}
		return s.list(r.URL.Query())
	}
	rest, ok := strings.CutPrefix(path, couponsPrefix)
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return nil, fail(http.StatusNotFound, "ResourceNotFound", "The requested resource was not found.")
	}
	id, err := url.PathUnescape(rest)
	if err != nil {
		return nil, fail(http.StatusNotFound, "ResourceNotFound", "The requested resource was not found.")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPut {
		return nil, notAllowed(r.Method, "GET, PUT")
	}
	if f := s.authorize(r); f != nil {
		return nil, f
	}
	if r.Method == http.MethodGet {
		return s.get(id)
	}
	c, f := s.update(r, id)
	if f != nil {
		return nil, f
	}
	return &c, nil
}

func notAllowed(method, allow string) *failure {
	f := fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "The method "+method+" is not allowed for this resource.")
	f.header = http.Header{"Allow": {allow}}
	return f
}

// authorize checks the Auth-Key and Brand-URL headers.
func (s *Server) authorize(r *http.Request) *failure {
	if r.Header.Get("Auth-Key") == "" || r.Header.Get("Auth-Key") != s.AuthKey {
		return fail(http.StatusUnauthorized, "Unauthorized", "The request is not authenticated.")
	}
	if r.Header.Get("Brand-URL") == "" || r.Header.Get("Brand-URL") != s.BrandURL {
		return fail(http.StatusUnauthorized, "InvalidBrand", "The brand URL is missing or unknown.")
	}
	return nil
}

// get answers GET /api/v1/coupons/{id}: the coupon as stored, or 404
// CouponNotFound.
func (s *Server) get(id string) (any, *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[id]
	if !ok {
		return nil, fail(http.StatusNotFound, "CouponNotFound", "The coupon "+strconv.Quote(id)+" was not found.")
	}
	j := toJSON(c)
	return &j, nil
}

// list answers GET /api/v1/coupons: the coupons matching the filters, in
// id order, one page of them. name and code match case-insensitively as
// substrings, keywords as a substring of the name, code, description or
// tags, status exactly. pageSize (default 200) must be >= 1 and
// pageNumber (default 0) >= 0; a page past the end has no items.
func (s *Server) list(q url.Values) (any, *failure) {
	var items [][2]string
	bad := func(msg string) { items = append(items, [2]string{"ValidationError", msg}) }
	size, number := defaultPageSize, 0
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad("'Page Size' must be greater than or equal to '1'.")
		}
		size = n
	}
	if v := q.Get("pageNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad("'Page Number' must be greater than or equal to '0'.")
		}
		number = n
	}
	status := q.Get("status")
	switch jframework.Status(status) {
	case "", jframework.StatusActive, jframework.StatusInactive, jframework.StatusExpired, jframework.StatusDeleted:
	default:
		bad("'Status' has a range of values which does not include '" + status + "'.")
	}
	if len(items) > 0 {
		return nil, &failure{status: http.StatusBadRequest, items: items}
	}
	name, code, keywords := strings.ToLower(q.Get("name")), strings.ToLower(q.Get("code")), strings.ToLower(q.Get("keywords"))
	has := func(s, sub string) bool { return strings.Contains(strings.ToLower(s), sub) }

	s.mu.Lock()
	defer s.mu.Unlock()
	var match []jframework.Coupon
	for _, c := range s.coupons {
		if has(c.Name, name) && has(c.Code, code) && (status == "" || string(c.Status) == status) &&
			(keywords == "" || has(c.Name, keywords) || has(c.Code, keywords) || has(c.Description, keywords) || has(c.Tags, keywords)) {
			match = append(match, c)
		}
	}
	slices.SortFunc(match, func(a, b jframework.Coupon) int { return strings.Compare(a.ID, b.ID) })
	out := &listJSON{Items: []couponJSON{}, TotalItems: len(match), PageNumber: number, PageSize: size}
	start, end := len(match), len(match)
	if number <= len(match)/size { // then number*size <= len(match): no overflow
		start = number * size
	}
	if size < end-start {
		end = start + size
	}
	for _, c := range match[start:end] {
		out.Items = append(out.Items, toJSON(c))
	}
	return out, nil
}
