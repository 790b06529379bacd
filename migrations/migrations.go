// Package migrations embeds the goose SQL migrations that build Signpost's schema. The Go
// migration that loads the seed content lives in internal/store, which passes it to goose.
//
// Numbering: 00001–00009 core schema and seed; later areas take their own decade
// (00010 admin, 00020 search, 00030 i18n, 00040 operations) so parallel work never collides.
package migrations

import "embed"

// FS holds every *.sql migration.
//
//go:embed *.sql
var FS embed.FS
