package qualys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/qsync/qsync/internal/resource"
)

// Endpoint paths.
const (
	AuthPath              = "/api/2.0/fo/auth/"
	OptionProfilePath     = "/api/2.0/fo/subscription/option_profile/"
	AppliancePath         = "/api/2.0/fo/appliance/"
	PhysicalAppliancePath = "/api/2.0/fo/appliance/physical/"
)

// listPages runs a list request and follows truncation warnings (CODE
// 1980). Only the query string of the warning's URL is used, against the
// configured host and the request's path. A page that fails to arrive
// fails the whole read: a partial list is never returned.
func (c *Client) listPages(ctx context.Context, req *Request, record string) ([][]byte, error) {
	var pages [][]byte
	seen := map[string]bool{}
	cur := req
	for page := 1; ; page++ {
		if page > c.cfg.MaxPages {
			return nil, fmt.Errorf("%w: %s: more than %d pages", ErrIncompleteRead, req.Path, c.cfg.MaxPages)
		}
		resp, err := c.Do(ctx, cur)
		if err != nil {
			if page > 1 {
				return nil, fmt.Errorf("%w: %s page %d: %w", ErrIncompleteRead, req.Path, page, err)
			}
			return nil, err
		}
		ws, _, err := scanList(bytes.NewReader(resp.Body), record, func(*Node) error { return nil })
		if err != nil {
			var ae *APIError
			if errors.As(err, &ae) {
				ae.Method, ae.Path, ae.Action, ae.HTTPStatus = cur.Method, cur.Path, cur.action(), resp.Status
			}
			return nil, fmt.Errorf("%w: %s page %d: %w", ErrIncompleteRead, req.Path, page, err)
		}
		pages = append(pages, resp.Body)
		next := nextPage(ws)
		if next == "" {
			return pages, nil
		}
		u, err := url.Parse(next)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: bad truncation URL %q", ErrIncompleteRead, req.Path, next)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil || seen[u.RawQuery] {
			return nil, fmt.Errorf("%w: %s: truncation URL %q repeats or is malformed", ErrIncompleteRead, req.Path, next)
		}
		seen[u.RawQuery] = true
		c.trace("list %s truncated after page %d, following id_min=%s", req.Path, page, q.Get("id_min"))
		cur = &Request{Method: req.Method, Path: req.Path, Params: q, Idempotent: true}
	}
}

// ListRaw reads a whole list and returns it as one document, pages spliced
// together: the form the snapshot directory stores.
func (c *Client) ListRaw(ctx context.Context, req *Request, record, listElem string) ([]byte, error) {
	pages, err := c.listPages(ctx, req, record)
	if err != nil {
		return nil, err
	}
	return spliceRecords(pages, listElem)
}

// AuthListRequest is the list call of one auth kind.
func AuthListRequest(k *resource.Kind) *Request {
	return &Request{Method: "POST", Path: k.Path, Idempotent: true,
		Params: url.Values{"action": {"list"}, "details": {"All"}}}
}

// OptionProfileExportRequest is the export call, system profiles included.
func OptionProfileExportRequest() *Request {
	return &Request{Method: "GET", Path: OptionProfilePath, Idempotent: true,
		Params: url.Values{"action": {"export"}, "include_system_option_profiles": {"1"}}}
}

// ApplianceListRequest lists every appliance with VLANs and routes.
func ApplianceListRequest() *Request {
	return &Request{Method: "POST", Path: AppliancePath, Idempotent: true,
		Params: url.Values{"action": {"list"}, "output_mode": {"full"}}}
}

// AuthListRaw reads every record of an auth kind as one document.
func (c *Client) AuthListRaw(ctx context.Context, k *resource.Kind) ([]byte, error) {
	return c.ListRaw(ctx, AuthListRequest(k), k.Record, k.Record+"_LIST")
}

// ListAuth reads every record of an auth kind, following truncation.
func (c *Client) ListAuth(ctx context.Context, k *resource.Kind) ([]*resource.Object, error) {
	return c.listAuth(ctx, k, AuthListRequest(k))
}

// ListAuthByIDs reads only the records with these IDs ("1,5-9" ranges are
// the caller's to fold).
func (c *Client) ListAuthByIDs(ctx context.Context, k *resource.Kind, ids string) ([]*resource.Object, error) {
	req := AuthListRequest(k)
	req.Params.Set("ids", ids)
	return c.listAuth(ctx, k, req)
}

func (c *Client) listAuth(ctx context.Context, k *resource.Kind, req *Request) ([]*resource.Object, error) {
	pages, err := c.listPages(ctx, req, k.Record)
	if err != nil {
		return nil, err
	}
	var out []*resource.Object
	for i, p := range pages {
		if _, err := DecodeAuthList(bytes.NewReader(p), k, func(o *resource.Object) error {
			out = append(out, o)
			return nil
		}); err != nil {
			return nil, fmt.Errorf("%s list page %d: %w", k.Name, i+1, err)
		}
	}
	return out, nil
}

// ListAuthIDs calls /api/2.0/fo/auth/?action=list: the IDs of every type.
func (c *Client) ListAuthIDs(ctx context.Context) (map[string][]string, error) {
	resp, err := c.Do(ctx, &Request{Method: "POST", Path: AuthPath, Idempotent: true, Params: url.Values{"action": {"list"}}})
	if err != nil {
		return nil, err
	}
	return DecodeAuthIDs(resp.Body)
}

// ExportOptionProfilesRaw returns the export document.
func (c *Client) ExportOptionProfilesRaw(ctx context.Context) ([]byte, error) {
	resp, err := c.Do(ctx, OptionProfileExportRequest())
	if err != nil {
		return nil, err
	}
	if root, _ := sniffRoot(resp.Body); root != "OPTION_PROFILES" {
		return nil, fmt.Errorf("%w: option profile export: root <%s>", ErrUnparseable, root)
	}
	return resp.Body, nil
}

// ExportOptionProfiles reads every option profile, system ones included.
func (c *Client) ExportOptionProfiles(ctx context.Context, cat *resource.Catalog) ([]*resource.Object, error) {
	b, err := c.ExportOptionProfilesRaw(ctx)
	if err != nil {
		return nil, err
	}
	var out []*resource.Object
	err = DecodeOptionProfiles(bytes.NewReader(b), cat, func(o *resource.Object) error {
		out = append(out, o)
		return nil
	})
	return out, err
}

// ProfileRef is an entry of a per-type option profile list.
type ProfileRef struct{ ID, Title string }

// ListOptionProfiles calls the /vm/, /pci/ or /pc/ list. The answer is an
// OPTION_PROFILES document like the export.
func (c *Client) ListOptionProfiles(ctx context.Context, k *resource.Kind) ([]ProfileRef, error) {
	resp, err := c.Do(ctx, &Request{Method: "POST", Path: k.Path, Idempotent: true, Params: url.Values{"action": {"list"}}})
	if err != nil {
		return nil, err
	}
	var out []ProfileRef
	_, _, err = scanList(bytes.NewReader(resp.Body), "OPTION_PROFILE", func(n *Node) error {
		bi := n.Child("BASIC_INFO")
		id, title := bi.TextOf("ID"), bi.TextOf("GROUP_NAME")
		if id == "" {
			id, title = n.TextOf("ID"), n.TextOf("TITLE")
		}
		out = append(out, ProfileRef{ID: id, Title: strings.TrimSpace(title)})
		return nil
	})
	return out, err
}

// ListAppliancesRaw returns the full appliance list document.
func (c *Client) ListAppliancesRaw(ctx context.Context) ([]byte, error) {
	return c.ListRaw(ctx, ApplianceListRequest(), "APPLIANCE", "APPLIANCE_LIST")
}

// ListAppliances reads every appliance with its VLANs and routes.
func (c *Client) ListAppliances(ctx context.Context) ([]*resource.Object, error) {
	b, err := c.ListAppliancesRaw(ctx)
	if err != nil {
		return nil, err
	}
	var out []*resource.Object
	err = DecodeAppliances(bytes.NewReader(b), func(o *resource.Object) error {
		out = append(out, o)
		return nil
	})
	return out, err
}

// WriteResult is the decoded answer of a write.
type WriteResult struct {
	Text string
	// IDs are the IDs the answer names: the created record, the updated
	// or deleted ones.
	IDs []string
	// Batches holds every BATCH of an auth write; a failed batch has a
	// Code.
	Batches []Batch
}

// Write sends a create, update or delete and decodes the answer, which is a
// BATCH_RETURN (auth records) or a SIMPLE_RETURN (option profiles,
// appliances). Creates and deletes are never retried after the request may
// have reached the server: such failures are [*AmbiguousError].
func (c *Client) Write(ctx context.Context, path string, params url.Values) (*WriteResult, error) {
	action := params.Get("action")
	req := &Request{Method: "POST", Path: path, Params: params, Idempotent: action == "update"}
	resp, err := c.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	root, _ := sniffRoot(resp.Body)
	switch root {
	case "BATCH_RETURN":
		bs, err := DecodeBatchReturn(resp.Body)
		if err != nil {
			return nil, c.ambiguous(req, err)
		}
		res := &WriteResult{Batches: bs}
		var failed []string
		for _, b := range bs {
			if b.Code != 0 {
				failed = append(failed, fmt.Sprintf("CODE %d: %s (IDs %s)", b.Code, b.Text, strings.Join(b.IDs, ",")))
				continue
			}
			res.Text = b.Text
			res.IDs = append(res.IDs, b.IDs...)
		}
		if len(failed) > 0 {
			first := bs[0]
			for _, b := range bs {
				if b.Code != 0 {
					first = b
					break
				}
			}
			return res, &APIError{Method: "POST", Path: path, Action: action, HTTPStatus: resp.Status, Code: first.Code,
				Text: strings.Join(failed, "; "), Class: classifyCode(first.Code, first.Text)}
		}
		return res, nil
	case "SIMPLE_RETURN":
		sr, err := DecodeSimpleReturn(resp.Body)
		if err != nil {
			return nil, c.ambiguous(req, err)
		}
		res := &WriteResult{Text: sr.Text}
		if id := sr.Items["ID"]; id != "" {
			res.IDs = []string{id}
		}
		return res, nil
	}
	return nil, c.ambiguous(req, &APIError{Method: "POST", Path: path, Action: action, HTTPStatus: resp.Status, Class: ClassUnparseable,
		Text: fmt.Sprintf("unexpected root <%s>", root)})
}

func (c *Client) ambiguous(req *Request, err error) error {
	if req.Idempotent {
		return err
	}
	return &AmbiguousError{Method: req.Method, Path: req.Path, Action: req.action(), Err: err}
}

// CreateAuth creates an auth record; params carry everything but action.
func (c *Client) CreateAuth(ctx context.Context, k *resource.Kind, params url.Values) (string, error) {
	p := cloneParams(params)
	p.Set("action", "create")
	res, err := c.Write(ctx, k.Path, p)
	if err != nil {
		return "", err
	}
	if len(res.IDs) != 1 {
		return "", fmt.Errorf("create %s: answer names %d IDs, want 1", k.Name, len(res.IDs))
	}
	return res.IDs[0], nil
}

// UpdateAuth updates the records ids of an auth kind.
func (c *Client) UpdateAuth(ctx context.Context, k *resource.Kind, ids string, params url.Values) error {
	p := cloneParams(params)
	p.Set("action", "update")
	p.Set("ids", ids)
	_, err := c.Write(ctx, k.Path, p)
	return err
}

// DeleteAuth deletes records by IDs and ID ranges ("1,5-9") in one call.
func (c *Client) DeleteAuth(ctx context.Context, k *resource.Kind, ids string) (*WriteResult, error) {
	return c.Write(ctx, k.Path, url.Values{"action": {"delete"}, "ids": {ids}})
}

// CreateOptionProfile creates a profile and returns its ID.
func (c *Client) CreateOptionProfile(ctx context.Context, k *resource.Kind, params url.Values) (string, error) {
	p := cloneParams(params)
	p.Set("action", "create")
	res, err := c.Write(ctx, k.Path, p)
	if err != nil {
		return "", err
	}
	if len(res.IDs) != 1 {
		return "", fmt.Errorf("create %s: answer names no ID", k.Name)
	}
	return res.IDs[0], nil
}

// UpdateOptionProfile updates one profile.
func (c *Client) UpdateOptionProfile(ctx context.Context, k *resource.Kind, id string, params url.Values) error {
	p := cloneParams(params)
	p.Set("action", "update")
	p.Set("id", id)
	_, err := c.Write(ctx, k.Path, p)
	return err
}

// DeleteOptionProfile deletes one profile.
func (c *Client) DeleteOptionProfile(ctx context.Context, k *resource.Kind, id string) error {
	_, err := c.Write(ctx, k.Path, url.Values{"action": {"delete"}, "id": {id}})
	return err
}

// UpdateAppliance sets VLANs and/or routes of one appliance, on the
// physical endpoint for physical appliances.
func (c *Client) UpdateAppliance(ctx context.Context, id string, physical bool, params url.Values) error {
	path := AppliancePath
	if physical {
		path = PhysicalAppliancePath
	}
	p := cloneParams(params)
	p.Set("action", "update")
	p.Set("id", id)
	_, err := c.Write(ctx, path, p)
	return err
}

func cloneParams(p url.Values) url.Values {
	out := url.Values{}
	for k, v := range p {
		out[k] = append([]string(nil), v...)
	}
	return out
}
