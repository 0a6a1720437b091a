// Package plan is qsync's pure planner: (desired, live, policy) -> Plan,
// with no I/O and a deterministic order. A Plan is plain data: it is
// rendered, saved as JSON (format_version "1", the contract of DESIGN.md)
// and executed by the applier, which reads its calls and never re-plans.
package plan

import "github.com/qsync/qsync/internal/resource"

// FormatVersion is the version of the plan JSON contract.
const FormatVersion = "1"

// Action is what a change does to an object.
type Action string

// Actions.
const (
	Create  Action = "create"
	Update  Action = "update"
	Delete  Action = "delete"
	Replace Action = "replace"
)

// Symbol is the report symbol of an action.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Delete:
		return "-"
	case Replace:
		return "-/+"
	}
	return " "
}

// Plan is the result of planning. Its JSON form is the plan file.
type Plan struct {
	FormatVersion string  `json:"format_version"`
	HasChanges    bool    `json:"has_changes"`
	Summary       Summary `json:"summary"`
	// Changes are in execution order of their first call.
	Changes []Change `json:"changes"`
	// Calls are the exact API calls, in execution order.
	Calls []Call `json:"calls"`
	// Unmanaged lists live objects CUE does not name that are reported
	// (policy "report") or would have been deleted but are protected or
	// belong to a kind whose read was incomplete.
	Unmanaged []Unmanaged `json:"unmanaged,omitempty"`
	// Notes explain what the planner did not do and why (incomplete reads).
	Notes []string `json:"notes,omitempty"`
	// Suppressed counts the differences each normalisation rule made
	// disappear (an IP range and a CIDR covering the same addresses).
	Suppressed map[string]int `json:"suppressed,omitempty"`
	// Unverifiable counts managed fields the API never returns.
	Unverifiable int `json:"unverifiable"`
	// BaselineDrift lists system option profiles that differ from the
	// embedded baseline package (reported, never changed).
	BaselineDrift []Change `json:"baseline_drift,omitempty"`
	// Desired identifies the desired state the plan was made from.
	DesiredHash string `json:"desired_hash,omitempty"`
	// Base and Head name the commits of a three-way plan.
	Base string `json:"base,omitempty"`
	Head string `json:"head,omitempty"`
	// BaseApproximate is set when the merge base could not be computed
	// (shallow clone) and the base ref itself was used.
	BaseApproximate bool `json:"base_approximate,omitempty"`
	// Security summarises the security impact of the changes.
	Security *Security `json:"security,omitempty"`
}

// Summary counts changes by action; unchanged objects appear only here.
type Summary struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Delete    int `json:"delete"`
	Replace   int `json:"replace"`
	Unchanged int `json:"unchanged"`
}

// Change is the planned change of one object.
type Change struct {
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	ID     string `json:"id,omitempty"`
	Action Action `json:"action"`
	// Fields are the changed fields, sorted by path.
	Fields []FieldChange `json:"fields,omitempty"`
	// Unverifiable names managed fields whose live value cannot be read.
	Unverifiable []string `json:"unverifiable,omitempty"`
	// Fingerprint is the live object's fingerprint when planned; apply
	// refuses to touch the object if it changed since.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Origin, with --base: "change" (this PR) or "drift" (pre-existing).
	Origin string `json:"origin,omitempty"`
	// Calls are indexes into Plan.Calls.
	Calls []int `json:"calls,omitempty"`
	// Physical marks a physical appliance.
	Physical bool `json:"physical,omitempty"`
}

// FieldChange is one field's difference. Secrets show as "(sensitive)".
type FieldChange struct {
	Path   string `json:"path"`
	Before any    `json:"before"`
	After  any    `json:"after"`
	// Type is the field's value type ("text" gets a line diff).
	Type string `json:"type,omitempty"`
}

// Call is one API call. Params holds every parameter; secret parameters
// read "(sensitive)" and are resolved from Secrets at apply time.
type Call struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Params map[string]string `json:"params"`
	// Secrets maps a parameter to the reference its value comes from.
	Secrets map[string]resource.SecretRef `json:"secrets,omitempty"`
	// Kind and Titles name the objects the call touches; IDs their IDs.
	Kind   string   `json:"kind"`
	Titles []string `json:"titles"`
	IDs    []string `json:"ids,omitempty"`
	// Action is the API action (create, update, delete).
	Action string `json:"action"`
	// DependsOn are indexes of calls that must succeed first.
	DependsOn []int `json:"depends_on,omitempty"`
	// AddsIPs and RemovesIPs are the IP sets the call adds and removes
	// (for ordering and the security summary).
	AddsIPs    []string `json:"adds_ips,omitempty"`
	RemovesIPs []string `json:"removes_ips,omitempty"`
}

// Unmanaged is a live object that CUE does not name.
type Unmanaged struct {
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	ID     string `json:"id,omitempty"`
	Policy string `json:"policy"`
	Reason string `json:"reason"`
}

// Security is the security-impact summary of a plan.
type Security struct {
	// AddressesGained and AddressesLost count addresses per auth kind.
	AddressesGained map[string]string `json:"addresses_gained,omitempty"`
	AddressesLost   map[string]string `json:"addresses_lost,omitempty"`
	// ProfilesLosingAuth names option profiles that drop authentication
	// technologies, with the technologies lost.
	ProfilesLosingAuth map[string][]string `json:"profiles_losing_authentication,omitempty"`
	// ProfilesPerformance names option profiles whose performance
	// settings change.
	ProfilesPerformance []string `json:"profiles_changing_performance,omitempty"`
	// AppliancesNetworking names appliances whose VLANs or routes change.
	AppliancesNetworking []string `json:"appliances_changing_networking,omitempty"`
	// RecordsDeleted counts deleted auth records per kind.
	RecordsDeleted map[string]int `json:"records_deleted,omitempty"`
}

// Error is a problem that makes the desired state unplannable.
type Error struct {
	Kind, Title, Msg string
}

func (e Error) Error() string { return e.Kind + " \"" + e.Title + "\": " + e.Msg }
