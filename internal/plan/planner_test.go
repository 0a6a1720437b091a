package plan_test

import (
	"strings"
	"testing"

	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/resource"
)

func obj(kind, title, id string, vals map[string]any) *resource.Object {
	if vals == nil {
		vals = map[string]any{}
	}
	return &resource.Object{Kind: kind, Title: title, ID: id, Values: vals}
}

func TestPlanErrors(t *testing.T) {
	read := map[string]bool{"auth/oracle": true, "appliances": true, "auth/unix": true, "option_profiles/vm": true, "option_profiles/pci": true, "option_profiles/pc": true}
	cases := []struct {
		name          string
		desired, live []*resource.Object
		want          string
	}{
		{"appliance not live", []*resource.Object{obj("appliances", "ghost", "", nil)}, nil, "no such appliance"},
		{"stale id pin", []*resource.Object{obj("auth/oracle", "o", "99", nil)}, nil, "id 99 is pinned but no live auth/oracle has it"},
		{"rename onto a kept title", []*resource.Object{obj("auth/oracle", "b", "1", nil)},
			[]*resource.Object{obj("auth/oracle", "a", "1", nil), obj("auth/oracle", "b", "2", nil)}, "live id 2 has that title and is not deleted"},
		{"system profile title", []*resource.Object{obj("option_profiles/vm", "Initial Options", "", nil)}, nil, "is a system option profile"},
		{"profile type change", []*resource.Object{obj("option_profiles/vm", "P", "", nil)}, []*resource.Object{obj("option_profiles/pci", "P", "7", nil)}, "a profile cannot change its type"},
		{"profile title twice", []*resource.Object{obj("option_profiles/vm", "P", "", nil), obj("option_profiles/pc", "P", "", nil)}, nil, "unique across vm, pci and pc"},
		{"create without credentials", []*resource.Object{obj("auth/unix", "u", "", map[string]any{"ips": resource.MustIPSet("10.0.0.1")})}, nil,
			"the API requires username, password on create"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := plan.Make(plan.Input{Catalog: cat, Desired: c.desired, Live: c.live, Read: read})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

// TestSecretReferenceChange: with the prior desired state (the merge
// base), a changed secret reference is a change that sends the secret;
// without it the field is unverifiable.
func TestSecretReferenceChange(t *testing.T) {
	live := []*resource.Object{obj("auth/unix", "u", "1", map[string]any{"username": "root"})}
	desired := []*resource.Object{obj("auth/unix", "u", "", map[string]any{"username": "root", "password": resource.SecretRef{Env: "NEW"}})}
	prior := []*resource.Object{obj("auth/unix", "u", "", map[string]any{"username": "root", "password": resource.SecretRef{Env: "OLD"}})}
	read := map[string]bool{"auth/unix": true}
	p, err := plan.Make(plan.Input{Catalog: cat, Desired: desired, Live: live, Read: read})
	if err != nil || p.HasChanges || p.Unverifiable != 1 {
		t.Fatalf("without prior: %+v %v", p, err)
	}
	p, err = plan.Make(plan.Input{Catalog: cat, Desired: desired, Live: live, Read: read, Prior: prior})
	if err != nil || !p.HasChanges || p.Calls[0].Secrets["password"].Env != "NEW" || p.Calls[0].Params["password"] != resource.Sensitive {
		t.Fatalf("with prior: %+v %v", p, err)
	}
}

// TestSystemProfilesNeverTouched: a system profile is never updated or
// deleted, whatever the policy.
func TestSystemProfilesNeverTouched(t *testing.T) {
	live := []*resource.Object{{Kind: "option_profiles/system", Title: "Initial Options", ID: "5486", System: true, Values: map[string]any{}}}
	p, err := plan.Make(plan.Input{Catalog: cat, Live: live, Read: map[string]bool{"option_profiles/system": true, "option_profiles/vm": true, "option_profiles/pci": true, "option_profiles/pc": true},
		Policy: resource.Policy{Unmanaged: map[string]string{"option_profiles/vm": "delete"}}})
	if err != nil || p.HasChanges || len(p.Unmanaged) != 0 {
		t.Fatalf("%+v %v", p, err)
	}
}

// TestReplaceForCreateOnlyFields: a change to a field the API cannot
// update is a replace: delete, then a create that waits for it.
func TestReplaceForCreateOnlyFields(t *testing.T) {
	k := &resource.Kind{Name: "auth/x", Family: resource.FamilyAuth, Type: "x", Path: "/api/2.0/fo/auth/x/", TitleParam: "title",
		Fields: []*resource.Field{
			{Name: "mode", XML: []string{"MODE"}, Type: resource.Enum, Enum: []string{"a", "b"}, CreateOnly: true},
			{Name: "ips", XML: []string{"IP_SET"}, Type: resource.IPs},
		}}
	c, err := resource.NewCatalog([]*resource.Kind{k})
	if err != nil {
		t.Fatal(err)
	}
	live := []*resource.Object{obj("auth/x", "r", "5", map[string]any{"mode": "a", "ips": resource.MustIPSet("10.0.0.1")})}
	desired := []*resource.Object{obj("auth/x", "r", "", map[string]any{"mode": "b", "ips": resource.MustIPSet("10.0.0.1")})}
	p, err := plan.Make(plan.Input{Catalog: c, Desired: desired, Live: live, Read: map[string]bool{"auth/x": true}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Summary.Replace != 1 || len(p.Changes) != 1 || p.Changes[0].Action != plan.Replace || len(p.Changes[0].Calls) != 2 {
		t.Fatalf("plan %+v", p)
	}
	del, create := p.Calls[0], p.Calls[1]
	if del.Params["action"] != "delete" || del.Params["ids"] != "5" || create.Params["action"] != "create" || create.Params["mode"] != "b" {
		t.Fatalf("calls %+v", p.Calls)
	}
	if len(create.DependsOn) != 1 || create.DependsOn[0] != 0 {
		t.Errorf("create does not wait for the delete: %v", create.DependsOn)
	}
}
