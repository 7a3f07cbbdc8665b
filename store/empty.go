package store

import _ "embed"

// emptyDatabase is the file of an empty database with the current schema, as NewMigrated makes it.
// After a change of the schema or of SQLite, regenerate it with
//
//	go test ./store -run TestEmptyDatabaseIsCurrent -update
//
//go:embed empty.sqlite
var emptyDatabase []byte
