package plan

import (
	"slices"
	"strings"

	"github.com/qsync/qsync/internal/resource"
)

// securitySummary derives the security impact of a plan from its calls and
// changes: addresses gained and lost per auth kind, profiles losing
// authentication technologies or changing performance, appliances whose
// networking changes, records deleted.
func securitySummary(p *Plan, cat *resource.Catalog) *Security {
	s := &Security{AddressesGained: map[string]string{}, AddressesLost: map[string]string{},
		ProfilesLosingAuth: map[string][]string{}, RecordsDeleted: map[string]int{}}
	gained := map[string]resource.IPSet{}
	lost := map[string]resource.IPSet{}
	for _, c := range p.Calls {
		if len(c.AddsIPs) > 0 {
			gained[c.Kind] = gained[c.Kind].Union(resource.MustIPSet(c.AddsIPs...))
		}
		if len(c.RemovesIPs) > 0 {
			lost[c.Kind] = lost[c.Kind].Union(resource.MustIPSet(c.RemovesIPs...))
		}
	}
	for k, g := range gained {
		// An address moved between records of a kind is neither gained
		// nor lost.
		net := g.Minus(lost[k])
		if !net.IsEmpty() {
			s.AddressesGained[k] = net.Count().String()
		}
	}
	for k, l := range lost {
		net := l.Minus(gained[k])
		if !net.IsEmpty() {
			s.AddressesLost[k] = net.Count().String()
		}
	}
	for _, ch := range p.Changes {
		k := cat.Kind(ch.Kind)
		if k == nil {
			continue
		}
		fam := k.Family
		switch {
		case ch.Action == Delete && fam == resource.FamilyAuth:
			s.RecordsDeleted[ch.Kind]++
		case fam == resource.FamilyOptionProfile:
			perf := false
			for _, f := range ch.Fields {
				if f.Path == "authentication" {
					before, _ := f.Before.([]string)
					after, _ := f.After.([]string)
					var gone []string
					for _, t := range before {
						if !slices.ContainsFunc(after, func(a string) bool { return strings.EqualFold(a, t) }) {
							gone = append(gone, t)
						}
					}
					if len(gone) > 0 {
						s.ProfilesLosingAuth[ch.Kind+" "+ch.Title] = gone
					}
				}
				if fd := k.Field(f.Path); fd != nil && fd.Performance {
					perf = true
				}
			}
			if perf && ch.Action == Update {
				s.ProfilesPerformance = append(s.ProfilesPerformance, ch.Kind+" "+ch.Title)
			}
		case fam == resource.FamilyAppliance:
			s.AppliancesNetworking = append(s.AppliancesNetworking, ch.Title)
		}
	}
	if len(s.AddressesGained) == 0 && len(s.AddressesLost) == 0 && len(s.ProfilesLosingAuth) == 0 &&
		len(s.ProfilesPerformance) == 0 && len(s.AppliancesNetworking) == 0 && len(s.RecordsDeleted) == 0 {
		return nil
	}
	return s
}
