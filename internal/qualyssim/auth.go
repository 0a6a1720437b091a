package qualyssim

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/qsync/qsync/internal/resource"
)

// authIndex serves /api/2.0/fo/auth/?action=list: ID sets per type.
func (s *Server) authIndex(c *call) {
	if c.action != "list" {
		s.badAction(c, "list")
		return
	}
	if !c.allowed() {
		return
	}
	recs := elem("AUTH_RECORDS")
	for _, t := range resource.AuthTypes {
		ids := sortedIDs(s.state.Auth[t])
		if len(ids) == 0 {
			continue
		}
		recs.add(elem("AUTH_"+strings.ToUpper(t)+"_IDS", idSet(ids)))
	}
	resp := elem("RESPONSE", leaf("DATETIME", stamp(s.opts.Now())))
	if len(recs.kids) > 0 {
		resp.add(recs)
	}
	c.body = document(elem("AUTH_RECORDS_OUTPUT", resp), "/api/2.0/fo/auth/auth_records.dtd")
}

func (s *Server) badAction(c *call, valid ...string) {
	if c.action == "" {
		c.fail(400, 1903, "Missing required parameter(s): action")
		return
	}
	c.fail(400, 1905, fmt.Sprintf("Parameter action has invalid value: %s (valid: %s)", c.action, strings.Join(valid, ", ")))
}

func (s *Server) authRecords(c *call, k *resource.Kind) {
	switch c.action {
	case "list":
		s.authList(c, k)
	case "create":
		if c.post() {
			s.authCreate(c, k)
		}
	case "update":
		if c.post() {
			s.authUpdate(c, k)
		}
	case "delete":
		if c.post() {
			s.authDelete(c, k)
		}
	default:
		s.badAction(c, "list", "create", "update", "delete")
	}
}

// parseIDs parses "1,5-9" into IDs.
func parseIDs(v string) ([]int, error) {
	var out []int
	for _, e := range strings.Split(v, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(e, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 1 {
			return nil, fmt.Errorf("invalid ID %q", e)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a || b-a > 100000 {
				return nil, fmt.Errorf("invalid ID range %q", e)
			}
		}
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no IDs in %q", v)
	}
	return out, nil
}

func (s *Server) authList(c *call, k *resource.Kind) {
	if !c.allowed("ids", "details", "id_min", "id_max", "truncation_limit", "title") {
		return
	}
	details := c.params.Get("details")
	if details == "" {
		details = "Basic"
	}
	if details != "Basic" && details != "All" && details != "None" {
		c.fail(400, 1905, "Parameter details has invalid value: "+details)
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
	idMin := 0
	if v := c.params.Get("id_min"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.fail(400, 1905, "Parameter id_min has invalid value: "+v)
			return
		}
		idMin = n
	}
	limit := s.opts.PageSize
	if v := c.params.Get("truncation_limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.fail(400, 1905, "Parameter truncation_limit has invalid value: "+v)
			return
		}
		if n > 0 && n < limit {
			limit = n
		}
	}
	list := elem(k.Record + "_LIST")
	next := 0
	for _, id := range sortedIDs(s.state.Auth[k.Type]) {
		r := s.state.Auth[k.Type][id]
		if id < idMin || (len(want) > 0 && !want[id]) {
			continue
		}
		if c.has("title") && r.Title != c.params.Get("title") {
			continue
		}
		if len(list.kids) >= limit {
			next = id
			break
		}
		list.add(s.renderAuth(k, r, details))
	}
	resp := elem("RESPONSE", leaf("DATETIME", stamp(s.opts.Now())))
	if len(list.kids) > 0 {
		resp.add(list)
	}
	if next != 0 {
		q := url.Values{}
		for key, v := range c.params {
			if key != "id_min" {
				q[key] = v
			}
		}
		q.Set("id_min", strconv.Itoa(next))
		resp.add(elem("WARNING_LIST", elem("WARNING",
			leaf("CODE", "1980"),
			leaf("TEXT", fmt.Sprintf("%d record limit exceeded. Use URL to get next batch of results.", limit)),
			cdata("URL", fmt.Sprintf("https://%s%s?%s", c.host, k.Path, q.Encode())))))
	}
	dtd := fmt.Sprintf("%sauth_%s_list_output.dtd", k.Path, k.Type)
	c.body = document(elem(k.ListRoot, resp), dtd)
}

func (s *Server) renderAuth(k *resource.Kind, r *authRecord, details string) *el {
	rec := elem(k.Record, leaf("ID", fmt.Sprint(r.ID)), cdata("TITLE", r.Title))
	if details == "None" {
		return rec
	}
	vault := r.Params["login_type"] == "vault"
	renderFields(rec, k, r.Params, true, func(f *resource.Field) bool {
		if strings.HasPrefix(f.XML[0], "DIGITAL_VAULT/") {
			return !vault
		}
		if strings.HasPrefix(f.XML[0], "WINDOWS/") || strings.HasPrefix(f.XML[0], "UNIX/") {
			_, set := r.Params[f.Name]
			return !set
		}
		if f.Type == resource.Set && f.Item != "" {
			return r.Params[f.Name] == ""
		}
		return f.Name == "comments" || f.Name == "comment" || f.Name == "network_id"
	})
	if vault {
		dv := rec.child("DIGITAL_VAULT")
		dv.kids = append(dv.kids, cdata("DIGITAL_VAULT_TITLE", "Vault "+r.Params["vault_id"]))
	}
	rec.add(ipsEl(r.IPs))
	nid := r.Params["network_id"]
	if nid == "" {
		nid = "0"
	}
	rec.add(leaf("NETWORK_ID", nid))
	rec.add(elem("CREATED", leaf("DATETIME", stamp(r.Created)), leaf("BY", r.By)))
	rec.add(elem("LAST_MODIFIED", leaf("DATETIME", stamp(r.Modified))))
	for _, n := range []string{"comments", "comment"} {
		if v, ok := r.Params[n]; ok && k.Field(n) != nil {
			rec.add(cdata("COMMENTS", v))
		}
	}
	return rec
}

// checkFields validates every field parameter of c against the kind's table
// and returns the stored forms.
func (s *Server) checkFields(c *call, k *resource.Kind) (map[string]string, bool) {
	out := map[string]string{}
	for _, f := range k.Fields {
		if f.Type == resource.IPs && k.Family == resource.FamilyAuth {
			continue
		}
		p := f.WriteParam()
		if !c.has(p) {
			continue
		}
		v := c.params.Get(p)
		bad := func(why string) (map[string]string, bool) {
			c.fail(400, 1905, fmt.Sprintf("Parameter %s has invalid value: %s", p, why))
			return nil, false
		}
		switch f.Type {
		case resource.Bool:
			if v != "0" && v != "1" {
				return bad(v + " (use 0 or 1)")
			}
		case resource.Int:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || (f.Max != 0 && (n < f.Min || n > f.Max)) {
				return bad(v)
			}
		case resource.Enum:
			ok := false
			for _, e := range f.Enum {
				if strings.EqualFold(e, v) {
					ok, v = true, e
				}
			}
			if !ok {
				return bad(v)
			}
		case resource.Ports:
			items := splitList(v)
			if f.Max > 0 && int64(len(items)) > f.Max {
				return bad(fmt.Sprintf("%d ports, at most %d", len(items), f.Max))
			}
			for _, it := range items {
				n, err := strconv.Atoi(it)
				if err != nil || n < 1 || n > 65535 {
					return bad(it)
				}
			}
		case resource.Set:
			if len(f.Enum) > 0 {
				for _, it := range splitList(v) {
					ok := false
					for _, e := range f.Enum {
						ok = ok || strings.EqualFold(e, it)
					}
					if !ok {
						return bad(it)
					}
				}
			}
		case resource.IPs:
			if _, err := parseIPList(v); err != nil {
				return bad(err.Error())
			}
		case resource.Text, resource.String:
			if f.MaxLen > 0 && len([]rune(v)) > f.MaxLen {
				return bad(fmt.Sprintf("longer than %d characters", f.MaxLen))
			}
		case resource.Secret:
			if v == "" {
				return bad("empty")
			}
			// The simulator never keeps secret values.
			v = "(set)"
		}
		out[f.Name] = v
	}
	return out, true
}

func (s *Server) checkTitle(c *call, k *resource.Kind, selfID int) (string, bool) {
	t := c.params.Get("title")
	if len(t) > 255 || !isASCII(t) || strings.TrimSpace(t) == "" {
		c.fail(400, 1905, "Parameter title has invalid value: at most 255 ASCII characters, not empty")
		return "", false
	}
	for id, r := range s.state.Auth[k.Type] {
		if r.Title == t && id != selfID {
			c.fail(400, 1905, fmt.Sprintf("Parameter title has invalid value: a %s record titled %q already exists", k.Type, t))
			return "", false
		}
	}
	return t, true
}

func (s *Server) authParamNames(k *resource.Kind, extra ...string) []string {
	names := append([]string{"title"}, extra...)
	for _, f := range k.Fields {
		names = append(names, f.WriteParam())
	}
	return names
}

func (s *Server) authCreate(c *call, k *resource.Kind) {
	if !c.allowed(s.authParamNames(k)...) {
		return
	}
	var missing []string
	for _, p := range []string{"title", "ips"} {
		if c.params.Get(p) == "" {
			missing = append(missing, p)
		}
	}
	vault := c.params.Get("login_type") == "vault"
	for _, f := range k.Fields {
		if f.Required && f.Type != resource.IPs && c.params.Get(f.WriteParam()) == "" {
			missing = append(missing, f.WriteParam())
		}
	}
	if k.Field("password") != nil {
		if vault {
			for _, p := range []string{"vault_type", "vault_id"} {
				if c.params.Get(p) == "" {
					missing = append(missing, p)
				}
			}
		} else {
			for _, p := range []string{"username", "password"} {
				if c.params.Get(p) == "" {
					missing = append(missing, p)
				}
			}
		}
	}
	missing = append(missing, jbossMissing(c, k)...)
	if len(missing) > 0 {
		c.fail(400, 1903, "Missing required parameter(s): "+strings.Join(missing, ", "))
		return
	}
	if !s.checkCombination(c, k, vault) {
		return
	}
	title, ok := s.checkTitle(c, k, 0)
	if !ok {
		return
	}
	params, ok := s.checkFields(c, k)
	if !ok {
		return
	}
	ips, err := parseIPList(c.params.Get("ips"))
	if err != nil {
		c.fail(400, 1905, "Parameter ips has invalid value: "+err.Error())
		return
	}
	now := s.opts.Now()
	r := &authRecord{ID: s.state.nextID(), Title: title, Params: params, IPs: spanStrings(ips), Created: now, Modified: now, By: s.opts.Username}
	s.state.Auth[k.Type][r.ID] = r
	c.applied = true
	c.body = batchReturn(now, []batch{{text: "Successfully Created", ids: []int{r.ID}}})
}

// checkCombination enforces the cross-parameter rules of the auth APIs.
func (s *Server) checkCombination(c *call, k *resource.Kind, vault bool) bool {
	if vault && c.has("password") {
		c.fail(400, 1907, "Unsupported combination of parameters: password with login_type=vault")
		return false
	}
	if (k.Type == "mysql" || k.Type == "mariadb") && c.action == "create" &&
		c.params.Get("windows_config_file") == "" && c.params.Get("unix_config_file") == "" {
		c.fail(400, 1922, "Please specify at least one of the following parameters: windows_config_file, unix_config_file")
		return false
	}
	return true
}

func jbossMissing(c *call, k *resource.Kind) []string {
	if k.Type != "jboss" {
		return nil
	}
	var missing []string
	for _, p := range []string{"windows", "unix"} {
		mode := c.params.Get(p + "_working_mode")
		if mode == "" {
			continue
		}
		need := []string{"_home_path", "_base_path", "_conf_dir_path", "_conf_file_path"}
		if mode == "domain_controller_mode" {
			need = append(need, "_conf_host_file_path")
		}
		for _, n := range need {
			if c.params.Get(p+n) == "" {
				missing = append(missing, p+n)
			}
		}
	}
	return missing
}

func (s *Server) authUpdate(c *call, k *resource.Kind) {
	if !c.allowed(s.authParamNames(k, "ids", "add_ips", "remove_ips")...) {
		return
	}
	if c.params.Get("ids") == "" {
		c.fail(400, 1903, "Missing required parameter(s): ids")
		return
	}
	if c.has("ips") && c.has("remove_ips") {
		c.fail(400, 1904, "Only one of these parameters may be specified: ips, remove_ips")
		return
	}
	ids, err := parseIDs(c.params.Get("ids"))
	if err != nil {
		c.fail(400, 1905, "Parameter ids has invalid value: "+err.Error())
		return
	}
	if c.has("title") && len(ids) > 1 {
		c.fail(400, 1907, "Unsupported combination of parameters: title with several ids")
		return
	}
	params, ok := s.checkFields(c, k)
	if !ok {
		return
	}
	var sets [3][]span
	for i, p := range []string{"ips", "add_ips", "remove_ips"} {
		if c.has(p) {
			if sets[i], err = parseIPList(c.params.Get(p)); err != nil {
				c.fail(400, 1905, fmt.Sprintf("Parameter %s has invalid value: %s", p, err))
				return
			}
		}
	}
	var done, missing []int
	now := s.opts.Now()
	for _, id := range ids {
		r, ok := s.state.Auth[k.Type][id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		if c.has("title") {
			t, ok := s.checkTitle(c, k, id)
			if !ok {
				return
			}
			r.Title = t
		}
		vault := params["login_type"] == "vault" || (params["login_type"] == "" && r.Params["login_type"] == "vault")
		if !s.checkCombination(c, k, vault) {
			return
		}
		for n, v := range params {
			r.Params[n] = v
		}
		cur, _ := parseIPList(strings.Join(r.IPs, ","))
		if c.has("ips") {
			cur = sets[0]
		}
		cur = subtract(cur, sets[2])
		cur = normalize(append(cur, sets[1]...))
		r.IPs = spanStrings(cur)
		r.Modified = now
		done = append(done, id)
	}
	var bs []batch
	if len(done) > 0 {
		c.applied = true
		bs = append(bs, batch{text: "Successfully Updated", ids: done})
	}
	if len(missing) > 0 {
		bs = append(bs, batch{code: 1905, text: "Record ID(s) not found", ids: missing})
	}
	c.body = batchReturn(now, bs)
}

func (s *Server) authDelete(c *call, k *resource.Kind) {
	if !c.allowed("ids") {
		return
	}
	if c.params.Get("ids") == "" {
		c.fail(400, 1903, "Missing required parameter(s): ids")
		return
	}
	ids, err := parseIDs(c.params.Get("ids"))
	if err != nil {
		c.fail(400, 1905, "Parameter ids has invalid value: "+err.Error())
		return
	}
	var done, missing []int
	for _, id := range ids {
		if _, ok := s.state.Auth[k.Type][id]; ok {
			delete(s.state.Auth[k.Type], id)
			done = append(done, id)
		} else {
			missing = append(missing, id)
		}
	}
	sort.Ints(done)
	var bs []batch
	if len(done) > 0 {
		c.applied = true
		bs = append(bs, batch{text: "Successfully Deleted", ids: done})
	}
	if len(missing) > 0 {
		bs = append(bs, batch{code: 1905, text: "Record ID(s) not found", ids: missing})
	}
	c.body = batchReturn(s.opts.Now(), bs)
}
