package qualyssim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/qsync/qsync/internal/resource"
)

var typeGroup = map[string]string{"vm": "user", "pci": "pci", "pc": "compliance"}

// profileExport serves the export at /api/2.0/fo/subscription/option_profile/.
func (s *Server) profileExport(c *call) {
	if c.action != "export" {
		s.badAction(c, "export")
		return
	}
	if !c.allowed("include_system_option_profiles", "option_profile_id", "option_profile_title") {
		return
	}
	withSystem := c.params.Get("include_system_option_profiles")
	if withSystem != "" && withSystem != "0" && withSystem != "1" {
		c.fail(400, 1905, "Parameter include_system_option_profiles has invalid value: "+withSystem)
		return
	}
	c.body = s.renderProfiles(func(p *profile) bool { return !p.System || withSystem == "1" })
}

func (s *Server) renderProfiles(keep func(*profile) bool) []byte {
	root := elem("OPTION_PROFILES")
	for _, id := range sortedIDs(s.state.Profiles) {
		p := s.state.Profiles[id]
		if keep(p) {
			root.add(s.renderProfile(p))
		}
	}
	return document(root, "/api/2.0/fo/subscription/option_profile/option_profile_info.dtd")
}

func (s *Server) renderProfile(p *profile) *el {
	flag := func(n string) string {
		if p.Params[n] == "1" {
			return "1"
		}
		return "0"
	}
	op := elem("OPTION_PROFILE", elem("BASIC_INFO",
		leaf("ID", fmt.Sprint(p.ID)),
		cdata("GROUP_NAME", p.Title),
		leaf("GROUP_TYPE", p.GroupType),
		cdata("USER_ID", "Demo User (demo)"),
		leaf("UNIT_ID", "0"),
		leaf("SUBSCRIPTION_ID", "9054"),
		leaf("IS_DEFAULT", flag("default")),
		leaf("IS_GLOBAL", flag("global")),
		leaf("IS_OFFLINE_SYNCABLE", flag("offline_scanner")),
		leaf("UPDATE_DATE", stamp(p.Updated)),
	))
	k := s.cat.Kind("option_profiles/" + p.Type)
	if p.System {
		k = s.cat.Kind("option_profiles/system")
	}
	renderFields(op, k, p.Params, false, func(f *resource.Field) bool {
		return strings.HasPrefix(f.XML[0], "BASIC_INFO/") ||
			(f.Item != "" && p.Params["vulnerability_detection"] != "custom")
	})
	return op
}

func (s *Server) profiles(c *call, k *resource.Kind) {
	switch c.action {
	case "list":
		if !c.allowed("id", "title") {
			return
		}
		c.body = s.renderProfiles(func(p *profile) bool { return p.Type == k.Type && !p.System })
	case "create", "update", "delete":
		if !c.post() {
			return
		}
		s.profileWrite(c, k)
	default:
		s.badAction(c, "list", "create", "update", "delete")
	}
}

func (s *Server) profileWrite(c *call, k *resource.Kind) {
	names := []string{"title"}
	if c.action != "create" {
		names = append(names, "id")
	}
	if c.action != "delete" {
		for _, f := range k.Fields {
			names = append(names, f.WriteParam())
		}
	}
	if !c.allowed(names...) {
		return
	}
	var p *profile
	if c.action != "create" {
		if c.params.Get("id") == "" {
			c.fail(400, 1903, "Missing required parameter(s): id")
			return
		}
		id, err := strconv.Atoi(c.params.Get("id"))
		if err != nil {
			c.fail(400, 1905, "Parameter id has invalid value: "+c.params.Get("id"))
			return
		}
		p = s.state.Profiles[id]
		if p == nil || (p.Type != k.Type && !p.System) {
			c.fail(400, 1905, fmt.Sprintf("Parameter id has invalid value: option profile %d not found", id))
			return
		}
		if p.System {
			c.fail(400, 1905, fmt.Sprintf("Parameter id has invalid value: %d is a system option profile and cannot be modified", id))
			return
		}
	}
	if c.action == "delete" {
		delete(s.state.Profiles, p.ID)
		c.applied = true
		c.body = simpleReturn(0, "Option profile successfully deleted.", map[string]string{"ID": fmt.Sprint(p.ID)})
		return
	}
	if c.action == "create" {
		var missing []string
		if c.params.Get("title") == "" {
			missing = append(missing, "title")
		}
		for _, f := range k.Fields {
			if f.Required && c.params.Get(f.WriteParam()) == "" {
				missing = append(missing, f.WriteParam())
			}
		}
		if len(missing) > 0 {
			c.fail(400, 1903, "Missing required parameter(s): "+strings.Join(missing, ", "))
			return
		}
	}
	if c.has("title") {
		t := c.params.Get("title")
		if strings.TrimSpace(t) == "" || len(t) > 255 || !isASCII(t) {
			c.fail(400, 1905, "Parameter title has invalid value: at most 255 ASCII characters, not empty")
			return
		}
		for _, o := range s.state.Profiles {
			if o.Title == t && (p == nil || o.ID != p.ID) {
				c.fail(400, 1905, fmt.Sprintf("Parameter title has invalid value: an option profile titled %q already exists", t))
				return
			}
		}
	}
	params, ok := s.checkFields(c, k)
	if !ok {
		return
	}
	if v, ok := params["scan_by_policy"]; ok && v == "1" && c.params.Get("policy_names") == "" && c.params.Get("policy_ids") == "" &&
		(p == nil || (p.Params["policy_names"] == "" && p.Params["policy_ids"] == "")) {
		c.fail(400, 1922, "Please specify at least one of the following parameters: policy_names, policy_ids")
		return
	}
	now := s.opts.Now()
	text := "Option profile successfully updated."
	if p == nil {
		p = &profile{ID: s.state.nextID(), Type: k.Type, GroupType: typeGroup[k.Type], Params: defaultProfileParams(k.Type)}
		s.state.Profiles[p.ID] = p
		text = "Option profile successfully added."
		if k.Type == "pc" {
			text = "Compliance Option profile successfully added."
		}
	}
	if c.has("title") {
		p.Title = c.params.Get("title")
	}
	if params["default"] == "1" {
		for _, o := range s.state.Profiles {
			delete(o.Params, "default")
		}
	}
	for n, v := range params {
		p.Params[n] = v
	}
	p.Updated = now
	c.applied = true
	c.body = simpleReturn(0, text, map[string]string{"ID": fmt.Sprint(p.ID)})
}

// defaultProfileParams are the settings a new profile starts from, as the
// real service fills in what a create does not say.
func defaultProfileParams(typ string) map[string]string {
	p := map[string]string{
		"scan_overall_performance": "normal", "scan_packet_delay": "medium", "scan_intensity": "normal",
		"scan_total_process": "10", "scan_http_process": "10", "scan_external_scanners": "15",
		"scan_scanner_appliances": "15", "additional_tcp_ports_standard_scan": "1", "icmp": "1",
	}
	if typ == "vm" {
		for k, v := range map[string]string{
			"scan_tcp_ports": "standard", "scan_udp_ports": "standard", "vulnerability_detection": "complete",
			"basic_host_information_checks": "1", "basic_information_gathering": "all",
			"map_tcp_ports_standard_scan": "1", "map_udp_ports_standard_scan": "1", "perform_live_host_sweep": "1",
			"map_overall_performance": "normal", "map_external_scanners": "1", "map_scanner_appliances": "1",
			"map_netblock_size": "16384 IPs", "map_packet_delay": "medium",
		} {
			p[k] = v
		}
	}
	return p
}
