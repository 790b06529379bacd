package templates

import (
	"net/url"
	"strconv"
	"strings"

	"signpost/internal/directory"
)

// placeTown is "Fairbanks, AK": the only part of a private place the public sees.
func placeTown(l directory.Location) string {
	return joinNonEmpty(", ", l.City, l.State)
}

// placeLines is a public place's address, one line each: street, second line, "City, ST ZIP".
// A private place gives its town alone.
func placeLines(l directory.Location) []string {
	if l.Private {
		if t := placeTown(l); t != "" {
			return []string{t}
		}
		return nil
	}
	var out []string
	for _, s := range []string{l.Street, l.Street2} {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	last := strings.TrimSpace(joinNonEmpty(" ", placeTown(l), l.PostalCode))
	if last != "" {
		out = append(out, last)
	}
	return out
}

// geoURI is a "geo:" link (RFC 5870) that opens the phone's own map app at a public place
// with known coordinates, the address as the label; "" when it has none or is private. The
// site itself calls no map service.
func geoURI(l directory.Location) string {
	if l.Private || l.Latitude == nil || l.Longitude == nil {
		return ""
	}
	u := "geo:" + strconv.FormatFloat(*l.Latitude, 'f', -1, 64) + "," + strconv.FormatFloat(*l.Longitude, 'f', -1, 64)
	if q := strings.Join(placeLines(l), ", "); q != "" {
		u += "?q=" + url.QueryEscape(q)
	}
	return u
}
