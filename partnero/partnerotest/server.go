// Package partnerotest runs an in-memory Partnero coupon API on a loopback
// httptest.Server, so code that updates Partnero coupons can be tested
// without a real program, the way net/http/httptest serves net/http.
//
// The server behaves as Partnero documents PUT /v1/coupons:
//
//   - it checks "Authorization: Bearer <APIKey>" and answers 401
//     {"message":"Unauthenticated."} otherwise;
//   - it validates the body as Laravel would (uuid_code required, name a
//     non-blank string, metadata an object, redeem a boolean,
//     transaction_key a string only with redeem true, sync.provider one of
//     stripe/shopify/woocommerce/paddle) and answers 422
//     {"message":"The given data was invalid.","errors":{"field":["..."]}};
//     malformed JSON reads as an empty body (as in Laravel), so it gets a 422
//     for the missing uuid_code;
//   - an unknown or soft-deleted uuid_code gets 404 {"message":"Coupon not found."};
//   - updates apply as Partnero's do: name replaces, metadata is merged
//     (top-level keys sent replace, others stay), redeem true increments
//     times_redeemed and appends to additional_info.redemptions, a
//     transaction_key already recorded for the coupon makes the redemption a
//     silent no-op, and sync.provider can be set once (a different one later
//     gets 422 errors["sync.provider"], the same one again is a no-op);
//   - answers use Partnero's envelope and its PHP quirks: metadata is [] when
//     empty, additional_info is [] until the first redemption, timestamps
//     have six fractional digits.
//
// GET /v1/coupons?limit=&page= lists the coupons from the same state, in
// Laravel's paginated shape (see ListPath).
//
// Simplifications, as Partnero's documentation leaves them open: every
// transaction_key is taken as a known transaction the first time it is seen
// (there is no transactions endpoint here); all four sync providers count
// as connected until SetConnectedProviders says otherwise; redemption caps
// and dates are not enforced; only GET and PUT /v1/coupons exist (other
// methods get 405, other paths 404).
//
// Partnero documents no rate-limit headers. SetRateLimit makes the server
// behave like Laravel's throttle middleware: every answer carries
// X-RateLimit-Limit and X-RateLimit-Remaining, and a 429
// {"message":"Too Many Attempts."} adds Retry-After (whole seconds, at
// least 1) and X-RateLimit-Reset (a Unix time). Give clients a small
// RetryPolicy.MaxWait in tests so they do not wait whole seconds.
package partnerotest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/testserver"
	"github.com/couponkit/couponkit/partnero"
)

// DefaultAPIKey is the key a new Server accepts.
const DefaultAPIKey = "partnerotest-api-key"

// timeLayout is how Partnero writes timestamps.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// Server is a running fake Partnero program. It is safe for concurrent use.
type Server struct {
	// URL is the base URL to pass to partnero.WithBaseURL.
	URL string
	// APIKey is the bearer key the server accepts; change it before the
	// first request to test a mismatch.
	APIKey string

	srv       *httptest.Server
	base      testserver.Base
	mu        sync.Mutex
	coupons   map[string]*state
	connected map[partnero.SyncProvider]bool
}

// state is one coupon and what the server remembers beside it.
type state struct {
	coupon   partnero.Coupon
	provider partnero.SyncProvider
	keys     map[string]bool // transaction keys recorded for this coupon
}

// NewServer starts a server with no coupons and all four sync providers
// connected; Close it when done.
func NewServer() *Server {
	s := &Server{
		APIKey:  DefaultAPIKey,
		coupons: map[string]*state{},
		connected: map[partnero.SyncProvider]bool{
			partnero.SyncStripe: true, partnero.SyncShopify: true,
			partnero.SyncWooCommerce: true, partnero.SyncPaddle: true,
		},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down and blocks until its requests have finished.
func (s *Server) Close() { s.srv.Close() }

// Client returns a *partnero.Client wired to the server with its APIKey;
// opts are applied after the base URL. It panics if an option is invalid,
// like a Must helper: it is meant for tests.
func (s *Server) Client(opts ...partnero.Option) *partnero.Client {
	c, err := partnero.NewClient(s.APIKey, append([]partnero.Option{partnero.WithBaseURL(s.URL)}, opts...)...)
	if err != nil {
		panic("partnerotest: " + err.Error())
	}
	return c
}

// AddCoupon seeds (or replaces) a coupon, keyed by its UUIDCode, which must
// not be empty. Timestamps are kept in UTC at microsecond precision, as the
// wire carries them; a zero CreatedAt becomes now and a zero UpdatedAt
// becomes CreatedAt; nil Metadata becomes an empty map. Transaction keys of
// the seeded Redemptions count as recorded. The coupon has no sync
// provider; see SetSyncProvider.
func (s *Server) AddCoupon(c partnero.Coupon) {
	if c.UUIDCode == "" {
		panic("partnerotest: AddCoupon needs a UUIDCode")
	}
	c = clone(c)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now()
	}
	c.CreatedAt = wireTime(c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	c.UpdatedAt = wireTime(c.UpdatedAt)
	for _, p := range []**time.Time{&c.RedemptionSpecificDateValue, &c.DeletedAt} {
		if *p != nil {
			t := wireTime(**p)
			*p = &t
		}
	}
	st := &state{coupon: c, keys: map[string]bool{}}
	for i, r := range c.Redemptions {
		c.Redemptions[i].RedeemedAt = wireTime(r.RedeemedAt)
		if r.TransactionKey != "" {
			st.keys[r.TransactionKey] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.coupons[c.UUIDCode] = st
}

// Coupon returns a copy of the coupon's current state.
func (s *Server) Coupon(uuidCode string) (partnero.Coupon, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.coupons[uuidCode]
	if !ok {
		return partnero.Coupon{}, false
	}
	return clone(st.coupon), true
}

// SyncProvider returns the coupon's sync provider ("" when none) and
// whether the coupon exists.
func (s *Server) SyncProvider(uuidCode string) (partnero.SyncProvider, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.coupons[uuidCode]
	if !ok {
		return "", false
	}
	return st.provider, true
}

// SetSyncProvider gives an existing coupon a sync provider, as if it had
// been created with one; it reports whether the coupon exists.
func (s *Server) SetSyncProvider(uuidCode string, p partnero.SyncProvider) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.coupons[uuidCode]
	if ok {
		st.provider = p
	}
	return ok
}

// SetConnectedProviders replaces the set of sync providers connected to the
// program (all four by default). Assigning any other provider gets
// Partnero's 422 "<provider> is not connected for this program.".
func (s *Server) SetConnectedProviders(ps ...partnero.SyncProvider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connected = map[partnero.SyncProvider]bool{}
	for _, p := range ps {
		s.connected[p] = true
	}
}

// SetRateLimit allows limit requests per window, as Laravel's throttle
// middleware does (Partnero documents no numbers); over it, requests get 429
// with Retry-After and X-RateLimit-* headers. 0 turns limiting off.
func (s *Server) SetRateLimit(limit int, window time.Duration) { s.base.SetRateLimit(limit, window) }

// FailNext makes the next n requests answer status with a Laravel error
// body {"message":"..."}, before anything else is checked. A 429 carries
// Retry-After: 1.
func (s *Server) FailNext(n int, status int) { s.base.FailNext(n, status) }

// Requests returns the number of requests received so far.
func (s *Server) Requests() int { return s.base.Requests() }

// RateLimited returns how many rate-limit answers the server has sent (over
// the SetRateLimit quota, or injected with FailNext), so a test can assert
// that its traffic never tripped the limit.
func (s *Server) RateLimited() int { return s.base.RateLimited() }

// Windows returns how many rate-limit windows SetRateLimit's limiter has
// opened (a window opens with the first request after the last one ended):
// requests / (Windows() * limit) is the share of the quota a client used.
func (s *Server) Windows() int { return s.base.Windows() }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	a := s.base.Admit()
	h := w.Header()
	if a.Limiting {
		h.Set("X-RateLimit-Limit", strconv.Itoa(a.Limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(a.Remaining))
	}
	switch {
	case a.FailStatus != 0:
		if a.FailStatus == http.StatusTooManyRequests {
			h.Set("Retry-After", testserver.Seconds(0, a.Window))
		}
		writeMessage(w, a.FailStatus, failMessage(a.FailStatus))
		return
	case a.Limited:
		h.Set("Retry-After", testserver.Seconds(a.ResetIn, a.Window))
		h.Set("X-RateLimit-Reset", testserver.Epoch(time.Now().Add(a.ResetIn), a.Window))
		writeMessage(w, http.StatusTooManyRequests, "Too Many Attempts.")
		return
	}
	if r.URL.Path != "/v1/coupons" {
		writeMessage(w, http.StatusNotFound, "The route "+strings.TrimPrefix(r.URL.Path, "/")+" could not be found.")
		return
	}
	if r.Method != http.MethodPut && r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD, PUT")
		writeMessage(w, http.StatusMethodNotAllowed,
			"The "+r.Method+" method is not supported for route v1/coupons. Supported methods: GET, HEAD, PUT.")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.APIKey {
		writeMessage(w, http.StatusUnauthorized, "Unauthenticated.")
		return
	}
	if r.Method != http.MethodPut {
		s.serveList(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeMessage(w, http.StatusBadRequest, "Bad Request")
		return
	}
	var in map[string]json.RawMessage
	if json.Unmarshal(body, &in) != nil {
		in = nil // Laravel reads malformed JSON as no input
	}
	u, errs := parseUpdate(in)
	if len(errs) > 0 {
		writeValidation(w, "The given data was invalid.", errs)
		return
	}
	s.apply(w, u)
}

// update is a validated request.
type update struct {
	uuidCode string
	name     *string
	metadata map[string]any
	redeem   bool
	txKey    string
	provider partnero.SyncProvider
}

// parseUpdate validates the body as Partnero's Laravel rules would and
// returns the errors keyed by field.
func parseUpdate(in map[string]json.RawMessage) (update, map[string][]string) {
	var u update
	errs := map[string][]string{}
	fail := func(field, msg string) { errs[field] = append(errs[field], msg) }
	present := func(k string) (json.RawMessage, bool) {
		v, ok := in[k]
		return v, ok && string(v) != "null"
	}

	if v, ok := present("uuid_code"); !ok {
		fail("uuid_code", "The uuid code field is required.")
	} else if json.Unmarshal(v, &u.uuidCode) != nil {
		fail("uuid_code", "The uuid code field must be a string.")
	} else if u.uuidCode = strings.TrimSpace(u.uuidCode); u.uuidCode == "" {
		fail("uuid_code", "The uuid code field is required.")
	}
	if v, ok := in["name"]; ok {
		var name string
		if json.Unmarshal(v, &name) != nil || string(v) == "null" || strings.TrimSpace(name) == "" {
			// "" is trimmed and converted to null, which is not a string.
			fail("name", "The name field must be a string.")
		} else {
			name = strings.TrimSpace(name)
			u.name = &name
		}
	}
	if v, ok := present("metadata"); ok {
		if string(v) == "[]" {
			u.metadata = map[string]any{}
		} else if json.Unmarshal(v, &u.metadata) != nil || u.metadata == nil {
			fail("metadata", "The metadata field must be an array.")
		}
	}
	if v, ok := present("redeem"); ok {
		switch string(v) {
		case "true", "1", `"1"`:
			u.redeem = true
		case "false", "0", `"0"`:
		default:
			fail("redeem", "The redeem field must be true or false.")
		}
	}
	if v, ok := present("transaction_key"); ok {
		switch {
		case json.Unmarshal(v, &u.txKey) != nil:
			fail("transaction_key", "The transaction key field must be a string.")
		case !u.redeem:
			fail("transaction_key", "The transaction key field is prohibited unless redeem is true.")
		}
		u.txKey = strings.TrimSpace(u.txKey) // "" becomes null: a redemption without a key
	}
	if v, ok := present("sync"); ok {
		var sync map[string]json.RawMessage
		if json.Unmarshal(v, &sync) != nil {
			fail("sync", "The sync field must be an array.")
		} else if p, ok := sync["provider"]; !ok || string(p) == "null" {
			fail("sync.provider", "The sync.provider field is required.")
		} else {
			var name string
			_ = json.Unmarshal(p, &name)
			switch prov := partnero.SyncProvider(name); prov {
			case partnero.SyncStripe, partnero.SyncShopify, partnero.SyncWooCommerce, partnero.SyncPaddle:
				u.provider = prov
			default:
				fail("sync.provider", "The selected sync.provider is invalid.")
			}
		}
	}
	return u, errs
}

// apply performs a validated update and answers it.
func (s *Server) apply(w http.ResponseWriter, u update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.provider != "" && !s.connected[u.provider] {
		writeValidation(w, "", map[string][]string{"sync.provider": {string(u.provider) + " is not connected for this program."}})
		return
	}
	st, ok := s.coupons[u.uuidCode]
	if !ok || st.coupon.DeletedAt != nil {
		writeMessage(w, http.StatusNotFound, "Coupon not found.")
		return
	}
	if u.provider != "" && st.provider != "" && st.provider != u.provider {
		writeValidation(w, "", map[string][]string{"sync.provider": {"sync.provider is already set on this coupon and cannot be changed."}})
		return
	}
	c := &st.coupon
	changed := false
	if u.name != nil && *u.name != c.Name {
		c.Name, changed = *u.name, true
	}
	if len(u.metadata) > 0 {
		if c.Metadata == nil {
			c.Metadata = map[string]any{}
		}
		for k, v := range u.metadata {
			c.Metadata[k] = v
		}
		changed = true
	}
	t := now()
	if u.redeem && (u.txKey == "" || !st.keys[u.txKey]) {
		c.TimesRedeemed++
		c.Redemptions = append(c.Redemptions, partnero.Redemption{RedeemedAt: t, TransactionKey: u.txKey})
		if u.txKey != "" {
			st.keys[u.txKey] = true
		}
		changed = true
	}
	if u.provider != "" && st.provider == "" {
		st.provider, changed = u.provider, true
	}
	if changed {
		c.UpdatedAt = t
	}
	syncMsg := ""
	if st.provider != "" {
		syncMsg = "Coupon synchronized with " + string(st.provider) + "."
	}
	writeJSON(w, http.StatusOK, envelope{
		Data:                      encodeCoupon(*c),
		Status:                    1,
		Message:                   "Coupon updated in the app successfully.",
		SynchronizationEnabled:    st.provider != "",
		SynchronizationSuccessful: st.provider != "",
		SynchronizationMessage:    syncMsg,
	})
}

type envelope struct {
	Data                      couponJSON `json:"data"`
	Status                    int        `json:"status"`
	Message                   string     `json:"message"`
	SynchronizationEnabled    bool       `json:"synchronization_enabled"`
	SynchronizationSuccessful bool       `json:"synchronization_successful"`
	SynchronizationMessage    string     `json:"synchronization_message"`
}

// couponJSON is a coupon as Partnero writes it; field order is the wire's.
type couponJSON struct {
	Name                         string  `json:"name"`
	UUIDCode                     string  `json:"uuid_code"`
	Active                       bool    `json:"active"`
	CouponDiscountType           string  `json:"coupon_discount_type"`
	CouponDiscountAmount         float64 `json:"coupon_discount_amount"`
	CouponDurationType           string  `json:"coupon_duration_type"`
	CouponDurationValue          *int    `json:"coupon_duration_value"`
	RedemptionSpecificDateStatus bool    `json:"redemption_specific_date_status"`
	RedemptionSpecificDateValue  *string `json:"redemption_specific_date_value"`
	RedemptionTimesStatus        bool    `json:"redemption_times_status"`
	RedemptionTimesValue         *int    `json:"redemption_times_value"`
	Metadata                     any     `json:"metadata"`
	AdditionalInfo               any     `json:"additional_info"`
	TimesRedeemed                int     `json:"times_redeemed"`
	CreatedAt                    string  `json:"created_at"`
	UpdatedAt                    string  `json:"updated_at"`
	DeletedAt                    *string `json:"deleted_at"`
}

type redemptionJSON struct {
	RedeemedAt     string  `json:"redeemed_at"`
	TransactionKey *string `json:"transaction_key"`
}

// encodeCoupon writes c with Partnero's PHP quirks: empty metadata and
// additional_info are [], not {}.
func encodeCoupon(c partnero.Coupon) couponJSON {
	out := couponJSON{
		Name: c.Name, UUIDCode: c.UUIDCode, Active: c.Active,
		CouponDiscountType: c.DiscountType, CouponDiscountAmount: c.DiscountAmount,
		CouponDurationType: c.DurationType, CouponDurationValue: c.DurationValue,
		RedemptionSpecificDateStatus: c.RedemptionSpecificDateStatus,
		RedemptionSpecificDateValue:  formatOpt(c.RedemptionSpecificDateValue),
		RedemptionTimesStatus:        c.RedemptionTimesStatus, RedemptionTimesValue: c.RedemptionTimesValue,
		Metadata: []any{}, AdditionalInfo: []any{}, TimesRedeemed: c.TimesRedeemed,
		CreatedAt: formatTime(c.CreatedAt), UpdatedAt: formatTime(c.UpdatedAt), DeletedAt: formatOpt(c.DeletedAt),
	}
	if len(c.Metadata) > 0 {
		out.Metadata = c.Metadata
	}
	if len(c.Redemptions) > 0 {
		rs := make([]redemptionJSON, len(c.Redemptions))
		for i, r := range c.Redemptions {
			rs[i].RedeemedAt = formatTime(r.RedeemedAt)
			if r.TransactionKey != "" {
				k := r.TransactionKey
				rs[i].TransactionKey = &k
			}
		}
		out.AdditionalInfo = map[string]any{"redemptions": rs}
	}
	return out
}

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func formatOpt(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTime(*t)
	return &s
}

func now() time.Time { return wireTime(time.Now()) }

// wireTime is t as the wire carries it: UTC, microseconds.
func wireTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// clone deep-copies a coupon so that callers never share state with the
// server.
func clone(c partnero.Coupon) partnero.Coupon {
	c.Metadata, _ = cloneValue(c.Metadata).(map[string]any)
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	c.Redemptions = append([]partnero.Redemption(nil), c.Redemptions...)
	for _, p := range []**int{&c.DurationValue, &c.RedemptionTimesValue} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	for _, p := range []**time.Time{&c.RedemptionSpecificDateValue, &c.DeletedAt} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	return c
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			return map[string]any(nil)
		}
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = cloneValue(x)
		}
		return m
	case []any:
		if v == nil {
			return []any(nil)
		}
		s := make([]any, len(v))
		for i, x := range v {
			s[i] = cloneValue(x)
		}
		return s
	}
	return v
}

func failMessage(status int) string {
	switch status {
	case http.StatusInternalServerError:
		return "Server Error"
	case http.StatusTooManyRequests:
		return "Too Many Attempts."
	case http.StatusUnauthorized:
		return "Unauthenticated."
	case http.StatusForbidden:
		return "This action is unauthorized."
	case http.StatusNotFound:
		return "Not Found"
	}
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "Error"
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

// writeValidation answers 422 in Laravel's shape; Partnero's own sync
// errors carry no message, only errors.
func writeValidation(w http.ResponseWriter, msg string, errs map[string][]string) {
	body := struct {
		Message string              `json:"message,omitempty"`
		Errors  map[string][]string `json:"errors"`
	}{msg, errs}
	writeJSON(w, http.StatusUnprocessableEntity, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"message":"Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
