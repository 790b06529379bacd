package admin

import (
	"context"
	"strconv"

	"signpost/internal/directory"
	"signpost/internal/store"
	view "signpost/templates/admin"
)

// auditRows says each audit line in plain words: "saved", "the hotline Polaris", with a
// link to the entry while it exists.
func (h *Handler) auditRows(ctx context.Context, entries []directory.AuditEntry) []view.AuditRow {
	type ref struct {
		entity string
		id     int64
	}
	names := map[ref]*store.DashItem{}
	out := make([]view.AuditRow, 0, len(entries))
	for _, e := range entries {
		row := view.AuditRow{At: e.At.UTC().Format("2 Jan 2006 15:04"), Who: e.UserEmail, What: actionName(e.Action), Detail: e.Detail,
			Repeats: e.Repeats, LastAt: e.LastAt.UTC().Format("2 Jan 2006 15:04")}
		if row.Who == "" {
			row.Who = "nobody signed in"
		}
		if e.Entity == "sheet_imports" { // a spreadsheet import's own page (sheet.go)
			row.Entry = "spreadsheet import " + strconv.FormatInt(e.EntityID, 10)
			row.Path = "/admin/sheet/imports/" + strconv.FormatInt(e.EntityID, 10)
		} else if e.Entity != "" {
			k := ref{e.Entity, e.EntityID}
			it, seen := names[k]
			if !seen {
				if found, err := h.st.EntryName(ctx, e.Entity, e.EntityID); err == nil {
					it = &found
				} else if directory.ErrorCode(err) != directory.ENOTFOUND {
					h.log.Error("audit name", "entity", e.Entity, "err", err)
				}
				names[k] = it
			}
			switch {
			case it == nil && e.EntityID != 0:
				row.Entry = entryNoun(e.Entity, "") + " number " + strconv.FormatInt(e.EntityID, 10) + " (no longer exists)"
			case it == nil:
				row.Entry = entryNoun(e.Entity, "")
			case e.Entity == "corrections":
				row.Entry = "suggestion about " + it.Name
				row.Path = "/admin/corrections"
			case e.Entity == "users":
				row.Entry = "account " + it.Name
			default:
				row.Entry = entryNoun(e.Entity, it.Kind) + " " + it.Name
				row.Path = h.entryPath(e.Entity, it.Kind, it.ID)
			}
		}
		out = append(out, row)
	}
	return out
}
