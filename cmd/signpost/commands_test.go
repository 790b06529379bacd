package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"signpost/internal/hsds"
	"signpost/internal/store"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestSynthMakesANewDatabaseOnly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "synth.db")
	out, err := runCmd(t, "synth", "--db", db, "--organizations", "60")
	if err != nil || !strings.Contains(out, "Added 60 synthetic listings") {
		t.Fatalf("synth: %v %s", err, out)
	}
	if _, err := runCmd(t, "synth", "--db", db, "--organizations", "1"); err == nil {
		t.Error("synth wrote into an existing database")
	}
}

func TestImportCommandPreviewsAndApplies(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "signpost.db")
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := hsds.LoadDataset(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	var zip bytes.Buffer
	if err := d.WriteZip(&zip, "test", time.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	file := filepath.Join(dir, "hsds.zip")
	os.WriteFile(file, zip.Bytes(), 0o644)
	out, err := runCmd(t, "import", "--db", db, file)
	if err != nil || !strings.HasPrefix(out, "0 to add, 0 to change") {
		t.Fatalf("round trip: %v\n%s", err, out)
	}
	csv := filepath.Join(dir, "organizations.csv")
	os.WriteFile(csv, []byte("id,name,description\nx,Unalaska Crew Aid,Help for crews.\n"), 0o644)
	if out, err = runCmd(t, "import", "--db", db, csv); err != nil || !strings.Contains(out, "Nothing was saved") {
		t.Fatalf("preview: %v\n%s", err, out)
	}
	if out, err = runCmd(t, "import", csv, "--db", db, "--apply"); err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("apply: %v\n%s", err, out)
	}
}
