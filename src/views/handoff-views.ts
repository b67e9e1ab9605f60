/**
 * Views of the engineering hand-off: the issue preview form, the "Link to existing issue" search
 * form and its results, the card's engineering section, the lines announced in the internal
 * thread, and the replies to the agent. All internal (agents only). Strings only, no logic.
 */
import type { IssueState, TrackerIssue, TrackerKind } from '../ports/tracker-port.js';
import type { Ticket } from '../domain/types.js';
import { ACTIONS, FORMS } from './action-ids.js';
import { type ActionElement, type Block, type FormView, type MessageView, mention, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';
import { notice } from './ticket-views.js';

export const TRACKER_NAME: Record<TrackerKind, string> = { github: 'GitHub', jira: 'Jira', linear: 'Linear' };

const STATE_TEXT: Record<IssueState, string> = { open: 'open', in_progress: 'in progress', closed: 'closed' };

/** What the README calls the set-up, for answers when no tracker is configured. */
export const NO_TRACKER =
  'No issue tracker is configured, so tickets cannot be handed to engineering yet: add a `trackers:` block (GitHub, Jira or Linear) to frontdesk.config.yaml — see README "Engineering hand-off: GitHub Issues, Jira, Linear" → "Trackers: set-up".';

/** "GitHub acme/app#12". */
export function issueName(i: Pick<TrackerIssue, 'tracker' | 'key'>): string {
  return `${TRACKER_NAME[i.tracker]} ${i.key}`;
}

/** "[GitHub acme/app#12](url) · open" as neutral markdown. */
export function issueLink(i: Pick<TrackerIssue, 'tracker' | 'key' | 'url' | 'state' | 'stateLabel'>): string {
  const label = i.stateLabel && i.stateLabel.toLowerCase() !== STATE_TEXT[i.state] ? `${STATE_TEXT[i.state]} (${plain(i.stateLabel)})` : STATE_TEXT[i.state];
  const name = plain(issueName(i));
  return `${/^https?:\/\//.test(i.url) ? `[${name}](${i.url})` : name} · ${label}`;
}

export interface PreviewFormInput {
  stateKey: string;
  ticket: Pick<Ticket, 'key'>;
  title: string;
  body: string;
  /** Tracker/project choices: value and label; `initial` is the routed one. */
  targets: { value: string; label: string }[];
  initialTarget: string;
  /** Similar open tickets that could be linked to the same issue. */
  similar: readonly string[];
  /** Preselect linking the similar tickets too (the cluster prompt's "Link all"). */
  linkSimilar: boolean;
}

/** The preview: exactly what the engineer will get, editable; nothing is created before Submit. */
export function previewForm(p: PreviewFormInput): FormView {
  const fields: FormView['fields'] = [
    { type: 'select', id: 'target', label: 'Create in', options: p.targets, initial: p.initialTarget },
    { type: 'text', id: 'title', label: 'Issue title', initial: p.title, maxLength: 200 },
    { type: 'text', id: 'body', label: 'Issue body (what the engineer gets; check it)', multiline: true, initial: p.body, maxLength: 3000 },
  ];
  if (p.similar.length)
    fields.push({
      type: 'select',
      id: 'similar',
      label: 'Similar open tickets',
      options: [
        { label: truncate(`Link ${p.similar.length} similar too: ${p.similar.join(', ')}`, 75, '…'), value: 'all' },
        { label: `Only ${p.ticket.key}`, value: 'one' },
      ],
      initial: p.linkSimilar ? 'all' : 'one',
    });
  return { formId: FORMS.handoffPreview, title: truncate(`Engineering: ${p.ticket.key}`, 24, '…'), submitLabel: 'Create issue', state: p.stateKey, fields };
}

/** "Link to existing issue": a search box (an issue key or URL works too). */
export function searchForm(t: Pick<Ticket, 'key'>, query: string): FormView {
  return {
    formId: FORMS.handoffSearch,
    title: truncate(`Link ${t.key} to issue`, 24, '…'),
    submitLabel: 'Search',
    state: t.key,
    fields: [{ type: 'text', id: 'query', label: 'Search issues (words, or a key like acme/app#12 or ENG-42)', initial: query, maxLength: 200 }],
  };
}

/** Search results, each with a Link button. */
export function searchResultsView(t: Pick<Ticket, 'key'>, query: string, results: readonly TrackerIssue[]): MessageView {
  const blocks: Block[] = [{ type: 'text', text: `**Issues matching** “${plain(truncate(query, 80, '…'))}” — pick the one ${t.key} belongs to:` }];
  if (results.length === 0) blocks.push({ type: 'context', elements: ['No issue found. Try other words, an issue key, or **Escalate to engineering** to create one.'] });
  results.slice(0, 8).forEach((r, i) => {
    blocks.push({ type: 'text', text: `${issueLink(r)} — ${plain(truncate(r.title, 120, '…'))}${r.assignee ? ` · ${plain(r.assignee)}` : ''}` });
    blocks.push({
      type: 'actions',
      blockId: `handoff-pick-${i}`,
      elements: [{ type: 'button', actionId: ACTIONS.handoffPick, label: truncate(`Link to ${issueName(r)}`, 75, '…'), value: `${t.key}|${r.tracker}|${r.key}` }],
    });
  });
  return { text: `Issues matching ${query}`, blocks };
}

export interface LinkedIssue extends TrackerIssue {
  linkedBy: string;
}

/**
 * The card's engineering section: the linked issues with their state (only where the card is
 * internal: the triage channel) and the hand-off buttons on open tickets.
 */
export function engineeringSection(t: Ticket, issues: readonly LinkedIssue[], o: { open: boolean; showIssues: boolean; similar: number }): Block[] {
  const blocks: Block[] = [];
  if (o.showIssues && issues.length)
    blocks.push({
      type: 'context',
      elements: [`:hammer_and_wrench: Engineering: ${issues.slice(0, 4).map((i) => `${issueLink(i)} · linked by ${mention(i.linkedBy)}`).join('; ')}${issues.length > 4 ? ` and ${issues.length - 4} more` : ''}`],
    });
  if (!o.open) return blocks;
  const elements: ActionElement[] = [
    { type: 'button', actionId: ACTIONS.handoffEscalate, label: 'Escalate to engineering', value: t.key },
    { type: 'button', actionId: ACTIONS.handoffLink, label: 'Link to issue…', value: t.key },
  ];
  if (o.similar > 0) elements.push({ type: 'button', actionId: ACTIONS.handoffLinkSimilar, label: truncate(`Link all ${o.similar} similar tickets`, 75, '…'), value: t.key });
  blocks.push({ type: 'actions', blockId: 'handoff-actions', elements });
  return blocks;
}

/** `/ticket show`: linked issues with state, assignee and who linked them. */
export function linkedIssuesBlocks(issues: readonly LinkedIssue[]): Block[] {
  if (!issues.length) return [];
  return [
    {
      type: 'text',
      text: `**Engineering**\n${issues.map((i) => `• ${issueLink(i)} — ${plain(truncate(i.title, 100, '…'))}${i.assignee ? ` · assignee ${plain(i.assignee)}` : ''} · linked by ${mention(i.linkedBy)}`).join('\n')}`,
    },
  ];
}

/** The line in the internal thread when a ticket is linked. */
export function linkedLine(t: Pick<Ticket, 'key'>, issue: TrackerIssue, by: string, o: { created: boolean; others: readonly string[] }): string {
  const verb = o.created ? 'created' : 'linked';
  const with_ = o.others.length ? ` (with ${o.others.slice(0, 8).join(', ')}${o.others.length > 8 ? ', …' : ''})` : '';
  return `:hammer_and_wrench: ${t.key} handed to engineering: ${mention(by)} ${verb} ${issueLink(issue)} — ${plain(truncate(issue.title, 120, '…'))}${with_}.`;
}

/** The decision shown on an escalation prompt after "Escalate to engineering". */
export function escalatedLine(by: string, issue: TrackerIssue): string {
  return `${mention(by)} escalated to engineering: ${issueLink(issue)}.`;
}

/** The line in the internal thread when a link is removed. */
export function unlinkedLine(t: Pick<Ticket, 'key'>, issue: TrackerIssue, by: string): string {
  return `:hammer_and_wrench: ${mention(by)} unlinked ${t.key} from ${plain(issueName(issue))}.`;
}

/** The comment added on an existing issue when more tickets are linked to it. */
export function anotherReportComment(reports: readonly { key: string; link: string | null }[]): string {
  const lines = reports.map((r) => (r.link ? `[${r.key}](${r.link})` : `${r.key} (frontdesk)`));
  return `Another report from support: ${lines.join(', ')}. Linked by frontdesk; customer details stay in the support thread.`;
}

export const HANDOFF_REPLY = {
  created: (issue: TrackerIssue, keys: readonly string[]) => notice(`Created ${issueLink(issue)} and linked ${keys.join(', ')}. The internal thread has the link; nothing was sent to the customer.`),
  linked: (issue: TrackerIssue, keys: readonly string[]) => notice(`Linked ${keys.join(', ')} to ${issueLink(issue)}, with a comment on the issue.`),
  alreadyLinked: (issue: TrackerIssue, keys: readonly string[]) => notice(`${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} already linked to ${issueLink(issue)}.`),
  alreadyCreated: (issueKey: string | undefined) => notice(issueKey ? `This preview was already submitted: the issue is ${plain(issueKey)}.` : 'This preview is being submitted already.'),
  expired: 'This preview is no longer available. Click **Escalate to engineering** on the card again.',
  needTitle: 'Give the issue a title.',
  needBody: 'The issue body is empty: say what the engineer should know.',
  badTarget: (v: string) => `"${v}" is not a tracker I can create issues in. Pick one from the list.`,
  needQuery: 'Type a few words of the issue, or its key (acme/app#12, ENG-42).',
  noSimilar: (key: string) => `No similar open tickets to link with ${key}.`,
  unlinked: (issue: TrackerIssue, key: string) => notice(`${key} is no longer linked to ${issueName(issue)} (the issue itself is unchanged).`),
  followUpCreated: (issue: TrackerIssue, source: string) => notice(`Created ${issueLink(issue)} for the follow-up of ${source}; it is linked to ${source}.`),
  followUpExists: (issueKey: string, source: string) => notice(`That follow-up of ${source} is already ${plain(issueKey)}.`),
  creating: (where: string, key: string) => notice(`Creating the issue for ${key} in ${where}… I will tell you here when it is there.`),
  searching: (query: string, key: string) => notice(`Searching the tracker for “${plain(truncate(query, 60, '…'))}” for ${key}… the results will appear here.`),
  linking: (issueKey: string, keys: readonly string[]) => notice(`Linking ${keys.join(', ')} to ${plain(issueKey)}… I will confirm here.`),
  failed: (message: string, retry: { actionId: string; label: string; value: string } | null): MessageView => ({
    text: message,
    blocks: [
      { type: 'text', text: `:warning: ${message}` },
      ...(retry ? [{ type: 'actions' as const, blockId: 'handoff-retry', elements: [{ type: 'button' as const, actionId: retry.actionId, label: retry.label, value: retry.value }] }] : []),
    ],
  }),
  unfinished: (key: string) =>
    `The issue for ${key} may have been created, but frontdesk could not link it. It looks for it again every few minutes; or click Retry, which finds it before creating anything.`,
  notCreated: (key: string, followUp: boolean) =>
    notice(
      followUp
        ? `The follow-up issue of ${key} was not created (frontdesk stopped or the tracker did not answer). Click **Create issue** on the plan again.`
        : `The engineering issue for ${key} was not created (frontdesk stopped or the tracker did not answer). Click **Escalate to engineering** again: your edits are kept.`,
    ),
  recovered: (issue: TrackerIssue, key: string) =>
    notice(`${key} was already handed to engineering: ${issueLink(issue)} (created just before frontdesk stopped) is now linked. Nothing new was created.`),
} as const;
