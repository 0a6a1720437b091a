package resource

// This file is the field table of option profiles. Writes go to
// /api/2.0/fo/subscription/option_profile/{vm,pci,pc}/; reads come from the
// export (OPTION_PROFILES/OPTION_PROFILE with BASIC_INFO, SCAN, MAP,
// ADDITIONAL). Parameters without an export counterpart have no XML path and
// are write-only: sent, never compared.

// SystemProfile is one of the option profiles Qualys ships: read-only, it
// serves as a baseline. Ident is its name in the CUE baselines package;
// Type is the profile type it can seed.
type SystemProfile struct{ Title, Ident, Type string }

// SystemProfiles are the five system option profiles.
var SystemProfiles = []SystemProfile{
	{"Initial Options", "initial_options", "vm"},
	{"Qualys Top 20 Options", "qualys_top_20_options", "vm"},
	{"2008 SANS20 Options", "sans20_2008_options", "vm"},
	{"Payment Card Industry (PCI) Options", "pci_options", "pci"},
	{"Initial PC Options", "initial_pc_options", "pc"},
}

// SystemProfileTitles are the titles of [SystemProfiles].
var SystemProfileTitles = func() []string {
	out := make([]string, len(SystemProfiles))
	for i, p := range SystemProfiles {
		out[i] = p.Title
	}
	return out
}()

// GroupTypeKind maps the export's GROUP_TYPE to the option profile type.
var GroupTypeKind = map[string]string{
	"user": "vm", "rv10": "vm", "sans20": "vm", "pci": "pci", "compliance": "pc",
}

var (
	perfLevels   = []string{"high", "normal", "low", "custom"}
	packetDelays = []string{"minimum", "short", "medium", "long", "maximum"}
	intensities  = []string{"normal", "medium", "low", "minimum"}
	portScope    = []string{"none", "full", "standard", "light"}
	// AuthTechnologies are the values of the VM profile authentication list.
	AuthTechnologies = []string{"Windows", "Unix", "Oracle", "Oracle Listener", "SNMP", "VMware", "DB2", "HTTP",
		"MySQL", "MongoDB", "Tomcat Server", "Palo Alto Networks Firewall", "MariaDB", "PostgreSQL", "MS SQL", "JBoss"}
)

func titled(f *Field) *Field { f.TitleCase = true; return f }

func ports(name, xml string, max int64, doc string) *Field {
	return &Field{Name: name, XML: paths(xml), Type: Ports, Max: max, Doc: doc}
}

func set(name, xml string, doc string) *Field {
	return &Field{Name: name, XML: paths(xml), Type: Set, Doc: doc}
}

func required(f *Field) *Field { f.Required = true; return f }

// opBasic are the ownership and sharing parameters of every profile type.
func opBasic(offline bool) []*Field {
	fs := []*Field{
		str("owner", "", "owner login of the profile"),
		flag("global", "BASIC_INFO/IS_GLOBAL", "share the profile with other users"),
	}
	if offline {
		fs = append(fs, flag("offline_scanner", "BASIC_INFO/IS_OFFLINE_SYNCABLE", "download to offline scanners"))
	}
	return fs
}

func perf(fs ...*Field) []*Field {
	for _, f := range fs {
		f.Performance = true
	}
	return fs
}

// opPerformance are the scan performance parameters of every profile type.
func opPerformance() []*Field {
	const p = "SCAN/PERFORMANCE/"
	return perf(
		flag("scan_parallel_scaling", p+"PARALLEL_SCALING", "scale hosts scanned in parallel to appliance resources"),
		titled(enum("scan_overall_performance", p+"OVERALL_PERFORMANCE", perfLevels, "overall scan performance")),
		integer("scan_external_scanners", p+"HOSTS_TO_SCAN/EXTERNAL_SCANNERS", 1, 1000, "external scanners per scan"),
		integer("scan_scanner_appliances", p+"HOSTS_TO_SCAN/SCANNER_APPLIANCES", 1, 1000, "scanner appliances per scan task"),
		integer("scan_total_process", p+"PROCESSES_TO_RUN/TOTAL_PROCESSES", 1, 1000, "processes per host"),
		integer("scan_http_process", p+"PROCESSES_TO_RUN/HTTP_PROCESSES", 1, 1000, "HTTP processes per host"),
		titled(enum("scan_packet_delay", p+"PACKET_DELAY", packetDelays, "delay between packet groups")),
		titled(enum("scan_intensity", p+"PORT_SCANNING_AND_HOST_DISCOVERY", intensities, "port scanning and host discovery intensity")),
	)
}

func opDeadHosts() []*Field {
	return []*Field{
		flag("scan_dead_hosts", "SCAN/SCAN_DEAD_HOSTS", "scan hosts that do not answer pings"),
		flag("close_vuln_on_dead_hosts", "", "close vulnerabilities of hosts not found alive"),
		integer("not_found_alive_times", "", 1, 1000, "scans a host is not found alive before its vulnerabilities close"),
		flag("purge_host_data", "", "purge host data when the OS vendor changes"),
	}
}

// opAdditional are the host discovery parameters; maxTCP is the limit of
// additional_tcp_ports_additional.
func opAdditional(maxTCP int64, vmPacketNames bool) []*Field {
	const hd = "ADDITIONAL/HOST_DISCOVERY/"
	const po = "ADDITIONAL/PACKET_OPTIONS/"
	fs := []*Field{
		flag("additional_tcp_ports", "", "host discovery on additional TCP ports"),
		flag("additional_tcp_ports_standard_scan", hd+"TCP_PORTS/STANDARD_SCAN", "standard scan of additional TCP ports"),
		ports("additional_tcp_ports_additional", "", maxTCP, "additional TCP ports"),
		flag("additional_udp_ports", "", "host discovery on additional UDP ports"),
		enum("additional_udp_ports_type", "", []string{"standard", "custom"}, "standard or custom UDP ports"),
		ports("additional_udp_ports_custom", "", 10, "custom UDP ports"),
		flag("icmp", hd+"ICMP", "discover live hosts by ICMP ping"),
		flag("blocked_resources", "", "skip ports protected by a firewall or IDS"),
		enum("protected_ports", "", []string{"default", "custom"}, "protected ports list"),
		ports("protected_ports_custom", "", 65535, "custom protected ports"),
		enum("protected_ips", "", []string{"all", "custom"}, "protected IPs"),
		{Name: "protected_ips_custom", Type: IPs, Doc: "custom protected IPs and ranges"},
	}
	if vmPacketNames {
		fs = append(fs,
			flag("ignore_firewall_generated_tcp_rst_packets", po+"IGNORE_FIREWALL_GENERATED_TCP_RST", "ignore firewall-generated TCP RST"),
			flag("ignore_all_tcp_rst_packets", po+"IGNORE_ALL_TCP_RST", "ignore all TCP RST"),
			flag("ignore_firewall_generated_tcp_syn_ack_packets", po+"IGNORE_FIREWALL_GENERATED_TCP_SYN_ACK", "ignore firewall-generated SYN-ACK"),
			flag("not_send_tcp_ack_or_syn_ack_packets_during_host_discovery", po+"NOT_SEND_TCP_ACK_OR_SYN_ACK_DURING_HOST_DISCOVERY", "send no ACK or SYN-ACK during host discovery"),
		)
	} else {
		fs = append(fs,
			flag("ignore_rst_packets", po+"IGNORE_ALL_TCP_RST", "ignore all TCP RST"),
			flag("ignore_firewall_generated_syn_ack_packets", po+"IGNORE_FIREWALL_GENERATED_TCP_SYN_ACK", "ignore firewall-generated SYN-ACK"),
			flag("not_send_ack_or_syn_ack_packets_during_host_discovery", po+"NOT_SEND_TCP_ACK_OR_SYN_ACK_DURING_HOST_DISCOVERY", "send no ACK or SYN-ACK during host discovery"),
		)
	}
	return fs
}

func opKind(typ string, fields ...[]*Field) *Kind {
	k := &Kind{
		Name: "option_profiles/" + typ, Family: FamilyOptionProfile, Type: typ,
		Path:     "/api/2.0/fo/subscription/option_profile/" + typ + "/",
		ListRoot: "OPTION_PROFILES", Record: "OPTION_PROFILE", TitleParam: "title",
	}
	for _, fs := range fields {
		k.Fields = append(k.Fields, fs...)
	}
	return k
}

func vmScanFields() []*Field {
	const tcp = "SCAN/PORTS/TCP_PORTS/"
	const udp = "SCAN/PORTS/UDP_PORTS/"
	const vd = "SCAN/VULNERABILITY_DETECTION/"
	return []*Field{
		flag("default", "BASIC_INFO/IS_DEFAULT", "default profile for all scans and maps"),
		required(titled(enum("scan_tcp_ports", tcp+"TCP_PORTS_TYPE", portScope, "TCP ports to scan"))),
		ports("scan_tcp_ports_additional", tcp+"TCP_PORTS_ADDITIONAL/ADDITIONAL_PORTS", 12500, "additional TCP ports"),
		flag("3_way_handshake", tcp+"THREE_WAY_HANDSHAKE", "complete a 3-way handshake"),
		required(titled(enum("scan_udp_ports", udp+"UDP_PORTS_TYPE", portScope, "UDP ports to scan"))),
		ports("scan_udp_ports_additional", udp+"UDP_PORTS_ADDITIONAL/ADDITIONAL_PORTS", 20500, "additional UDP ports"),
		flag("authoritative_option", "SCAN/PORTS/AUTHORITATIVE_OPTION", "authoritative scan option"),
		integer("external_scanners_use", "", 1, 1000, "external scanners for perimeter scans"),
		flag("load_balancer", "SCAN/LOAD_BALANCER_DETECTION", "detect load balancers"),
		enum("password_brute_forcing_system", "", []string{"minimal", "limited", "standard", "exhaustive"}, "system password brute forcing level"),
		set("password_brute_forcing_custom", "", "titles of custom login/password pairs"),
		{Name: "vulnerability_detection", XML: []string{"SCAN/VULNERABILITY_DETECTION"}, FromChild: true, Type: Enum,
			Enum:        []string{"complete", "custom", "runtime"},
			ReadAliases: map[string]string{"custom_list": "custom"}, Doc: "all QIDs, custom search lists, or runtime"},
		{Name: "custom_search_list_ids", XML: []string{vd + "CUSTOM_LIST"}, Item: "CUSTOM/ID", Type: Set, Doc: "search list IDs"},
		{Name: "custom_search_list_title", XML: []string{vd + "CUSTOM_LIST"}, Item: "CUSTOM/TITLE", Type: Set, Doc: "search list titles"},
		flag("basic_host_information_checks", vd+"DETECTION_INCLUDE/BASIC_HOST_INFO_CHECKS", "add basic host information checks"),
		flag("oval_checks", vd+"DETECTION_INCLUDE/OVAL_CHECKS", "add the OVAL diagnostic check"),
		flag("all_qrdi_checks", "", "scan for all QRDI checks"),
		set("exclude_search_list_ids", "", "search list IDs to exclude"),
		{Name: "authentication", XML: []string{"SCAN/AUTHENTICATION"}, Type: Set, Enum: AuthTechnologies, Doc: "technologies to authenticate to"},
		flag("enable_additional_certificate_detection", "SCAN/ADDL_CERT_DETECTION", "detect certificates beyond ports"),
		flag("enable_dissolvable_agent", "SCAN/DISSOLVABLE_AGENT/DISSOLVABLE_AGENT_ENABLE", "enable the dissolvable agent"),
		flag("enable_windows_share_enumeration", "SCAN/DISSOLVABLE_AGENT/WINDOWS_SHARE_ENUMERATION_ENABLE", "Windows share enumeration"),
		flag("enable_lite_os_scan", "", "include QID 45017 only for OS detection"),
		str("custom_http_header", "", "custom HTTP header value"),
		str("custom_http_definition_key", "", "custom HTTP header definition key"),
		str("custom_http_definition_header", "", "value of the custom HTTP header definition key"),
		flag("host_alive_testing", "", "only test which hosts are alive"),
		flag("not_overwrite_os", "", "keep the OS found by a previous scan"),
	}
}

func vmMapFields() []*Field {
	const mp = "MAP/MAP_PERFORMANCE/"
	fs := []*Field{
		required(&Field{Name: "basic_information_gathering", XML: []string{"MAP/BASIC_INFO_GATHERING_ON"}, Type: Enum,
			Enum: []string{"all", "register", "netblockonly", "none"},
			ReadAliases: map[string]string{"all hosts": "all", "registered hosts": "register", "netblock hosts": "netblockonly",
				"registered": "register", "netblock": "netblockonly"},
			Doc: "hosts to gather basic information on"}),
		flag("map_tcp_ports_standard_scan", "MAP/TCP_PORTS/TCP_PORTS_STANDARD_SCAN", "standard scan of TCP ports"),
		ports("map_tcp_ports_additional", "", 20, "additional TCP ports for maps"),
		flag("map_udp_ports_standard_scan", "MAP/UDP_PORTS/UDP_PORTS_STANDARD_SCAN", "standard scan of UDP ports"),
		ports("map_udp_ports_additional", "", 10, "additional UDP ports for maps"),
		flag("perform_live_host_sweep", "MAP/MAP_OPTIONS/PERFORM_LIVE_HOST_SWEEP", "send active probes"),
		flag("disable_dns_traffic", "MAP/MAP_OPTIONS/DISABLE_DNS_TRAFFIC", "no DNS traffic for maps"),
	}
	fs = append(fs, perf(
		titled(enum("map_overall_performance", mp+"OVERALL_PERFORMANCE", perfLevels, "overall map performance")),
		integer("map_external_scanners", mp+"MAP_PARALLEL/EXTERNAL_SCANNERS", 1, 1000, "external scanners per netblock"),
		integer("map_scanner_appliances", mp+"MAP_PARALLEL/SCANNER_APPLIANCES", 1, 1000, "scanner appliances per netblock"),
		enum("map_netblock_size", mp+"MAP_PARALLEL/NETBLOCK_SIZE",
			[]string{"1024 IPs", "4096 IPs", "8192 IPs", "16384 IPs", "32768 IPs", "65536 IPs"}, "IPs per netblock"),
		titled(enum("map_packet_delay", mp+"PACKET_DELAY", packetDelays, "delay between packet groups")),
	)...)
	return append(fs, &Field{Name: "map_authentication", XML: []string{"MAP/MAP_AUTHENTICATION"}, Type: Set, Enum: []string{"VMware"}, Doc: "map authentication"})
}

func optionProfileKinds() []*Kind {
	pcOnly := []*Field{
		flag("scan_by_policy", "", "restrict the scan to the controls of policies"),
		set("policy_names", "", "policies to scan by (at most 20)"),
		set("policy_ids", "", "policy IDs to scan by (at most 20)"),
		flag("auto_update_expected_value", "", "update expected values from scan results"),
		flag("fim_controls_enabled", "", "file integrity monitoring controls"),
		flag("custom_wmi_query_checks", "", "Windows WMI query checks"),
		flag("enable_dissolvable_agent", "SCAN/DISSOLVABLE_AGENT/DISSOLVABLE_AGENT_ENABLE", "enable the dissolvable agent"),
		flag("enable_password_auditing", "", "password auditing controls 3893-3895"),
		secret("custom_password_dictionary", "passwords of the dictionary for control 3895 (write-only)"),
		flag("enable_windows_share_enumeration", "SCAN/DISSOLVABLE_AGENT/WINDOWS_SHARE_ENUMERATION_ENABLE", "Windows share enumeration"),
		flag("enable_windows_directory_search", "", "Windows directory search controls"),
		required(enum("scan_ports", "", []string{"standard", "targeted"}, "standard or targeted TCP ports")),
	}
	pcPerf := opPerformance()
	pcPerf[1] = required(titled(enum("scan_overall_performance", "SCAN/PERFORMANCE/OVERALL_PERFORMANCE", perfLevels, "overall scan performance")))
	return []*Kind{
		opKind("vm", opBasic(true), vmScanFields(), opPerformance(), opDeadHosts(), vmMapFields(), opAdditional(20, true)),
		opKind("pci", opBasic(true), []*Field{integer("external_scanners_use", "", 1, 1000, "external scanners for perimeter scans")},
			opPerformance(), opDeadHosts(), []*Field{ports("additional_tcp_ports_additional", "", 7, "additional TCP ports beyond the 13 standard ones")}),
		opKind("pc", opBasic(false), pcPerf, pcOnly, opAdditional(20, false)),
		systemKind(),
	}
}

// systemKind is the read-only kind of the exported system profiles. They are
// read with the VM field table, whose paths cover SCAN, MAP and ADDITIONAL.
func systemKind() *Kind {
	k := opKind("system", opBasic(true), vmScanFields(), opPerformance(), opDeadHosts(), vmMapFields(), opAdditional(20, true))
	k.ReadOnly = true
	k.Path = ""
	return k
}

func applianceKind() *Kind {
	return &Kind{
		Name: "appliances", Family: FamilyAppliance, Type: "appliances",
		Path:     "/api/2.0/fo/appliance/",
		ListRoot: "APPLIANCE_LIST_OUTPUT", Record: "APPLIANCE",
		Fields: []*Field{
			{Name: "vlans", Param: "set_vlans", XML: []string{"VLANS"}, Type: VLANs, Doc: "VLANs, managed as a set keyed by ID"},
			{Name: "routes", Param: "set_routes", XML: []string{"STATIC_ROUTES"}, Type: Routes, Doc: "static routes, managed as a set keyed by destination"},
		},
	}
}
