/**
 * Teams authentication and start-up checks: a half-configured setup refuses to start (never the
 * silent unauthenticated mode botbuilder falls into without an app id), the insecure local mode
 * is explicit and loopback-only, and with an app id set an unauthenticated or badly signed
 * request gets 401 without any network call.
 */
import dns from 'node:dns';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTeamsAdapter, teamsAdapter } from '../../adapters/teams/index.js';
import { readTeamsSettings } from '../../adapters/teams/teams-env.js';
import { createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { FrontdeskError } from '../../src/domain/errors.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { type FakeConnector, startFakeConnector } from '../fakes/fake-connector.js';
import { CUSTOMER, channelMessage, T0 } from './support.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT_ID = '66666666-7777-8888-9999-000000000000';

function refusal(env: Record<string, string>): string {
  try {
    readTeamsSettings(env);
  } catch (e) {
    expect(e).toBeInstanceOf(FrontdeskError);
    expect((e as FrontdeskError).code).toBe('frontdesk_config_invalid');
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('Teams settings', () => {
  it('accepts complete multi-tenant, single-tenant and managed-identity setups', () => {
    expect(readTeamsSettings({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret' })).toMatchObject({ mode: 'secure', appType: 'MultiTenant', appId: APP_ID });
    expect(readTeamsSettings({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret', MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: TENANT_ID })).toMatchObject({
      mode: 'secure',
      appType: 'SingleTenant',
      tenantId: TENANT_ID,
    });
    expect(readTeamsSettings({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret', MICROSOFT_APP_TENANT_ID: TENANT_ID }).appType).toBe('SingleTenant');
    expect(readTeamsSettings({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT_ID }).appType).toBe('UserAssignedMSI');
    expect(readTeamsSettings({ FRONTDESK_TEAMS_INSECURE_LOCAL: '1' })).toMatchObject({ mode: 'insecure-local', appId: '' });
  });

  it('refuses half-configured setups, naming the variable to set', () => {
    expect(refusal({ MICROSOFT_APP_PASSWORD: 's3cret' })).toMatch(/set MICROSOFT_APP_ID.*FRONTDESK_TEAMS_INSECURE_LOCAL=1/s);
    expect(refusal({ MICROSOFT_APP_TENANT_ID: TENANT_ID })).toMatch(/set MICROSOFT_APP_ID/);
    expect(refusal({ MICROSOFT_APP_ID: APP_ID })).toMatch(/set MICROSOFT_APP_PASSWORD/);
    expect(refusal({ MICROSOFT_APP_ID: 'frontdesk-bot', MICROSOFT_APP_PASSWORD: 'x' })).toMatch(/MICROSOFT_APP_ID must be a GUID/);
    expect(refusal({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'SingleTenant' })).toMatch(/needs MICROSOFT_APP_TENANT_ID/);
    expect(refusal({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'Personal' })).toMatch(/MICROSOFT_APP_TYPE must be one of/);
    expect(refusal({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'MultiTenant', MICROSOFT_APP_TENANT_ID: TENANT_ID })).toMatch(/SingleTenant/);
    expect(refusal({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT_ID })).toMatch(/unset MICROSOFT_APP_PASSWORD/);
  });

  it('keeps the insecure local mode explicit: not with credentials, not in production, not on a public interface', () => {
    expect(refusal({ FRONTDESK_TEAMS_INSECURE_LOCAL: '1', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x' })).toMatch(/cannot be combined/);
    expect(refusal({ FRONTDESK_TEAMS_INSECURE_LOCAL: '1', NODE_ENV: 'production' })).toMatch(/production/);
    expect(refusal({ FRONTDESK_TEAMS_INSECURE_LOCAL: '1', HOST: '0.0.0.0' })).toMatch(/loopback/);
    expect(refusal({ FRONTDESK_TEAMS_INSECURE_LOCAL: 'yes' })).toMatch(/must be 1/);
  });

  it('the registry entry runs when any Teams variable is set and validates at start-up', () => {
    expect(teamsAdapter.enabled({})).toBe(false);
    expect(teamsAdapter.enabled({ MICROSOFT_APP_PASSWORD: 'x' })).toBe(true);
    expect(() => teamsAdapter.validateEnv?.({ MICROSOFT_APP_PASSWORD: 'x' })).toThrow(/MICROSOFT_APP_ID/);
    expect(teamsAdapter.describe({ FRONTDESK_TEAMS_INSECURE_LOCAL: '1' }, { host: '127.0.0.1', port: 3978 })).toContain('INSECURE');
    const line = teamsAdapter.describe({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'do-not-print-me' }, { host: '127.0.0.1', port: 3978 });
    expect(line).toContain('/api/messages');
    expect(line).not.toContain('do-not-print-me');
  });
});

describe('/api/messages authentication', () => {
  let fake: FakeConnector | null = null;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const c of closers.splice(0)) await c();
    await fake?.close();
    fake = null;
  });

  async function start(env: Record<string, string>) {
    fake = await startFakeConnector();
    const core = createCore({ config: parseConfig({}), db: openDatabase(':memory:'), clock: new ManualClock(T0), env, logger: createLogger({ LOG_LEVEL: 'silent' }) });
    closers.push(() => core.close());
    createTeamsAdapter(core, env);
    const { port } = await core.listen(0, '127.0.0.1');
    return { core, port, url: `http://127.0.0.1:${port}/api/messages` };
  }

  it('refuses to start half-configured', async () => {
    const core = createCore({ config: parseConfig({}), db: openDatabase(':memory:'), env: {}, logger: createLogger({ LOG_LEVEL: 'silent' }) });
    closers.push(() => core.close());
    expect(() => createTeamsAdapter(core, { MICROSOFT_APP_ID: APP_ID })).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() => createTeamsAdapter(core, {})).toThrow(/MICROSOFT_APP_ID/);
  });

  it('with an app id set, unauthenticated and badly signed requests get 401 without any network call', async () => {
    const { core, port, url } = await start({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: TENANT_ID });
    vi.spyOn(console, 'error').mockImplementation(() => {}); // botbuilder prints the AuthenticationError
    const connects = vi.spyOn(net.Socket.prototype, 'connect');
    const lookups = vi.spyOn(dns, 'lookup');
    const activity = channelMessage(fake!, CUSTOMER, 'Checkout fails with error 502 for all users');
    const header = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const forged = `${header({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${header({ iss: 'https://attacker.example', aud: APP_ID, serviceurl: fake!.url, exp: 4102444800 })}.c2lnbmF0dXJl`;
    for (const authorization of [undefined, 'Bearer not-a-jwt', `Bearer ${forged}`, 'Basic dXNlcjpwYXNz']) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(activity) });
      expect(res.status, `authorization: ${authorization ?? '(none)'}`).toBe(401);
    }
    // The only connections made were the test's own requests to the bot on 127.0.0.1.
    const targets = connects.mock.calls.map((args) => {
      // net.connect() hands Socket#connect its normalised [options, callback] array.
      const first: unknown = Array.isArray(args[0]) ? args[0][0] : args[0];
      const o = first as { host?: string; port?: number; path?: string };
      return o.path ?? `${o.host ?? ''}:${o.port}`;
    });
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(t).toBe(`127.0.0.1:${port}`);
    expect(lookups).not.toHaveBeenCalled();
    expect(fake!.requests).toHaveLength(0);
    expect(core.tickets.repo.list({ open: true })).toHaveLength(0);
  });

  it('in insecure local mode, refuses activities whose serviceUrl is not on loopback (no unauthenticated SSRF)', async () => {
    const { core, url } = await start({ FRONTDESK_TEAMS_INSECURE_LOCAL: '1' });
    const activity = { ...channelMessage(fake!, CUSTOMER, 'Checkout fails with error 502 for all users'), serviceUrl: 'https://smba.example.net/emea/' };
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(403);
    await core.outbox.drain();
    expect(core.tickets.repo.list({ open: true })).toHaveLength(0);
    expect(fake!.requests).toHaveLength(0);
  });
});
