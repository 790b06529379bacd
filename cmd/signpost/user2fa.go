package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"signpost/internal/directory"
	"signpost/internal/store"
)

// userTwoFactorCmd lists staff second factors, or resets an account's: the operator's way
// back in for an admin who lost both their phone and their recovery codes.
func userTwoFactorCmd(ctx context.Context, st *store.Store, sub string, pos []string, stdout io.Writer) error {
	if sub == "2fa-list" {
		users, err := st.ListUsers(ctx)
		if err != nil {
			return err
		}
		factors, err := st.ListSecondFactors(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tROLE\tAPP\tPASSKEYS\tRECOVERY CODES LEFT\tNOTE")
		for _, u := range users {
			f := factors[u.ID]
			note := ""
			if u.Role == directory.RoleAdmin && !f.Any() {
				note = "must set one up at next sign-in"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", u.Email, u.Role, map[bool]string{true: "yes", false: "no"}[f.TOTP],
				f.Passkeys, f.RecoveryLeft, note)
		}
		return tw.Flush()
	}
	u, err := st.FindUserByEmail(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("no account with the email %s", pos[0])
	}
	before, err := st.SecondFactors(ctx, u.ID)
	if err != nil {
		return err
	}
	if err := st.ResetSecondFactors(ctx, u.ID); err != nil {
		return err
	}
	var was []string
	if before.TOTP {
		was = append(was, "authenticator app")
	}
	if before.Passkeys > 0 {
		was = append(was, strconv.Itoa(before.Passkeys)+" passkey(s)")
	}
	if before.RecoveryLeft > 0 {
		was = append(was, strconv.Itoa(before.RecoveryLeft)+" recovery code(s)")
	}
	if len(was) == 0 {
		was = append(was, "none")
	}
	if err := st.WriteAudit(ctx, directory.AuditEntry{UserEmail: "command line", Action: "2fa_reset", Entity: "users",
		EntityID: u.ID, Detail: u.Email + ": removed " + strings.Join(was, ", ")}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: second factors removed (%s). They sign in with their password", u.Email, strings.Join(was, ", "))
	if u.Role == directory.RoleAdmin {
		fmt.Fprintln(stdout, " and must set up a new one before anything else.")
	} else {
		fmt.Fprintln(stdout, ".")
	}
	return nil
}
