/** The digest's sources over a test's SQLite database: the store port on the same connection, and the connection. */
import type { DigestSources } from '../../src/digest/build-digest.js';
import type { Db } from '../../src/store/db.js';
import { storeOnDatabase } from '../../src/store/kysely/open-store.js';

export const digestSources = (db: Db): DigestSources => ({ repos: storeOnDatabase(db), db });
