package hsds

// FieldSpec lets the tests' Table Schema check read a field descriptor as the package does.
type FieldSpec = fieldSpec
