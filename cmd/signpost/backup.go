package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"signpost/internal/config"
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
	p := config.NewParser("backup", getenv, stderr)
	p.Usage = "usage: signpost backup [--db data/signpost.db] FILE\n"
	cfg, pos, err := p.Parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		p.FlagSet.Usage()
		return errors.New("backup: name one file to write")
	}
	db, dst := cfg.DB, pos[0]
	start := time.Now()
	if err := store.BackupFile(ctx, db, dst); err != nil {
		return err
	}
	info, err := os.Stat(dst) // #nosec G703 -- the operator names the backup file
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%d KB, integrity ok) in %s.\n", db, dst, info.Size()>>10, time.Since(start).Round(time.Millisecond))
	return nil
}
