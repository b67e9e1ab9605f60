import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load-config.js';
import { ConfigInvalidError } from '../../src/domain/errors.js';

const problems = (raw: unknown): string[] => {
  try {
    parseConfig(raw);
  } catch (e) {
    if (e instanceof ConfigInvalidError) return e.problems;
    throw e;
  }
  return [];
};

describe('config', () => {
  it('runs on the support-model defaults with no file', () => {
    const { config, source } = loadConfig({ FRONTDESK_CONFIG: '' });
    expect(source).toBeNull();
    expect(config.sla.P0).toEqual({ firstResponse: 3_600_000, resolution: 4 * 3_600_000, hours: 'calendar' });
    expect(config.sla.P1.firstResponse).toBe(4 * 3_600_000);
    expect(config.sla.P4.resolution).toBe(14 * 86_400_000);
    expect(config.sla.thresholds).toEqual([0.5, 0.75, 0.9, 1]);
    expect(config.categories).toContain('feature_request');
    expect(config.digest.time).toBe('09:00');
    expect(config.digest.weekdays).toEqual([1, 2, 3, 4, 5]);
    expect(config.server.port).toBe(3000);
  });

  it('accepts the shipped example file', () => {
    const { config, source } = loadConfig({ FRONTDESK_CONFIG: 'frontdesk.config.example.yaml' });
    expect(source).toBe('frontdesk.config.example.yaml');
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.businessHours.days).toEqual([1, 2, 3, 4, 5]);
    expect(config.routing.categoryTeams.security).toBe('security');
  });

  it('names the field and the fix for each problem', () => {
    const p = problems({ sla: { P1: { firstResponse: '4 hours', resolution: '1d' } }, timezone: 'Mars/Olympus', digest: { time: '9am' }, colour: 'blue' });
    expect(p).toContain('sla.P1.firstResponse: expected a duration like "4h", got "4 hours"');
    expect(p.some((x) => x.startsWith('timezone: expected an IANA time zone'))).toBe(true);
    expect(p.some((x) => x.startsWith('digest.time: expected a 24h time like "09:00"'))).toBe(true);
    expect(p.some((x) => x.includes('unknown field(s) "colour"'))).toBe(true);
  });

  it('reports wrong types and broken references', () => {
    expect(problems({ agents: 'U1' })[0]).toMatch(/^agents: /);
    const p = problems({ routing: { defaultTeam: 'nobody', categoryTeams: { billing: 'finance', nope: 'support' } } });
    expect(p).toContain('routing.defaultTeam: team "nobody" is not defined under teams (known: support)');
    expect(p.some((x) => x.includes('categoryTeams.nope: "nope" is not in categories'))).toBe(true);
    expect(problems({ triage: { rules: [{ id: 'r', match: ['/([/'] }] } })[0]).toMatch(/invalid regular expression/);
    expect(problems({ sla: { thresholds: [0.9, 0.5] } })[0]).toMatch(/ascending/);
  });

  it('fails clearly on unreadable files and missing explicit paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-config-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'timezone: [unclosed');
    expect(() => loadConfig({ FRONTDESK_CONFIG: bad })).toThrow(/cannot parse/);
    expect(() => loadConfig({ FRONTDESK_CONFIG: join(dir, 'missing.yaml') })).toThrow(/does not exist/);
    const json = join(dir, 'c.json');
    writeFileSync(json, JSON.stringify({ timezone: 'Asia/Tokyo' }));
    expect(loadConfig({ FRONTDESK_CONFIG: json }).config.timezone).toBe('Asia/Tokyo');
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    expect(() => loadConfig({ FRONTDESK_CONFIG: list })).toThrow(/expected a mapping/);
  });
});
