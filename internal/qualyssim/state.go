// Package qualyssim is a strict simulator of the Qualys API endpoints qsync
// uses: an http.Handler serving auth records, option profiles and scanner
// appliances from in-memory state, with the real service's parameter
// validation, error codes, limit headers, 409s, truncation and answer
// shapes, plus fault injection on demand.
//
// It shares the field table of package resource (which parameters exist and
// where each is read back) but renders its answers and parses its requests
// with its own code, never the client's codecs, so a codec bug cannot hide
// by being mirrored on both sides.
package qualyssim

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/qsync/qsync/internal/resource"
)

// authRecord is a stored auth record: the write parameters as last sent.
type authRecord struct {
	ID       int               `json:"id"`
	Title    string            `json:"title"`
	Params   map[string]string `json:"params"`
	IPs      []string          `json:"ips"` // canonical entries
	Created  time.Time         `json:"created"`
	Modified time.Time         `json:"modified"`
	By       string            `json:"by"`
}

// profile is a stored option profile.
type profile struct {
	ID        int               `json:"id"`
	Type      string            `json:"type"` // vm, pci, pc
	GroupType string            `json:"group_type"`
	System    bool              `json:"system"`
	Title     string            `json:"title"`
	Params    map[string]string `json:"params"`
	Updated   time.Time         `json:"updated"`
}

// simVLAN and simRoute are the appliance networking as the simulator keeps
// it, in the order last set.
type simVLAN struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	IPv4    string `json:"ipv4,omitempty"`
	Netmask string `json:"netmask,omitempty"`
	IPv6    string `json:"ipv6,omitempty"`
	SLAAC   bool   `json:"slaac,omitempty"`
}

type simRoute struct {
	Name        string `json:"name"`
	IPv4        string `json:"ipv4,omitempty"`
	Netmask     string `json:"netmask,omitempty"`
	Gateway     string `json:"gateway,omitempty"`
	IPv6Address string `json:"ipv6,omitempty"`
	IPv6Prefix  string `json:"ipv6_prefix,omitempty"`
	IPv6Gateway string `json:"ipv6_gateway,omitempty"`
}

type appliance struct {
	ID       int        `json:"id"`
	UUID     string     `json:"uuid"`
	Name     string     `json:"name"`
	Physical bool       `json:"physical"`
	Model    string     `json:"model"`
	VLANs    []simVLAN  `json:"vlans"`
	Routes   []simRoute `json:"routes"`
}

// State is the whole simulated subscription.
type State struct {
	Auth       map[string]map[int]*authRecord `json:"auth"`
	Profiles   map[int]*profile               `json:"profiles"`
	Appliances map[int]*appliance             `json:"appliances"`
	NextID     int                            `json:"next_id"`
}

func newState() *State {
	s := &State{Auth: map[string]map[int]*authRecord{}, Profiles: map[int]*profile{}, Appliances: map[int]*appliance{}, NextID: 300000}
	for _, t := range resource.AuthTypes {
		s.Auth[t] = map[int]*authRecord{}
	}
	return s
}

func (s *State) nextID() int {
	s.NextID++
	return s.NextID
}

func sortedIDs[T any](m map[int]T) []int {
	ids := make([]int, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

func (s *State) save(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func loadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := newState()
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("simulator state %s: %w", path, err)
	}
	for _, t := range resource.AuthTypes {
		if s.Auth[t] == nil {
			s.Auth[t] = map[int]*authRecord{}
		}
	}
	return s, nil
}

// Counts reports how many objects of each kind the state holds.
func (s *State) counts() map[string]int {
	out := map[string]int{}
	for t, m := range s.Auth {
		out["auth/"+t] = len(m)
	}
	for _, p := range s.Profiles {
		if p.System {
			out["option_profiles/system"]++
		} else {
			out["option_profiles/"+p.Type]++
		}
	}
	out["appliances"] = len(s.Appliances)
	return out
}
