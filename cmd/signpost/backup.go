package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"signpost/internal/store"
)

func init() { subcommands["backup"] = backup }

// backup writes a consistent copy of the database to FILE while the site keeps serving.
//
//	signpost backup [--db data/signpost.db] FILE
//
// FILE must not exist. The copy is checked with PRAGMA integrity_check before it takes its
// name. Restoring is copying it back while the server is stopped (see README.md).
func backup(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("signpost backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := getenv("SIGNPOST_DB")
	if db == "" {
		db = "data/signpost.db"
	}
	fs.StringVar(&db, "db", db, "the live SQLite database (SIGNPOST_DB)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: signpost backup [--db data/signpost.db] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup: name one file to write")
	}
	dst := fs.Arg(0)
	start := time.Now()
	if err := store.BackupFile(ctx, db, dst); err != nil {
		return err
	}
	info, err := os.Stat(dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%d KB, integrity ok) in %s.\n", db, dst, info.Size()>>10, time.Since(start).Round(time.Millisecond))
	return nil
}
