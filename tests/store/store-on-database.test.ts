/**
 * The core's store shares the app's SQLite connection: a ticket opened by the (synchronous)
 * ticket service is read through the store port at once, a write through the port is seen by
 * the service, and closing the core closes both without error.
 */
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { storeOnDatabase } from '../../src/store/kysely/open-store.js';
import { makeTestCore, T0 } from '../helpers/core.js';

it('core.store reads and writes the same SQLite database as the synchronous repositories', async () => {
  const { core } = makeTestCore();
  const opened = core.tickets.open({ platform: 'local', channelId: 'C1', sourceMessageId: 'm1', requesterId: 'U1', text: 'The export button does nothing', force: true });
  if (!opened.ticket) throw new Error('no ticket');
  const viaPort = await core.store.tickets.get(opened.ticket.id);
  expect(viaPort?.key).toBe(opened.ticket.key);
  await core.store.tickets.appendEvent(opened.ticket.id, 'note', 'U9', T0 + 60_000, { text: 'seen through the port' });
  expect(core.tickets.repo.events(opened.ticket.id).some((e) => e.type === 'note' && e.actor === 'U9')).toBe(true);
  expect(core.store.engine).toBe('sqlite');
  await core.close();
  expect(core.db.open).toBe(false);
});

it('closing a store over a borrowed database leaves the database open for its owner', async () => {
  const db = openDatabase(':memory:');
  const store = storeOnDatabase(db);
  expect(await store.schemaVersion()).toBeGreaterThan(0);
  await store.close();
  expect(db.open).toBe(true);
  expect(db.prepare('SELECT 1 AS x').get()).toEqual({ x: 1 });
  db.close();
});
