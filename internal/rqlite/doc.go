// Package rqlite is crm's second store: one customer book on an rqlite
// cluster (rqlite v8.43.4, Raft-replicated SQLite), chosen by a --db (or
// config db) value rqlite://h1:4001,h2:4003,h3:4005. It implements the same
// interfaces as internal/sqlite (cmdutil.Store); no cmd/<noun> knows which
// store it talks to.
//
// # The decision: a local snapshot and a guarded replay
//
// rqlite has no transactions across HTTP requests: one request with
// ?transaction is one SQLite transaction in one Raft entry. crm's writes
// read, decide in Go and write (the credit check with its override, a
// complaint's or a deal's step, migrations). So:
//
//   - Reads. The store keeps a local copy of the cluster's book (a file in
//     the user's cache folder, one per cluster URL; CRM_RQLITE_CACHE moves
//     it) and serves every read from it through internal/sqlite, at local
//     speed. At open, one query at level strong reads the cluster's
//     revision (the one row of book_revision); a copy at another revision
//     is replaced by a new one fetched with GET /db/backup (a new file,
//     never rewritten in place: other crm processes may have the old one
//     open; snapshot.go) — unless it is at most 100 revisions behind and
//     every guarded request since logged its statements in the cluster's
//     revision_changes: then they run on the copy, in one local
//     transaction, as they ran on the cluster (catchup.go; `rfm score` on
//     1,000,000 orders after someone wrote: 0.26 s instead of 0.45 s).
//
//   - Writes. Every write method runs internal/sqlite's own code against the
//     local copy, inside its local transaction, through a database/sql
//     driver that wraps modernc's (record.go) and keeps every statement
//     that changes data (INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP,
//     ALTER, and PRAGMA user_version/application_id assignments; not
//     SELECT, other PRAGMAs or transaction control) with its arguments, in
//     order; a statement that failed (and SQLite undid) is not kept. At
//     commit, before committing locally, the store sends ONE
//     /db/execute?transaction request: the guard, then the recorded
//     statements. The guard, INSERT INTO revision_guard (expected, token),
//     has a BEFORE trigger that aborts the request with "crm: changed by
//     someone else" unless the cluster's revision is the snapshot's, and an
//     AFTER trigger that moves the revision on and logs the token. The
//     cluster's book was then the snapshot's, so the same statements in the
//     same order give the same result there: the same ids, the same trigger
//     effects. On success the local transaction commits (the snapshot is at
//     the new revision, as the cluster). On the guard's abort it rolls back,
//     the snapshot is fetched again and the whole operation runs again (its
//     Go decisions see the new state), up to 5 times; then it fails with
//     "changed by someone else … try again" (exit 1).
//
//   - Unknown outcomes. A request with no answer (a timeout, a leader
//     change) is sent again: the guard applies it at most once, and when
//     the resend's guard fails, the revision log (the tokens of the last
//     1,000 requests) tells "applied by my first attempt" from a conflict.
//
//   - Determinism. Recorded statements must give the same result on the
//     cluster as on the copy: crm's SQL takes its times from Go (the
//     injected clock, bound as arguments), never from now/random() (which
//     rqlite would rewrite); arguments are integers, texts and NULL
//     (a blob or a time.Time is refused rather than stored differently).
//
//   - The C API. internal/sqlite writes bulk rows through modernc's C handle
//     when it finds one (rawHandle); the wrapper's connection does not offer
//     it, so those writes go through database/sql and are recorded. Its
//     heavy reads open connections of their own on the local file.
//
//   - Migrations. On an empty cluster one idempotent request (CREATE …
//     IF NOT EXISTS, and crm's mark, PRAGMA application_id) makes the
//     bookkeeping: book_revision, revision_guard and its triggers,
//     revision_log. These live on the cluster and in its copies only; a
//     local book never needs them, so no migration adds them. Then each of
//     crm's migrations, run by internal/sqlite on the copy, is one guarded
//     request, PRAGMA user_version included: two crm processes migrating an
//     empty cluster at once apply each migration once (the loser of each
//     race fetches the copy again and goes on from there).
//
//   - Imports. An import runs on the copy as locally; its bulk rows go to
//     the cluster's import_staging in chunks of 5,000 while it runs, and the
//     guarded request at its end moves them into place with INSERT …
//     SELECT in the same order (stage.go): all or nothing, a few thousand
//     rows (at most about 2 MB of values) a request. The copy's imports
//     are bounded (sqlite.DB.BoundedImports): they keep nothing a customer
//     in memory — codes past a cache are looked up in the copy, the
//     customer totals are made again by two statements over the new
//     orders, which the final request runs on the cluster too — so crm's
//     memory is flat in the size of the file. A killed import leaves only staging
//     rows, which change nothing; crm check names them and
//     `crm check --remove-staging` removes them, but not those of an import
//     still running (each chunk request writes its host, process and time
//     to import_running: on this host, its process exists; from another,
//     a chunk in the last 10 minutes). Beaten by another writer, an import fails here (its rows
//     come from the caller once) and `crm import` runs it again from its
//     file, up to 3 times in all (from a pipe it cannot: it says so).
//
//   - Backup. crm backup FILE writes what GET /db/backup returns: a
//     consistent SQLite file, a crm book that crm check reads.
//
// # Reaching the cluster
//
// rqlite:// (or rqlite+http://) is plain HTTP; rqlites:// or rqlite+https://
// is HTTPS (verified against the system's roots). Hosts are tried in
// order: on a connection error the next; a node that is not the leader
// forwards the request (or redirects, which is followed). Credentials come
// from the config file (rqlite.user, rqlite.password) or the environment
// (CRM_RQLITE_USER, CRM_RQLITE_PASSWORD), never from a flag or the URL.
// Each request to a node has a 3 s deadline, so a cluster that lost its
// quorum (two of three nodes down) fails at once with a message saying so
// (exit 1), not a hang; a write with no answer is sent again for up to 6 s
// (a leader change takes about 2.5 s).
package rqlite
