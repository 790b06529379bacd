// Command signpost serves a working group's public resource directory.
//
//	signpost [serve] [flags]     migrate the database, then serve (the default)
//
// See README.md for every subcommand and flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"signpost/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); errors.Is(err, flag.ErrHelp) {
		return // -h: the usage is printed, nothing failed
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "signpost:", err)
		os.Exit(1)
	}
}

// run dispatches to a subcommand. It is main without the process: tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "signpost", buildInfo())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if c, ok := subcommands[cmd]; ok {
		return c(ctx, args, getenv, stdin, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

// subcommands are the commands besides serve, each in its own file.
var subcommands = map[string]func(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error{}

// usage is generated: the commands here, every flag from internal/config's one table.
var usage = config.Usage(`  serve     migrate the database, then serve the site (default)
  user      manage staff accounts (signpost user help)
  backup    copy the database safely while the site runs (signpost backup FILE)
  synth     fill a throwaway database with synthetic listings (signpost synth --help)
  import    preview, then apply, an Open Referral HSDS zip or CSV (signpost import --help)
  version   print the version, commit and build date
`)
