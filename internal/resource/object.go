package resource

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SecretRef is where a secret comes from. Exactly one of Env and File is
// set. The reference is configuration; the value it points at never enters
// a plan, a report, a log or a journal.
type SecretRef struct {
	Env  string `json:"env,omitempty"`
	File string `json:"file,omitempty"`
}

func (s SecretRef) String() string {
	if s.Env != "" {
		return "env:" + s.Env
	}
	return "file:" + s.File
}

// Sensitive is how every secret value is displayed.
const Sensitive = "(sensitive)"

// Object is one managed object in canonical form: the meeting point of the
// CUE side and the API side.
type Object struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	// ID is the API's ID for a live object, or the id pinned in CUE.
	ID string `json:"id,omitempty"`
	// Values holds the canonical value of each field present, by field name.
	// Desired objects hold only the fields the user manages.
	Values map[string]any `json:"-"`
	// Raw holds the read-back text of live fields before normalisation, so
	// the planner can count what each normaliser suppressed.
	Raw map[string]string `json:"-"`
	// Physical marks a physical scanner appliance (writes go to
	// /api/2.0/fo/appliance/physical/).
	Physical bool `json:"physical,omitempty"`
	// System marks a read-only system option profile.
	System bool `json:"system,omitempty"`
	// Pos is where a desired object was declared (file:line:col).
	Pos string `json:"-"`
	// FieldPos is where each desired field was declared.
	FieldPos map[string]string `json:"-"`
}

// Key is the identity of an object: kind and title.
func (o *Object) Key() string { return o.Kind + "/" + o.Title }

// Fingerprint hashes the comparable state of a live object: kind, title,
// ID and every read-back value. Apply uses it to detect that an object
// changed since it was planned.
func (o *Object) Fingerprint(k *Kind) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", o.Kind, o.Title, o.ID)
	names := make([]string, 0, len(o.Values))
	for n := range o.Values {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		f := k.Field(n)
		if f == nil || f.WriteOnly() {
			continue
		}
		b, _ := json.Marshal(Display(f, o.Values[n]))
		fmt.Fprintf(h, "%s=%s\x00", n, b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Display renders a canonical value as plain JSON data for plans and
// reports. Secrets always render as [Sensitive].
func Display(f *Field, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case SecretRef:
		return Sensitive
	case IPSet:
		return x.Strings()
	case []string:
		if x == nil {
			return []string{}
		}
		return x
	case []int:
		if x == nil {
			return []int{}
		}
		return x
	case []VLAN:
		if x == nil {
			return []VLAN{}
		}
		return x
	case []Route:
		if x == nil {
			return []Route{}
		}
		return x
	}
	return v
}

// Encode renders a canonical value as the write parameter's text. It must
// not be called for secrets: their value is resolved at apply time.
func Encode(f *Field, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case IPSet:
		return x.String()
	case []string:
		return strings.Join(x, ",")
	case []int:
		s := make([]string, len(x))
		for i, n := range x {
			s[i] = strconv.Itoa(n)
		}
		return strings.Join(s, ",")
	case []VLAN:
		return EncodeVLANs(x)
	case []Route:
		return EncodeRoutes(x)
	case SecretRef:
		panic("resource.Encode called for a secret field " + f.Name)
	}
	return fmt.Sprint(v)
}

// Equal compares two canonical values of field f.
func Equal(f *Field, a, b any) bool {
	switch x := a.(type) {
	case IPSet:
		y, ok := b.(IPSet)
		return ok && x.Equal(y)
	case string:
		y, ok := b.(string)
		if !ok {
			return false
		}
		if f.Type == Enum {
			return strings.EqualFold(x, y)
		}
		return x == y
	case []string:
		y, ok := b.([]string)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !strings.EqualFold(x[i], y[i]) {
				return false
			}
		}
		return true
	case []int:
		y, ok := b.([]int)
		return ok && slices.Equal(x, y)
	case []VLAN, []Route, SecretRef:
		bx, _ := json.Marshal(a)
		by, _ := json.Marshal(b)
		return string(bx) == string(by)
	}
	return a == b
}
