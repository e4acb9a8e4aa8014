package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Outcomes of one item, as journaled and printed.
const (
	outApplied   = "applied"      // the update was sent and the vendor applied it (or a resume confirmed it by reading)
	outUnchanged = "unchanged"    // the coupon already held the values: nothing sent
	outFailed    = "failed"       // the vendor refused the update, or the coupon's values made it impossible; nothing applied
	outNotSent   = "not_sent"     // the update certainly did not reach the vendor (safe to send again)
	outUnknown   = "unknown"      // sent, and no answer says whether the vendor applied it: check by hand
	outConflict  = "conflict"     // undo: someone changed the field since the run; left alone
	outSending   = "sending"      // write-ahead mark, not an outcome: the update is about to leave
	outWould     = "would_change" // dry run: read, and the update would change these fields
	// outWouldSend is a dry run of a vendor without reads: the update
	// that would be sent, not checked against the coupon's values.
	outWouldSend = "would_send"
)

// journalVersion names the journal format in each run header.
const journalVersion = "couponctl/1"

// change is one field an item changed: the wire name and the old and new
// wire values as compact JSON (old is empty when couponctl could not read
// it: Paddle and Partnero).
type change struct {
	Field string          `json:"field"`
	Old   json.RawMessage `json:"old,omitempty"`
	New   json.RawMessage `json:"new,omitempty"`
}

// newChange builds a change from wire texts; a text that is not valid JSON
// is kept as a JSON string, so that a journal line is always valid.
func newChange(field, old, new string) change {
	return change{Field: field, Old: rawJSON(old), New: rawJSON(new)}
}

// rawJSON returns s as raw JSON: nil for "", s when valid, else s quoted.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	if json.Valid([]byte(s)) {
		var b bytes.Buffer
		if json.Compact(&b, []byte(s)) == nil {
			return b.Bytes()
		}
	}
	return json.RawMessage(quote(s))
}

// runHeader is the first line a run writes to its journal.
type runHeader struct {
	Journal string `json:"journal"` // journalVersion
	Command string `json:"command"` // set, apply, undo
	Vendor  string `json:"vendor"`
	// Store names the store the run reached ("store abc123", "account
	// mystore", "brand https://...", "demo"), never a credential: a
	// journal is resumed and undone only against that store.
	Store string `json:"store,omitempty"`
	// PID is the process that wrote this run.
	PID     int    `json:"pid,omitempty"`
	Plan    string `json:"plan"` // what the run sets: "expires=+7d", "plan.csv sha256:...", "undo of run.jsonl"
	Started string `json:"started"`
}

// entry is one journal line: a run header, or one item's outcome (or its
// write-ahead "sending" mark).
type entry struct {
	Run     *runHeader `json:"run,omitempty"`
	Time    string     `json:"time,omitempty"`
	Key     string     `json:"key,omitempty"`
	Outcome string     `json:"outcome,omitempty"`
	Changes []change   `json:"changes,omitempty"`
	Error   string     `json:"error,omitempty"`
}

// journal appends lines to a journal file. Each line is one write on a
// file opened with O_APPEND, so it is in the operating system's hands
// before the next item is processed, and survives a kill -9 of the
// program (not a power cut: there is no fsync).
type journal struct {
	mu  sync.Mutex
	f   *os.File
	err error // first write error; later writes are skipped
	now func() time.Time
}

// openJournal opens path for appending and writes h. create says whether
// the file must be new (-journal) or must exist (-resume); torn says the
// file ends with a line a killed run left unfinished, which is ended first.
func openJournal(path string, create bool, h runHeader, now func() time.Time, torn bool) (*journal, error) {
	flags := os.O_WRONLY | os.O_APPEND
	if create {
		flags |= os.O_CREATE | os.O_EXCL
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("journal %s exists already: continue it with -resume %s, or pick a new file", path, path)
		}
		return nil, fmt.Errorf("journal: %w", err)
	}
	j := &journal{f: f, now: now}
	if torn {
		if _, err := f.Write([]byte("\n")); err != nil {
			f.Close()
			return nil, fmt.Errorf("journal: %w", err)
		}
	}
	h.Journal = journalVersion
	h.Started = now().UTC().Format(time.RFC3339)
	j.write(entry{Run: &h})
	if j.err != nil {
		f.Close()
		return nil, j.err
	}
	return j, nil
}

// write appends e as one line.
func (j *journal) write(e entry) {
	if j == nil {
		return
	}
	if e.Run == nil {
		e.Time = j.now().UTC().Format(time.RFC3339Nano)
	}
	b, err := json.Marshal(e)
	if err != nil { // cannot happen: every field is plain data or valid raw JSON
		b, _ = json.Marshal(entry{Time: e.Time, Key: e.Key, Outcome: e.Outcome, Error: "journal: " + err.Error()})
	}
	b = append(b, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return
	}
	if _, err := j.f.Write(b); err != nil {
		j.err = fmt.Errorf("journal: %w", err)
	}
}

// Err returns the first write error.
func (j *journal) Err() error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

// Close closes the file and returns the first error.
func (j *journal) Close() error {
	if j == nil {
		return nil
	}
	err := j.f.Close()
	if e := j.Err(); e != nil {
		return e
	}
	return err
}

// keyState is what a journal says about one key.
type keyState struct {
	// last is the key's last line (a "sending" mark or an outcome).
	last entry
	// sending holds the changes of the key's last "sending" mark: what the
	// update that left (or was about to) set.
	sending []change
	// applied holds the changes of every applied line, oldest first.
	applied [][]change
	// lastSent holds the changes of the "sending" mark of the attempt the
	// last outcome line ends (nil when that attempt sent nothing).
	lastSent []change
	open     []change // the sending mark since the last outcome line
}

// journalState is a journal read back.
type journalState struct {
	path    string
	runs    []runHeader
	keys    map[string]*keyState
	order   []string // keys in the order they first appear
	damaged int      // lines that could not be read (a torn last line)
}

// readJournal reads the journal at path.
func readJournal(path string) (*journalState, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	st, err := parseJournal(f)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	st.path = path
	return st, nil
}

// parseJournal reads journal lines from r. A line that is not JSON is
// counted in damaged when it is the last one, or is followed by a run
// header (a write torn by a kill, then a resumed run); anywhere else it
// is an error.
func parseJournal(r io.Reader) (*journalState, error) {
	st := &journalState{keys: map[string]*keyState{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var bad []int
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e entry
		if err := json.Unmarshal(line, &e); err != nil {
			bad = append(bad, n)
			continue
		}
		if len(bad) > 0 {
			if e.Run == nil {
				return nil, fmt.Errorf("line %d is not a journal line", bad[0])
			}
			st.damaged += len(bad)
			bad = nil
		}
		if e.Run != nil {
			if e.Run.Journal != journalVersion {
				return nil, fmt.Errorf("line %d: not a %s journal", n, journalVersion)
			}
			st.runs = append(st.runs, *e.Run)
			continue
		}
		if len(st.runs) == 0 {
			return nil, errors.New("it does not start with a couponctl run header")
		}
		if e.Key == "" {
			return nil, fmt.Errorf("line %d names no key", n)
		}
		ks := st.keys[e.Key]
		if ks == nil {
			ks = &keyState{}
			st.keys[e.Key] = ks
			st.order = append(st.order, e.Key)
		}
		ks.last = e
		switch e.Outcome {
		case outSending:
			ks.sending, ks.open = e.Changes, e.Changes
			continue
		case outApplied:
			ks.applied = append(ks.applied, e.Changes)
		}
		ks.lastSent, ks.open = ks.open, nil
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(st.runs) == 0 {
		return nil, errors.New("it is empty")
	}
	st.damaged += len(bad)
	return st, nil
}

// vendor returns the vendor the journal's runs used.
func (st *journalState) vendor() string { return st.runs[0].Vendor }

// undoChanges returns, for one key, what undo must put back: per field,
// the oldest old value and the newest new value over the key's applied
// lines, fields whose value ends where it started left out. An update
// whose outcome is unknown (the last word on the key is unknown, or a
// sending mark without an answer) is included: undo finds its new values
// (it landed) or its old ones (nothing to undo).
func (ks *keyState) undoChanges() []change {
	var out []change
	lists := ks.applied
	if ks.last.Outcome == outUnknown || ks.last.Outcome == outSending {
		if len(ks.sending) > 0 {
			lists = append(lists[:len(lists):len(lists)], ks.sending)
		}
	}
	idx := map[string]int{}
	for _, list := range lists {
		for _, c := range list {
			if i, ok := idx[c.Field]; ok {
				out[i].New = c.New
				continue
			}
			idx[c.Field] = len(out)
			out = append(out, c)
		}
	}
	kept := out[:0]
	for _, c := range out {
		if !bytes.Equal(c.Old, c.New) {
			kept = append(kept, c)
		}
	}
	return kept
}
