package partnerotest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/partnero"
)

// ListPath is the listing endpoint, GET /v1/coupons?limit=&page=. It lists
// the coupons that are not soft-deleted, oldest first (created_at, then
// uuid_code), as they are after the updates so far, in Laravel's paginated
// shape:
//
//	{"data":[...coupons as PUT answers them...],
//	 "links":{"first":".../v1/coupons?page=1","last":"...?page=3","prev":null,"next":"...?page=2"},
//	 "meta":{"current_page":1,"from":1,"last_page":3,"path":".../v1/coupons","per_page":100,"to":100,"total":250},
//	 "status":1}
//
// limit must be an integer from 1 to 250 (422 with errors["limit"]
// otherwise) and is DefaultLimit when absent; a page that is not an
// integer of at least 1 reads as 1, as Laravel's paginator does; a page
// past the last answers "data":[] with the same meta. Partnero documents
// neither ordering nor a default limit: both are this server's choice.
const ListPath = "/v1/coupons"

// DefaultLimit is the page size when a listing names no limit: 15,
// Laravel's paginator default.
const DefaultLimit = 15

// pageLinks and pageMeta are Laravel's pagination blocks.
type pageLinks struct {
	First string  `json:"first"`
	Last  string  `json:"last"`
	Prev  *string `json:"prev"`
	Next  *string `json:"next"`
}

type pageMeta struct {
	CurrentPage int    `json:"current_page"`
	From        *int   `json:"from"`
	LastPage    int    `json:"last_page"`
	Path        string `json:"path"`
	PerPage     int    `json:"per_page"`
	To          *int   `json:"to"`
	Total       int    `json:"total"`
}

type pageBody struct {
	Data   []couponJSON `json:"data"`
	Links  pageLinks    `json:"links"`
	Meta   pageMeta     `json:"meta"`
	Status int          `json:"status"`
}

// serveList answers an authenticated GET (or HEAD) /v1/coupons.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := DefaultLimit
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(first(v)))
		switch {
		case err != nil:
			writeValidation(w, "The limit field must be an integer.", map[string][]string{"limit": {"The limit field must be an integer."}})
			return
		case n < 1 || n > 250:
			writeValidation(w, "The limit field must be between 1 and 250.", map[string][]string{"limit": {"The limit field must be between 1 and 250."}})
			return
		}
		limit = n
	}
	page, err := strconv.Atoi(first(q["page"]))
	if err != nil || page < 1 {
		page = 1
	}

	s.mu.Lock()
	var all []*partnero.Coupon
	for _, st := range s.coupons {
		if st.coupon.DeletedAt == nil {
			all = append(all, &st.coupon)
		}
	}
	slices.SortFunc(all, func(a, b *partnero.Coupon) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.UUIDCode, b.UUIDCode)
	})
	total := len(all)
	lastPage := max(1, (total+limit-1)/limit)
	body := pageBody{Data: []couponJSON{}, Status: 1}
	if start := (page - 1) * limit; start < total && page <= lastPage {
		end := min(start+limit, total)
		for _, c := range all[start:end] {
			body.Data = append(body.Data, encodeCoupon(*c))
		}
		from, to := start+1, end
		body.Meta.From, body.Meta.To = &from, &to
	}
	s.mu.Unlock()

	path := s.URL + ListPath
	link := func(p int) string { return path + "?page=" + strconv.Itoa(p) }
	body.Links = pageLinks{First: link(1), Last: link(lastPage)}
	if page > 1 {
		prev := link(page - 1)
		body.Links.Prev = &prev
	}
	if page < lastPage {
		next := link(page + 1)
		body.Links.Next = &next
	}
	body.Meta.CurrentPage, body.Meta.LastPage, body.Meta.Path = page, lastPage, path
	body.Meta.PerPage, body.Meta.Total = limit, total
	writeJSON(w, http.StatusOK, body)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
