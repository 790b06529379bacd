package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/markdown"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// entryData is an entry as its form holds it: every value as typed, so a form with errors
// comes back exactly as the person left it.
type entryData struct {
	ID       int64
	Version  int
	Values   map[string]string
	Multi    map[string][]string
	Channels []map[string]string
	Status   directory.Status
	Trashed  bool
	Verified time.Time
	Pin      int // listings: staff's place at the top of its lists (0: by need)
	Name     string
	Public   string // public path, without language prefix
	// combined is set when a save was combined with someone else's (the flash says so).
	combined string
}

// get is a single value as typed, without surrounding space and with CRLF line breaks
// (as browsers send them) made LF.
func (d *entryData) get(k string) string {
	return strings.TrimSpace(strings.ReplaceAll(d.Values[k], "\r\n", "\n"))
}

// entrySpec describes one kind of entry to the generic screens: how to list, load, show and
// save it. Each kind's spec is in specs.go; its fields are its form's (forms.go), from which
// form, labels and translatable are derived (withForm).
type entrySpec struct {
	section string // URL segment under /admin
	table   string // the store's entity name, for revisions and translations
	one     string // "hotline", for headings
	heading string // "Hotlines"
	kind    directory.Kind
	create  bool // entries can be created here
	status  bool // entries can be published and unpublished
	trash   bool // entries can be moved to the trash
	verify  bool // entries have a last-verified date
	single  bool // there is one entry of this kind, at /admin/<section> (the settings)
	// translatable lists the fields edited per language, in order.
	translatable []string
	// labels names each field, by form name and by JSON name, for error summaries and diffs.
	labels map[string]string
	// fields are the form's fields a save reads back, and decode reads a revision's
	// snapshot as form values: the three-way merge of concurrent edits (merge.go).
	fields []mergeField
	decode func(data []byte) (*entryData, error)
	list   func(ctx context.Context) ([]view.ListRow, error)
	load   func(ctx context.Context, id int64) (*entryData, error)
	// form builds the screen's fields for d.
	form func(ctx context.Context, d *entryData, errs map[string]string, isNew bool) ([]view.Field, error)
	// save parses d and saves it, returning the entry's id. Parse errors are returned as an
	// EINVALID *directory.Error with Fields, like the store's own validation errors.
	save func(ctx context.Context, d *entryData, by store.Actor) (int64, error)
	// entry, for an entry that is not a listing but shows on a public page, returns it for
	// the page preview: as typed in d over the stored one (d nil: as stored), and the stored
	// one (nil when new). See preview.go.
	entry func(ctx context.Context, d *entryData, id int64) (x, was any, err error)
}

// blankEntry is a new entry's form, empty.
func blankEntry() *entryData {
	return &entryData{Values: map[string]string{}, Multi: map[string][]string{}}
}

func (s *entrySpec) editPath(id int64) string {
	if s.single {
		return "/admin/settings"
	}
	if id == 0 {
		return "/admin/" + s.section + "/new"
	}
	return "/admin/" + s.section + "/" + strconv.FormatInt(id, 10)
}

func (h *Handler) spec(r *http.Request) (*entrySpec, error) {
	s := h.specs[chi.URLParam(r, "section")]
	if s == nil || s.single {
		return nil, directory.Errorf(directory.ENOTFOUND, "There is no such page.")
	}
	return s, nil
}

// section is spec for a handler: when the path names no section, it answers 404 itself
// and returns false.
func (h *Handler) section(w http.ResponseWriter, r *http.Request) (*entrySpec, bool) {
	s, err := h.spec(r)
	if err != nil {
		h.error(w, r, err)
		return nil, false
	}
	return s, true
}

// entryOf is section for a path with an entry's {id} too, which it reads (but does not
// load: the id may still name nothing).
func (h *Handler) entryOf(w http.ResponseWriter, r *http.Request) (*entrySpec, int64, bool) {
	s, err := h.spec(r)
	var id int64
	if err == nil {
		id, err = idParam(r, "id")
	}
	if err != nil {
		h.error(w, r, err)
		return nil, 0, false
	}
	return s, id, true
}

// withParam calls do with the path's {name} id, to load what it names or to act on it,
// and returns what do returns. When it cannot (the id is not a number, or do fails: the
// id names nothing, the action is refused), it has answered with the error page, and ok
// is false.
func withParam[T any](h *Handler, w http.ResponseWriter, r *http.Request, name string, do func(context.Context, int64) (T, error)) (x T, ok bool) {
	id, err := idParam(r, name)
	if err == nil {
		x, err = do(r.Context(), id)
	}
	if err != nil {
		h.error(w, r, err)
		var none T
		return none, false
	}
	return x, true
}

func idParam(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, directory.Errorf(directory.ENOTFOUND, "There is no such entry.")
	}
	return id, nil
}

func (h *Handler) handleNewForm(w http.ResponseWriter, r *http.Request) {
	s, ok := h.section(w, r)
	if !ok {
		return
	}
	if !s.create {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "New %s are not made here.", pluralOf(s.one)))
		return
	}
	if form := h.popPendingForm(r); form != nil {
		h.showFormWith(w, r, s, formData(form), http.StatusOK, formOptions{flash: restoredMessage})
		return
	}
	h.showForm(w, r, s, blankEntry(), http.StatusOK, nil, "")
}

func (h *Handler) handleEditForm(w http.ResponseWriter, r *http.Request) {
	if s, id, ok := h.entryOf(w, r); ok {
		h.editForm(w, r, s, id)
	}
}

func (h *Handler) editForm(w http.ResponseWriter, r *http.Request, s *entrySpec, id int64) {
	d, err := s.load(r.Context(), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if form := h.popPendingForm(r); form != nil {
		// What was typed before the session ended, on top of the entry's current state. Its
		// version is the one the person started from, so a save in between is a conflict.
		p := formData(form)
		p.ID, p.Status, p.Trashed, p.Verified, p.Name, p.Public = d.ID, d.Status, d.Trashed, d.Verified, d.Name, d.Public
		h.showFormWith(w, r, s, p, http.StatusOK, formOptions{flash: restoredMessage})
		return
	}
	h.showForm(w, r, s, d, http.StatusOK, nil, "")
}

// formOptions are the extras of one rendering of an entry form.
type formOptions struct {
	errs     map[string]string
	message  string
	preview  bool
	conflict *view.Conflict
	flash    string
}

func (h *Handler) showForm(w http.ResponseWriter, r *http.Request, s *entrySpec, d *entryData, status int, errs map[string]string, message string) {
	h.showFormWith(w, r, s, d, status, formOptions{errs: errs, message: message})
}

func (h *Handler) showFormWith(w http.ResponseWriter, r *http.Request, s *entrySpec, d *entryData, status int, o formOptions) {
	ctx := r.Context()
	isNew := d.ID == 0 && !s.single
	fields, err := s.form(ctx, d, o.errs, isNew)
	if err != nil {
		h.error(w, r, err)
		return
	}
	title := "Edit " + s.one
	if isNew {
		title = "Add " + aOrAn(s.one)
	} else if d.Name != "" {
		title = d.Name
	}
	vm := view.FormVM{
		Page: h.pageWithFlash(r, title, s.section), Heading: title, Entity: s.section, ID: d.ID,
		Action: s.editPath(d.ID), Version: d.Version, Fields: fields, Message: o.message, Conflict: o.conflict,
		Status: d.Status, HasStatus: s.status, Trashed: d.Trashed, CanTrash: s.trash, Verified: d.Verified,
		CanVerify: s.verify, New: isNew, Pin: d.Pin,
	}
	if o.flash != "" {
		vm.Flash = o.flash
	}
	if e := o.errs["pin"]; e != "" {
		vm.PinText, vm.PinError = d.get("pin"), e // a mistyped place, shown again (pin.go)
	}
	if s.kind != "" {
		vm.Channels = channelRows(d, o.errs)
	}
	if d.Public != "" {
		vm.Public = d.Public
	}
	if !isNew && s.kind == directory.KindHotline {
		if st, err := h.st.SettingsForStaff(ctx); err == nil && st.PrimaryHotline != "" && st.PrimaryHotline == d.get("slug") {
			vm.Primary = true
		}
	}
	if !isNew {
		vm.Pending = h.pendingContacts(ctx, s, d) // approvals.go
		vm.History = historyPath(s.table, d.ID, "")
		if len(s.translatable) > 0 {
			for _, l := range h.cat.Others(h.cat.Default) {
				vm.Langs = append(vm.Langs, view.LangLink{Tag: l.Tag, Name: l.Name,
					Path: translatePath(s.table, d.ID, l.Tag)})
			}
		}
	}
	vm.Errors = errorList(fields, vm.Channels, o.errs)
	if h.canPreviewPage(s) {
		for _, l := range h.cat.Locales {
			name := "Preview the page"
			if l != h.cat.Default {
				name = "Preview in " + l.Name
			}
			vm.PagePreviews = append(vm.PagePreviews, view.LangLink{Tag: l.Tag, Name: name, Path: vm.Action + "?lang=" + l.Tag})
		}
	}
	if o.preview {
		var b strings.Builder
		for _, f := range fields {
			if f.Type == "markdown" {
				b.WriteString(string(markdown.ToHTML(f.Value)))
			}
		}
		vm.Preview = templHTML(b.String())
		if vm.Preview == "" {
			vm.Preview = "<p>(Nothing to preview yet.)</p>"
		}
	}
	if cid, _ := strconv.ParseInt(formOrQuery(r, "correction"), 10, 64); cid > 0 && s.kind != "" {
		if c, err := h.st.FindCorrection(ctx, cid); err == nil && c.ListingID == d.ID && c.Status == directory.CorrectionOpen {
			vm.Correction = c
		}
	}
	if s.kind != "" { // listings: a long form, folded into parts (listingform.go)
		vm.Sections = listingSections(fields, len(vm.Channels), isNew || vm.Correction != nil || o.conflict != nil, o.preview)
		vm.NewWay = newWayRow()
	}
	h.render(w, r, status, view.EntryEdit(vm))
}

func formOrQuery(r *http.Request, k string) string {
	if r.Method == http.MethodPost {
		return r.PostFormValue(k)
	}
	return r.URL.Query().Get(k)
}

// errorList is the error summary: each message linked to its field, in form order.
func errorList(fields []view.Field, rows []view.ChannelRow, errs map[string]string) []view.FieldError {
	var out []view.FieldError
	seen := map[string]bool{}
	add := func(f view.Field) {
		if f.Error != "" && !seen[f.Name] {
			seen[f.Name] = true
			msg := f.Label + ": " + f.Error
			out = append(out, view.FieldError{ID: f.ID(), Message: msg})
		}
	}
	for _, f := range fields {
		add(f)
	}
	for _, row := range rows {
		for _, f := range row.Fields {
			if f.Error != "" && !seen[f.Name] {
				seen[f.Name] = true
				out = append(out, view.FieldError{ID: f.ID(), Message: "Way " + strconv.Itoa(row.Index+1) + ", " + strings.ToLower(f.Label) + ": " + f.Error})
			}
		}
	}
	// Anything the form has no field for still reaches the person.
	var rest []string
	for k := range errs {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, view.FieldError{ID: "f-" + k, Message: errs[k]})
	}
	return out
}

// readForm reads an entry form: every value as typed, channel rows by index.
func readForm(r *http.Request) (*entryData, error) {
	if err := r.ParseForm(); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "The form could not be read. It may be too large.")
	}
	return formData(r.PostForm), nil
}

// formData is an entry form's values as entryData.
func formData(form url.Values) *entryData {
	d := &entryData{Values: map[string]string{}, Multi: map[string][]string{}}
	d.Version, _ = strconv.Atoi(form.Get("version"))
	for k, vs := range form {
		if len(vs) == 0 {
			continue
		}
		if i, field, ok := channelKey(k); ok {
			for len(d.Channels) <= i {
				d.Channels = append(d.Channels, map[string]string{})
			}
			d.Channels[i][field] = vs[0]
			continue
		}
		d.Values[k] = vs[0]
		d.Multi[k] = vs
	}
	return d
}

// maxChannels bounds the channel rows one form may carry.
const maxChannels = 40

// channelKey splits "channels.3.number" into 3 and "number".
func channelKey(k string) (int, string, bool) {
	rest, ok := strings.CutPrefix(k, "channels.")
	if !ok {
		return 0, "", false
	}
	n, field, ok := strings.Cut(rest, ".")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 || i >= maxChannels || field == "" {
		return 0, "", false
	}
	return i, field, true
}

func (h *Handler) handleSave(w http.ResponseWriter, r *http.Request) {
	var s *entrySpec
	var id int64
	ok := false
	if chi.URLParam(r, "id") != "" {
		s, id, ok = h.entryOf(w, r)
	} else {
		s, ok = h.section(w, r)
	}
	if !ok {
		return
	}
	if id == 0 && !s.create {
		h.error(w, r, directory.Errorf(directory.ENOTFOUND, "New %s are not made here.", pluralOf(s.one)))
		return
	}
	h.save(w, r, s, id)
}

// save handles every entry form's POST: preview, or save with validation and the version
// check; on success a 303 to the entry, otherwise the form again with everything typed.
func (h *Handler) save(w http.ResponseWriter, r *http.Request, s *entrySpec, id int64) {
	ctx := r.Context()
	d, err := readForm(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	d.ID = id
	// What the form does not carry (state, name for the heading) comes from the stored entry.
	var stored *entryData
	if id != 0 || s.single {
		if stored, err = s.load(ctx, id); err != nil {
			h.error(w, r, err)
			return
		}
		d.Status, d.Trashed, d.Verified, d.Name, d.Public = stored.Status, stored.Trashed, stored.Verified, stored.Name, stored.Public
	}
	if r.PostForm.Get("_action") == "preview" {
		h.showFormWith(w, r, s, d, http.StatusOK, formOptions{preview: true})
		return
	}
	if s.kind != "" && r.PostForm.Get("add-way") != "" {
		// "Add another way" without script: the form again, as typed, with one more row.
		var o formOptions
		if !addWay(d, r.PostForm.Get("add-way")) {
			o.message = "No way was added: a listing has at most " + strconv.Itoa(maxChannels) + " ways, each a call, text, email or web address."
		}
		h.showFormWith(w, r, s, d, http.StatusOK, o)
		return
	}
	if r.PostForm.Get("_action") == "preview_page" && h.canPreviewPage(s) {
		h.previewTyped(w, r, s, d, id)
		return
	}
	r, held := withHeldNote(r) // a contact change left waiting (approvals.go)
	newID, ok := h.saveForm(w, r, s, d, stored, "")
	if !ok {
		return
	}
	flash := "Saved."
	if d.combined != "" {
		flash = d.combined
	}
	h.redirect(w, r, s.editPath(newID), heldFlash(held, flash))
}

// saveForm saves d, read from r's form over the stored entry (nil for a new one). On
// success it records the save and returns the entry's id; otherwise it shows the form
// again with everything typed, and with why (after prefix, when one is given).
//
// A form from an older version (someone else saved since) is merged with what is stored
// (merge.go): changes to different fields are combined and saved, and d.combined says
// so; fields both people changed differently are shown side by side (409), with a choice
// each, and the form then starts from the stored version. Choices made there come back
// with the form ("_keep.<field>") and are applied first.
func (h *Handler) saveForm(w http.ResponseWriter, r *http.Request, s *entrySpec, d, stored *entryData, prefix string) (int64, bool) {
	ctx := r.Context()
	id := d.ID
	if stored != nil && hasChoices(r.PostForm) {
		base := stored
		if d.Version != stored.Version {
			if base, _, _ = h.mergeBase(ctx, s, id, d.Version); base == nil {
				base = stored
			}
		}
		s.applyChoices(d, base, r.PostForm)
	}
	newID, err := s.save(ctx, d, actor(ctx))
	// Someone saved in between: merge, and try again (a few times, if saves keep coming).
	for try := 0; try < 3 && directory.ErrorCode(err) == directory.ECONFLICT && stored != nil; try++ {
		theirs, lerr := s.load(ctx, id)
		if lerr != nil {
			h.error(w, r, lerr)
			return 0, false
		}
		base, who, lerr := h.mergeBase(ctx, s, id, d.Version)
		if lerr != nil {
			h.error(w, r, lerr)
			return 0, false
		}
		m := s.merge(base, theirs, d)
		if len(m.conflicts) > 0 {
			// Nothing is written. The form holds their other changes and all of yours; the
			// fields you both changed are shown side by side, each with a choice.
			msg := prefix + who.names() + " saved this entry while you were editing. Nothing you typed is lost: choose below what to keep, then save again."
			h.showFormWith(w, r, s, m.merged, http.StatusConflict, formOptions{message: msg, conflict: s.conflictView(ctx, id, m.conflicts, who)})
			return 0, false
		}
		if s.sameEntry(m.merged, theirs) { // what you typed is already saved: nothing to write
			d.combined = "Saved. Nothing needed changing: " + who.names() + "'s save from " + who.when() + " already says the same."
			return theirs.ID, true
		}
		d.Values, d.Multi, d.Channels, d.Version = m.merged.Values, m.merged.Multi, m.merged.Channels, m.merged.Version
		d.Status, d.Trashed = theirs.Status, theirs.Trashed
		if newID, err = s.save(ctx, d, actor(ctx)); err == nil {
			d.combined = combinedMessage(who)
		}
	}
	var e *directory.Error
	switch {
	case err == nil:
	case directory.ErrorCode(err) == directory.ECONFLICT && stored != nil:
		// Saves kept coming while merging: show the form again, from the stored version.
		theirs, lerr := s.load(ctx, id)
		if lerr != nil {
			h.error(w, r, lerr)
			return 0, false
		}
		d.Version, d.Status, d.Trashed = theirs.Version, theirs.Status, theirs.Trashed
		h.showFormWith(w, r, s, d, http.StatusConflict, formOptions{message: prefix + directory.ErrorMessage(err)})
		return 0, false
	case errors.As(err, &e) && e.Code == directory.EINVALID:
		h.showFormWith(w, r, s, d, http.StatusBadRequest, formOptions{errs: e.Fields, message: prefix + e.Message})
		return 0, false
	default:
		h.error(w, r, err)
		return 0, false
	}
	action := "save"
	if id == 0 && !s.single {
		action = "create"
	}
	h.audit(r, action, s.table, newID, "")
	if cid, _ := strconv.ParseInt(r.PostForm.Get("correction"), 10, 64); cid > 0 {
		if err := h.st.SetCorrectionStatus(ctx, cid, directory.CorrectionAccepted, actor(ctx)); err == nil {
			h.audit(r, "suggestion_accept", "corrections", cid, "")
		}
	}
	return newID, true
}

// savedFirstKey marks a request whose edit form was saved before its action.
type savedFirstKey struct{}

// withFormSaved lets the edit screen's Publish, Verify and Trash buttons post the whole edit
// form (they are its buttons, with their own formaction), so an action never drops what was
// typed: changes are saved first, then the action is done. A save that fails (a mistake, or
// someone else's save) shows the form again with everything typed, and nothing is done.
// A bare action (from a list, without the form) goes straight through.
func (h *Handler) withFormSaved(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("version") == "" {
			next.ServeHTTP(w, r)
			return
		}
		s, err := h.spec(r)
		var id int64
		if err == nil {
			id, err = idParam(r, "id")
		}
		var stored, d *entryData
		if err == nil {
			stored, err = s.load(r.Context(), id)
		}
		if err == nil {
			d, err = readForm(r)
		}
		if err != nil {
			h.error(w, r, err)
			return
		}
		d.ID = id
		d.Status, d.Trashed, d.Verified, d.Name, d.Public = stored.Status, stored.Trashed, stored.Verified, stored.Name, stored.Public
		if h.sameForm(r.Context(), s, d, stored) {
			next.ServeHTTP(w, r)
			return
		}
		if _, ok := h.saveForm(w, r, s, d, stored, "Nothing else was done: your changes could not be saved. "); !ok {
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), savedFirstKey{}, true)))
	})
}

// sameForm reports whether the posted form d says what the entry said when the person
// opened it (the stored entry, or the revision at the form's version if someone saved
// since), compared as the merge compares (line endings, box order, empty or missing).
func (h *Handler) sameForm(ctx context.Context, s *entrySpec, d, stored *entryData) bool {
	base := stored
	if d.Version != stored.Version {
		if base, _, _ = h.mergeBase(ctx, s, d.ID, d.Version); base == nil {
			return false
		}
	}
	return s.sameEntry(d, base) && !hasChoices(d.Multi)
}

// savedFirst prefixes an action's message with "Saved." when the edit form was saved first.
func savedFirst(r *http.Request, flash string) string {
	if saved, _ := r.Context().Value(savedFirstKey{}).(bool); saved {
		return "Saved. " + flash
	}
	return flash
}

func (h *Handler) handleStatus(w http.ResponseWriter, r *http.Request) {
	s, id, ok := h.entryAction(w, r, func(s *entrySpec) bool { return s.status })
	if !ok {
		return
	}
	status := directory.Status(r.PostFormValue("status"))
	if s.table == "listings" && status == directory.StatusPublished {
		h.publishListing(w, r, s, id)
		return
	}
	if err := h.st.SetEntryStatus(r.Context(), s.table, id, status, actor(r.Context())); err != nil {
		h.error(w, r, err)
		return
	}
	action, flash := "publish", "Published: the public can see it now."
	if status != directory.StatusPublished {
		action, flash = "unpublish", "Unpublished: it is a draft again, hidden from the public."
	}
	h.audit(r, action, s.table, id, "")
	h.redirect(w, r, s.editPath(id), savedFirst(r, flash))
}

func (h *Handler) handleTrashToggle(w http.ResponseWriter, r *http.Request) {
	s, id, ok := h.entryAction(w, r, func(s *entrySpec) bool { return s.trash })
	if !ok {
		return
	}
	trash := r.PostFormValue("trash") == "1"
	if err := h.st.TrashEntry(r.Context(), s.table, id, trash, actor(r.Context())); err != nil {
		h.error(w, r, err)
		return
	}
	if trash {
		h.audit(r, "delete", s.table, id, "moved to trash")
		h.redirect(w, r, "/admin/"+s.section, savedFirst(r, "Moved to the trash. You can restore it from the Trash page."))
		return
	}
	h.audit(r, "restore", s.table, id, "from trash")
	h.redirect(w, r, s.editPath(id), savedFirst(r, "Restored from the trash."))
}

func (h *Handler) handleVerify(w http.ResponseWriter, r *http.Request) {
	s, id, ok := h.entryAction(w, r, func(s *entrySpec) bool { return s.verify })
	if !ok {
		return
	}
	if err := h.st.MarkListingVerified(r.Context(), id, actor(r.Context())); err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "verify", s.table, id, "")
	h.redirect(w, r, s.editPath(id), savedFirst(r, "Marked as verified today."))
}

func (h *Handler) entryAction(w http.ResponseWriter, r *http.Request, allowed func(*entrySpec) bool) (*entrySpec, int64, bool) {
	s, err := h.spec(r)
	if err == nil && !allowed(s) {
		err = directory.Errorf(directory.ENOTFOUND, "That cannot be done to %s.", aOrAn(s.one))
	}
	var id int64
	if err == nil {
		id, err = idParam(r, "id")
	}
	if err == nil {
		_, err = s.load(r.Context(), id)
	}
	if err != nil {
		h.error(w, r, err)
		return nil, 0, false
	}
	return s, id, true
}

func (h *Handler) handleTrash(w http.ResponseWriter, r *http.Request) {
	items, err := h.st.ListTrash(r.Context())
	if err != nil {
		h.error(w, r, err)
		return
	}
	var rows []view.ListRow
	for _, it := range items {
		rows = append(rows, view.ListRow{ID: it.ID, Name: it.Name, Path: h.entryPath(it.Entity, it.Kind, it.ID),
			Trashed: true, Updated: it.When, Detail: " (" + entryNoun(it.Entity, it.Kind) + ")"})
	}
	h.render(w, r, http.StatusOK, view.EntryList(view.ListVM{Page: h.pageWithFlash(r, "Trash", "trash"),
		Heading: "Trash", Rows: rows, Trash: true}))
}

// entryPath is the edit screen of an entry named by table, kind (listings) and id.
func (h *Handler) entryPath(entity string, kind directory.Kind, id int64) string {
	switch entity {
	case "listings":
		return "/admin/" + kind.Section() + "/" + strconv.FormatInt(id, 10)
	case "settings":
		return "/admin/settings"
	case "terms":
		return "/admin/filters/" + strconv.FormatInt(id, 10)
	}
	return "/admin/" + entity + "/" + strconv.FormatInt(id, 10)
}

// specFor returns the spec of an entry named by its table and id.
func (h *Handler) specFor(ctx context.Context, entity string, id int64) (*entrySpec, error) {
	if entity == "listings" {
		l, err := h.st.FindListingByID(ctx, id, store.DefaultLang)
		if err != nil {
			return nil, err
		}
		return h.specs[l.Kind.Section()], nil
	}
	for _, s := range h.specs {
		if s.table == entity && s.kind == "" {
			return s, nil
		}
	}
	return nil, directory.Errorf(directory.ENOTFOUND, "There is no such kind of entry.")
}

func (h *Handler) handleSettingsForm(w http.ResponseWriter, r *http.Request) {
	h.editForm(w, r, h.specs["settings"], 0)
}

// handleSettingsSave is in safety.go.
