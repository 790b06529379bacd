package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"signpost/internal/directory"
)

// Two people for contact changes (issue 13). On this site a wrong phone number is the worst
// bug: a victim calls it. So a change to a published listing's contact values (a line's
// number, letters, text keyword, email or web address, a line added or removed, the
// listing's own website and email) is not written to the listing: the save keeps every
// other change at once and stores the contact part as a waiting ContactChange. The public
// keeps seeing the approved values until another staff member approves it. Drafts and new
// listings change at once (nobody sees them), and so does everything when the setting
// SettingContactsWithoutApproval is on (a group of one).

// SettingContactsWithoutApproval, "1", lets a published listing's contact values change
// without a second staff member. Absent or anything else: a second person must approve
// (the default, so that an old settings revision restored without it keeps the check).
const SettingContactsWithoutApproval = "contacts_without_approval"

// Revision and contact change actions.
const (
	ActionApproveContacts = "approved contact change"

	ContactWaiting   = "waiting"
	ContactApproved  = "approved"
	ContactRefused   = "refused"
	ContactWithdrawn = "withdrawn" // refused by the person who proposed it
	ContactReplaced  = "replaced"  // a newer change to the same listing took its place
)

// ContactSet is a listing's contact values: what a second person approves.
type ContactSet struct {
	Website  string              `json:"Website"`
	Email    string              `json:"Email"`
	Channels []directory.Channel `json:"Channels"`
}

// ContactChange is a change to a published listing's contact values waiting for (or decided
// by) a second staff member.
type ContactChange struct {
	ID          int64
	ListingID   int64
	Listing     *directory.Listing // the listing as it is now (English), when listed
	Base        ContactSet         // the live values when it was proposed
	Proposed    ContactSet         // what they would become
	BaseVersion int                // the listing's version right after the proposing save
	Status      string
	ProposedBy  Actor
	ProposedAt  time.Time
	DecidedBy   Actor
	DecidedAt   time.Time
	Note        string
}

// ContactsOf returns l's contact values (channels without their ids, which a save assigns).
func ContactsOf(l *directory.Listing) ContactSet {
	c := ContactSet{Website: l.Website, Email: l.Email}
	for _, ch := range l.Channels {
		c.Channels = append(c.Channels, plainChannel(ch))
	}
	return c
}

// plainChannel is ch without what the store assigns (ids, position).
func plainChannel(ch directory.Channel) directory.Channel {
	ch.ID, ch.ListingID, ch.Position = 0, 0, 0
	return ch
}

// sameLine reports whether a and b reach the same place: type, number, letters, keyword,
// email and web address (not the label, hours or "to fill in" mark).
func sameLine(a, b directory.Channel) bool {
	return a.Type == b.Type && a.Number == b.Number && a.Vanity == b.Vanity && a.Keyword == b.Keyword &&
		a.Address == b.Address && a.URL == b.URL
}

// sameChannel reports whether a and b are the same in every field a person edits.
func sameChannel(a, b directory.Channel) bool { return plainChannel(a) == plainChannel(b) }

func sameChannels(a, b []directory.Channel) bool {
	return slices.EqualFunc(a, b, sameChannel)
}

// ContactsDiffer reports whether saving next over stored would change a contact value.
func ContactsDiffer(stored, next *directory.Listing) bool {
	if strings.TrimSpace(stored.Website) != strings.TrimSpace(next.Website) || strings.TrimSpace(stored.Email) != strings.TrimSpace(next.Email) ||
		len(stored.Channels) != len(next.Channels) {
		return true
	}
	for i := range stored.Channels {
		if !sameLine(stored.Channels[i], next.Channels[i]) {
			return true
		}
	}
	return false
}

// holdContacts splits a save of next over stored: now is what is saved at once (next with
// stored's contact values), proposed what waits. A line whose contact values change waits
// whole (its label and hours with it, so a label never describes a number not yet live);
// when lines are added or removed, the whole list of lines waits.
func holdContacts(stored, next *directory.Listing) (now directory.Listing, proposed ContactSet) {
	now = *next
	now.Website, now.Email = stored.Website, stored.Email
	if len(stored.Channels) == len(next.Channels) {
		now.Channels = slices.Clone(next.Channels)
		for i := range stored.Channels {
			if !sameLine(stored.Channels[i], next.Channels[i]) {
				now.Channels[i] = stored.Channels[i]
			}
		}
	} else {
		now.Channels = slices.Clone(stored.Channels)
	}
	return now, ContactsOf(next)
}

// ContactApprovalRequired reports whether a published listing's contact values need a
// second staff member (the default).
func (s *Store) ContactApprovalRequired(ctx context.Context) (bool, error) {
	return contactApprovalRequired(ctx, s.reader())
}

func contactApprovalRequired(ctx context.Context, q queryer) (bool, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, SettingContactsWithoutApproval).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	return v != "1", err
}

// UpdateListingHoldingContacts is UpdateListing for a staff member's save. When l is
// published, the setting asks for a second person, and the save changes contact values,
// it saves every other change at once and returns the waiting change (which replaces one
// already waiting for the listing); otherwise it saves everything and returns nil. Both
// happen in one transaction. Errors are UpdateListing's.
func (s *Store) UpdateListingHoldingContacts(ctx context.Context, l *directory.Listing, by Actor) (*ContactChange, error) {
	return s.updateListingHolding(ctx, l, by, "")
}

// contactsAtOnceKey marks a restore that applies contact details at once: the undo of a
// spreadsheet import (RestoreListingRevision), which is an admin's, like the import.
type contactsAtOnceKey struct{}

// restoreListing saves a listing restored from an earlier revision (entities): a restore
// cannot put back an old number without a second person either. The waiting change goes in
// the audit log here, as the restore screen knows nothing of it; the edit screen it leads
// to shows it.
func (s *Store) restoreListing(ctx context.Context, l *directory.Listing, by Actor, action string) error {
	if ctx.Value(contactsAtOnceKey{}) != nil {
		return s.UpdateListing(ctx, l, by, action)
	}
	c, err := s.updateListingHolding(ctx, l, by, action)
	if err != nil || c == nil {
		return err
	}
	// The restore is committed: a lost audit line must not make it answer as failed.
	_ = s.WriteAudit(ctx, directory.AuditEntry{Action: "proposed_contact_change", Entity: "listings", EntityID: l.ID,
		UserID: by.ID, UserEmail: by.Email, Detail: "change " + strconv.FormatInt(c.ID, 10) + ": the contact details of an earlier version, restored"})
	return nil
}

func (s *Store) updateListingHolding(ctx context.Context, l *directory.Listing, by Actor, action string) (*ContactChange, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	var held *ContactChange
	err := s.Batch(ctx, func(ctx context.Context) error {
		tx := ctx.Value(batchKey{}).(*sql.Tx)
		stored, err := findListingByID(ctx, tx, l.ID, DefaultLang)
		if err != nil {
			return err
		}
		required, err := contactApprovalRequired(ctx, tx)
		if err != nil {
			return err
		}
		if !required || stored.Status != directory.StatusPublished || l.Status != directory.StatusPublished || !ContactsDiffer(stored, l) {
			return s.UpdateListing(ctx, l, by, action)
		}
		now, proposed := holdContacts(stored, l)
		if err := s.UpdateListing(ctx, &now, by, action); err != nil {
			return err
		}
		l.Version, l.UpdatedAt = now.Version, now.UpdatedAt
		saved, err := findListingByID(ctx, tx, l.ID, DefaultLang)
		if err != nil {
			return err
		}
		held = &ContactChange{ListingID: l.ID, Base: ContactsOf(saved), Proposed: proposed, BaseVersion: saved.Version,
			Status: ContactWaiting, ProposedBy: by, ProposedAt: s.Now()}
		return insertContactChange(ctx, tx, held)
	})
	if err != nil {
		return nil, err
	}
	return held, nil
}

func insertContactChange(ctx context.Context, tx *sql.Tx, c *ContactChange) error {
	at := c.ProposedAt.UTC().Format(timeFormat)
	if _, err := tx.ExecContext(ctx, `UPDATE contact_changes SET status = ?, decided_at = ? WHERE listing_id = ? AND status = ?`,
		ContactReplaced, at, c.ListingID, ContactWaiting); err != nil {
		return err
	}
	base, err := json.Marshal(c.Base)
	if err != nil {
		return err
	}
	proposed, err := json.Marshal(c.Proposed)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO contact_changes (listing_id, base, proposed, base_version, status, proposed_by,
		proposed_email, proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ListingID, string(base), string(proposed), c.BaseVersion, c.Status, nullableID(c.ProposedBy.ID), c.ProposedBy.Email, at)
	if err != nil {
		return err
	}
	c.ID, err = res.LastInsertId()
	return err
}

func nullableID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const contactChangeColumns = `id, listing_id, base, proposed, base_version, status, proposed_by, proposed_email, proposed_at,
	decided_by, decided_email, decided_at, note`

func scanContactChange(sc interface{ Scan(...any) error }) (*ContactChange, error) {
	var c ContactChange
	var base, proposed string
	var by, decidedBy sql.NullInt64
	var at, decidedAt sql.NullString
	if err := sc.Scan(&c.ID, &c.ListingID, &base, &proposed, &c.BaseVersion, &c.Status, &by, &c.ProposedBy.Email, &at,
		&decidedBy, &c.DecidedBy.Email, &decidedAt, &c.Note); err != nil {
		return nil, err
	}
	c.ProposedBy.ID, c.DecidedBy.ID = by.Int64, decidedBy.Int64
	c.ProposedAt, c.DecidedAt = parseTime(at), parseTime(decidedAt)
	if err := json.Unmarshal([]byte(base), &c.Base); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(proposed), &c.Proposed); err != nil {
		return nil, err
	}
	return &c, nil
}

// FindContactChange returns one contact change by id, ENOTFOUND if there is none.
func (s *Store) FindContactChange(ctx context.Context, id int64) (*ContactChange, error) {
	return findContactChange(ctx, s.reader(), id)
}

func findContactChange(ctx context.Context, q queryer, id int64) (*ContactChange, error) {
	c, err := scanContactChange(q.QueryRowContext(ctx, `SELECT `+contactChangeColumns+` FROM contact_changes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, directory.Errorf(directory.ENOTFOUND, "There is no such contact change.")
	}
	return c, err
}

// WaitingContactChange returns the change waiting for listing id, or nil.
func (s *Store) WaitingContactChange(ctx context.Context, listingID int64) (*ContactChange, error) {
	c, err := scanContactChange(s.reader().QueryRowContext(ctx, `SELECT `+contactChangeColumns+` FROM contact_changes
		WHERE listing_id = ? AND status = ? ORDER BY id DESC LIMIT 1`, listingID, ContactWaiting))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// LatestContactChange returns the newest change proposed for listing id, whatever became of
// it, or nil.
func (s *Store) LatestContactChange(ctx context.Context, listingID int64) (*ContactChange, error) {
	c, err := scanContactChange(s.reader().QueryRowContext(ctx, `SELECT `+contactChangeColumns+` FROM contact_changes
		WHERE listing_id = ? ORDER BY id DESC LIMIT 1`, listingID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// ListContactChanges returns the changes waiting, oldest first, then up to recent decided
// ones, newest first; each with its listing as it is now.
func (s *Store) ListContactChanges(ctx context.Context, recent int) (waiting, decided []*ContactChange, err error) {
	list := func(query string, args ...any) ([]*ContactChange, error) {
		rows, err := s.reader().QueryContext(ctx, `SELECT `+contactChangeColumns+` FROM contact_changes `+query, args...)
		if err != nil {
			return nil, err
		}
		var out []*ContactChange
		for rows.Next() {
			c, err := scanContactChange(rows)
			if err != nil {
				_ = rows.Close()
				return nil, err
			}
			out = append(out, c)
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
		for _, c := range out {
			if c.Listing, err = s.FindListingByID(ctx, c.ListingID, DefaultLang); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	if waiting, err = list(`WHERE status = ? ORDER BY id`, ContactWaiting); err != nil {
		return nil, nil, err
	}
	decided, err = list(`WHERE status <> ? ORDER BY id DESC LIMIT ?`, ContactWaiting, recent)
	return waiting, decided, err
}

// ApproveContactChange applies waiting change id to its listing as it is now, in one
// transaction with a revision: only the contact values the change names, so edits made
// since (a label, the summary) stay. It is EUNAUTHORIZED for the person who proposed it,
// EINVALID when the change was already decided, and ECONFLICT, with nothing applied, when
// one of the values it changes was changed since it was proposed.
func (s *Store) ApproveContactChange(ctx context.Context, id int64, by Actor) (*ContactChange, error) {
	return s.decideContactChange(ctx, id, func(ctx context.Context, tx *sql.Tx, c *ContactChange) error {
		if c.ProposedBy.ID != 0 && c.ProposedBy.ID == by.ID {
			return directory.Errorf(directory.EUNAUTHORIZED, "You proposed this change, so another staff member must approve it. That is the point: two people check every new number.")
		}
		cur, err := findListingByID(ctx, tx, c.ListingID, DefaultLang)
		if err != nil {
			return err
		}
		if changed := applyContacts(cur, c.Base, c.Proposed); len(changed) > 0 {
			return directory.Errorf(directory.ECONFLICT, "Since this change was proposed, someone changed %s on the listing. Nothing was applied. Refuse this change, then make it again on the listing as it is now.",
				strings.Join(changed, " and "))
		}
		if err := s.UpdateListing(ctx, cur, by, ActionApproveContacts); err != nil {
			return err
		}
		return decide(ctx, tx, c, ContactApproved, by, s.Now())
	})
}

// RefuseContactChange refuses waiting change id: the listing keeps its values. Refused by
// the person who proposed it, it is withdrawn.
func (s *Store) RefuseContactChange(ctx context.Context, id int64, by Actor, note string) (*ContactChange, error) {
	return s.decideContactChange(ctx, id, func(ctx context.Context, tx *sql.Tx, c *ContactChange) error {
		status := ContactRefused
		if c.ProposedBy.ID != 0 && c.ProposedBy.ID == by.ID {
			status = ContactWithdrawn
		}
		c.Note = note
		return decide(ctx, tx, c, status, by, s.Now())
	})
}

// decideContactChange runs fn on waiting change id in one transaction, and returns the
// change as fn left it.
func (s *Store) decideContactChange(ctx context.Context, id int64, fn func(context.Context, *sql.Tx, *ContactChange) error) (*ContactChange, error) {
	var c *ContactChange
	err := s.Batch(ctx, func(ctx context.Context) error {
		tx := ctx.Value(batchKey{}).(*sql.Tx)
		var err error
		if c, err = decidable(ctx, tx, id); err != nil {
			return err
		}
		return fn(ctx, tx, c)
	})
	return c, err
}

// decidable returns change id if it is still waiting.
func decidable(ctx context.Context, tx *sql.Tx, id int64) (*ContactChange, error) {
	c, err := findContactChange(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != ContactWaiting {
		return nil, directory.Errorf(directory.EINVALID, "This change was already %s. Nothing more was done.", c.Status)
	}
	return c, nil
}

func decide(ctx context.Context, tx *sql.Tx, c *ContactChange, status string, by Actor, at time.Time) error {
	c.Status, c.DecidedBy, c.DecidedAt = status, by, at
	_, err := tx.ExecContext(ctx, `UPDATE contact_changes SET status = ?, decided_by = ?, decided_email = ?, decided_at = ?, note = ?
		WHERE id = ?`, status, nullableID(by.ID), by.Email, at.UTC().Format(timeFormat), c.Note, c.ID)
	return err
}

// applyContacts writes into cur the contact values that proposed changes from base, and
// returns, in words, the values among them that cur no longer has as base had them (then
// nothing should be saved). A line is compared whole: it waited whole.
func applyContacts(cur *directory.Listing, base, proposed ContactSet) (changed []string) {
	if proposed.Website != base.Website {
		if cur.Website != base.Website {
			changed = append(changed, "the website")
		}
		cur.Website = proposed.Website
	}
	if proposed.Email != base.Email {
		if cur.Email != base.Email {
			changed = append(changed, "the email address")
		}
		cur.Email = proposed.Email
	}
	if len(proposed.Channels) != len(base.Channels) {
		if !sameChannels(cur.Channels, base.Channels) {
			changed = append(changed, "the ways to reach it")
		}
		cur.Channels = slices.Clone(proposed.Channels)
		return changed
	}
	for i := range proposed.Channels {
		if sameChannel(proposed.Channels[i], base.Channels[i]) {
			continue
		}
		if len(cur.Channels) != len(base.Channels) || !sameChannel(cur.Channels[i], base.Channels[i]) {
			changed = append(changed, "way "+strconv.Itoa(i+1)+" to reach it")
			continue
		}
		cur.Channels[i] = proposed.Channels[i]
	}
	return changed
}

// RepublishedNote says, in the audit log, why publishing left a contact change waiting.
const RepublishedNote = "contact details changed while it was a draft; published with the ones it had when last published"

// PublishListing publishes listing id. A listing published before, whose contact values
// changed while it was a draft, must not put them live without a second person: when the
// setting asks for one, it publishes with the contact values of its newest revision saved
// while published, and the ones it has now wait as a ContactChange (returned), all in one
// transaction. A listing never published before (a new one, an import's) publishes as it is.
func (s *Store) PublishListing(ctx context.Context, id int64, by Actor) (*ContactChange, error) {
	var held *ContactChange
	err := s.Batch(ctx, func(ctx context.Context) error {
		tx := ctx.Value(batchKey{}).(*sql.Tx)
		cur, err := findListingByID(ctx, tx, id, DefaultLang)
		if err != nil {
			return err
		}
		required, err := contactApprovalRequired(ctx, tx)
		if err != nil {
			return err
		}
		var last *directory.Listing
		if required && cur.Status != directory.StatusPublished {
			if last, err = lastPublished(ctx, tx, id); err != nil {
				return err
			}
		}
		if last == nil || !ContactsDiffer(last, cur) {
			return s.setListingStatus(ctx, id, directory.StatusPublished, by)
		}
		now, proposed := holdContacts(last, cur)
		now.Status = directory.StatusPublished
		if err := s.UpdateListing(ctx, &now, by, ActionPublish); err != nil {
			return err
		}
		saved, err := findListingByID(ctx, tx, id, DefaultLang)
		if err != nil {
			return err
		}
		held = &ContactChange{ListingID: id, Base: ContactsOf(saved), Proposed: proposed, BaseVersion: saved.Version,
			Status: ContactWaiting, ProposedBy: by, ProposedAt: s.Now()}
		return insertContactChange(ctx, tx, held)
	})
	if err != nil {
		return nil, err
	}
	return held, nil
}

// lastPublished is listing id as its newest English revision saved while it was published
// recorded it, or nil when it never was.
func lastPublished(ctx context.Context, q queryer, id int64) (*directory.Listing, error) {
	var data string
	err := q.QueryRowContext(ctx, `SELECT data FROM revisions WHERE entity = 'listings' AND entity_id = ? AND lang = ?
		AND json_extract(data, '$.Status') = ? ORDER BY id DESC LIMIT 1`, id, DefaultLang, string(directory.StatusPublished)).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var l directory.Listing
	if err := json.Unmarshal([]byte(data), &l); err != nil {
		return nil, err
	}
	return &l, nil
}
