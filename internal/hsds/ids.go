package hsds

import (
	"crypto/sha1" // #nosec G505 -- for identifiers only (see ids), never for secrets
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
)

// IDs. HSDS ids are UUIDs. Signpost's are derived, never stored: the same record gets the
// same id in every export, so a directory that took our data can send it back and be matched.
//
// Records that map one to one to a row of ours (a service, an organization, a phone, a
// taxonomy term) get a UUIDv8 (RFC 9562's custom format) that carries the row id: six bytes
// from a hash of the database's namespace and the record type, then the version and variant
// bits, then the row id in the last seven bytes. So an id can be read back (/services/{id})
// without a lookup table, and ids of one database never look like another's. Records made of
// two rows (a phone's language) get a UUIDv5-style hash.
type ids struct{ ns string }

func (x ids) prefix(typ string) [8]byte {
	sum := sha1.Sum([]byte(x.ns + "\x00" + typ)) // #nosec G401 -- an identifier (as UUIDv5 does), not a secret
	var p [8]byte
	copy(p[:], sum[:8])
	p[6] = 0x80 | p[6]&0x0f // version 8
	return p
}

// of returns the id of row id of typ ("service", "organization", "phone", "term").
func (x ids) of(typ string, id int64) string {
	var b [16]byte
	p := x.prefix(typ)
	copy(b[:8], p[:])
	binary.BigEndian.PutUint64(b[8:], uint64(id)&0x00ffffffffffffff) // #nosec G115 -- row ids are positive; the mask keeps 56 bits
	b[8] = 0x80                                                      // variant 10, and the row id's top byte (always 0 for a SQLite rowid we make)
	return format(b)
}

// parse returns the row id an id of typ names, or false if it is not one of ours.
func (x ids) parse(typ, s string) (int64, bool) {
	b, ok := parseUUID(s)
	if !ok {
		return 0, false
	}
	p := x.prefix(typ)
	if [8]byte(b[:8]) != p || b[8] != 0x80 {
		return 0, false
	}
	b[8] = 0
	id := int64(binary.BigEndian.Uint64(b[8:])) // #nosec G115 -- the top byte was just cleared: it fits
	return id, id > 0
}

// hash returns a UUIDv5-style id for a record made of several parts.
func (x ids) hash(parts ...any) string {
	var sb strings.Builder
	sb.WriteString(x.ns)
	for _, p := range parts {
		sb.WriteByte(0)
		switch v := p.(type) {
		case string:
			sb.WriteString(v)
		case int64:
			sb.WriteString(strconv.FormatInt(v, 10))
		case int:
			sb.WriteString(strconv.Itoa(v))
		}
	}
	sum := sha1.Sum([]byte(sb.String())) // #nosec G401 -- an identifier (as UUIDv5 does), not a secret
	var b [16]byte
	copy(b[:], sum[:16])
	b[6] = 0x50 | b[6]&0x0f
	b[8] = 0x80 | b[8]&0x3f
	return format(b)
}

func format(b [16]byte) string {
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func parseUUID(s string) ([16]byte, bool) {
	var b [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return b, false
	}
	h := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	n, err := hex.Decode(b[:], []byte(strings.ToLower(h)))
	return b, err == nil && n == 16
}
