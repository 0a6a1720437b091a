// Package drift holds the three-way view of a pull request: the desired
// state at the merge base and at HEAD, read through go-git without a
// checkout, so every planned change can be attributed to the change under
// review or to pre-existing drift.
package drift

import (
	"encoding/json"
	"fmt"

	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/resource"
)

// ThreeWay is the desired state at the merge base and at the head.
type ThreeWay struct {
	Base, Head       *desired.State
	BaseSHA, HeadSHA string
	// Approximate is set when the merge base could not be computed (a
	// shallow clone) and the base ref itself stands in for it.
	Approximate bool
}

// LoadThreeWay reads dir at the merge base of baseRef and head (headRef, or
// HEAD when empty).
func LoadThreeWay(dir, baseRef, headRef string, cat *resource.Catalog) (*ThreeWay, error) {
	repo, err := desired.OpenRepo(dir)
	if err != nil {
		return nil, err
	}
	if headRef == "" {
		headRef = "HEAD"
	}
	head, err := repo.Commit(headRef)
	if err != nil {
		return nil, err
	}
	baseTip, err := repo.Commit(baseRef)
	if err != nil {
		return nil, err
	}
	mb, approx, err := repo.MergeBase(baseTip, head)
	if err != nil {
		return nil, err
	}
	tw := &ThreeWay{BaseSHA: mb.Hash.String(), HeadSHA: head.Hash.String(), Approximate: approx}
	if tw.Head, err = repo.LoadCommit(head, cat); err != nil {
		return nil, fmt.Errorf("desired state at head %s: %w", head.Hash.String()[:12], err)
	}
	if tw.Base, err = repo.LoadCommit(mb, cat); err != nil {
		// A base without a valid desired state (the PR adds qsync) makes
		// every change this PR's.
		tw.Base = &desired.State{}
	}
	return tw, nil
}

// Attribute marks each change of p: "change" when the object's desired
// state differs between base and head (or a delete that the head's policy
// newly allows), "drift" when the base already wanted what the head wants.
func (tw *ThreeWay) Attribute(p *plan.Plan) {
	p.Base, p.Head, p.BaseApproximate = tw.BaseSHA, tw.HeadSHA, tw.Approximate
	base := map[string]string{}
	for _, o := range tw.Base.Objects {
		base[o.Key()] = fingerprintDesired(o)
	}
	head := map[string]string{}
	for _, o := range tw.Head.Objects {
		head[o.Key()] = fingerprintDesired(o)
	}
	for i := range p.Changes {
		c := &p.Changes[i]
		key := c.Kind + "/" + c.Title
		switch c.Action {
		case plan.Delete:
			_, inBase := base[key]
			if inBase || tw.Base.Policy.UnmanagedAction(c.Kind) != tw.Head.Policy.UnmanagedAction(c.Kind) {
				c.Origin = "change"
			} else {
				c.Origin = "drift"
			}
		default:
			if b, ok := base[key]; ok && b == head[key] {
				c.Origin = "drift"
			} else {
				c.Origin = "change"
			}
		}
	}
}

func fingerprintDesired(o *resource.Object) string {
	k := resource.Default().Kind(o.Kind)
	vals := map[string]any{}
	for n, v := range o.Values {
		if f := k.Field(n); f != nil {
			if ref, ok := v.(resource.SecretRef); ok {
				vals[n] = ref.String()
				continue
			}
			vals[n] = resource.Display(f, v)
		}
	}
	b, _ := json.Marshal(struct {
		ID     string
		Values map[string]any
	}{o.ID, vals})
	return string(b)
}
