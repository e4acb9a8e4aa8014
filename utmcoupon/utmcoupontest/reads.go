package utmcoupontest

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// route is what a request asks for once its path and method are known.
type route struct {
	// read is true for a GET; code is the coupon it reads, "" for the list.
	read bool
	code string
}

// route maps r to one of the three endpoints:
//
//	POST /api/rnb/pvt/coupon               the upsert
//	GET  /api/rnb/pvt/coupon               every coupon, one bare array
//	GET  /api/rnb/pvt/coupon/{couponCode}  one coupon, a bare object
//
// It answers 404 (text/plain) for another path and 405 with Allow for
// another method, reporting false. The code is one escaped path segment,
// unescaped here (so "a%2Fb" is the code "a/b", never a deeper path).
func (s *Server) route(w http.ResponseWriter, r *http.Request) (route, bool) {
	p := r.URL.EscapedPath()
	var rt route
	allow := http.MethodGet + ", " + http.MethodPost
	switch {
	case p == CouponPath:
		rt.read = r.Method == http.MethodGet
		if r.Method == http.MethodPost || rt.read {
			return rt, true
		}
	case strings.HasPrefix(p, CouponPath+"/"):
		seg := p[len(CouponPath)+1:]
		code, err := url.PathUnescape(seg)
		if seg == "" || strings.Contains(seg, "/") || err != nil {
			plain(w, http.StatusNotFound, "Not Found")
			return rt, false
		}
		rt.read, rt.code, allow = true, code, http.MethodGet
		if r.Method == http.MethodGet {
			return rt, true
		}
	default:
		plain(w, http.StatusNotFound, "Not Found")
		return rt, false
	}
	w.Header().Set("Allow", allow)
	s.problem(w, http.StatusMethodNotAllowed, "Method Not Allowed", "", nil)
	return rt, false
}

// serveRead answers an authenticated GET from the state upserts change: the
// coupon rt.code as a bare object (404 in problem JSON when there is none),
// or, for rt.code "", every coupon as one bare array ordered by code,
// without paging, [] when there are none.
func (s *Server) serveRead(w http.ResponseWriter, rt route) {
	const ct = "application/json; charset=utf-8"
	s.mu.Lock()
	if rt.code != "" {
		c, ok := s.coupons[rt.code]
		out := couponOut(c, s.emptyCampaign[rt.code])
		s.mu.Unlock()
		if !ok {
			s.problem(w, http.StatusNotFound, "Not Found", "Coupon '"+rt.code+"' was not found.", nil)
			return
		}
		writeJSON(w, http.StatusOK, ct, out)
		return
	}
	codes := make([]string, 0, len(s.coupons))
	for code := range s.coupons {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	list := make([]couponJSON, len(codes))
	for i, code := range codes {
		list[i] = couponOut(s.coupons[code], s.emptyCampaign[code])
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, ct, list)
}
