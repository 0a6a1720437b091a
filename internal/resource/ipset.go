package resource

import (
	"fmt"
	"math/big"
	"net/netip"
	"slices"
	"strings"
)

// IPSet is a set of IPv4 and IPv6 addresses held as sorted, merged,
// non-overlapping closed intervals. Two sets that cover the same addresses
// are equal whatever notation produced them: a single IP, an a-b range and
// a CIDR block all normalise to intervals.
type IPSet struct {
	r []ipRange
}

type ipRange struct{ lo, hi netip.Addr }

// ParseIPSet parses the entries of an IP list (IPs, a-b ranges, CIDRs; IPv4
// or IPv6). Each entry may itself be comma separated.
func ParseIPSet(entries []string) (IPSet, error) {
	var rs []ipRange
	for _, e := range entries {
		for _, part := range strings.Split(e, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			r, err := parseIPEntry(part)
			if err != nil {
				return IPSet{}, err
			}
			rs = append(rs, r)
		}
	}
	return IPSet{r: mergeRanges(rs)}, nil
}

// MustIPSet is ParseIPSet for literals in tests and seed data.
func MustIPSet(entries ...string) IPSet {
	s, err := ParseIPSet(entries)
	if err != nil {
		panic(err)
	}
	return s
}

// ValidIPEntry reports whether s is one IP, a-b range or CIDR.
func ValidIPEntry(s string) error {
	_, err := parseIPEntry(strings.TrimSpace(s))
	return err
}

func parseIPEntry(s string) (ipRange, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return ipRange{}, fmt.Errorf("invalid CIDR %q", s)
		}
		p = p.Masked()
		return ipRange{p.Addr(), lastAddr(p)}, nil
	}
	if i := strings.Index(s, "-"); i >= 0 {
		lo, err1 := netip.ParseAddr(strings.TrimSpace(s[:i]))
		hi, err2 := netip.ParseAddr(strings.TrimSpace(s[i+1:]))
		if err1 != nil || err2 != nil {
			return ipRange{}, fmt.Errorf("invalid IP range %q", s)
		}
		lo, hi = lo.Unmap(), hi.Unmap()
		if lo.Is4() != hi.Is4() {
			return ipRange{}, fmt.Errorf("IP range %q mixes IPv4 and IPv6", s)
		}
		if hi.Less(lo) {
			return ipRange{}, fmt.Errorf("IP range %q ends before it starts", s)
		}
		return ipRange{lo.WithZone(""), hi.WithZone("")}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return ipRange{}, fmt.Errorf("invalid IP address %q", s)
	}
	a = a.Unmap().WithZone("")
	return ipRange{a, a}, nil
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	bits := p.Bits()
	for i := range b {
		for bit := 0; bit < 8; bit++ {
			if i*8+bit >= bits {
				b[i] |= 0x80 >> bit
			}
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func mergeRanges(rs []ipRange) []ipRange {
	if len(rs) == 0 {
		return nil
	}
	slices.SortFunc(rs, func(a, b ipRange) int { return a.lo.Compare(b.lo) })
	out := []ipRange{rs[0]}
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.lo.Is4() == last.hi.Is4() && (r.lo.Compare(last.hi) <= 0 || (last.hi.Next().IsValid() && r.lo == last.hi.Next())) {
			if last.hi.Less(r.hi) {
				last.hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// IsEmpty reports whether the set holds no address.
func (s IPSet) IsEmpty() bool { return len(s.r) == 0 }

// Equal reports whether both sets cover exactly the same addresses.
func (s IPSet) Equal(o IPSet) bool {
	return slices.Equal(s.r, o.r)
}

// Strings renders the set in the API's notation: single IPs and a-b ranges,
// in address order.
func (s IPSet) Strings() []string {
	out := make([]string, 0, len(s.r))
	for _, r := range s.r {
		if r.lo == r.hi {
			out = append(out, r.lo.String())
		} else {
			out = append(out, r.lo.String()+"-"+r.hi.String())
		}
	}
	return out
}

// String is the comma-joined API form.
func (s IPSet) String() string { return strings.Join(s.Strings(), ",") }

// Minus returns the addresses in s that are not in o.
func (s IPSet) Minus(o IPSet) IPSet {
	var out []ipRange
	j := 0
	for _, r := range s.r {
		cur := r
		keep := true
		for j < len(o.r) && o.r[j].hi.Compare(cur.lo) < 0 {
			j++
		}
		for k := j; k < len(o.r) && o.r[k].lo.Compare(cur.hi) <= 0; k++ {
			x := o.r[k]
			if x.lo.Is4() != cur.lo.Is4() {
				continue
			}
			if x.lo.Compare(cur.lo) > 0 {
				out = append(out, ipRange{cur.lo, x.lo.Prev()})
			}
			if x.hi.Compare(cur.hi) >= 0 {
				keep = false
				break
			}
			cur.lo = x.hi.Next()
		}
		if keep {
			out = append(out, cur)
		}
	}
	return IPSet{r: out}
}

// Union returns the addresses in either set.
func (s IPSet) Union(o IPSet) IPSet {
	rs := append(slices.Clone(s.r), o.r...)
	return IPSet{r: mergeRanges(rs)}
}

// Overlaps reports whether the sets share an address.
func (s IPSet) Overlaps(o IPSet) bool {
	i, j := 0, 0
	for i < len(s.r) && j < len(o.r) {
		a, b := s.r[i], o.r[j]
		if a.hi.Compare(b.lo) < 0 {
			i++
		} else if b.hi.Compare(a.lo) < 0 {
			j++
		} else {
			return true
		}
	}
	return false
}

// Count returns the number of addresses in the set (IPv6 sets can be huge,
// hence big.Int).
func (s IPSet) Count() *big.Int {
	n := new(big.Int)
	for _, r := range s.r {
		lo := new(big.Int).SetBytes(r.lo.AsSlice())
		hi := new(big.Int).SetBytes(r.hi.AsSlice())
		n.Add(n, hi.Sub(hi, lo).Add(hi, big.NewInt(1)))
	}
	return n
}

// Len is the number of intervals in canonical form.
func (s IPSet) Len() int { return len(s.r) }
