package store

import (
	"reflect"
	"testing"
)

// Every entity's record has the ID and Version the generic write path reads, and each field
// a restore keeps: a misspelt name would fail the first restore of that kind.
func TestEntitiesNameRealFields(t *testing.T) {
	for table, e := range entities {
		v := reflect.ValueOf(e)
		if v.Type().Name() == "settingsEntity" {
			continue
		}
		// entityOf[T].find returns *T: T is its first result's element type.
		typ := v.FieldByName("find").Type().Out(0).Elem()
		names := []string{"ID", "Version"}
		for keep, i := v.FieldByName("keep"), 0; i < keep.Len(); i++ {
			names = append(names, keep.Index(i).String())
		}
		for _, name := range names {
			if _, ok := typ.FieldByName(name); !ok {
				t.Errorf("%s: %s has no field %s", table, typ, name)
			}
		}
	}
}
