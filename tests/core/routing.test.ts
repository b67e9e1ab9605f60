import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { Directory } from '../../src/routing/directory.js';
import { triageEscalations } from '../../src/routing/escalation.js';
import { Router, onCallFor, teamFor } from '../../src/routing/routing.js';
import { openDatabase } from '../../src/store/db.js';

const config = parseConfig({
  agents: [],
  away: ['B'],
  teams: [
    { id: 'support', members: ['A', 'B', 'C'], routing: 'round_robin' },
    { id: 'security', members: ['S1', 'S2'], routing: 'on_call', onCall: { rotation: ['S1', 'S2'], every: 'week', startsAt: '2026-11-02' } },
    { id: 'billing', members: [], routing: 'none', mentionGroup: 'G_BILL' },
  ],
  channels: [{ id: 'C_BILL', team: 'billing' }],
  routing: { defaultTeam: 'support', categoryTeams: { security: 'security' } },
});

describe('routing', () => {
  it('picks the team from category, then channel, then the default', () => {
    expect(teamFor(config, 'C_ANY', 'security')).toBe('security');
    expect(teamFor(config, 'C_BILL', 'question')).toBe('billing');
    expect(teamFor(config, 'C_ANY', 'bug')).toBe('support');
  });

  it('round-robins, skips people who are away, and remembers the cursor in SQLite', () => {
    const db = openDatabase(':memory:');
    const dir = new Directory(config);
    const r = new Router(config, db, dir);
    const picks = [1, 2, 3, 4].map(() => r.route('C_ANY', 'bug', 0).ownerId);
    expect(picks).toEqual(['A', 'C', 'A', 'C']);
    const again = new Router(config, db, dir);
    expect(again.route('C_ANY', 'bug', 0).ownerId).toBe('A');
    dir.setAway('B', false);
    expect(again.route('C_ANY', 'bug', 0).ownerId).toBe('B');
  });

  it('follows the on-call rotation week by week and skips the away person', () => {
    const dir = new Directory(config);
    const team = config.teams[1]!;
    expect(onCallFor(team, Date.parse('2026-11-03T10:00:00Z'), dir)).toBe('S1');
    expect(onCallFor(team, Date.parse('2026-11-10T10:00:00Z'), dir)).toBe('S2');
    expect(onCallFor(team, Date.parse('2026-11-17T10:00:00Z'), dir)).toBe('S1');
    dir.setAway('S1', true);
    expect(onCallFor(team, Date.parse('2026-11-17T10:00:00Z'), dir)).toBe('S2');
    const r = new Router(config, openDatabase(':memory:'), dir);
    expect(r.route('C_ANY', 'security', Date.parse('2026-11-10T10:00:00Z'))).toMatchObject({ team: 'security', ownerId: 'S2' });
  });

  it('falls back to the mention group for teams that assign by hand', () => {
    const r = new Router(config, openDatabase(':memory:'), new Directory(config));
    expect(r.route('C_BILL', 'question', 0)).toMatchObject({ team: 'billing', ownerId: null });
    expect(r.fallbackContacts('billing', 0)).toEqual(['G_BILL']);
  });

  it('matches the escalation matrix at triage time', () => {
    const cfg = parseConfig({});
    const base = { priority: 'P2', text: 'We think there was a data loss after the migration' } as const;
    const m = triageEscalations(cfg, base as never, { vip: true });
    expect(m.map((x) => x.rule.id).sort()).toEqual(['security', 'vip']);
    expect(m.find((x) => x.rule.id === 'security')?.reason).toBe('mentions "data loss"');
    const p0 = triageEscalations(cfg, { priority: 'P0', text: 'all down' } as never, { vip: false });
    expect(p0.map((x) => x.rule.id)).toEqual(['p0-p1']);
    expect(p0[0]!.target.name).toBe('Tier 2');
  });
});
