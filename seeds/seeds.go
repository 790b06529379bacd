// Package seeds embeds the site's first content (see FORMAT.md), loaded once by a migration.
package seeds

import "embed"

// FS holds the seed JSON files.
//
//go:embed *.json
var FS embed.FS
