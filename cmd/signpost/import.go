package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"signpost/internal/app"
	"signpost/internal/config"
	"signpost/internal/directory"
	"signpost/internal/hsds"
	"signpost/internal/store"
)

func init() { subcommands["import"] = importCmd }

const importUsage = `usage: signpost import [--db FILE] [--apply] [--as EMAIL] FILE

Reads an Open Referral HSDS zip (CSV files + datapackage.json), an HSDS JSON file (a
service, an organization, or a list of them) or one HSDS CSV file (services.csv…) and shows what it would add or change, and every row it
cannot take with its reason. Nothing is saved without --apply; then each listing is saved as
a revision (action "import") that can be undone. New listings are saved as drafts.
`

// importCmd is `signpost import FILE [--apply]`.
func importCmd(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout, stderr io.Writer) error {
	fp := config.NewParser("import", getenv, stderr)
	fp.Usage = importUsage
	apply := fp.Bool("apply", false, "save the changes (without it, only show them)")
	as := fp.String("as", "import", "who the revisions name")
	// Flags may come before or after the file.
	cfg, files, err := fp.Parse(args)
	if err != nil {
		return err
	}
	db := &cfg.DB
	if len(files) != 1 {
		fp.FlagSet.Usage()
		return fmt.Errorf("import: name one file")
	}
	// Read at most one byte past the limit, so a huge file is refused, not loaded.
	f, err := os.Open(files[0]) // #nosec G304 G703 -- the operator names the file to import
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, hsds.MaxUploadBytes+1))
	_ = f.Close() // read-only: the read error is the one that matters
	if err != nil {
		return err
	}
	up, err := hsds.ParseUpload(files[0], data)
	if err != nil {
		return fmt.Errorf("import: %s", directory.ErrorMessage(err))
	}
	st, err := store.Open(ctx, *db, store.Options{Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	defer st.Close()
	is := app.ImportStore{Store: st}
	p, err := hsds.BuildPreview(ctx, is, up)
	if err != nil {
		return err
	}
	printPreview(stdout, p)
	if !*apply {
		if len(p.Added)+len(p.Changed) > 0 {
			fmt.Fprintln(stdout, "\nNothing was saved. Run again with --apply to save these changes.")
		}
		return nil
	}
	res, err := hsds.Apply(ctx, is, p, hsds.Actor{Email: *as})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nSaved: %d added (as drafts), %d changed.\n", res.Added, res.Changed)
	for _, f := range res.Failed {
		fmt.Fprintf(stdout, "  not saved: %s\n", f)
	}
	return nil
}

func printPreview(w io.Writer, p *hsds.Preview) {
	fmt.Fprintf(w, "%d to add, %d to change, %d unchanged, %d rows that cannot be imported.\n",
		len(p.Added), len(p.Changed), p.Unchanged, len(p.Invalid))
	if len(p.Added) > 0 {
		fmt.Fprintln(w, "\nTo add (as drafts):")
		for _, c := range p.Added {
			fmt.Fprintf(w, "  + %s %q (%s line %d)\n", c.Listing.Kind, c.Listing.Name, c.File, c.Line)
		}
	}
	if len(p.Changed) > 0 {
		fmt.Fprintln(w, "\nTo change:")
		for _, c := range p.Changed {
			fmt.Fprintf(w, "  ~ %s %q: %s\n", c.Existing.Kind, c.Existing.Name, strings.Join(c.Fields, ", "))
		}
	}
	if len(p.Invalid) > 0 {
		fmt.Fprintln(w, "\nCannot be imported:")
		for _, pr := range p.Invalid {
			fmt.Fprintf(w, "  ! %s\n", pr)
		}
	}
	if len(p.LeftOut) > 0 {
		fmt.Fprintln(w, "\nLeft out (the entry is imported without these values):")
		for _, pr := range p.LeftOut {
			fmt.Fprintf(w, "  - %s\n", pr)
		}
	}
	if len(p.NotTaken) > 0 {
		fmt.Fprintln(w, "\nNot taken (Signpost has no place for these):")
		for _, pr := range p.NotTaken {
			fmt.Fprintf(w, "  - %s\n", pr)
		}
	}
}
