/** The fake Anthropic server itself: auth headers it accepts, and what it records. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAnthropic, reply } from '../fakes/fake-anthropic.js';

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await FakeAnthropic.start();
});
afterEach(async () => {
  await fake.close();
});

const post = (headers: Record<string, string>) =>
  fetch(`${fake.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'm', tool_choice: { type: 'tool', name: 'record_x' } }),
  });

describe('FakeAnthropic', () => {
  it('listens on 127.0.0.1', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('accepts x-api-key and Authorization: Bearer, rejects neither', async () => {
    fake.otherwise(() => reply.tool({ ok: true }));
    expect((await post({ 'x-api-key': 'k' })).status).toBe(200);
    expect((await post({ authorization: 'Bearer k' })).status).toBe(200);
    const denied = await post({});
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('records headers and body, names the tool after tool_choice, and reports usage', async () => {
    fake.enqueue(reply.tool({ a: 1 }, { usage: { cache_read_input_tokens: 7 } }));
    const res = await post({ 'x-api-key': 'k' });
    const json = (await res.json()) as { content: unknown; usage: unknown };
    expect(json.content).toEqual([{ type: 'tool_use', id: 'toolu_fake_0', name: 'record_x', input: { a: 1 } }]);
    expect(json.usage).toEqual({ input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 7 });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages', body: { model: 'm' } });
    expect(fake.requests[0]!.headers['x-api-key']).toBe('k');
  });

  it('answers 429 with retry-after and 500 when nothing is scripted', async () => {
    fake.enqueue(reply.rateLimited(2));
    const limited = await post({ 'x-api-key': 'k' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await post({ 'x-api-key': 'k' })).status).toBe(500);
  });
});
