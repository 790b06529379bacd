// Package static embeds the site's stylesheet, exit script and images.
package static

import "embed"

// share.png, the picture of shared links, is drawn by ./sharegen.
//
//go:generate go run ./sharegen img/share.png

// FS holds every static file; the web layer serves them under fingerprinted names.
//
//go:embed css js img
var FS embed.FS
