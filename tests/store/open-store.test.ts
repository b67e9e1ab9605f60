/**
 * Choosing the engine from a URL, and the port's types staying the ones the synchronous
 * repositories use today (so the switch-over can move callers without reshaping data).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as Port from '../../src/ports/store.js';
import type * as Inbox from '../../src/store/inbox-repo.js';
import { isPostgresUrl, openStore, redactUrl, storeUrl } from '../../src/store/kysely/open-store.js';
import type * as Repo from '../../src/store/ticket-repo.js';
import type * as Tracker from '../../src/store/tracker-repo.js';

describe('openStore', () => {
  it('reads the engine from the URL', () => {
    expect(isPostgresUrl('postgres://u@h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@h/db')).toBe(true);
    expect(isPostgresUrl('./data/frontdesk.db')).toBe(false);
    expect(isPostgresUrl('sqlite:./data/frontdesk.db')).toBe(false);
    expect(storeUrl({ DATABASE_URL: 'postgres://h/db', FRONTDESK_DB: './x.db' })).toBe('postgres://h/db');
    expect(storeUrl({ FRONTDESK_DB: './x.db' })).toBe('./x.db');
    expect(storeUrl({})).toBe('./data/frontdesk.db');
    expect(redactUrl('postgres://fd:s3cret@db.internal:5432/desk')).toBe('postgres://fd:***@db.internal:5432/desk');
  });

  it('opens a SQLite file given as sqlite:PATH, migrated, and reopens it without migrating again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-open-'));
    try {
      const first = await openStore(`sqlite:${join(dir, 'desk.db')}`);
      expect(first.engine).toBe('sqlite');
      expect(first.migrated.at(-1)).toBe(await first.schemaVersion());
      await first.close();
      const again = await openStore(join(dir, 'desk.db'));
      expect(again.migrated).toEqual([]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which PostgreSQL it could not reach, without the password', async () => {
    await expect(openStore('postgres://fd:s3cret@127.0.0.1:1/desk')).rejects.toThrow(/cannot use the PostgreSQL database at postgres:\/\/fd:\*\*\*@127\.0\.0\.1:1\/desk/);
    await expect(openStore('postgres://fd:s3cret@127.0.0.1:1/desk')).rejects.not.toThrow(/s3cret/);
  });

  it('keeps the data shapes of the synchronous repositories', () => {
    expectTypeOf<Port.NewTicket>().toEqualTypeOf<Repo.NewTicket>();
    expectTypeOf<Port.TicketPatch>().toEqualTypeOf<Repo.TicketPatch>();
    expectTypeOf<Port.TicketFilter>().toEqualTypeOf<Repo.TicketFilter>();
    expectTypeOf<Port.StoredMessage>().toEqualTypeOf<Repo.StoredMessage>();
    expectTypeOf<Port.NewInboxItem>().toEqualTypeOf<Inbox.NewInboxItem>();
    expectTypeOf<Port.SeenKey>().toEqualTypeOf<Inbox.SeenKey>();
    expectTypeOf<Port.InsertOutcome>().toEqualTypeOf<Inbox.InsertOutcome>();
    expectTypeOf<Port.StoredIssue>().toEqualTypeOf<Tracker.StoredIssue>();
  });
});
