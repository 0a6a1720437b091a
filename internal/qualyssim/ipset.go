package qualyssim

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// The simulator keeps its own IP arithmetic, independent of the client's
// resource.IPSet, so a bug in one is caught by the other.

type span struct{ lo, hi netip.Addr }

// parseIPList parses the API's IP list: IPs and a-b ranges, comma separated.
// CIDR notation is refused, as the write API documents only IPs and ranges.
func parseIPList(v string) ([]span, error) {
	var out []span
	for _, e := range strings.Split(v, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if strings.Contains(e, "/") {
			return nil, fmt.Errorf("%s: CIDR notation is not supported, use a range", e)
		}
		lo, hi, isRange := strings.Cut(e, "-")
		a, err := netip.ParseAddr(strings.TrimSpace(lo))
		if err != nil {
			return nil, fmt.Errorf("%s: invalid IP", e)
		}
		b := a
		if isRange {
			if b, err = netip.ParseAddr(strings.TrimSpace(hi)); err != nil {
				return nil, fmt.Errorf("%s: invalid IP range", e)
			}
		}
		if a.Is4() != b.Is4() || b.Less(a) {
			return nil, fmt.Errorf("%s: invalid IP range", e)
		}
		out = append(out, span{a, b})
	}
	return normalize(out), nil
}

func normalize(in []span) []span {
	sort.Slice(in, func(i, j int) bool { return in[i].lo.Less(in[j].lo) })
	var out []span
	for _, s := range in {
		if n := len(out); n > 0 && out[n-1].lo.Is4() == s.lo.Is4() && !out[n-1].hi.Next().Less(s.lo) {
			if out[n-1].hi.Less(s.hi) {
				out[n-1].hi = s.hi
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

func subtract(a, b []span) []span {
	out := append([]span(nil), a...)
	for _, r := range b {
		var next []span
		for _, s := range out {
			if s.lo.Is4() != r.lo.Is4() || r.hi.Less(s.lo) || s.hi.Less(r.lo) {
				next = append(next, s)
				continue
			}
			if s.lo.Less(r.lo) {
				next = append(next, span{s.lo, r.lo.Prev()})
			}
			if r.hi.Less(s.hi) {
				next = append(next, span{r.hi.Next(), s.hi})
			}
		}
		out = next
	}
	return out
}

func spanStrings(ss []span) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		if s.lo == s.hi {
			out[i] = s.lo.String()
		} else {
			out[i] = s.lo.String() + "-" + s.hi.String()
		}
	}
	return out
}

func ipsEl(entries []string) *el {
	set := elem("IP_SET")
	for _, e := range entries {
		if strings.Contains(e, "-") {
			set.add(leaf("IP_RANGE", e))
		} else {
			set.add(leaf("IP", e))
		}
	}
	return set
}
