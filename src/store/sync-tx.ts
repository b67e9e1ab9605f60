/**
 * One synchronous transaction on the app's better-sqlite3 connection (nested inside another: a
 * savepoint). For the use cases that still write tickets, tracker links and outbox rows together
 * synchronously; they move onto `store.tx` (src/ports/store.ts) in the next step of issue #13.
 * @example syncTx(db, () => { repo.link(…); outbox.enqueue(…); })
 */
import type { Db } from './db.js';

export function syncTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn)();
}
