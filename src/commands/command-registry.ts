/**
 * One command vocabulary for every platform: `/ticket <sub> …` in Slack, `@frontdesk <sub> …`
 * in Teams, the message box in the playground. Subcommands register here with their usage;
 * later features (digest, plan) add theirs without touching the parser.
 */
import type { Platform } from '../domain/types.js';
import type { FormView, MessageView } from '../ports/message-view.js';

export interface CommandContext {
  platform: Platform;
  userId: string;
  channelId: string;
  threadId?: string | null;
  /** Platform handle for opening a form from this interaction (Slack trigger_id). */
  trigger?: string;
}

export interface CommandReply {
  /** Shown only to the person who asked, where the platform allows it. */
  view: MessageView;
  visibility: 'ephemeral' | 'in_channel';
  form?: FormView;
}

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  agentOnly: boolean;
  run(args: string[], ctx: CommandContext, raw: string): Promise<CommandReply> | CommandReply;
}

export class CommandRegistry {
  private readonly specs = new Map<string, CommandSpec>();

  register(spec: CommandSpec): void {
    this.specs.set(spec.name, spec);
  }

  get(name: string): CommandSpec | undefined {
    return this.specs.get(name);
  }

  all(): CommandSpec[] {
    return [...this.specs.values()];
  }
}

/**
 * Split a command line into words, keeping "quoted strings" together.
 * @example tokenizeCommand('note T-1 "call back at 3"') // ['note', 'T-1', 'call back at 3']
 */
export function tokenizeCommand(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** A user reference as typed: <@U123>, <@U123|name>, @U123 or U123 → U123. */
export function parseUserRef(s: string | undefined): string | null {
  if (!s) return null;
  const m = s.match(/^<@([^>|]+)(?:\|[^>]*)?>$/) ?? s.match(/^@?([A-Za-z0-9._:-]+)$/);
  return m ? m[1]! : null;
}
