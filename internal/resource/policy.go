package resource

// The delete limits apply refuses to exceed without --allow-mass-delete.
const (
	DefaultMaxDeletes       = 10
	DefaultMaxDeletePercent = 25
)

// DefaultPolicy is the policy of a desired state that says nothing: report
// unmanaged objects, protect nothing, the default delete limits.
func DefaultPolicy() Policy {
	return Policy{MaxDeletes: DefaultMaxDeletes, MaxDeletePercent: DefaultMaxDeletePercent}
}

// Policy is the top-level policy block.
type Policy struct {
	// Unmanaged maps a kind to "report", "keep" or "delete".
	Unmanaged map[string]string `json:"unmanaged,omitempty"`
	Protected []string          `json:"protected,omitempty"`
	// MaxDeletes and MaxDeletePercent guard apply (see [DefaultPolicy]);
	// 0 means no deletes.
	MaxDeletes       int `json:"max_deletes"`
	MaxDeletePercent int `json:"max_delete_percent"`
}

// UnmanagedAction is the policy for live objects of kind that CUE does not
// name: "report" unless set; appliances are always kept.
func (p Policy) UnmanagedAction(kind string) string {
	if kind == "appliances" || kind == "option_profiles/system" {
		return "keep"
	}
	if a := p.Unmanaged[kind]; a != "" {
		return a
	}
	return "report"
}

// IsProtected reports whether a title is protected from deletion.
func (p Policy) IsProtected(title string) bool {
	for _, t := range p.Protected {
		if t == title {
			return true
		}
	}
	return false
}
