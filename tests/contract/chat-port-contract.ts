/**
 * The ChatPort contract: ONE suite every implementation (Slack, Teams, local) must pass.
 * Each implementation's test file calls `chatPortContract(name, makeHarness)` with a harness
 * that drives the real client against its fake platform and reports what crossed the wire.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatDeliveryError } from '../../src/domain/errors.js';
import type { ChatPort } from '../../src/ports/chat-port.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';

/** One operation as the fake platform saw it, normalised. */
export interface WireOp {
  op: 'post' | 'update' | 'ephemeral' | 'dm' | 'form';
  channelId?: string;
  threadId?: string | null;
  messageId?: string;
  userId?: string;
  /** All human-visible text of the message, flattened (for "contains" checks). */
  text: string;
}

export interface ContractHarness {
  port: ChatPort;
  /** A channel id and a user id that exist on the fake platform. */
  channelId: string;
  userId: string;
  /** A form trigger the platform accepts (e.g. a Slack trigger_id). */
  trigger: string;
  /** Operations recorded by the fake platform so far. */
  recorded(): WireOp[];
  /** Make the next call fail: rate limited (with retry-after seconds), server error, or permanently. */
  failNext(kind: 'rate_limit' | 'server_error' | 'permanent', retryAfterSec?: number): void;
  close(): Promise<void>;
}

const view = (text: string): MessageView => ({
  text,
  blocks: [
    { type: 'header', text: `Header ${text}` },
    { type: 'text', text: `**bold** and <@U_CONTRACT> and [a link](https://example.com) ${text}` },
    { type: 'fields', fields: [{ label: 'Priority', value: 'P1' }] },
    { type: 'actions', elements: [{ type: 'button', actionId: 'ticket.resolve', label: 'Resolve', value: 'T-1' }] },
  ],
});

export function chatPortContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`ChatPort contract: ${name}`, () => {
    let h: ContractHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('posts to a channel and returns the new message id', async () => {
      const res = await h.port.post({ channelId: h.channelId, view: view('hello-post') });
      expect(res.messageId).toBeTruthy();
      const op = h.recorded().find((o) => o.op === 'post' && o.text.includes('hello-post'));
      expect(op?.channelId).toBe(h.channelId);
      expect(op?.threadId ?? null).toBeNull();
    });

    it('posts in a thread', async () => {
      const parent = await h.port.post({ channelId: h.channelId, view: view('parent') });
      await h.port.post({ channelId: h.channelId, threadId: parent.messageId, view: view('in-thread') });
      const op = h.recorded().find((o) => o.op === 'post' && o.text.includes('in-thread'));
      expect(op?.threadId).toBe(parent.messageId);
    });

    it('updates a message in place', async () => {
      const res = await h.port.post({ channelId: h.channelId, view: view('before') });
      await h.port.update({ channelId: h.channelId, messageId: res.messageId, view: view('after-update') });
      const op = h.recorded().find((o) => o.op === 'update');
      expect(op?.messageId).toBe(res.messageId);
      expect(op?.text).toContain('after-update');
    });

    it('sends an ephemeral message to one user', async () => {
      await h.port.postEphemeral({ channelId: h.channelId, userId: h.userId, view: view('only-you') });
      const op = h.recorded().find((o) => o.op === 'ephemeral' || (o.op === 'dm' && o.text.includes('only-you')));
      expect(op?.userId).toBe(h.userId);
      expect(op?.text).toContain('only-you');
    });

    it('sends a direct message', async () => {
      const res = await h.port.dm({ userId: h.userId, view: view('direct') });
      expect(res.messageId).toBeTruthy();
      const op = h.recorded().find((o) => o.op === 'dm');
      expect(op?.userId).toBe(h.userId);
      expect(op?.text).toContain('direct');
    });

    it('opens a form', async () => {
      const form: FormView = {
        formId: 'form.add_note',
        title: 'Add note',
        submitLabel: 'Save',
        state: 'T-1',
        fields: [{ type: 'text', id: 'note', label: 'Note', multiline: true }],
      };
      await h.port.openForm({ trigger: h.trigger, userId: h.userId, form });
      expect(h.recorded().some((o) => o.op === 'form')).toBe(true);
    });

    it('reports rate limiting as a retryable error with the wait', async () => {
      h.failNext('rate_limit', 7);
      const err = await h.port.post({ channelId: h.channelId, view: view('limited') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChatDeliveryError);
      expect((err as ChatDeliveryError).retryable).toBe(true);
      expect((err as ChatDeliveryError).retryAfterMs).toBe(7000);
    });

    it('reports server errors as retryable', async () => {
      h.failNext('server_error');
      const err = await h.port.post({ channelId: h.channelId, view: view('oops') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChatDeliveryError);
      expect((err as ChatDeliveryError).retryable).toBe(true);
    });

    it('finds a tagged post or DM by its key (crash-safe delivery), or is the platform that cannot look', async () => {
      if (!h.port.findDelivered) {
        // Only Teams offers no way to look (README, Known limitations).
        expect(name).toBe('teams');
        return;
      }
      const since = Date.UTC(2026, 0, 1);
      await h.port.post({ channelId: h.channelId, view: view('other'), tag: { key: 'contract:other' } });
      const posted = await h.port.post({ channelId: h.channelId, view: view('tagged'), tag: { key: 'contract:tagged' } });
      const inThread = await h.port.post({ channelId: h.channelId, threadId: posted.messageId, view: view('reply'), tag: { key: 'contract:reply' } });
      const dm = await h.port.dm({ userId: h.userId, view: view('dm'), tag: { key: 'contract:dm' } });
      expect(await h.port.findDelivered({ key: 'contract:tagged', channelId: h.channelId, since })).toEqual(posted);
      expect(await h.port.findDelivered({ key: 'contract:reply', channelId: h.channelId, threadId: posted.messageId, since })).toEqual(inThread);
      expect(await h.port.findDelivered({ key: 'contract:dm', userId: h.userId, since })).toEqual(dm);
      expect(await h.port.findDelivered({ key: 'contract:never-sent', channelId: h.channelId, since })).toBeNull();
    });

    it('reports permanent failures as not retryable', async () => {
      h.failNext('permanent');
      const err = await h.port.post({ channelId: h.channelId, view: view('nope') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChatDeliveryError);
      expect((err as ChatDeliveryError).retryable).toBe(false);
    });
  });
}
