package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"time"

	"signpost/internal/store"
	"signpost/internal/synth"
)

func init() { subcommands["synth"] = synthCmd }

const synthUsage = `usage: signpost synth --db FILE [--organizations N] [--seed S]

Creates a NEW database at FILE (it must not exist), with the seed content and N synthetic
listings (organizations, hotlines, agencies and resources; some with Spanish text) for
benchmarks and load tests. Every number is fictional (555-01xx) and every web address is
under example.org. Never point it at a database people use.
`

// synthCmd is `signpost synth --db FILE --organizations N`.
func synthCmd(ctx context.Context, args []string, _ func(string) string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, synthUsage) }
	db := fs.String("db", "", "the new database file to create")
	n := fs.Int("organizations", 1000, "how many synthetic listings to add")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" || *n < 0 {
		fs.Usage()
		return errors.New("synth: --db FILE is required")
	}
	// Refuse an existing file: synthetic listings must never mix with real ones.
	if _, err := os.Stat(*db); !errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("synth: %s already exists; synth only creates new, throwaway databases", *db)
	}
	start := time.Now()
	st, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := synth.Fill(ctx, st.DB(), synth.Options{Listings: *n, Seed: *seed}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added %d synthetic listings to %s in %s.\n", *n, *db, time.Since(start).Round(time.Millisecond))
	return nil
}
