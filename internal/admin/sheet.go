package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/sheet"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// The spreadsheet import (issue 14): upload a CSV file of any name, match its columns to
// ours, check, import in one transaction, publish or undo in one step. The file format and
// the checks are internal/sheet's; this is the screen and the saving.
//
//	GET  /admin/sheet                         the template, help and the upload form
//	GET  /admin/sheet/template.csv            the template
//	POST /admin/sheet                         keep the file; 303 to its matching step
//	GET  /admin/sheet/{token}                 the columns, matched by guess
//	POST /admin/sheet/{token}                 step=check: the preview or what to change;
//	                                          step=apply: import, 303 to the import
//	GET  /admin/sheet/imports/{id}            what an import did
//	POST /admin/sheet/imports/{id}/publish    publish the drafts it added
//	POST /admin/sheet/imports/{id}/undo       undo it
//
// Admins only, like the HSDS import: an import changes many listings at once. Its audit
// lines (actions imported_a_spreadsheet, published_a_spreadsheet_import,
// undid_a_spreadsheet_import, read as words by the audit screen) name the file and every
// listing, and link to the import's page.

// sheetRoutes adds the spreadsheet import's routes (inside an admin-only group).
func (h *Handler) sheetRoutes(r chi.Router) {
	r.Get("/sheet", h.handleSheetForm)
	r.Get("/sheet/template.csv", h.handleSheetTemplate)
	r.Post("/sheet", h.handleSheetUpload)
	r.Get("/sheet/imports/{id}", h.handleSheetImport)
	r.Post("/sheet/imports/{id}/publish", h.handleSheetPublish)
	r.Post("/sheet/imports/{id}/undo", h.handleSheetUndo)
	r.Get("/sheet/{token}", h.handleSheetMatch)
	r.Post("/sheet/{token}", h.handleSheetCheck)
}

const sheetTitle = "Import a spreadsheet"

func (h *Handler) handleSheetForm(w http.ResponseWriter, r *http.Request) {
	h.renderSheetForm(w, r, http.StatusOK, "")
}

func (h *Handler) renderSheetForm(w http.ResponseWriter, r *http.Request, status int, msg string) {
	vm := view.SheetVM{Page: h.pageWithFlash(r, sheetTitle, "sheet"), Message: msg}
	for _, f := range sheet.Fields {
		vm.Fields = append(vm.Fields, view.SheetFieldHelp{Heading: f.Heading, Help: f.Help})
	}
	terms, err := h.st.ListTerms(r.Context(), "", store.DefaultLang)
	if err != nil {
		h.error(w, r, err)
		return
	}
	for _, f := range []sheet.Field{sheet.Services, sheet.WhoItServes, sheet.Area, sheet.Languages} {
		tl := view.SheetTermList{Heading: f.Heading()}
		for _, t := range terms {
			if t.Taxonomy == sheetTaxonomy[f] {
				tl.Names = append(tl.Names, t.Name)
			}
		}
		vm.Terms = append(vm.Terms, tl)
	}
	h.render(w, r, status, view.SheetUpload(vm))
}

var sheetTaxonomy = map[sheet.Field]string{sheet.Services: "service", sheet.WhoItServes: "population", sheet.Area: "area", sheet.Languages: "language"}

func (h *Handler) handleSheetTemplate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="signpost-template.csv"`)
	_, _ = w.Write(sheet.Template()) // an error means the client has gone
}

func (h *Handler) handleSheetUpload(w http.ResponseWriter, r *http.Request) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.renderSheetForm(w, r, http.StatusBadRequest, fmt.Sprintf("Choose a CSV file to upload (at most %d MB).", sheet.MaxUploadBytes>>20))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, sheet.MaxUploadBytes+1))
	if err != nil {
		h.renderSheetForm(w, r, http.StatusBadRequest, "The file could not be read. Upload it again.")
		return
	}
	// Read it now, so a file that is not a spreadsheet is refused at once.
	if _, err := sheet.Read(data); err != nil {
		h.renderSheetForm(w, r, directory.HTTPStatus(err), directory.ErrorMessage(err))
		return
	}
	u := userFrom(r.Context())
	token, err := h.st.KeepSheetUpload(r.Context(), u.ID, sheetFileName(hdr.Filename), data)
	if err != nil {
		h.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/sheet/"+token, http.StatusSeeOther) // #nosec G710 -- the token is hex we made
}

// sheetFileName keeps a file's own name, for staff to recognise, without its folders.
func sheetFileName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	if r := []rune(strings.TrimSpace(name)); len(r) > 100 {
		name = string(r[:100])
	}
	if name == "" {
		name = "the file"
	}
	return name
}

var tokenRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// sheetUpload reads the upload of the request's token, or shows why there is none.
func (h *Handler) sheetUpload(w http.ResponseWriter, r *http.Request) (token, name string, t *sheet.Table, ok bool) {
	token = chi.URLParam(r, "token")
	if !tokenRE.MatchString(token) {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "There is no such page."))
		return "", "", nil, false
	}
	name, data, err := h.st.FindSheetUpload(r.Context(), token, userFrom(r.Context()).ID)
	if err != nil {
		h.error(w, r, err)
		return "", "", nil, false
	}
	if t, err = sheet.Read(data); err != nil {
		h.error(w, r, err)
		return "", "", nil, false
	}
	return token, name, t, true
}

func (h *Handler) sheetVM(r *http.Request, token, name string, t *sheet.Table, cols []sheet.Field, o sheet.Options) view.SheetVM {
	vm := view.SheetVM{Page: h.page(r, "Match the columns", "sheet"), Token: token, FileName: name, RowCount: len(t.Rows),
		Kind: string(o.Kind), Publish: o.Publish, Private: o.PrivateAddresses}
	vm.Options = append(vm.Options, view.SheetOption{Value: "", Label: "Leave out"})
	for _, f := range sheet.Fields {
		vm.Options = append(vm.Options, view.SheetOption{Value: string(f.Field), Label: f.Heading})
	}
	for _, k := range []directory.Kind{directory.KindOrganization, directory.KindAgency, directory.KindHotline} {
		vm.Kinds = append(vm.Kinds, view.SheetOption{Value: string(k), Label: sheetKindLabel[k]})
	}
	for i, hd := range t.Headings {
		c := view.SheetColumn{Index: i, Heading: hd, Field: string(cols[i])}
		if hd == "" {
			c.Heading = "(no heading)"
		}
		for _, row := range t.Rows {
			if row.Cells[i] != "" {
				c.Sample = row.Cells[i]
				if rs := []rune(c.Sample); len(rs) > 60 {
					c.Sample = string(rs[:60]) + "…"
				}
				break
			}
		}
		vm.Columns = append(vm.Columns, c)
	}
	return vm
}

var sheetKindLabel = map[directory.Kind]string{directory.KindOrganization: "Organizations", directory.KindAgency: "Agencies", directory.KindHotline: "Hotlines"}

func (h *Handler) handleSheetMatch(w http.ResponseWriter, r *http.Request) {
	token, name, t, ok := h.sheetUpload(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, view.SheetMatch(h.sheetVM(r, token, name, t, sheet.Guess(t.Headings), sheet.Options{Kind: directory.KindOrganization})))
}

// handleSheetCheck reads the matching, builds the plan and shows it (step=check), or saves
// it (step=apply) when it has no problem. Any problem shows the form again with the choices
// kept and nothing saved.
func (h *Handler) handleSheetCheck(w http.ResponseWriter, r *http.Request) {
	token, name, t, ok := h.sheetUpload(w, r)
	if !ok {
		return
	}
	cols := make([]sheet.Field, len(t.Headings))
	for i := range cols {
		f, ok := sheet.ParseField(r.PostFormValue("col" + strconv.Itoa(i)))
		if !ok {
			h.error(w, r, directory.Errorf(directory.EINVALID, "Choose a field from the list for column %d.", i+1))
			return
		}
		cols[i] = f
	}
	kind := directory.Kind(r.PostFormValue("kind"))
	if _, ok := sheetKindLabel[kind]; !ok {
		kind = directory.KindOrganization
	}
	o := sheet.Options{Kind: kind, Publish: r.PostFormValue("publish") != "", PrivateAddresses: r.PostFormValue("private") != ""}
	vm := h.sheetVM(r, token, name, t, cols, o)
	plan, err := h.sheetPlan(r.Context(), t, cols, o)
	if err != nil {
		h.error(w, r, err)
		return
	}
	vm.Checked = true
	for _, p := range plan.Problems {
		vm.Issues = append(vm.Issues, p.String())
	}
	if len(vm.Issues) > 0 {
		h.render(w, r, http.StatusUnprocessableEntity, view.SheetMatch(vm))
		return
	}
	// The choices this preview is made with. "Import" after a choice was changed shows the
	// new preview first: staff import only what they have seen.
	vm.Choices = sheetChoices(cols, o)
	if r.PostFormValue("step") == "apply" && r.PostFormValue("checked") != vm.Choices {
		vm.Rechecked = true
	} else if r.PostFormValue("step") == "apply" {
		id, err := h.applySheet(r, token, name, plan)
		if err != nil {
			if directory.ErrorCode(err) == directory.EINTERNAL {
				h.error(w, r, err)
				return
			}
			vm.Message = directory.ErrorMessage(err)
			h.render(w, r, directory.HTTPStatus(err), view.SheetMatch(vm))
			return
		}
		h.redirect(w, r, "/admin/sheet/imports/"+strconv.FormatInt(id, 10),
			fmt.Sprintf("Imported: %d added, %d changed.", len(plan.Add), len(plan.Change)))
		return
	}
	status := map[bool]string{true: "published", false: "draft"}[o.Publish]
	for _, p := range plan.Add {
		vm.Add = append(vm.Add, view.SheetRow{Row: p.Row, Name: p.Listing.Name, Detail: "New " + sheetKindName(p.Listing.Kind) + ", " + status})
	}
	for _, p := range plan.Change {
		vm.Change = append(vm.Change, view.SheetRow{Row: p.Row, Name: p.Listing.Name, Detail: strings.Join(p.Changes, ", "),
			Link: listingEditPath(p.Existing)})
	}
	vm.Unchanged = plan.Unchanged
	h.render(w, r, http.StatusOK, view.SheetMatch(vm))
}

// sheetChoices writes the matching step's choices as one string, to compare.
func sheetChoices(cols []sheet.Field, o sheet.Options) string {
	parts := []string{string(o.Kind), strconv.FormatBool(o.Publish), strconv.FormatBool(o.PrivateAddresses)}
	for _, c := range cols {
		parts = append(parts, string(c))
	}
	return strings.Join(parts, "|")
}

func sheetKindName(k directory.Kind) string {
	return map[directory.Kind]string{directory.KindOrganization: "organization", directory.KindAgency: "agency", directory.KindHotline: "hotline"}[k]
}

func listingEditPath(l *directory.Listing) string {
	return "/admin/" + l.Kind.Section() + "/" + strconv.FormatInt(l.ID, 10)
}

// sheetPlan plans the import against the directory as it is now.
func (h *Handler) sheetPlan(ctx context.Context, t *sheet.Table, cols []sheet.Field, o sheet.Options) (*sheet.Plan, error) {
	existing, _, err := h.st.ListListings(ctx, directory.ListingFilter{Lang: store.DefaultLang, Drafts: true, ByID: true,
		Kinds: []directory.Kind{directory.KindOrganization, directory.KindAgency, directory.KindHotline}})
	if err != nil {
		return nil, err
	}
	places, err := h.st.ListLocations(ctx)
	if err != nil {
		return nil, err
	}
	v, err := h.sheetVocabulary(ctx)
	if err != nil {
		return nil, err
	}
	return sheet.Build(t, cols, v, existing, places, o), nil
}

// sheetVocabulary is the filter terms with their Spanish names, and search's other words.
func (h *Handler) sheetVocabulary(ctx context.Context) (sheet.Vocabulary, error) {
	var v sheet.Vocabulary
	en, err := h.st.ListTerms(ctx, "", store.DefaultLang)
	if err != nil {
		return v, err
	}
	es, err := h.st.ListTerms(ctx, "", "es")
	if err != nil {
		return v, err
	}
	spanish := map[int64]string{}
	for _, t := range es {
		spanish[t.ID] = t.Name
	}
	for _, t := range en {
		vt := sheet.VocabTerm{Term: t}
		if s := spanish[t.ID]; s != "" && s != t.Name {
			vt.Names = []string{s}
		}
		v.Terms = append(v.Terms, vt)
	}
	v.Synonyms, err = h.st.ListSynonyms(ctx)
	return v, err
}

// applySheet saves a plan in one transaction: each listing through the normal write path
// (a revision with action "import"), its place, the record of the import for its undo, the
// upload's removal and the audit line. Any error saves nothing; one on a row names the row.
func (h *Handler) applySheet(r *http.Request, token, name string, plan *sheet.Plan) (int64, error) {
	ctx := r.Context()
	by := actor(ctx)
	x := &store.SheetImport{FileName: name, UserID: by.ID, UserEmail: by.Email}
	// What a change replaces, read before the transaction: the revision to go back to and
	// the places then.
	for _, p := range plan.Change {
		rev, err := h.st.LatestRevisionID(ctx, "listings", p.Existing.ID)
		if err != nil {
			return 0, err
		}
		places, err := h.st.ListLocationsOf(ctx, p.Existing.ID)
		if err != nil {
			return 0, err
		}
		x.Changed = append(x.Changed, store.SheetChange{ListingID: p.Existing.ID, Revision: rev, Places: places})
	}
	var added, changed []string
	err := h.st.Batch(ctx, func(ctx context.Context) error {
		for _, p := range plan.Add {
			l := p.Listing
			err := h.st.CreateListing(ctx, l, by, store.ActionImport)
			// A listing in the trash keeps its address: take the next free one.
			for i := 2; isSlugTaken(err) && i < 50; i++ {
				l.Slug = p.Listing.Slug + "-" + strconv.Itoa(i)
				err = h.st.CreateListing(ctx, l, by, store.ActionImport)
			}
			if err == nil && p.Place != nil {
				err = h.st.SaveLocations(ctx, l.ID, []directory.Location{*p.Place})
			}
			if err != nil {
				return rowError(p.Row, err)
			}
			x.Added = append(x.Added, l.ID)
			added = append(added, l.Name)
		}
		for i, p := range plan.Change {
			l := p.Listing
			err := h.st.UpdateListing(ctx, l, by, store.ActionImport)
			if err == nil && p.Place != nil {
				places := append([]directory.Location{*p.Place}, x.Changed[i].Places[min(1, len(x.Changed[i].Places)):]...)
				err = h.st.SaveLocations(ctx, l.ID, places)
			}
			if err != nil {
				return rowError(p.Row, err)
			}
			changed = append(changed, l.Name)
		}
		return h.st.SaveSheetImport(ctx, x, token, directory.AuditEntry{UserID: by.ID, UserEmail: by.Email,
			Action: "imported_a_spreadsheet", Entity: "sheet_imports", Detail: sheetDetail(name, sheetNames{"added", added}, sheetNames{"changed", changed})})
	})
	return x.ID, err
}

// sheetDetail is an audit line's detail: the file, then each group with how many listings
// and their names ("list.csv: added 2 (A, B); changed 0").
func sheetDetail(file string, groups ...sheetNames) string {
	d := file + ":"
	for i, g := range groups {
		if i > 0 {
			d += ";"
		}
		d += " " + g.verb + " " + strconv.Itoa(len(g.names))
		if len(g.names) > 0 {
			d += " (" + strings.Join(g.names, ", ") + ")"
		}
	}
	if r := []rune(d); len(r) > 2000 {
		d = string(r[:2000]) + "…"
	}
	return d
}

// sheetNames are the listings an import step did one thing to.
type sheetNames struct {
	verb  string
	names []string
}

func isSlugTaken(err error) bool {
	var e *directory.Error
	return errors.As(err, &e) && e.Fields["slug"] != ""
}

// rowError names the row of an error found only when saving (someone saved the listing in
// between: a conflict). Internal errors stay as they are.
func rowError(row int, err error) error {
	if directory.ErrorCode(err) == directory.EINTERNAL {
		return err
	}
	return directory.Errorf(directory.ErrorCode(err), "Nothing was imported. Row %d: %s Check the file again.", row, directory.ErrorMessage(err))
}

// sheetImport reads the import of the request's id.
func (h *Handler) sheetImport(w http.ResponseWriter, r *http.Request) (*store.SheetImport, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "There is no such page."))
		return nil, false
	}
	x, err := h.st.FindSheetImport(r.Context(), id)
	if err != nil {
		h.error(w, r, err)
		return nil, false
	}
	return x, true
}

func (h *Handler) handleSheetImport(w http.ResponseWriter, r *http.Request) {
	x, ok := h.sheetImport(w, r)
	if !ok {
		return
	}
	vm := view.SheetImportVM{Page: h.pageWithFlash(r, "Spreadsheet import", "sheet"), Action: "/admin/sheet/imports/" + strconv.FormatInt(x.ID, 10),
		FileName: x.FileName, By: x.UserEmail, When: x.CreatedAt.Format("2 January 2006 at 15:04 UTC")}
	if !x.UndoneAt.IsZero() {
		vm.Undone = "Undone by " + x.UndoneBy + " on " + x.UndoneAt.Format("2 January 2006 at 15:04 UTC") + "."
	}
	for _, id := range x.Added {
		l, err := h.st.FindListingByID(r.Context(), id, store.DefaultLang)
		if err != nil {
			continue // gone since
		}
		state := string(l.Status)
		if !l.DeletedAt.IsZero() {
			state = "in the trash"
		} else if l.Status == directory.StatusDraft {
			vm.Drafts++
		}
		vm.Added = append(vm.Added, view.SheetRow{Name: l.Name, Detail: state, Link: listingEditPath(l)})
	}
	for _, c := range x.Changed {
		l, err := h.st.FindListingByID(r.Context(), c.ListingID, store.DefaultLang)
		if err != nil {
			continue
		}
		vm.Changed = append(vm.Changed, view.SheetRow{Name: l.Name, Detail: string(l.Status), Link: listingEditPath(l)})
	}
	h.render(w, r, http.StatusOK, view.SheetImport(vm))
}

// handleSheetPublish publishes the drafts an import added, in one transaction.
func (h *Handler) handleSheetPublish(w http.ResponseWriter, r *http.Request) {
	x, ok := h.sheetImport(w, r)
	if !ok {
		return
	}
	if !x.UndoneAt.IsZero() {
		h.error(w, r, directory.Errorf(directory.ECONFLICT, "This import was undone."))
		return
	}
	by := actor(r.Context())
	var names []string
	err := h.st.Batch(r.Context(), func(ctx context.Context) error {
		for _, id := range x.Added {
			l, err := h.st.FindListingByID(ctx, id, store.DefaultLang)
			if err != nil || l.Status != directory.StatusDraft || !l.DeletedAt.IsZero() {
				continue
			}
			if err := h.st.SetListingStatus(ctx, id, directory.StatusPublished, by); err != nil {
				return err
			}
			names = append(names, l.Name)
		}
		return nil
	})
	if err != nil {
		h.error(w, r, err)
		return
	}
	path := "/admin/sheet/imports/" + strconv.FormatInt(x.ID, 10)
	h.audit(r, "published_a_spreadsheet_import", "sheet_imports", x.ID, sheetDetail(x.FileName, sheetNames{"published", names}))
	h.redirect(w, r, path, "Published "+view.SheetCount(len(names), "listing", "listings")+".")
}

// handleSheetUndo undoes an import in one transaction: the listings it added go to the
// trash (their history stays), the listings it changed are restored to their revision
// before it, with their places then.
func (h *Handler) handleSheetUndo(w http.ResponseWriter, r *http.Request) {
	x, ok := h.sheetImport(w, r)
	if !ok {
		return
	}
	by := actor(r.Context())
	var removed, restored []string
	err := h.st.Batch(r.Context(), func(ctx context.Context) error {
		for _, id := range x.Added {
			l, err := h.st.FindListingByID(ctx, id, store.DefaultLang)
			if directory.ErrorCode(err) == directory.ENOTFOUND || (err == nil && !l.DeletedAt.IsZero()) {
				continue
			} else if err != nil {
				return err
			}
			if err := h.st.TrashListing(ctx, id, by); err != nil {
				return err
			}
			removed = append(removed, l.Name)
		}
		for _, c := range x.Changed {
			if c.Revision == 0 {
				continue
			}
			l, err := h.st.RestoreListingRevision(ctx, c.Revision, by)
			if err != nil {
				return err
			}
			if err := h.st.SaveLocations(ctx, c.ListingID, c.Places); err != nil {
				return err
			}
			restored = append(restored, l.Name)
		}
		return h.st.MarkSheetImportUndone(ctx, x.ID, by, directory.AuditEntry{UserID: by.ID, UserEmail: by.Email,
			Action: "undid_a_spreadsheet_import", Entity: "sheet_imports", EntityID: x.ID,
			Detail: sheetDetail(x.FileName, sheetNames{"removed", removed}, sheetNames{"restored", restored})})
	})
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.redirect(w, r, "/admin/sheet/imports/"+strconv.FormatInt(x.ID, 10),
		fmt.Sprintf("Import undone: %d removed, %d restored.", len(removed), len(restored)))
}
