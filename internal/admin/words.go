package admin

import (
	"strings"

	"signpost/internal/directory"
)

// Plain words for what the database calls by its own names: staff read "a hotline", "the
// website", "Saved", never "listings 2" or "contact_email".

// aOrAn puts "a" or "an" before a noun ("an agency", "a hotline"). The nouns here are ours,
// so the first letter is enough: none starts with a silent h or a "you" sound.
func aOrAn(noun string) string {
	if noun != "" && strings.ContainsRune("aeiouAEIOU", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// entryNoun is what staff call one entry of a table ("hotline" for a hotline listing).
func entryNoun(entity string, kind directory.Kind) string {
	if entity == "listings" && kind != "" {
		return string(kind)
	}
	if n, ok := entryNouns[entity]; ok {
		return n[0]
	}
	return strings.ReplaceAll(entity, "_", " ")
}

// entryNounPlural is entryNoun for more than one ("agencies").
func entryNounPlural(entity string, kind directory.Kind) string {
	if entity == "listings" && kind != "" {
		return kind.Section()
	}
	if n, ok := entryNouns[entity]; ok {
		return n[1]
	}
	return strings.ReplaceAll(entity, "_", " ")
}

var entryNouns = map[string][2]string{
	"listings":     {"listing", "listings"},
	"pages":        {"page", "pages"},
	"signs":        {"sign", "signs"},
	"industries":   {"industry", "industries"},
	"situations":   {"\"which line fits\" row", "\"which line fits\" rows"},
	"stats":        {"figure", "figures"},
	"terms":        {"filter", "filters"},
	"settings":     {"site settings", "site settings"},
	"users":        {"account", "accounts"},
	"corrections":  {"suggestion", "suggestions"},
	"translations": {"translation", "translations"},
}

// fieldNames are the plain names of the fields a "to fill in" line can name.
var fieldNames = map[string]string{
	"website":          "website",
	"email":            "email address",
	"social":           "social media",
	"hours":            "opening hours",
	"publisher":        "publisher",
	"published":        "date published",
	"languages":        "languages",
	"licence":          "licence",
	"value":            "the figure",
	"source":           "source",
	"address":          "street address",
	"phone":            "phone number",
	"contact_email":    "contact email",
	"channel:voice":    "phone number",
	"channel:text":     "text number",
	"channel:email":    "email address",
	"channel:web":      "web address",
	"summary":          "summary",
	"body":             "description",
	"title":            "title",
	"text":             "text",
	"name":             "name",
	"description":      "description",
	"emergency_number": "emergency number",
	"primary_hotline":  "hotline on every page",
	"exit_url":         "quick exit address",
	"verify_days":      "days between checks",
	"measure":          "what is measured",
	"operated_by":      "run by",
	"resource_type":    "type of resource",
	"source_url":       "source address",
	"source_name":      "source",
	"group_name":       "working group's name",
	"region":           "region",
}

// fieldList turns space-separated field names into plain words: "website, opening hours".
func fieldList(codes string) string {
	var out []string
	for _, c := range strings.Fields(codes) {
		n, ok := fieldNames[c]
		if !ok {
			n = strings.ReplaceAll(c, "_", " ")
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// actionNames say what an audit line's action did.
var actionNames = map[string]string{
	"create":             "added",
	"save":               "saved",
	"publish":            "published",
	"unpublish":          "unpublished",
	"delete":             "moved to the trash",
	"restore":            "restored",
	"verify":             "marked verified",
	"translate":          "translated",
	"login":              "signed in",
	"login_failed":       "sign-in failed",
	"login_throttled":    "sign-in paused after failures",
	"logout":             "signed out",
	"password_change":    "changed their password",
	"account_create":     "added an account",
	"account_update":     "changed an account",
	"suggestion_accept":  "accepted a suggestion",
	"suggestion_dismiss": "dismissed a suggestion",
	"import":             "imported data",

	"login_password_ok":        "password accepted, second step pending",
	"password_check_throttled": "password check paused after failures",
	"2fa_totp_added":           "added an authenticator app",
	"2fa_totp_removed":         "removed an authenticator app",
	"2fa_passkey_added":        "added a passkey",
	"2fa_passkey_removed":      "removed a passkey",
	"2fa_recovery_renewed":     "made new recovery codes",
	"2fa_reset":                "reset a second sign-in step",
	"safety_settings":          "changed a safety setting",
	"pin":                      "changed a listing's place in its lists",
	"synonym_create":           "added search words",
	"synonym_update":           "changed search words",
	"synonym_delete":           "deleted search words",
	"synonym_restore":          "restored search words",
}

// actionName is the plain words for an audit action.
func actionName(action string) string {
	if n, ok := actionNames[action]; ok {
		return n
	}
	return strings.ReplaceAll(action, "_", " ")
}
