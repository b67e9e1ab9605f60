/**
 * A ChatPort test double for core tests of the outbox's retry/order logic only: it records
 * calls and fails on a script. Platform behaviour itself is tested against the real Slack and
 * Teams clients and their fake servers (tests/slack, tests/teams).
 */
import { ChatDeliveryError } from '../../src/domain/errors.js';
import type { ChatPort, PostResult } from '../../src/ports/chat-port.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';

export interface ScriptedCall {
  op: 'post' | 'update' | 'ephemeral' | 'dm' | 'form';
  channelId?: string;
  threadId?: string | null;
  messageId?: string;
  userId?: string;
  view?: MessageView;
  form?: FormView;
}

export type Failure = { retryable: boolean; retryAfterMs?: number; message?: string };

export class ScriptedPort implements ChatPort {
  readonly platform = 'local' as const;
  ratePerChannelPerSec = 1000;
  readonly calls: ScriptedCall[] = [];
  /** Failures to apply to the next calls, in order. */
  readonly failures: Failure[] = [];
  private n = 0;

  private maybeFail(): void {
    const f = this.failures.shift();
    if (f) throw new ChatDeliveryError(f.message ?? 'scripted failure', f.retryable, f.retryAfterMs);
  }

  async post(req: { channelId: string; threadId?: string | null; view: MessageView }): Promise<PostResult> {
    this.maybeFail();
    this.n += 1;
    this.calls.push({ op: 'post', channelId: req.channelId, threadId: req.threadId ?? null, view: req.view });
    return { messageId: `m${this.n}`, channelId: req.channelId };
  }

  async update(req: { channelId: string; messageId: string; view: MessageView }): Promise<void> {
    this.maybeFail();
    this.calls.push({ op: 'update', channelId: req.channelId, messageId: req.messageId, view: req.view });
  }

  async postEphemeral(req: { channelId: string; userId: string; threadId?: string | null; view: MessageView }): Promise<void> {
    this.maybeFail();
    this.calls.push({ op: 'ephemeral', channelId: req.channelId, userId: req.userId, threadId: req.threadId ?? null, view: req.view });
  }

  async dm(req: { userId: string; view: MessageView }): Promise<PostResult> {
    this.maybeFail();
    this.n += 1;
    this.calls.push({ op: 'dm', userId: req.userId, view: req.view });
    return { messageId: `d${this.n}`, channelId: `D-${req.userId}` };
  }

  async openForm(req: { trigger: string; userId: string; form: FormView }): Promise<void> {
    this.maybeFail();
    this.calls.push({ op: 'form', userId: req.userId, form: req.form });
  }
}
