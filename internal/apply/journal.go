package apply

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"
)

// Entry is one journal line: the intent to run a call, or its outcome. It
// never holds parameter values, so no secret can reach the journal.
type Entry struct {
	Time   time.Time `json:"time"`
	Plan   string    `json:"plan"`
	Call   int       `json:"call"`
	Event  string    `json:"event"` // intent, done, failed, ambiguous, skipped
	Kind   string    `json:"kind,omitempty"`
	Action string    `json:"action,omitempty"`
	Titles []string  `json:"titles,omitempty"`
	IDs    []string  `json:"ids,omitempty"`
	Code   int       `json:"code,omitempty"`
	Error  string    `json:"error,omitempty"`
}

// Journal is an append-only file of intents and outcomes, fsynced per
// line, so a crashed apply can be resumed without repeating a completed
// create.
type Journal struct {
	mu   sync.Mutex
	f    *os.File
	plan string
	now  func() time.Time
}

// OpenJournal opens (creating or appending to) the journal at path.
func OpenJournal(path, planID string, now func() time.Time) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Journal{f: f, plan: planID, now: now}, nil
}

// Write appends one entry.
func (j *Journal) Write(e Entry) error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	e.Time, e.Plan = j.now().UTC(), j.plan
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	return j.f.Sync()
}

// Close closes the journal file.
func (j *Journal) Close() error {
	if j == nil {
		return nil
	}
	return j.f.Close()
}

// ReadJournal reads a journal and returns, per call index of the plan
// planID, its last event and the IDs it recorded.
func ReadJournal(path, planID string) (map[int]Entry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[int]Entry{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[int]Entry{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// A torn last line after a crash is expected; anything else
			// is corruption.
			if !sc.Scan() {
				break
			}
			return nil, fmt.Errorf("journal %s line %d: %w", path, line, err)
		}
		if e.Plan != planID {
			continue
		}
		prev, seen := out[e.Call]
		if seen && prev.Event == "done" {
			continue
		}
		if e.Event == "intent" && seen && len(prev.IDs) > 0 {
			e.IDs = prev.IDs
		}
		out[e.Call] = e
	}
	return out, sc.Err()
}
