package desired

import (
	"fmt"
	"strings"

	"github.com/qsync/qsync/internal/resource"
)

// ruleError is a cross-field rule violation on one field.
type ruleError struct {
	fieldName string
	text      string
}

func (r ruleError) pos(o *resource.Object) string {
	if p, ok := o.FieldPos[r.fieldName]; ok {
		return p
	}
	return o.Pos
}

func (r ruleError) field() string {
	if r.fieldName == "" {
		return ""
	}
	return ": " + r.fieldName
}

// vaultParams are the parameters each vault type needs, from the release
// notes' samples; unknown vault types need only vault_type and vault_id.
var vaultParams = map[string][]string{
	"thycotic secret server": {"secret_name"},
	"cyberark pim suite":     {"folder", "file"},
}

// checkRules applies the API's cross-field rules that a type system cannot
// say. They run on decoded values, so they see canonical forms.
func checkRules(k *resource.Kind, o *resource.Object) []ruleError {
	var out []ruleError
	has := func(n string) bool { _, ok := o.Values[n]; return ok }
	str := func(n string) string { s, _ := o.Values[n].(string); return s }

	for n, v := range o.Values {
		if ref, ok := v.(resource.SecretRef); ok && (ref.Env == "") == (ref.File == "") {
			out = append(out, ruleError{n, "a secret reference needs exactly one of env or file"})
		}
	}
	if k.Field("login_type") != nil && str("login_type") == "vault" {
		for _, n := range []string{"vault_type", "vault_id"} {
			if !has(n) {
				out = append(out, ruleError{"login_type", "login_type vault needs " + n})
			}
		}
		if has("password") {
			out = append(out, ruleError{"password", "login_type vault forbids password: the vault supplies it"})
		}
		for _, n := range vaultParams[strings.ToLower(str("vault_type"))] {
			if !has(n) {
				out = append(out, ruleError{"vault_type", fmt.Sprintf("vault type %q needs %s", str("vault_type"), n)})
			}
		}
	} else if has("vault_type") || has("vault_id") {
		out = append(out, ruleError{"vault_type", "vault_type and vault_id need login_type: \"vault\""})
	}
	if k.Type == "mariadb" || k.Type == "mysql" {
		if !has("windows_config_file") && !has("unix_config_file") {
			out = append(out, ruleError{"", "needs at least one of windows_config_file and unix_config_file"})
		}
	}
	if k.Type == "jboss" {
		for _, p := range []string{"windows", "unix"} {
			mode := str(p + "_working_mode")
			if mode == "" {
				continue
			}
			need := []string{"_home_path", "_base_path", "_conf_dir_path", "_conf_file_path"}
			if mode == "domain_controller_mode" {
				need = append(need, "_conf_host_file_path")
			}
			for _, n := range need {
				if !has(p + n) {
					out = append(out, ruleError{p + "_working_mode", fmt.Sprintf("%s %s needs %s", p+"_working_mode", mode, p+n)})
				}
			}
		}
	}
	if k.Type == "pc" {
		if b, _ := o.Values["scan_by_policy"].(bool); b && !has("policy_names") && !has("policy_ids") {
			out = append(out, ruleError{"scan_by_policy", "scan_by_policy needs policy_names or policy_ids"})
		}
		for _, n := range []string{"policy_names", "policy_ids"} {
			if s, ok := o.Values[n].([]string); ok && len(s) > 20 {
				out = append(out, ruleError{n, fmt.Sprintf("%d policies, at most 20 allowed", len(s))})
			}
		}
	}
	if k.Field("vulnerability_detection") != nil {
		if (has("custom_search_list_ids") || has("custom_search_list_title")) && str("vulnerability_detection") != "custom" {
			out = append(out, ruleError{"custom_search_list_ids", "custom search lists need vulnerability_detection: \"custom\""})
		}
	}
	if vs, ok := o.Values["vlans"].([]resource.VLAN); ok {
		seen := map[int]bool{}
		for _, v := range vs {
			if seen[v.ID] {
				out = append(out, ruleError{"vlans", fmt.Sprintf("VLAN ID %d appears twice", v.ID)})
			}
			seen[v.ID] = true
		}
	}
	return out
}
