package qualyssim

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

func (s *Server) appliances(c *call, physical bool) {
	switch c.action {
	case "list":
		s.applianceList(c, physical)
	case "update":
		if c.post() {
			s.applianceUpdate(c, physical)
		}
	default:
		s.badAction(c, "list", "update")
	}
}

func (s *Server) applianceList(c *call, physicalOnly bool) {
	if !c.allowed("output_mode", "ids", "name", "busy", "scan_ref", "platform_provider", "include_cloud_info", "include_license_info", "type") {
		return
	}
	mode := c.params.Get("output_mode")
	if mode == "" {
		mode = "brief"
	}
	if mode != "brief" && mode != "full" {
		c.fail(400, 1905, "Parameter output_mode has invalid value: "+mode)
		return
	}
	want := map[int]bool{}
	if c.has("ids") {
		ids, err := parseIDs(c.params.Get("ids"))
		if err != nil {
			c.fail(400, 1905, "Parameter ids has invalid value: "+err.Error())
			return
		}
		for _, id := range ids {
			want[id] = true
		}
	}
	list := elem("APPLIANCE_LIST")
	for _, id := range sortedIDs(s.state.Appliances) {
		a := s.state.Appliances[id]
		if (len(want) > 0 && !want[id]) || (physicalOnly && !a.Physical) {
			continue
		}
		list.add(s.renderAppliance(a, mode == "full"))
	}
	resp := elem("RESPONSE", leaf("DATETIME", stamp(s.opts.Now())))
	if len(list.kids) > 0 {
		resp.add(list)
	}
	c.body = document(elem("APPLIANCE_LIST_OUTPUT", resp), "/api/2.0/fo/appliance/appliance_list_output.dtd")
}

func (s *Server) renderAppliance(a *appliance, full bool) *el {
	e := elem("APPLIANCE", leaf("ID", fmt.Sprint(a.ID)), leaf("UUID", a.UUID), leaf("NAME", a.Name),
		leaf("SOFTWARE_VERSION", "2.6"), leaf("RUNNING_SLICES_COUNT", "0"), leaf("RUNNING_SCAN_COUNT", "0"), leaf("STATUS", "Online"))
	if !full {
		return e
	}
	typ := "Virtual"
	if a.Physical {
		typ = "Physical"
	}
	e.add(leaf("MODEL_NUMBER", a.Model), leaf("TYPE", typ))
	if a.Physical {
		e.add(leaf("SERIAL_NUMBER", fmt.Sprintf("QAGPA%07d", a.ID)))
	}
	e.add(elem("INTERFACE_SETTINGS", leaf("INTERFACE", "lan"), leaf("IP_ADDRESS", "10.0.0.10"), leaf("NETMASK", "255.255.255.0")))
	vl := elem("VLANS", leaf("SETTING", map[bool]string{true: "Enabled", false: "Disabled"}[len(a.VLANs) > 0]))
	for _, v := range a.VLANs {
		x := elem("VLAN", leaf("ID", fmt.Sprint(v.ID)), leaf("NAME", v.Name))
		if v.IPv4 != "" {
			x.add(leaf("IP_ADDRESS", v.IPv4), leaf("NETMASK", v.Netmask))
		}
		if v.IPv6 != "" {
			x.add(leaf("IPV6_ADDRESS", v.IPv6))
		}
		if v.SLAAC {
			x.add(leaf("IPV6_SLAAC", ""))
		}
		vl.add(x)
	}
	e.add(vl)
	rt := elem("STATIC_ROUTES")
	for _, r := range a.Routes {
		x := elem("ROUTE", leaf("NAME", r.Name))
		if r.IPv4 != "" {
			x.add(leaf("IP_ADDRESS", r.IPv4), leaf("NETMASK", r.Netmask), leaf("GATEWAY", r.Gateway))
		}
		if r.IPv6Address != "" {
			x.add(leaf("IPV6_GATEWAY", r.IPv6Gateway), leaf("IPV6_ADDRESS", r.IPv6Address))
			if r.IPv6Prefix != "" {
				if p, err := netip.ParsePrefix(r.IPv6Address + "/" + r.IPv6Prefix); err == nil {
					x.add(leaf("IPV6_NETWORK", p.Masked().String()))
				}
			}
		}
		rt.add(x)
	}
	e.add(rt)
	ml := leaf("ML_VERSION", "9.7.31-1")
	ml.attrs = [][2]string{{"updated", "yes"}}
	e.add(ml, leaf("POLLING_INTERVAL", "180 seconds"))
	return e
}

func (s *Server) applianceUpdate(c *call, physical bool) {
	if !c.allowed("id", "name", "set_vlans", "set_routes", "polling_interval", "comment") {
		return
	}
	if c.params.Get("id") == "" {
		c.fail(400, 1903, "Missing required parameter(s): id")
		return
	}
	if !c.has("set_vlans") && !c.has("set_routes") && !c.has("name") && !c.has("polling_interval") && !c.has("comment") {
		c.fail(400, 1922, "Please specify at least one of the following parameters: set_vlans, set_routes, name")
		return
	}
	id, err := strconv.Atoi(c.params.Get("id"))
	a := s.state.Appliances[id]
	if err != nil || a == nil {
		c.fail(400, 1905, "Parameter id has invalid value: "+c.params.Get("id"))
		return
	}
	if a.Physical != physical {
		want := "virtual"
		if physical {
			want = "physical"
		}
		c.fail(400, 1905, fmt.Sprintf("Parameter id has invalid value: %d is not a %s scanner appliance", id, want))
		return
	}
	var vlans []simVLAN
	var routes []simRoute
	if c.has("set_vlans") {
		if vlans, err = parseSetVLANs(c.params.Get("set_vlans")); err != nil {
			c.fail(400, 1905, "Parameter set_vlans has invalid value: "+err.Error())
			return
		}
	}
	if c.has("set_routes") {
		if routes, err = parseSetRoutes(c.params.Get("set_routes")); err != nil {
			c.fail(400, 1905, "Parameter set_routes has invalid value: "+err.Error())
			return
		}
	}
	if c.has("set_vlans") {
		a.VLANs = vlans
	}
	if c.has("set_routes") {
		a.Routes = routes
	}
	if c.has("name") {
		a.Name = c.params.Get("name")
	}
	c.applied = true
	text := "Virtual scanner updated successfully"
	if physical {
		text = "Physical scanner updated successfully"
	}
	c.body = simpleReturn(0, text, map[string]string{"ID": fmt.Sprint(id)})
}

func checkName(n string) error {
	if len(n) > 256 || !isASCII(n) || strings.ContainsAny(n, `,<>"&|=`) {
		return fmt.Errorf("name %q: at most 256 ASCII characters, none of , < > \" & | =", n)
	}
	return nil
}

func dotted(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

func v6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6()
}

// parseSetVLANs parses ID|IPv4|NETMASK|NAME|ipv6_static|ADDR items.
func parseSetVLANs(v string) ([]simVLAN, error) {
	out := []simVLAN{}
	if strings.TrimSpace(v) == "" {
		return out, nil
	}
	seen := map[int]bool{}
	for _, item := range strings.Split(v, ",") {
		f := strings.Split(item, "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) < 4 || len(f) > 6 {
			return nil, fmt.Errorf("%q: want ID|IPv4|netmask|name[|ipv6_static|address or |ipv6_auto]", item)
		}
		id, err := strconv.Atoi(f[0])
		// The API documents 0-4096 yet its own samples set 5678 and 9012.
		if err != nil || id < 0 || id > 65535 {
			return nil, fmt.Errorf("%q: VLAN ID must be 0-65535", item)
		}
		if seen[id] {
			return nil, fmt.Errorf("VLAN ID %d given twice", id)
		}
		seen[id] = true
		x := simVLAN{ID: id, Name: f[3]}
		if err := checkName(f[3]); err != nil {
			return nil, err
		}
		if f[1] != "" || f[2] != "" {
			if !dotted(f[1]) || !dotted(f[2]) {
				return nil, fmt.Errorf("%q: invalid IPv4 address or netmask", item)
			}
			x.IPv4, x.Netmask = f[1], f[2]
		}
		if len(f) >= 5 {
			switch f[4] {
			case "ipv6_static":
				if len(f) != 6 || !v6(f[5]) {
					return nil, fmt.Errorf("%q: ipv6_static needs a valid IPv6 address", item)
				}
				x.IPv6 = f[5]
			case "ipv6_auto":
				if len(f) == 6 && f[5] != "" {
					return nil, fmt.Errorf("%q: ipv6_auto takes no address", item)
				}
				x.SLAAC = true
			default:
				return nil, fmt.Errorf("%q: %q is neither ipv6_static nor ipv6_auto", item, f[4])
			}
		}
		if x.IPv4 == "" && x.IPv6 == "" && !x.SLAAC {
			return nil, fmt.Errorf("%q: a VLAN needs an IPv4 or an IPv6 configuration", item)
		}
		out = append(out, x)
	}
	return out, nil
}

// parseSetRoutes parses IPv4|NETMASK|GATEWAY|NAME|IPv6_ADDRESS|IPv6_GATEWAY items.
func parseSetRoutes(v string) ([]simRoute, error) {
	out := []simRoute{}
	if strings.TrimSpace(v) == "" {
		return out, nil
	}
	for _, item := range strings.Split(v, ",") {
		f := strings.Split(item, "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) != 4 && len(f) != 6 {
			return nil, fmt.Errorf("%q: want IPv4|netmask|gateway|name[|IPv6 address|IPv6 gateway]", item)
		}
		x := simRoute{Name: f[3]}
		if err := checkName(f[3]); err != nil {
			return nil, err
		}
		if f[0] != "" || f[1] != "" || f[2] != "" {
			if !dotted(f[0]) || !dotted(f[1]) || !dotted(f[2]) {
				return nil, fmt.Errorf("%q: invalid IPv4 network, netmask or gateway", item)
			}
			x.IPv4, x.Netmask, x.Gateway = f[0], f[1], f[2]
		}
		if len(f) == 6 && (f[4] != "" || f[5] != "") {
			addr, prefix, hasPrefix := strings.Cut(f[4], "/")
			if !v6(addr) || !v6(f[5]) {
				return nil, fmt.Errorf("%q: invalid IPv6 address or gateway", item)
			}
			if hasPrefix {
				if n, err := strconv.Atoi(prefix); err != nil || n < 0 || n > 128 {
					return nil, fmt.Errorf("%q: invalid IPv6 prefix", item)
				}
			}
			x.IPv6Address, x.IPv6Prefix, x.IPv6Gateway = addr, prefix, f[5]
		}
		if x.IPv4 == "" && x.IPv6Address == "" {
			return nil, fmt.Errorf("%q: a route needs an IPv4 or an IPv6 destination", item)
		}
		out = append(out, x)
	}
	return out, nil
}
