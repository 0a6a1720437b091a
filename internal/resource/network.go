package resource

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// VLAN is one VLAN of a scanner appliance in canonical form.
type VLAN struct {
	ID   int    `json:"id"`
	Name string `json:"name,omitempty"`
	// IPv4 is nil when the VLAN has no IPv4 configuration.
	IPv4 *VLANIPv4 `json:"ipv4,omitempty"`
	// IPv6 is nil when the VLAN has no IPv6 configuration.
	IPv6 *VLANIPv6 `json:"ipv6,omitempty"`
}

// VLANIPv4 is the IPv4 address of a VLAN.
type VLANIPv4 struct {
	Address string `json:"address"`
	Netmask string `json:"netmask"`
}

// VLANIPv6 is the IPv6 configuration of a VLAN: "static" with an address,
// or "auto" (SLAAC) without one.
type VLANIPv6 struct {
	Mode    string `json:"mode"`
	Address string `json:"address,omitempty"`
}

// Route is one static route of a scanner appliance in canonical form.
type Route struct {
	Name string     `json:"name,omitempty"`
	IPv4 *RouteIPv4 `json:"ipv4,omitempty"`
	IPv6 *RouteIPv6 `json:"ipv6,omitempty"`
}

// RouteIPv4 is the IPv4 part of a static route.
type RouteIPv4 struct {
	Network string `json:"network"`
	Netmask string `json:"netmask"`
	Gateway string `json:"gateway"`
}

// RouteIPv6 is the IPv6 part of a static route. Address may carry a prefix
// length ("fdd1:0:1:107::500/64"); the list output then shows the derived
// IPV6_NETWORK.
type RouteIPv6 struct {
	Address string `json:"address"`
	Gateway string `json:"gateway"`
}

// forbiddenNameChars are the characters the API refuses in VLAN and route
// names.
const forbiddenNameChars = `,<>"&|=`

// ValidateNetName checks a VLAN or route name against the API's rules.
func ValidateNetName(name string) error {
	if len(name) > 256 {
		return fmt.Errorf("name is %d characters long, at most 256 allowed", len(name))
	}
	for _, c := range name {
		if c > 127 {
			return fmt.Errorf("name %q has a non-ASCII character", name)
		}
		if strings.ContainsRune(forbiddenNameChars, c) {
			return fmt.Errorf("name %q contains %q, which the API forbids (none of , < > \" & | =)", name, c)
		}
	}
	return nil
}

func canonIPv4(s string) (string, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || !a.Unmap().Is4() {
		return "", fmt.Errorf("invalid IPv4 address %q", s)
	}
	return a.Unmap().String(), nil
}

func canonIPv6(s string) (string, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || !a.Is6() || a.Is4In6() {
		return "", fmt.Errorf("invalid IPv6 address %q", s)
	}
	return a.WithZone("").String(), nil
}

// canonIPv6Prefixed accepts an IPv6 address with an optional /N prefix.
func canonIPv6Prefixed(s string) (string, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '/'); i >= 0 {
		addr, err := canonIPv6(s[:i])
		if err != nil {
			return "", err
		}
		n, err := strconv.Atoi(s[i+1:])
		if err != nil || n < 0 || n > 128 {
			return "", fmt.Errorf("invalid IPv6 prefix length in %q", s)
		}
		return addr + "/" + strconv.Itoa(n), nil
	}
	return canonIPv6(s)
}

// MaxDocumentedVLANID is the top of the range the API documents. Its own
// samples set VLANs 5678 and 9012 and show them listed, so IDs above it
// are accepted up to [MaxVLANID] with a warning.
const (
	MaxDocumentedVLANID = 4096
	MaxVLANID           = 65535
)

// Validate checks the rules the write API enforces: an ID in 0-65535 and
// the name rules. Values read back are not validated, only what qsync
// would send.
func (v VLAN) Validate() error {
	if v.ID < 0 || v.ID > MaxVLANID {
		return fmt.Errorf("VLAN ID %d is outside 0-%d", v.ID, MaxVLANID)
	}
	if err := ValidateNetName(v.Name); err != nil {
		return fmt.Errorf("VLAN %d: %w", v.ID, err)
	}
	return nil
}

// Validate checks a route's name against the write API's rules.
func (r Route) Validate() error {
	if err := ValidateNetName(r.Name); err != nil {
		return fmt.Errorf("route %q: %w", r.Name, err)
	}
	return nil
}

// Canonical returns v with addresses in canonical text; it fails on an
// address that does not parse or an IPv6 mode that makes no sense.
func (v VLAN) Canonical() (VLAN, error) {
	out := VLAN{ID: v.ID, Name: v.Name}
	if v.IPv4 != nil {
		a, err := canonIPv4(v.IPv4.Address)
		if err != nil {
			return v, fmt.Errorf("VLAN %d: %w", v.ID, err)
		}
		m, err := canonIPv4(v.IPv4.Netmask)
		if err != nil {
			return v, fmt.Errorf("VLAN %d netmask: %w", v.ID, err)
		}
		out.IPv4 = &VLANIPv4{Address: a, Netmask: m}
	}
	if v.IPv6 != nil {
		switch strings.ToLower(v.IPv6.Mode) {
		case "static":
			a, err := canonIPv6(v.IPv6.Address)
			if err != nil {
				return v, fmt.Errorf("VLAN %d: ipv6 static needs an address: %w", v.ID, err)
			}
			out.IPv6 = &VLANIPv6{Mode: "static", Address: a}
		case "auto":
			if v.IPv6.Address != "" {
				return v, fmt.Errorf("VLAN %d: ipv6 auto takes no address", v.ID)
			}
			out.IPv6 = &VLANIPv6{Mode: "auto"}
		default:
			return v, fmt.Errorf("VLAN %d: ipv6 mode %q is neither static nor auto", v.ID, v.IPv6.Mode)
		}
	}
	return out, nil
}

// Canonical returns r with addresses in canonical text.
func (r Route) Canonical() (Route, error) {
	if r.IPv4 == nil && r.IPv6 == nil {
		return r, fmt.Errorf("route %q has neither ipv4 nor ipv6", r.Name)
	}
	out := Route{Name: r.Name}
	if r.IPv4 != nil {
		var err error
		out.IPv4 = &RouteIPv4{}
		if out.IPv4.Network, err = canonIPv4(r.IPv4.Network); err != nil {
			return r, fmt.Errorf("route %q network: %w", r.Name, err)
		}
		if out.IPv4.Netmask, err = canonIPv4(r.IPv4.Netmask); err != nil {
			return r, fmt.Errorf("route %q netmask: %w", r.Name, err)
		}
		if out.IPv4.Gateway, err = canonIPv4(r.IPv4.Gateway); err != nil {
			return r, fmt.Errorf("route %q gateway: %w", r.Name, err)
		}
	}
	if r.IPv6 != nil {
		var err error
		out.IPv6 = &RouteIPv6{}
		if out.IPv6.Address, err = canonIPv6Prefixed(r.IPv6.Address); err != nil {
			return r, fmt.Errorf("route %q: %w", r.Name, err)
		}
		if out.IPv6.Gateway, err = canonIPv6(r.IPv6.Gateway); err != nil {
			return r, fmt.Errorf("route %q ipv6 gateway: %w", r.Name, err)
		}
	}
	return out, nil
}

// Key identifies a route by its destination.
func (r Route) Key() string {
	var parts []string
	if r.IPv4 != nil {
		parts = append(parts, r.IPv4.Network+"/"+r.IPv4.Netmask)
	}
	if r.IPv6 != nil {
		parts = append(parts, r.IPv6.Address)
	}
	return strings.Join(parts, "+")
}

// CanonicalVLANs validates and sorts a VLAN list by ID; duplicate IDs are
// an error.
func CanonicalVLANs(in []VLAN) ([]VLAN, error) {
	out := make([]VLAN, 0, len(in))
	seen := map[int]bool{}
	for _, v := range in {
		c, err := v.Canonical()
		if err != nil {
			return nil, err
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("VLAN ID %d appears twice", c.ID)
		}
		seen[c.ID] = true
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b VLAN) int { return a.ID - b.ID })
	return out, nil
}

// CanonicalRoutes validates and sorts routes by destination, then name.
func CanonicalRoutes(in []Route) ([]Route, error) {
	out := make([]Route, 0, len(in))
	for _, r := range in {
		c, err := r.Canonical()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Route) int {
		if c := strings.Compare(a.Key(), b.Key()); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// blank is what the wire format puts in a skipped slot: the API asks for
// "an empty space in place of each attribute".
const blank = " "

func slot(s string) string {
	if s == "" {
		return blank
	}
	return s
}

// EncodeVLANs renders VLANs in the set_vlans wire format:
// ID|IPv4|NETMASK|NAME[|ipv6_static|ADDR or |ipv6_auto], comma separated.
func EncodeVLANs(vs []VLAN) string {
	items := make([]string, 0, len(vs))
	for _, v := range vs {
		f := []string{strconv.Itoa(v.ID), blank, blank, slot(v.Name)}
		if v.IPv4 != nil {
			f[1], f[2] = v.IPv4.Address, v.IPv4.Netmask
		}
		if v.IPv6 != nil {
			if v.IPv6.Mode == "auto" {
				f = append(f, "ipv6_auto")
			} else {
				f = append(f, "ipv6_static", v.IPv6.Address)
			}
		}
		items = append(items, strings.Join(f, "|"))
	}
	return strings.Join(items, ",")
}

// DecodeVLANs parses the set_vlans wire format. Blank slots may be empty or
// whitespace. An empty string is the empty list.
func DecodeVLANs(s string) ([]VLAN, error) {
	if strings.TrimSpace(s) == "" {
		return []VLAN{}, nil
	}
	var out []VLAN
	for _, item := range strings.Split(s, ",") {
		f := strings.Split(item, "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) < 1 || len(f) > 6 {
			return nil, fmt.Errorf("VLAN %q: expected 1 to 6 fields separated by |", item)
		}
		for len(f) < 4 {
			f = append(f, "")
		}
		id, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, fmt.Errorf("VLAN %q: ID %q is not a number", item, f[0])
		}
		v := VLAN{ID: id, Name: f[3]}
		if f[1] != "" || f[2] != "" {
			v.IPv4 = &VLANIPv4{Address: f[1], Netmask: f[2]}
		}
		if len(f) >= 5 {
			switch f[4] {
			case "ipv6_static":
				if len(f) < 6 || f[5] == "" {
					return nil, fmt.Errorf("VLAN %q: ipv6_static needs an address", item)
				}
				v.IPv6 = &VLANIPv6{Mode: "static", Address: f[5]}
			case "ipv6_auto":
				if len(f) == 6 && f[5] != "" {
					return nil, fmt.Errorf("VLAN %q: ipv6_auto takes no address", item)
				}
				v.IPv6 = &VLANIPv6{Mode: "auto"}
			case "":
				if len(f) == 6 && f[5] != "" {
					return nil, fmt.Errorf("VLAN %q: IPv6 address without ipv6_static", item)
				}
			default:
				return nil, fmt.Errorf("VLAN %q: %q is neither ipv6_static nor ipv6_auto", item, f[4])
			}
		}
		if err := v.Validate(); err != nil {
			return nil, err
		}
		c, err := v.Canonical()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// EncodeRoutes renders routes in the set_routes wire format:
// IPv4|NETMASK|GATEWAY|NAME[|IPv6_ADDRESS|IPv6_GATEWAY], comma separated.
func EncodeRoutes(rs []Route) string {
	items := make([]string, 0, len(rs))
	for _, r := range rs {
		f := []string{blank, blank, blank, slot(r.Name)}
		if r.IPv4 != nil {
			f[0], f[1], f[2] = r.IPv4.Network, r.IPv4.Netmask, r.IPv4.Gateway
		}
		if r.IPv6 != nil {
			f = append(f, r.IPv6.Address, r.IPv6.Gateway)
		}
		items = append(items, strings.Join(f, "|"))
	}
	return strings.Join(items, ",")
}

// DecodeRoutes parses the set_routes wire format.
func DecodeRoutes(s string) ([]Route, error) {
	if strings.TrimSpace(s) == "" {
		return []Route{}, nil
	}
	var out []Route
	for _, item := range strings.Split(s, ",") {
		f := strings.Split(item, "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) != 4 && len(f) != 6 {
			return nil, fmt.Errorf("route %q: expected 4 or 6 fields separated by |", item)
		}
		r := Route{Name: f[3]}
		if f[0] != "" || f[1] != "" || f[2] != "" {
			r.IPv4 = &RouteIPv4{Network: f[0], Netmask: f[1], Gateway: f[2]}
		}
		if len(f) == 6 && (f[4] != "" || f[5] != "") {
			r.IPv6 = &RouteIPv6{Address: f[4], Gateway: f[5]}
		}
		if err := r.Validate(); err != nil {
			return nil, err
		}
		c, err := r.Canonical()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
