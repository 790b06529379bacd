package hsds

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/ratelimit"
)

// Store is what the open data API and the export read. *store.Store implements it.
type Store interface {
	mapperStore
	Settings(ctx context.Context, lang string) (directory.Settings, error)
	ListListings(ctx context.Context, f directory.ListingFilter) ([]*directory.Listing, int, error)
	FindListingByID(ctx context.Context, id int64, lang string) (*directory.Listing, error)
	Search(ctx context.Context, f directory.SearchFilter) (*directory.SearchResult, error)
	// Generation changes after every committed write: the API keeps what it builds from
	// the whole directory (the mapper, the bulk download) until it does.
	Generation() uint64
}

// APIOptions are the API's optional settings.
type APIOptions struct {
	// Limiter throttles every request per client (as /search is); nil allows everything.
	Limiter *ratelimit.Limiter
	// ClientAddr keys the limiter; nil means the connection's peer.
	ClientAddr func(*http.Request) string
}

// Paging limits: per_page is bounded so that no request can ask for the whole directory at
// once (the zip download is for that).
const (
	defaultPerPage = 50
	maxPerPage     = 200
	maxPage        = 1_000_000
)

// profile is where HSDS itself is described: Signpost follows the base specification, with
// no profile of its own.
const profile = "https://github.com/openreferral/specification"

// cacheControl lets consumers and proxies keep answers for five minutes: the data changes
// when staff edit it, a few times a day.
const cacheControl = "public, max-age=300"

// API serves the read-only HSDS API and the bulk download. Mount it at /api/hsds.
type API struct {
	// Origin is the site's public origin ("https://example.org"), named as the publisher's
	// website instead of the request's Host; the server always sets it.
	Origin string
	log    *slog.Logger
	store  Store
	router chi.Router

	// mapperMu guards the mapper built for one generation of the data: every request
	// reads the terms, the kept ids and the places, and they change only when staff save.
	mapperMu  sync.Mutex
	mapperGen uint64
	mapperC   *mapper

	export exportCache
	sals   salCache
}

// NewAPI returns the open data API. At most one APIOptions is read.
func NewAPI(log *slog.Logger, store Store, opts ...APIOptions) *API {
	a := &API{log: log, store: store}
	var o APIOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.ClientAddr == nil {
		o.ClientAddr = ratelimit.ClientAddr(false)
	}
	r := chi.NewRouter()
	r.Use(a.headers)
	r.Use(o.Limiter.Middleware(o.ClientAddr, func(w http.ResponseWriter, r *http.Request, _ time.Duration) {
		a.error(w, r, directory.Errorf(directory.ETOOMANY, "Too many requests; please wait a moment."))
	}))
	r.Get("/", a.handleMeta)
	r.Get("/services", a.handleServices)
	r.Get("/services/{id}", a.handleService)
	r.Get("/organizations", a.handleOrganizations)
	r.Get("/organizations/{id}", a.handleOrganization)
	r.Get("/taxonomies", a.handleTaxonomies)
	r.Get("/taxonomies/{id}", a.handleTaxonomy)
	r.Get("/taxonomy_terms", a.handleTaxonomyTerms)
	r.Get("/taxonomy_terms/{id}", a.handleTaxonomyTerm)
	r.Get("/service_at_locations", a.handleServiceAtLocations)
	r.Get("/service_at_locations/{id}", a.handleServiceAtLocation)
	r.Get(ExportPath, a.handleExport)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		a.error(w, r, directory.Errorf(directory.ENOTFOUND, "No such API endpoint."))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		a.error(w, r, directory.Errorf(directory.EINVALID, "This API is read-only: use GET."))
	})
	a.router = r
	return a
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.router.ServeHTTP(w, r) }

// headers sets what every answer carries. The API is public, read-only open data: any web
// page may read it (Access-Control-Allow-Origin: *). No credentials are involved, so the
// wildcard exposes nothing that is not already public.
func (a *API) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		next.ServeHTTP(w, r)
	})
}

// mapper returns the mapper of the data as it is now, built once per generation.
func (a *API) mapper(ctx context.Context) (*mapper, error) {
	gen := a.store.Generation()
	a.mapperMu.Lock()
	defer a.mapperMu.Unlock()
	if a.mapperC != nil && a.mapperGen == gen {
		return a.mapperC, nil
	}
	m, err := newMapper(ctx, a.store)
	if err != nil {
		return nil, err
	}
	a.mapperC, a.mapperGen = m, gen
	return m, nil
}

// checkedMapper checks the request's query against allowed, then returns the mapper. When
// either fails it has answered with the error, and ok is false.
func (a *API) checkedMapper(w http.ResponseWriter, r *http.Request, allowed ...string) (m *mapper, ok bool) {
	if err := checkParams(r, allowed...); err != nil {
		a.error(w, r, err)
		return nil, false
	}
	m, err := a.mapper(r.Context())
	if err != nil {
		a.error(w, r, err)
		return nil, false
	}
	return m, true
}

// pagingAndMapper reads the request's page, then returns the mapper. When either fails it
// has answered with the error, and ok is false.
func (a *API) pagingAndMapper(w http.ResponseWriter, r *http.Request) (p paging, m *mapper, ok bool) {
	p, err := readPaging(r)
	if err != nil {
		a.error(w, r, err)
		return p, nil, false
	}
	m, err = a.mapper(r.Context())
	if err != nil {
		a.error(w, r, err)
		return p, nil, false
	}
	return p, m, true
}

// pagedMapper is pagingAndMapper after checking the request's query against allowed.
func (a *API) pagedMapper(w http.ResponseWriter, r *http.Request, allowed ...string) (m *mapper, p paging, ok bool) {
	if err := checkParams(r, allowed...); err != nil {
		a.error(w, r, err)
		return nil, p, false
	}
	p, m, ok = a.pagingAndMapper(w, r)
	return m, p, ok
}

// writeJSON encodes v whole before writing, so an error never sends half a document.
func (a *API) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		a.error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	switch {
	case status != http.StatusOK:
		h.Set("Cache-Control", "no-store")
	case r.URL.Query().Get("search") != "":
		// What someone searched for is theirs: no shared cache and no browser history
		// keeps it, as for the site's own search.
		h.Set("Cache-Control", "private, no-store")
	default:
		h.Set("Cache-Control", cacheControl)
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes()) // an error means the client has gone
	}
}

// error answers {"error": message}. Internal errors are logged and never detailed.
func (a *API) error(w http.ResponseWriter, r *http.Request, err error) {
	status := directory.HTTPStatus(err)
	if status == http.StatusInternalServerError {
		a.log.Error("hsds api", slog.Group("request", "method", r.Method, "path", r.URL.Path), "err", err)
	}
	a.writeJSON(w, r, status, map[string]string{"error": directory.ErrorMessage(err)})
}

func (a *API) handleMeta(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		a.error(w, r, err)
		return
	}
	site, err := a.store.Settings(r.Context(), "en")
	if err != nil {
		a.error(w, r, err)
		return
	}
	website := baseURL(r)
	if a.Origin != "" {
		website = a.Origin + "/"
	}
	a.writeJSON(w, r, http.StatusOK, Meta{
		Version:     Version,
		Profile:     profile,
		OpenapiURL:  openapiURL,
		Description: "Hotlines, organizations and agencies listed by " + site.SiteName + ", as open data in the Open Referral Human Services Data Specification.",
		Publisher:   Publisher{Name: site.SiteName, Email: site.ContactEmail, Website: website},
	})
}

// baseURL is the origin the request came to, for the publisher's website.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/"
}

// paging reads page and per_page.
type paging struct{ page, perPage int }

func (p paging) offset() int { return (p.page - 1) * p.perPage }

func readPaging(r *http.Request) (paging, error) {
	p := paging{page: 1, perPage: defaultPerPage}
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPage {
			return p, directory.Errorf(directory.EINVALID, "page must be a whole number from 1 to %d.", maxPage)
		}
		p.page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, directory.Errorf(directory.EINVALID, "per_page must be a whole number from 1 to %d.", maxPerPage)
		}
		p.perPage = min(n, maxPerPage)
	}
	return p, nil
}

// readModifiedAfter reads modified_after: an RFC 3339 date-time or a date.
func readModifiedAfter(r *http.Request) (time.Time, error) {
	v := r.URL.Query().Get("modified_after")
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, directory.Errorf(directory.EINVALID, "modified_after must be a date (2024-01-31) or a date-time (2024-01-31T09:00:00Z).")
}

func newPage[T any](items []T, total int, p paging) Page[T] {
	if items == nil {
		items = []T{}
	}
	pages := (total + p.perPage - 1) / p.perPage
	return Page[T]{TotalItems: total, TotalPages: pages, PageNumber: p.page, Size: len(items),
		FirstPage: p.page == 1, LastPage: p.page >= pages, Empty: len(items) == 0, Contents: items}
}

// scope is which listings a list of services or organizations is drawn from.
type scope struct {
	kinds      []directory.Kind
	terms      map[string][]string // taxonomy → slugs, for a search
	anyTerms   []string            // "taxonomy/slug", for a list
	providedBy int64
	none       bool // a filter names nothing of ours, or filters contradict: an empty list
}

// readScope reads the filters of /services and /organizations, which combine as AND:
// taxonomy_term_id (a term of /taxonomy_terms, kinds included), taxonomy_id (listings with
// any term of that taxonomy) and, for services, organization_id (the services an
// organization provides). An id that is not one of this directory's selects nothing, as a
// filter on a value nobody has.
func readScope(r *http.Request, m *mapper, kinds []directory.Kind) scope {
	sc := scope{kinds: kinds}
	q := r.URL.Query()
	termTaxonomy := ""
	if v := q.Get("taxonomy_term_id"); v != "" {
		sc.none = true
		for _, k := range serviceKinds {
			if m.kindTerm(k).ID == v {
				if slices.Contains(kinds, k) {
					sc.kinds, sc.none = []directory.Kind{k}, false
				}
				termTaxonomy = kindTaxonomy
			}
		}
		if id, ok := m.parse("term", v); ok {
			for _, t := range m.terms {
				if t.ID == id {
					sc.terms = map[string][]string{t.Taxonomy: {t.Slug}}
					sc.anyTerms = []string{t.Taxonomy + "/" + t.Slug}
					sc.none = false
					termTaxonomy = t.Taxonomy
				}
			}
		}
	}
	if v := q.Get("taxonomy_id"); v != "" {
		name := ""
		for _, n := range taxonomyNames {
			if m.taxonomyID(n) == v {
				name = n
			}
		}
		switch {
		case name == "":
			sc.none = true
		case termTaxonomy != "":
			// The term's own taxonomy, or a contradiction.
			sc.none = sc.none || termTaxonomy != name
		case name == kindTaxonomy:
			// Every listing has a kind.
		default:
			sc.terms = map[string][]string{}
			for _, t := range m.terms {
				if t.Taxonomy == name {
					sc.terms[name] = append(sc.terms[name], t.Slug)
					sc.anyTerms = append(sc.anyTerms, t.Taxonomy+"/"+t.Slug)
				}
			}
			sc.none = sc.none || len(sc.anyTerms) == 0
		}
	}
	if v := q.Get("organization_id"); v != "" {
		id, ok := m.parse("organization", v)
		sc.providedBy = id
		sc.none = sc.none || !ok
	}
	return sc
}

// listingsPage returns one page of published listings in sc: by search when search is
// given (best first), else by id, optionally changed since modifiedAfter.
func (a *API) listingsPage(ctx context.Context, r *http.Request, sc scope, p paging) ([]*directory.Listing, int, error) {
	after, err := readModifiedAfter(r)
	if err != nil {
		return nil, 0, err
	}
	search := strings.TrimSpace(r.URL.Query().Get("search"))
	if search != "" && p.offset() >= 10_000 {
		return nil, 0, directory.Errorf(directory.EINVALID, "Search results go no further than 10,000 items.")
	}
	if sc.none {
		return nil, 0, nil
	}
	if search != "" {
		res, err := a.store.Search(ctx, directory.SearchFilter{Query: search, Lang: "en", Kinds: sc.kinds,
			Terms: sc.terms, ModifiedAfter: after, ProvidedBy: sc.providedBy, Limit: p.perPage, Offset: p.offset()})
		if err != nil {
			return nil, 0, err
		}
		var list []*directory.Listing
		for _, h := range res.Hits {
			if h.Listing != nil {
				list = append(list, h.Listing)
			}
		}
		return list, res.Total, nil
	}
	return a.store.ListListings(ctx, directory.ListingFilter{Kinds: sc.kinds, AnyTerms: sc.anyTerms, Lang: "en",
		ModifiedAfter: after, ProvidedBy: sc.providedBy, ByID: true, Limit: p.perPage, Offset: p.offset()})
}

func (a *API) handleServices(w http.ResponseWriter, r *http.Request) {
	m, p, ok := a.pagedMapper(w, r, paramsServices...)
	if !ok {
		return
	}
	list, total, err := a.listingsPage(r.Context(), r, readScope(r, m, serviceKinds), p)
	if err != nil {
		a.error(w, r, err)
		return
	}
	out := make([]Service, 0, len(list))
	for _, l := range list {
		out = append(out, m.service(l))
	}
	a.writeJSON(w, r, http.StatusOK, newPage(out, total, p))
}

// findPublished returns the published listing of one of kinds with id, or ENOTFOUND.
func (a *API) findPublished(ctx context.Context, id int64, kinds []directory.Kind) (*directory.Listing, error) {
	l, err := a.store.FindListingByID(ctx, id, "en")
	if err != nil {
		return nil, err
	}
	ok := l.Status == directory.StatusPublished && l.DeletedAt.IsZero()
	if !ok || !slices.Contains(kinds, l.Kind) {
		return nil, directory.Errorf(directory.ENOTFOUND, "No such record.")
	}
	return l, nil
}

// publishedFromPath returns the published listing whose HSDS id of type what ("service",
// "organization") is the {id} in r's path. When there is none it has answered ENOTFOUND
// (or another error), and ok is false.
func (a *API) publishedFromPath(w http.ResponseWriter, r *http.Request, m *mapper, what string) (l *directory.Listing, ok bool) {
	id, ok := m.parse(what, chi.URLParam(r, "id"))
	if !ok {
		a.error(w, r, directory.Errorf(directory.ENOTFOUND, "No such %s.", what))
		return nil, false
	}
	l, err := a.findPublished(r.Context(), id, serviceKinds)
	if err != nil {
		a.error(w, r, err)
		return nil, false
	}
	return l, true
}

func (a *API) handleService(w http.ResponseWriter, r *http.Request) {
	m, ok := a.checkedMapper(w, r)
	if !ok {
		return
	}
	l, ok := a.publishedFromPath(w, r, m, "service")
	if !ok {
		return
	}
	orgListing := l
	if !isOrganization(l) {
		var err error
		orgListing, err = a.findPublished(r.Context(), l.OperatedBy.ID, serviceKinds)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			// Run by an organization that is not published: the line stands as its own
			// organization, as in the bulk download.
			c := *l
			c.OperatedBy = nil
			l, orgListing = &c, &c
		} else if err != nil {
			a.error(w, r, err)
			return
		}
	}
	s := m.service(l)
	o := m.organization(orgListing)
	s.Organization = &o
	a.writeJSON(w, r, http.StatusOK, s)
}

// organizationKinds are the kinds always published as organizations; hotlines that nobody
// is recorded as running are too.
var organizationKinds = []directory.Kind{directory.KindOrganization, directory.KindAgency}

func (a *API) handleOrganizations(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r, paramsOrganizations...); err != nil {
		a.error(w, r, err)
		return
	}
	if boolParam(r, "full_service") {
		a.error(w, r, directory.Errorf(directory.EINVALID, "full_service is offered on /organizations/{id}, which lists an organization's services."))
		return
	}
	p, m, ok := a.pagingAndMapper(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	// An organization is matched by its own listing's terms and kind.
	sc := readScope(r, m, serviceKinds)
	var list []*directory.Listing
	var total int
	switch {
	case sc.none:
	case r.URL.Query().Get("search") != "":
		sc.kinds = intersectKinds(sc.kinds, organizationKinds)
		if len(sc.kinds) > 0 {
			var err error
			if list, total, err = a.listingsPage(ctx, r, sc, p); err != nil {
				a.error(w, r, err)
				return
			}
		}
	default:
		// Organizations and agencies by id, then standalone hotlines by id: two queries
		// paged as one list.
		after, err := readModifiedAfter(r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		var nOrgs int
		if kinds := intersectKinds(sc.kinds, organizationKinds); len(kinds) > 0 {
			orgs, n, err := a.store.ListListings(ctx, directory.ListingFilter{Kinds: kinds, AnyTerms: sc.anyTerms, Lang: "en",
				ModifiedAfter: after, ByID: true, Limit: p.perPage, Offset: p.offset()})
			if err != nil {
				a.error(w, r, err)
				return
			}
			list, nOrgs = orgs, n
		}
		var nHotlines int
		if slices.Contains(sc.kinds, directory.KindHotline) {
			rest := p.perPage - len(list)
			offset := max(0, p.offset()-nOrgs)
			hotlines, n, err := a.store.ListListings(ctx, directory.ListingFilter{Kind: directory.KindHotline, NoOperator: true,
				AnyTerms: sc.anyTerms, Lang: "en", ModifiedAfter: after, ByID: true, Limit: max(rest, 1), Offset: offset})
			if err != nil {
				a.error(w, r, err)
				return
			}
			if rest > 0 {
				list = append(list, hotlines...)
			}
			nHotlines = n
		}
		total = nOrgs + nHotlines
	}
	out := make([]Organization, 0, len(list))
	for _, l := range list {
		out = append(out, m.organization(l))
	}
	a.writeJSON(w, r, http.StatusOK, newPage(out, total, p))
}

func intersectKinds(a, b []directory.Kind) []directory.Kind {
	var out []directory.Kind
	for _, k := range a {
		if slices.Contains(b, k) {
			out = append(out, k)
		}
	}
	return out
}

func (a *API) handleOrganization(w http.ResponseWriter, r *http.Request) {
	m, ok := a.checkedMapper(w, r, paramsOrganization...)
	if !ok {
		return
	}
	l, ok := a.publishedFromPath(w, r, m, "organization")
	if !ok {
		return
	}
	if !isOrganization(l) {
		a.error(w, r, directory.Errorf(directory.ENOTFOUND, "No such organization."))
		return
	}
	// Its services: its own listing, and the published lines it runs.
	o := m.organization(l)
	services, _, err := a.store.ListListings(r.Context(), directory.ListingFilter{Kinds: serviceKinds, ProvidedBy: l.ID,
		Lang: "en", ByID: true, Limit: maxPerPage})
	if err != nil {
		a.error(w, r, err)
		return
	}
	o.Services = []Service{}
	for _, s := range services {
		o.Services = append(o.Services, m.service(s))
	}
	a.writeJSON(w, r, http.StatusOK, o)
}

// matches reports whether a taxonomy's or term's name or code contains the search text.
func matches(search string, fields ...string) bool {
	if search == "" {
		return true
	}
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), strings.ToLower(search)) {
			return true
		}
	}
	return false
}

func pageOf[T any](all []T, p paging) Page[T] {
	from := min(p.offset(), len(all))
	to := min(from+p.perPage, len(all))
	return newPage(all[from:to], len(all), p)
}

func (a *API) handleTaxonomies(w http.ResponseWriter, r *http.Request) {
	m, p, ok := a.pagedMapper(w, r, paramsTaxonomies...)
	if !ok {
		return
	}
	search := strings.TrimSpace(r.URL.Query().Get("search"))
	var out []Taxonomy
	for _, t := range m.taxonomies() {
		if matches(search, t.Name, t.Description) {
			out = append(out, t)
		}
	}
	a.writeJSON(w, r, http.StatusOK, pageOf(out, p))
}

func (a *API) handleTaxonomyTerms(w http.ResponseWriter, r *http.Request) {
	m, p, ok := a.pagedMapper(w, r, paramsTerms...)
	if !ok {
		return
	}
	q := r.URL.Query()
	search := strings.TrimSpace(q.Get("search"))
	taxonomyID, parentID := q.Get("taxonomy_id"), q.Get("parent_id")
	// Signpost's terms have no parents: every term is a top one (top_only changes nothing),
	// and no term has a parent_id to match.
	var out []TaxonomyTerm
	for _, t := range m.taxonomyTerms() {
		if matches(search, t.Name, t.Code) && (taxonomyID == "" || t.TaxonomyID == taxonomyID) && (parentID == "" || t.ParentID == parentID) {
			out = append(out, t)
		}
	}
	a.writeJSON(w, r, http.StatusOK, pageOf(out, p))
}

// writeByPathID answers the item of items whose id is the {id} in r's path, or ENOTFOUND
// with the message notFound.
func writeByPathID[T any](a *API, w http.ResponseWriter, r *http.Request, items []T, id func(T) string, notFound string) {
	want := chi.URLParam(r, "id")
	for _, x := range items {
		if id(x) == want {
			a.writeJSON(w, r, http.StatusOK, x)
			return
		}
	}
	a.error(w, r, directory.Errorf(directory.ENOTFOUND, "%s", notFound))
}

func (a *API) handleTaxonomy(w http.ResponseWriter, r *http.Request) {
	m, ok := a.checkedMapper(w, r)
	if !ok {
		return
	}
	writeByPathID(a, w, r, m.taxonomies(), func(t Taxonomy) string { return t.ID }, "No such taxonomy.")
}

func (a *API) handleTaxonomyTerm(w http.ResponseWriter, r *http.Request) {
	m, ok := a.checkedMapper(w, r)
	if !ok {
		return
	}
	writeByPathID(a, w, r, m.taxonomyTerms(), func(t TaxonomyTerm) string { return t.ID }, "No such taxonomy term.")
}
