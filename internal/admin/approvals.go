package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"signpost/internal/directory"
	"signpost/internal/i18n"
	"signpost/internal/phone"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// Two people for contact changes (issue 13). A save that changes a published listing's
// numbers or addresses saves everything else at once and leaves the contact part waiting
// (store.UpdateListingHoldingContacts); /admin/approvals shows each waiting change as a
// diff, with the public line as it would read in every language, and another staff member
// approves or refuses it. The person who proposed a change can withdraw it, never approve
// it. Every step is in the audit log. An admin can turn this off in Settings for a group of
// one (confirmed and audited like the other safety settings).

const contactApprovalLabel = "Contact changes need a second staff member"

// contactApprovalField is the setting on the settings form: ticked (the default), a change
// to a published listing's numbers and addresses waits for a second staff member.
func contactApprovalField() field[directory.Settings] {
	return field[directory.Settings]{name: "contact_approval", label: contactApprovalLabel, typ: "checkbox",
		short: "Contact changes go live without a second person",
		hint:  "A new phone number, text code, email or web address on a published listing goes live only when another staff member approves it. Untick only if one person runs this site alone.",
		at:    func(s *directory.Settings) any { return &s.ContactsWithoutApproval },
		get: func(s *directory.Settings) string {
			if s.ContactsWithoutApproval {
				return ""
			}
			return "1"
		},
		set: func(s *directory.Settings, v string, _ map[string]string) { s.ContactsWithoutApproval = v != "1" }}
}

// safetyValue is a safety setting's value in words, for its confirmation and audit line.
func safetyValue(k, v string) string {
	if k != "contact_approval" {
		return v
	}
	if v == "1" {
		return "on"
	}
	return "off"
}

// heldKey carries, through a save, where to note a contact change left waiting.
type heldKey struct{}

// withHeldNote returns r with a place to note a contact change its save leaves waiting.
func withHeldNote(r *http.Request) (*http.Request, **store.ContactChange) {
	held := new(*store.ContactChange)
	return r.WithContext(context.WithValue(r.Context(), heldKey{}, held)), held
}

// heldFlash is the message after a save that left a contact change waiting.
func heldFlash(held **store.ContactChange, flash string) string {
	if held == nil || *held == nil {
		return flash
	}
	what := "new contact details go"
	if c := *held; len(c.Proposed.Channels) == len(c.Base.Channels) && c.Proposed.Website == c.Base.Website && c.Proposed.Email == c.Base.Email {
		var kinds []directory.ChannelType
		for i := range c.Proposed.Channels {
			if c.Proposed.Channels[i] != c.Base.Channels[i] {
				kinds = append(kinds, c.Proposed.Channels[i].Type)
			}
		}
		if len(kinds) == 1 {
			what = map[directory.ChannelType]string{directory.ChannelVoice: "new phone number goes", directory.ChannelText: "new text number goes",
				directory.ChannelEmail: "new email address goes", directory.ChannelWeb: "new web address goes"}[kinds[0]]
		}
	}
	return flash + " The " + what + " live when another staff member approves it. Until then the public keeps seeing the current details."
}

// updateListing saves a staff member's edit of listing l, leaving a change to its published
// contact values waiting for a second person (noted in the request's context, and in the
// audit log).
func (h *Handler) updateListing(ctx context.Context, l *directory.Listing, by store.Actor) error {
	c, err := h.st.UpdateListingHoldingContacts(ctx, l, by)
	if err != nil || c == nil {
		return err
	}
	if held, ok := ctx.Value(heldKey{}).(**store.ContactChange); ok {
		*held = c
	}
	e := directory.AuditEntry{Action: "proposed_contact_change", Entity: "listings", EntityID: l.ID, UserID: by.ID, UserEmail: by.Email,
		Detail: h.changeSummary(c)}
	if err := h.st.WriteAudit(ctx, e); err != nil {
		h.log.Error("audit", "action", e.Action, "err", err)
	}
	return nil
}

// changeSummary is a change in one line, for the audit log: "Way 2: 233733 → 233734".
func (h *Handler) changeSummary(c *store.ContactChange) string {
	var parts []string
	for _, row := range contactRows(c.Base, c.Proposed, nil, nil) {
		parts = append(parts, row.What+": "+orNothing(row.Before)+" → "+orNothing(row.After))
	}
	return "change " + strconv.FormatInt(c.ID, 10) + ": " + strings.Join(parts, "; ")
}

func orNothing(s string) string {
	if s == "" {
		return "(nothing)"
	}
	return s
}

// pendingContacts is the change waiting for listing d, for its edit screen, or nil.
func (h *Handler) pendingContacts(ctx context.Context, s *entrySpec, d *entryData) *view.PendingContacts {
	if s.kind == "" || d.ID == 0 {
		return nil
	}
	c, err := h.st.LatestContactChange(ctx, d.ID)
	if err != nil {
		h.log.Error("latest contact change", "err", err)
		return nil
	}
	switch {
	case c == nil:
		return nil
	case c.Status == store.ContactWaiting:
		return &view.PendingContacts{ID: c.ID, ProposedBy: c.ProposedBy.Email, ProposedAt: when(c.ProposedAt),
			Rows: h.diffRows(ctx, c)}
	case c.Status == store.ContactRefused && h.st.Now().Sub(c.DecidedAt) < refusalShown:
		// The person who proposed it learns here, where they made it, that it was refused.
		msg := "The new contact details " + c.ProposedBy.Email + " proposed on " + when(c.ProposedAt) + " were refused by " +
			c.DecidedBy.Email + " on " + when(c.DecidedAt) + ", so the public still sees the values in the form."
		if c.Note != "" {
			msg += " Why: " + c.Note
		}
		return &view.PendingContacts{ID: c.ID, Refused: msg}
	}
	return nil
}

// refusalShown is how long a listing's edit screen says its last contact change was refused.
const refusalShown = 14 * 24 * time.Hour

func when(t time.Time) string { return t.Format("2 Jan 2006 15:04") }

// approvalRoutes registers the approvals screen and its actions (any signed-in staff).
func (h *Handler) approvalRoutes(r chi.Router) {
	r.Get("/approvals", h.handleApprovals)
	r.Post("/approvals/{id}/approve", h.handleApprove)
	r.Post("/approvals/{id}/refuse", h.handleRefuse)
}

// recentDecisions is how many decided changes the approvals screen lists under the waiting.
const recentDecisions = 20

func (h *Handler) handleApprovals(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	waiting, decided, err := h.st.ListContactChanges(ctx, recentDecisions)
	if err != nil {
		h.error(w, r, err)
		return
	}
	on, err := h.st.ContactApprovalRequired(ctx)
	if err != nil {
		h.error(w, r, err)
		return
	}
	me := actor(ctx)
	vm := view.ApprovalsVM{Page: h.pageWithFlash(r, "Contact changes to approve", "approvals"), On: on}
	for _, c := range waiting {
		vm.Waiting = append(vm.Waiting, h.changeView(ctx, c, me))
	}
	for _, c := range decided {
		vm.Decided = append(vm.Decided, h.changeView(ctx, c, me))
	}
	h.render(w, r, http.StatusOK, view.Approvals(vm))
}

func (h *Handler) changeView(ctx context.Context, c *store.ContactChange, me store.Actor) view.ContactChangeView {
	v := view.ContactChangeView{ID: c.ID, ProposedBy: c.ProposedBy.Email, ProposedAt: when(c.ProposedAt),
		Own: c.ProposedBy.ID != 0 && c.ProposedBy.ID == me.ID, Status: c.Status, DecidedBy: c.DecidedBy.Email, Note: c.Note}
	if !c.DecidedAt.IsZero() {
		v.DecidedAt = when(c.DecidedAt)
	}
	if l := c.Listing; l != nil {
		v.Listing, v.Edit = l.Name, h.entryPath("listings", l.Kind, l.ID)
		if l.Status == directory.StatusPublished && l.DeletedAt.IsZero() {
			v.Public = l.Path()
		} else {
			v.ListingDone = true
		}
	}
	if c.Status == store.ContactWaiting {
		v.Rows = h.diffRows(ctx, c)
	} else {
		v.Rows = contactRows(c.Base, c.Proposed, nil, nil)
	}
	return v
}

func (h *Handler) handleApprove(w http.ResponseWriter, r *http.Request) {
	c, ok := withParam(h, w, r, "id", func(ctx context.Context, id int64) (*store.ContactChange, error) {
		return h.st.ApproveContactChange(ctx, id, actor(ctx))
	})
	if !ok {
		return
	}
	h.audit(r, "approved_contact_change", "listings", c.ListingID, h.changeSummary(c)+" (proposed by "+c.ProposedBy.Email+")")
	h.redirect(w, r, "/admin/approvals", "Approved: the public sees the new contact details now.")
}

func (h *Handler) handleRefuse(w http.ResponseWriter, r *http.Request) {
	note := short(strings.TrimSpace(r.PostFormValue("note")), 500)
	c, ok := withParam(h, w, r, "id", func(ctx context.Context, id int64) (*store.ContactChange, error) {
		return h.st.RefuseContactChange(ctx, id, actor(ctx), note)
	})
	if !ok {
		return
	}
	action, flash := "refused_contact_change", "Refused: the listing keeps its current contact details."
	if c.Status == store.ContactWithdrawn {
		action, flash = "withdrew_contact_change", "Withdrawn: the listing keeps its current contact details."
	}
	detail := h.changeSummary(c) + " (proposed by " + c.ProposedBy.Email + ")"
	if note != "" {
		detail += ". Why: " + note
	}
	h.audit(r, action, "listings", c.ListingID, detail)
	h.redirect(w, r, "/admin/approvals", flash)
}

// diffRows is change c as rows, with the public lines in every language. The labels and
// hours of a line keep their translations when the English stays the same (the store keeps
// a line's translations by its place in the list).
func (h *Handler) diffRows(ctx context.Context, c *store.ContactChange) []view.ContactDiffRow {
	type tr struct{ label, hours []string }
	en, err := h.st.FindListingByID(ctx, c.ListingID, store.DefaultLang)
	if err != nil {
		return contactRows(c.Base, c.Proposed, nil, nil)
	}
	translated := map[string]tr{}
	for _, l := range h.cat.Locales {
		if l == h.cat.Default {
			continue
		}
		x, err := h.st.FindListingByID(ctx, c.ListingID, l.Tag)
		if err != nil || len(x.Channels) != len(en.Channels) {
			continue
		}
		var t tr
		for i := range x.Channels {
			t.label, t.hours = append(t.label, x.Channels[i].Label), append(t.hours, x.Channels[i].Hours)
		}
		translated[l.Tag] = t
	}
	// in says channel ch (at place i) in locale l: its translated label and hours when the
	// English of both is what the listing has at that place now.
	in := func(l *i18n.Locale, ch directory.Channel, i int) directory.Channel {
		if t, ok := translated[l.Tag]; ok && i < len(en.Channels) {
			if ch.Label == en.Channels[i].Label {
				ch.Label = t.label[i]
			}
			if ch.Hours == en.Channels[i].Hours {
				ch.Hours = t.hours[i]
			}
		}
		return ch
	}
	return contactRows(c.Base, c.Proposed, h.cat.Locales, in)
}

// contactRows lists what changes from base to proposed: the website, the email, and each
// line (by its place), with the public line in each of locales (none: no lines).
func contactRows(base, proposed store.ContactSet, locales []*i18n.Locale, in func(*i18n.Locale, directory.Channel, int) directory.Channel) []view.ContactDiffRow {
	var rows []view.ContactDiffRow
	if base.Website != proposed.Website {
		rows = append(rows, view.ContactDiffRow{What: "Website", Before: base.Website, After: proposed.Website})
	}
	if base.Email != proposed.Email {
		rows = append(rows, view.ContactDiffRow{What: "Email", Before: base.Email, After: proposed.Email})
	}
	for i := range max(len(base.Channels), len(proposed.Channels)) {
		var b, a *directory.Channel
		if i < len(base.Channels) {
			b = &base.Channels[i]
		}
		if i < len(proposed.Channels) {
			a = &proposed.Channels[i]
		}
		if b != nil && a != nil && *a == *b {
			continue
		}
		kind := a
		if kind == nil {
			kind = b
		}
		row := view.ContactDiffRow{What: "Way " + strconv.Itoa(i+1) + " (" + channelKind(kind.Type) + "): " + whatChanges(b, a),
			Before: channelValues(b), After: channelValues(a)}
		for _, l := range locales {
			line := view.LangLine{Tag: l.Tag, Name: l.Name}
			if b != nil {
				line.Before = publicLine(l, in(l, *b, i))
			}
			if a != nil {
				line.After = publicLine(l, in(l, *a, i))
			}
			row.Lines = append(row.Lines, line)
		}
		rows = append(rows, row)
	}
	return rows
}

// whatChanges names the fields of a line that change: "number and keyword", "added".
func whatChanges(b, a *directory.Channel) string {
	switch {
	case b == nil:
		return "added"
	case a == nil:
		return "removed"
	}
	var out []string
	for _, f := range []struct {
		name string
		b, a string
	}{{"kind", string(b.Type), string(a.Type)}, {"number", b.Number, a.Number}, {"letters", b.Vanity, a.Vanity},
		{"keyword", b.Keyword, a.Keyword}, {"email", b.Address, a.Address}, {"web address", b.URL, a.URL},
		{"label", b.Label, a.Label}, {"hours", b.Hours, a.Hours}} {
		if f.b != f.a {
			out = append(out, f.name)
		}
	}
	if b.Todo != a.Todo {
		out = append(out, "to fill in")
	}
	switch len(out) {
	case 0:
		return "changes"
	case 1:
		return out[0] + " changes"
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1] + " change"
}

// hostOf is a web address as a line shows it: its host without "www." (templates.hostOf).
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}

func channelKind(t directory.ChannelType) string {
	if k, ok := map[directory.ChannelType]string{directory.ChannelVoice: "call", directory.ChannelText: "text",
		directory.ChannelEmail: "email", directory.ChannelWeb: "web"}[t]; ok {
		return k
	}
	return string(t)
}

// channelValues is a line's stored values in staff words: what a second person checks
// against the source, field by field.
func channelValues(c *directory.Channel) string {
	if c == nil {
		return ""
	}
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+" "+v)
		}
	}
	add("kind", channelKind(c.Type))
	if c.Number != "" {
		add("number", phone.Display(c.Number))
	}
	add("letters", c.Vanity)
	add("keyword", c.Keyword)
	add("email", c.Address)
	add("web", c.URL)
	add("label", c.Label)
	add("hours", c.Hours)
	if c.Todo {
		parts = append(parts, "still to fill in")
	}
	return strings.Join(parts, "; ")
}

// publicLine is channel c as a visitor reads it on a listing's page in locale l (the
// words of templates.channelLink), or why the public does not see it.
func publicLine(l *i18n.Locale, c directory.Channel) string {
	if c.Empty() {
		return "(not shown: nothing to call or open yet)"
	}
	label := func(key string) string {
		if p := c.Purpose(); p != "" {
			return p
		}
		return l.T(key)
	}
	var s string
	switch c.Type {
	case directory.ChannelVoice:
		s = label("line.call") + ": " + phone.Display(c.Number)
		if c.Vanity != "" {
			s += " (" + l.F("line.vanity", c.Vanity) + ")"
		}
	case directory.ChannelText:
		s = label("line.text") + ": " + phone.Display(c.Number)
		if c.Keyword != "" {
			s = label("line.text") + ": " + l.F("line.text.keyword", c.Keyword, phone.Display(c.Number))
		}
	case directory.ChannelEmail:
		s = label("line.email") + ": " + c.Address
	case directory.ChannelWeb:
		// The page shows the site's name and links to the whole address.
		s = label("line.web") + ": " + hostOf(c.URL) + " (" + c.URL + ")"
	}
	if c.Hours != "" {
		s += " · " + c.Hours
	}
	return s
}

// publishListing publishes listing id. Contact details changed while it was a draft wait
// for a second person (store.PublishListing): it goes live with the ones it had before.
func (h *Handler) publishListing(w http.ResponseWriter, r *http.Request, s *entrySpec, id int64) {
	by := actor(r.Context())
	c, err := h.st.PublishListing(r.Context(), id, by)
	if err != nil {
		h.error(w, r, err)
		return
	}
	h.audit(r, "publish", s.table, id, "")
	flash := "Published: the public can see it now."
	if c != nil {
		e := directory.AuditEntry{Action: "proposed_contact_change", Entity: "listings", EntityID: id, UserID: by.ID, UserEmail: by.Email,
			Detail: h.changeSummary(c) + " (" + store.RepublishedNote + ")"}
		if err := h.st.WriteAudit(r.Context(), e); err != nil {
			h.log.Error("audit", "action", e.Action, "err", err)
		}
		flash = heldFlash(&c, "Published, with the contact details it had when it was last published.")
	}
	h.redirect(w, r, s.editPath(id), savedFirst(r, flash))
}
