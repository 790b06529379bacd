package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"signpost/internal/admin"
	"signpost/internal/config"
	"signpost/internal/directory"
)

func init() { subcommands["user"] = userCmd }

const userUsage = `usage: signpost user <command> [flags]

  add EMAIL --role admin|editor   add a staff account; the password is read from standard
                                  input, or asked for twice on a terminal
  list                            list the accounts
  passwd EMAIL                    set a new password (read like add)
  disable EMAIL                   disable an account: it can no longer sign in
  enable EMAIL                    enable a disabled account
  2fa-list                        list who has which second factor (app, passkeys,
                                  recovery codes left)
  2fa-reset EMAIL                 remove every second factor of an account, for someone
                                  who lost them all; an admin sets one up again at the
                                  next sign-in

flags (each also read from the environment):
  --db   SQLite database file (SIGNPOST_DB, default data/signpost.db)

There is no default account and no default password: the first admin is made here, and
sets up a second factor (an authenticator app or a passkey) at their first sign-in.
`

// userCmd manages staff accounts from the command line, the only way in for the first admin.
func userCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, userUsage)
		return nil
	}
	sub, args := args[0], args[1:]
	fs := config.NewParser("user", getenv, stderr)
	fs.Usage = userUsage
	role := fs.String("role", "", "admin or editor (add)")
	// Flags may come before or after the email.
	cfg, pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	db := &cfg.DB
	need := map[string]int{"add": 1, "list": 0, "passwd": 1, "disable": 1, "enable": 1, "2fa-list": 0, "2fa-reset": 1}
	n, ok := need[sub]
	if !ok {
		return fmt.Errorf("unknown user command %q\n\n%s", sub, userUsage)
	}
	if len(pos) != n {
		return fmt.Errorf("signpost user %s: wrong number of arguments\n\n%s", sub, userUsage)
	}
	log := newLogger("text", io.Discard)
	st, err := openStore(ctx, *db, log)
	if err != nil {
		return err
	}
	defer st.Close()

	switch sub {
	case "list":
		users, err := st.ListUsers(ctx)
		if err != nil {
			return err
		}
		if len(users) == 0 {
			fmt.Fprintln(stdout, "No accounts yet. Add the first admin with: signpost user add EMAIL --role admin")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tROLE\tSTATE\tCREATED")
		for _, u := range users {
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Role, state, u.CreatedAt.Format("2006-01-02"))
		}
		return tw.Flush()

	case "add":
		r := directory.Role(*role)
		if !r.Valid() {
			return errors.New("signpost user add: --role admin or --role editor is required")
		}
		pw, err := readNewPassword(stdin, stderr, pos[0])
		if err != nil {
			return err
		}
		hash, err := admin.HashPassword(pw)
		if err != nil {
			return err
		}
		u := &directory.User{Email: pos[0], Role: r, PasswordHash: hash}
		if err := st.CreateUser(ctx, u); err != nil {
			return fieldError(err)
		}
		if err := st.WriteAudit(ctx, directory.AuditEntry{UserEmail: "command line", Action: "account_create", Entity: "users",
			EntityID: u.ID, Detail: u.Email + " as " + string(u.Role)}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Added %s (%s). They can sign in at /admin/login.\n", u.Email, u.Role)
		if r == directory.RoleAdmin {
			fmt.Fprintln(stdout, "At their first sign-in they must set up a second factor before anything else.")
		}
		return nil

	case "2fa-list", "2fa-reset":
		return userTwoFactorCmd(ctx, st, sub, pos, stdout)

	case "passwd", "disable", "enable":
		u, err := st.FindUserByEmail(ctx, pos[0])
		if err != nil {
			return fmt.Errorf("no account with the email %s", pos[0])
		}
		detail := sub
		switch sub {
		case "passwd":
			pw, err := readNewPassword(stdin, stderr, u.Email)
			if err != nil {
				return err
			}
			if u.PasswordHash, err = admin.HashPassword(pw); err != nil {
				return err
			}
			detail = "password set"
		case "disable":
			u.Disabled = true
		case "enable":
			u.Disabled = false
		}
		if err := st.UpdateUser(ctx, u); err != nil {
			return fieldError(err)
		}
		if err := st.WriteAudit(ctx, directory.AuditEntry{UserEmail: "command line", Action: "account_update", Entity: "users",
			EntityID: u.ID, Detail: u.Email + ": " + detail}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s.\n", u.Email, detail)
		return nil
	}
	return nil
}

// readNewPassword asks twice on a terminal (without echo), or reads one line from a pipe,
// and checks the password's strength.
func readNewPassword(stdin io.Reader, stderr io.Writer, email string) (string, error) {
	var pw string
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "New password for %s (at least %d characters): ", email, admin.MinPasswordLength)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		pw = string(a)
	} else {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if msg := admin.CheckPasswordStrength(pw, email); msg != "" {
		return "", errors.New(msg)
	}
	return pw, nil
}

// fieldError turns a store validation error into one line for the terminal.
func fieldError(err error) error {
	var e *directory.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		var parts []string
		for k, v := range e.Fields {
			parts = append(parts, k+": "+v)
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return err
}
