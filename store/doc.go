// Package store keeps runs in SQLite (ncruces/go-sqlite3), with the same code natively and in the
// browser: a database lives in memory and travels as bytes ([DB.Bytes], [Load]), which the browser
// saves to IndexedDB and the CLI to a file. A run's file opens in the stock sqlite3 shell.
//
// Tables: runs (configuration, engine version, created time, iterations, best agent, the generator
// state needed to continue), agents (every archived agent), metrics (the seed's per-iteration
// columns plus the archive hash of that iteration) and events (the mutation log). The schema
// version is PRAGMA user_version; the file is marked as ours with PRAGMA application_id.
//
// Everything read from a file is checked: [Load] refuses non-SQLite bytes, databases of other
// programs, newer schemas, corrupt and oversized files; [DB.Import] refuses duplicate run ids,
// hostile names and runs whose agents do not check out, and changes nothing when it refuses.
package store
