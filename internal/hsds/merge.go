package hsds

import (
	"slices"
	"time"

	"signpost/internal/directory"
)

// Merging an imported listing into the one it stands for.

// merge lays the imported fields over the existing listing. An import only says what it
// knows: empty fields keep what is there, phones replace only the call and text lines (text
// keywords and letter forms of a number we already have survive), and terms replace only
// the taxonomies the import speaks of.
func merge(ex, in *directory.Listing) (*directory.Listing, []string) {
	m := *ex
	m.Channels = append([]directory.Channel{}, ex.Channels...)
	m.Terms = append([]directory.Term{}, ex.Terms...)
	var fields []string
	set := func(name string, dst *string, v string) {
		if v != "" && v != *dst {
			*dst = v
			fields = append(fields, name)
		}
	}
	set("name", &m.Name, in.Name)
	set("summary", &m.Summary, in.Summary)
	set("website", &m.Website, in.Website)
	set("email", &m.Email, in.Email)
	set("hours", &m.Hours, in.Hours)
	if in.Open247 && !m.Open247 {
		m.Open247 = true
		fields = append(fields, "open_24_7")
	}
	if !in.LastVerified.IsZero() && in.LastVerified.Format(time.DateOnly) != m.LastVerified.Format(time.DateOnly) {
		m.LastVerified = in.LastVerified
		fields = append(fields, "last_verified")
	}
	if in.OperatedBy != nil && (m.OperatedBy == nil || m.OperatedBy.Slug != in.OperatedBy.Slug) {
		m.OperatedBy = in.OperatedBy
		fields = append(fields, "operated_by")
	}
	if len(in.Channels) > 0 {
		var out []directory.Channel
		used := make([]bool, len(in.Channels))
		for _, c := range ex.Channels {
			if (c.Type != directory.ChannelVoice && c.Type != directory.ChannelText) || c.Empty() {
				out = append(out, c)
				continue
			}
			for i, n := range in.Channels {
				if !used[i] && n.Type == c.Type && n.Number == c.Number && (n.Label == c.Label || n.Label == "") {
					used[i] = true
					out = append(out, c)
					break
				}
			}
		}
		for i, n := range in.Channels {
			if !used[i] {
				out = append(out, n)
			}
		}
		if !directory.SameChannels(ex.Channels, out) {
			m.Channels = out
			fields = append(fields, "phones")
		}
	}
	taxonomies := map[string]bool{}
	for _, t := range in.Terms {
		taxonomies[t.Taxonomy] = true
	}
	if len(taxonomies) > 0 {
		var out []directory.Term
		for _, t := range ex.Terms {
			if !taxonomies[t.Taxonomy] {
				out = append(out, t)
			}
		}
		out = append(out, in.Terms...)
		if !sameTerms(ex.Terms, out) {
			m.Terms = out
			fields = append(fields, "terms")
		}
	}
	return &m, fields
}

func sameTerms(a, b []directory.Term) bool {
	key := func(ts []directory.Term) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Taxonomy+"/"+t.Slug)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(key(a), key(b))
}

func uniqueTerms(ts []directory.Term) []directory.Term {
	seen := map[string]bool{}
	var out []directory.Term
	for _, t := range ts {
		if k := t.Taxonomy + "/" + t.Slug; !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}
