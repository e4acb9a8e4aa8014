package bigcommercetest

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/bigcommerce"
)

// BigCommerce's v2 page sizes: 50 unless limit says otherwise, at most 250.
const (
	defaultLimit = 50
	maxLimit     = 250
)

// listFilter is the query of GET /v2/coupons.
type listFilter struct {
	id, minID, maxID int
	code, name       string
	typ              bigcommerce.CouponType
	page, limit      int
}

// parseListFilter reads the documented filters of GET /v2/coupons. A
// malformed number is answered 400 with the field's name; a limit above 250
// is served as 250 (inferred: the v2 collections cap their pages at 250).
func parseListFilter(q url.Values) (listFilter, string) {
	f := listFilter{page: 1, limit: defaultLimit}
	ints := []struct {
		name string
		dst  *int
		min  int
	}{{"id", &f.id, 1}, {"min_id", &f.minID, 0}, {"max_id", &f.maxID, 0}, {"page", &f.page, 1}, {"limit", &f.limit, 1}}
	for _, p := range ints {
		if !q.Has(p.name) {
			continue
		}
		n, err := strconv.Atoi(q.Get(p.name))
		if err != nil || n < p.min {
			return f, p.name
		}
		*p.dst = n
	}
	f.limit = min(f.limit, maxLimit)
	f.code, f.name, f.typ = q.Get("code"), q.Get("name"), bigcommerce.CouponType(q.Get("type"))
	return f, ""
}

func (f *listFilter) match(c *bigcommerce.Coupon) bool {
	return (f.id == 0 || c.ID == f.id) &&
		c.ID >= f.minID && (f.maxID == 0 || c.ID <= f.maxID) &&
		(f.code == "" || strings.EqualFold(c.Code, f.code)) &&
		(f.name == "" || c.Name == f.name) &&
		(f.typ == "" || c.Type == f.typ)
}

// serveList answers GET /stores/{hash}/v2/coupons as BigCommerce does: the
// matching coupons of the page in ascending id order (min_id and max_id
// bound the ids, so a client can page by min_id cursor; page counts pages
// of limit after them) as a bare JSON array, or 204 No Content with no body
// when the page is empty.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, "The requested method is not supported.")
		return
	}
	f, bad := parseListFilter(r.URL.Query())
	if bad != "" {
		writeErrorDetails(w, http.StatusBadRequest, "The filter '"+bad+"' is invalid.", "must be a positive integer")
		return
	}
	page := make([]couponJSON, 0, f.limit)
	var buf bytes.Buffer
	s.mu.Lock()
	defer s.mu.Unlock() // the page points into the state until encoded
	skip := (f.page - 1) * f.limit
	for _, id := range slices.Sorted(maps.Keys(s.coupons)) {
		c := s.coupons[id]
		if !f.match(&c) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		page = append(page, wireCoupon(c))
		if len(page) == f.limit {
			break
		}
	}
	if len(page) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := json.NewEncoder(&buf).Encode(page); err != nil {
		writeError(w, http.StatusInternalServerError, "Internal error.")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}
