package store

import (
	"testing"

	"signpost/internal/directory"
)

// channelsFrom makes up to six lines from b, three bytes a line, from small sets of values
// so that lines often match.
func channelsFrom(b []byte) []directory.Channel {
	types := []directory.ChannelType{directory.ChannelVoice, directory.ChannelText, directory.ChannelEmail, directory.ChannelWeb}
	values := []string{"", "233733", "+18883737888", "a@example.org", "https://example.org"}
	words := []string{"", "Tips", "BEFREE", "24/7"}
	var out []directory.Channel
	for i := 0; i+2 < len(b) && len(out) < 6; i += 3 {
		c := directory.Channel{Type: types[int(b[i])%len(types)], Label: words[int(b[i+2])%len(words)], Todo: b[i+2] > 200}
		v := values[int(b[i+1])%len(values)]
		switch b[i+1] % 4 {
		case 0:
			c.Number = v
		case 1:
			c.Keyword, c.Number = words[int(b[i+2]/4)%len(words)], v
		case 2:
			c.Address = v
		default:
			c.URL = v
		}
		c.Hours = words[int(b[i+1]/8)%len(words)]
		out = append(out, c)
	}
	return out
}

// Whatever a save changes, the part saved at once changes no contact value, and approving
// the rest, with nothing changed between, gives exactly what the editor typed.
func FuzzHoldThenApply(f *testing.F) {
	f.Add([]byte{0, 1, 1, 1, 1, 2}, []byte{0, 1, 1, 1, 2, 2}, "", "https://example.org")
	f.Add([]byte{0, 1, 1}, []byte{0, 1, 1, 3, 4, 0}, "a", "a")
	f.Add([]byte{0, 1, 1, 2, 2, 2}, []byte{2, 2, 2}, "", "")
	f.Fuzz(func(t *testing.T, a, b []byte, webA, webB string) {
		stored := &directory.Listing{Website: webA, Channels: channelsFrom(a)}
		next := &directory.Listing{Website: webB, Summary: "typed", Channels: channelsFrom(b)}
		now, proposed := holdContacts(stored, next)
		if ContactsDiffer(stored, &now) {
			t.Fatalf("the part saved at once changes a contact value: %+v → %+v", stored.Channels, now.Channels)
		}
		if now.Summary != "typed" {
			t.Fatal("the rest of the save was held")
		}
		cur := now
		cur.Channels = append([]directory.Channel(nil), now.Channels...)
		if changed := applyContacts(&cur, ContactsOf(&now), proposed); len(changed) > 0 {
			t.Fatalf("a conflict with nothing changed: %v", changed)
		}
		if ContactsDiffer(&cur, next) || !sameChannels(cur.Channels, next.Channels) || cur.Website != next.Website {
			t.Fatalf("approval gives %+v, typed %+v", cur.Channels, next.Channels)
		}
	})
}
