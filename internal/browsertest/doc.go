// Package browsertest holds the tests that need a real browser or the Nu HTML Checker:
// every public page in Debian's Chromium at a phone width and a desktop width (no
// horizontal scroll, tap targets, axe-core), the quick exit, screenshots for people to look
// at, and HTML validity. It has no code of its own; `make test` installs Chromium, Java and
// the npm tools (axe-core, vnu-jar) before it runs.
//
// Set SIGNPOST_SKIP_BROWSER=1 to skip these tests on a machine without the tools; `make
// test` never sets it, so CI always runs them.
package browsertest
