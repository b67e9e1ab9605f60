/**
 * One zod schema for all of frontdesk's configuration. Every field has a default taken from
 * the support model (P0 1h/4h, P1 4h/24h, ...), so a missing file runs a sensible desk.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { DEFAULT_CATEGORIES, PRIORITIES } from '../domain/types.js';
import { parseDuration } from '../util/duration.js';

/** A duration string like "4h", "30m", "3d", "1h30m"; parsed to milliseconds. */
export const durationSchema = z
  .string({ error: (iss) => `expected a duration like "4h", got ${JSON.stringify(iss.input)}` })
  .transform((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like "4h", got ${JSON.stringify(s)}` });
      return z.NEVER;
    }
    return ms;
  });

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (iss) => `expected a 24h time like "09:00", got ${JSON.stringify(iss.input)}` });

export const timezoneSchema = z.string().refine((tz) => IANAZone.isValidZone(tz), {
  error: (iss) => `expected an IANA time zone like "Europe/Berlin", got ${JSON.stringify(iss.input)}`,
});

const isoDate = z.string().refine((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && DateTime.fromISO(d).isValid, {
  error: (iss) => `expected a date like "2026-12-25", got ${JSON.stringify(iss.input)}`,
});

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Weekday as "mon".."sun" or 1..7 (ISO, Monday = 1); normalised to 1..7. */
export const weekdaySchema = z.union([z.number().int().min(1).max(7), z.enum(WEEKDAY_NAMES)]).transform((d) =>
  typeof d === 'number' ? d : WEEKDAY_NAMES.indexOf(d) + 1,
);

const priority = z.enum(PRIORITIES, { error: (iss) => `expected one of P0, P1, P2, P3, P4, got ${JSON.stringify(iss.input)}` });

export const businessHoursSchema = z
  .object({
    timezone: timezoneSchema.default('UTC').describe('IANA time zone the hours are in'),
    days: z.array(weekdaySchema).default([1, 2, 3, 4, 5]).describe('working weekdays, "mon".."sun"'),
    start: timeOfDay.default('09:00').describe('start of the working day, local time'),
    end: timeOfDay.default('17:00').describe('end of the working day; earlier than start means across midnight'),
    holidays: z.array(isoDate).default([]).describe('dates with no working hours'),
  })
  .strict();

const slaTarget = z
  .object({
    firstResponse: durationSchema.describe('time to the first human response'),
    resolution: durationSchema.describe('time to resolution (paused while waiting on the customer)'),
    hours: z.enum(['calendar', 'business']).default('calendar').describe('count calendar time or business hours'),
  })
  .strict();

const DEFAULT_SLA = {
  P0: { firstResponse: '1h', resolution: '4h', hours: 'calendar' },
  P1: { firstResponse: '4h', resolution: '24h', hours: 'calendar' },
  P2: { firstResponse: '24h', resolution: '3d', hours: 'calendar' },
  P3: { firstResponse: '3d', resolution: '7d', hours: 'calendar' },
  P4: { firstResponse: '7d', resolution: '14d', hours: 'calendar' },
} as const;

export const slaSchema = z
  .object({
    P0: slaTarget.prefault(DEFAULT_SLA.P0 as never),
    P1: slaTarget.prefault(DEFAULT_SLA.P1 as never),
    P2: slaTarget.prefault(DEFAULT_SLA.P2 as never),
    P3: slaTarget.prefault(DEFAULT_SLA.P3 as never),
    P4: slaTarget.prefault(DEFAULT_SLA.P4 as never),
    thresholds: z
      .array(z.number().gt(0).max(1))
      .default([0.5, 0.75, 0.9, 1])
      .describe('fractions of a target at which the owner is pinged; 1 = breach'),
    dmThreshold: z.number().gt(0).max(1).default(0.9).describe('from this fraction on, pings also go by DM'),
  })
  .strict();

const onCallSchema = z
  .object({
    rotation: z.array(z.string()).default([]).describe('user ids in rotation order'),
    every: z.enum(['day', 'week']).default('week'),
    startsAt: isoDate.default('2026-01-05').describe('date the first person in the rotation starts'),
  })
  .strict();

export const teamSchema = z
  .object({
    id: z.string().min(1).describe('team id'),
    name: z.string().optional().describe('display name'),
    members: z.array(z.string()).default([]).describe('user ids of the agents in this team'),
    routing: z.enum(['round_robin', 'on_call', 'none']).default('round_robin'),
    onCall: onCallSchema.optional(),
    timezone: timezoneSchema.optional().describe('defaults to the desk time zone'),
    mentionGroup: z.string().optional().describe('a user group id to mention when nobody is on call'),
  })
  .strict();

export const channelSchema = z
  .object({
    id: z.string().min(1).describe('channel id (Slack C…, Teams conversation id, local channel name)'),
    team: z.string().optional().describe('team that owns requests from this channel'),
    persona: z.string().optional().describe('persona id used for suggested replies here'),
    vip: z.boolean().default(false).describe('requests here count as VIP'),
    triageChannel: z
      .string()
      .min(1)
      .optional()
      .describe('private triage channel for tickets from this channel (overrides the top-level triageChannel)'),
  })
  .strict();

const ruleSchema = z
  .object({
    id: z.string().min(1).describe('a name for the rule (shown as the signal source)'),
    match: z.array(z.string().min(1)).min(1).describe('phrases (case-insensitive, whole words) or /regular expressions/'),
    category: z.string().optional().describe('category to set when it matches'),
    priority: priority.optional().describe('priority to set when it matches'),
    atLeast: priority.optional().describe('raise priority to at least this (never lowers)'),
    label: z.string().optional().describe('text shown on the card (default: matched "PHRASE")'),
  })
  .strict();

const escalationRuleSchema = z
  .object({
    id: z.string().min(1).describe('a name for the rule'),
    trigger: z.enum(['priority', 'breach', 'unassigned', 'cluster', 'keywords', 'vip']).describe('what starts the escalation'),
    priorities: z.array(priority).optional().describe('for trigger=priority (default P0, P1)'),
    keywords: z.array(z.string()).optional().describe('for trigger=keywords'),
    afterMinutes: z.number().int().positive().optional().describe('for trigger=unassigned'),
    count: z.number().int().min(2).optional().describe('for trigger=cluster: this many similar tickets'),
    windowMinutes: z.number().int().positive().optional().describe('for trigger=cluster: within this window'),
    escalateTo: z.string().describe('tier id, team id or a user id'),
    timeframe: durationSchema.optional().describe('how quickly the escalation target should act'),
    notify: z.array(z.string()).default([]).describe('extra user ids to mention'),
  })
  .strict();

const tierSchema = z
  .object({
    id: z.string().describe('tier id used by escalateTo'),
    name: z.string().describe('shown in prompts'),
    members: z.array(z.string()).default([]).describe('user ids mentioned when a ticket escalates here'),
    target: durationSchema.optional().describe('how fast this tier should respond'),
  })
  .strict();

export const configSchema = z
  .object({
    timezone: timezoneSchema.default('UTC').describe('the desk time zone (digest times, business hours default)'),
    channels: z
      .array(channelSchema)
      .default([])
      .describe('support channels; empty = every channel the bot is in'),
    triageChannel: z
      .string()
      .min(1)
      .optional()
      .describe(
        'private channel where agents work tickets (card, prompts, pings, plans, drafts); customers then see only an acknowledgement and agents\' replies. Unset = inline mode',
      ),
    agents: z.array(z.string()).default([]).describe('user ids of support agents'),
    agentGroups: z.array(z.string()).default([]).describe('Slack user group ids whose members are agents'),
    leads: z.array(z.string()).default([]).describe('user ids of leads (get the digest, can do everything agents can)'),
    away: z.array(z.string()).default([]).describe('user ids skipped by routing (on leave)'),
    vipCustomers: z.array(z.string()).default([]).describe('requester ids treated as VIP'),
    customerTiers: z
      .record(z.string(), z.enum(['enterprise', 'business', 'standard', 'free']))
      .default({})
      .describe('requester id → plan tier; enterprise raises priority one step'),
    categories: z
      .array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'category ids are lower_snake_case'))
      .min(1)
      .default([...DEFAULT_CATEGORIES])
      .describe('the category taxonomy'),
    triage: z
      .object({
        rules: z.array(ruleSchema).default([]).describe('extra rules, applied after the built-in ones'),
        builtInRules: z.boolean().default(true).describe('use the built-in phrase rules'),
        learner: z.boolean().default(true).describe('use the learner trained from history and corrections'),
      })
      .strict()
      .default({ rules: [], builtInRules: true, learner: true }),
    sla: slaSchema.prefault({} as never),
    businessHours: businessHoursSchema.prefault({} as never),
    teams: z
      .array(teamSchema)
      .default([{ id: 'support', name: 'Support', members: [], routing: 'round_robin' } as never]),
    routing: z
      .object({
        defaultTeam: z.string().default('support'),
        categoryTeams: z.record(z.string(), z.string()).default({}).describe('category → team id'),
      })
      .strict()
      .default({ defaultTeam: 'support', categoryTeams: {} }),
    escalation: z
      .object({
        tiers: z.array(tierSchema).default([
          { id: 'tier2', name: 'Tier 2', members: [] } as never,
          { id: 'tier3', name: 'Tier 3 / Engineering', members: [] } as never,
          { id: 'executive', name: 'Executive', members: [] } as never,
        ]),
        rules: z.array(escalationRuleSchema).default([
          { id: 'p0-p1', trigger: 'priority', priorities: ['P0', 'P1'], escalateTo: 'tier2', notify: [] } as never,
          { id: 'security', trigger: 'keywords', keywords: ['security', 'breach', 'leak', 'data loss', 'hacked', 'vulnerability'], escalateTo: 'tier3', notify: [] } as never,
          { id: 'vip', trigger: 'vip', escalateTo: 'tier2', notify: [] } as never,
          { id: 'cluster', trigger: 'cluster', count: 3, windowMinutes: 30, escalateTo: 'tier3', notify: [] } as never,
          { id: 'unassigned', trigger: 'unassigned', afterMinutes: 30, escalateTo: 'tier2', notify: [] } as never,
          { id: 'breach', trigger: 'breach', escalateTo: 'tier2', notify: [] } as never,
        ]),
      })
      .strict()
      .prefault({} as never),
    digest: z
      .object({
        channels: z.array(z.string()).default([]).describe('channels that get the daily digest'),
        time: timeOfDay.default('09:00'),
        weekdays: z.array(weekdaySchema).default([1, 2, 3, 4, 5]),
        weeklyDay: weekdaySchema.default(1).describe('weekday of the weekly summary'),
        targets: z
          .object({
            csat: z.number().min(0).max(1).default(0.9).describe('target share of satisfied ratings (4–5 of 5); the digest marks it'),
            fcr: z.number().min(0).max(1).default(0.8).describe('target first-contact resolution rate; the digest marks it'),
          })
          .strict()
          .prefault({} as never),
      })
      .strict()
      .prefault({} as never),
    scheduler: z
      .object({
        slaSweep: z.string().default('* * * * *').describe('cron expression (6 fields allowed, with seconds)'),
        outboxPollMs: z.number().int().positive().default(1000),
      })
      .strict()
      .prefault({} as never),
    retention: z
      .object({
        schedule: z.string().default('*/10 * * * *').describe('cron expression of the retention job (one replica runs it per tick)'),
        sentOutboxDays: z
          .number()
          .positive()
          .default(30)
          .describe('keep sent outbox rows this long (a decided fix-update prompt replaces the copies it finds among them)'),
        processedInboxHours: z.number().positive().default(1).describe('keep processed inbound deliveries this long (re-deliveries within it are recognised)'),
        inboundIdDays: z.number().positive().default(7).describe('keep inbound event ids (duplicate-delivery protection) this long'),
        replayMinutes: z.number().positive().default(15).describe("keep signed requests' replay keys this long (longer than the platforms' 5-minute window)"),
        formStateDays: z.number().positive().default(7).describe('forget open forms (Create ticket, engineering hand-off previews) after this long'),
      })
      .strict()
      .prefault({} as never),
    csat: z
      .object({
        enabled: z.boolean().default(true).describe('ask the requester to rate the resolution (1–5, with a "still broken" button)'),
        changeWindowHours: z.number().positive().default(24).describe('how long after the first answer the requester may change it'),
      })
      .strict()
      .prefault({} as never),
    reactions: z
      .object({
        acknowledge: z.string().default('eyes'),
        resolve: z.string().default('white_check_mark'),
        ticket: z.string().default('ticket'),
      })
      .strict()
      .prefault({} as never),
    personas: z
      .object({
        dir: z.string().default('prompts'),
        default: z.string().default('support-specialist'),
      })
      .strict()
      .prefault({} as never),
    ai: z
      .object({
        model: z.string().default('claude-sonnet-4-6'),
        timeout: durationSchema.prefault('20s' as never),
        maxRetries: z.number().int().min(0).max(10).default(2),
        concurrency: z.number().int().min(1).max(64).default(4),
        dailyTokenBudget: z.number().int().min(0).default(2_000_000).describe('input+output tokens per day; 0 = AI off'),
        redactPatterns: z.array(z.string()).default([]).describe('extra regular expressions to redact before sending'),
      })
      .strict()
      .prefault({} as never),
    server: z
      .object({
        port: z.number().int().min(0).max(65535).default(3000),
        host: z.string().default('127.0.0.1'),
      })
      .strict()
      .prefault({} as never),
    knowledge: z
      .object({
        paths: z
          .array(z.string().min(1))
          .default([])
          .describe('folders of Markdown answers (one per file or per "##" section; front matter id, title, category, tags), relative to the working directory'),
        refresh: z.string().default('*/5 * * * *').describe('cron expression: how often the folders are checked for changed files (also checked at start)'),
        offer: z
          .boolean()
          .default(true)
          .describe("answer a new request in the customer's thread when a known answer matches confidently, before agents are paged (never P0/P1 or security)"),
        offerTimeout: durationSchema
          .prefault('30m' as never)
          .describe('how long an offered answer waits for "That solved it" / "I still need help"; then the normal flow goes on'),
        suggestions: z.number().int().min(0).max(5).default(3).describe('known answers listed on the internal card, each with "Send answer" (0 = none)'),
        match: z
          .object({
            threshold: z.number().min(0).max(1).default(0.65).describe('score (0..1) from which a known answer is offered'),
            categoryThresholds: z
              .record(z.string(), z.number().min(0).max(1))
              .default({})
              .describe("answer category → threshold, overriding `threshold` (e.g. billing: 0.7)"),
            neutralCategories: z
              .array(z.string())
              .default(['question', 'other'])
              .describe('triage categories that neither agree nor disagree with an answer; the answer then needs `neutralMargin` more'),
            neutralMargin: z.number().min(0).max(1).default(0.05).describe('extra score needed when the category is neutral or the answer has none'),
            disagreeMargin: z
              .number()
              .min(0)
              .max(1)
              .default(0.15)
              .describe('extra score needed when the triage category differs from the answer\'s (1 = never offer then)'),
            malfunctionMargin: z
              .number()
              .min(0)
              .max(1)
              .default(0.15)
              .describe('extra score needed when the request reports a malfunction ("never arrives", "error") instead of asking how to, and the answer does not mention it'),
            minLead: z.number().min(0).max(1).default(0.04).describe('how far the best answer must lead the next one (else it is ambiguous and not offered)'),
          })
          .strict()
          .prefault({} as never)
          .describe('when a known answer is offered: never for P0/P1 or security requests'),
      })
      .strict()
      .prefault({} as never),
    trackers: z
      .object({
        default: z
          .enum(['github', 'jira', 'linear'])
          .optional()
          .describe('tracker used by "Escalate to engineering" when no route matches; unset = the only configured tracker'),
        github: z
          .object({
            repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected "owner/repo"').describe('repository issues are created in (owner/repo)'),
            labels: z.array(z.string()).default([]).describe('labels added to every issue'),
            priorityLabels: z
              .partialRecord(z.enum(['P0', 'P1', 'P2', 'P3', 'P4']), z.string())
              .default({})
              .describe('priority → label added to the issue (e.g. P0: "priority: critical")'),
          })
          .strict()
          .optional()
          .describe('GitHub Issues (token from GITHUB_TOKEN; GITHUB_API_URL for GitHub Enterprise; webhook secret GITHUB_WEBHOOK_SECRET)'),
        jira: z
          .object({
            site: z.string().url().describe('Jira Cloud site, e.g. https://acme.atlassian.net'),
            project: z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'expected a Jira project key like "OPS"').describe('project key issues are created in'),
            issueType: z.string().default('Bug'),
            labels: z.array(z.string()).default([]),
            priorities: z
              .partialRecord(z.enum(['P0', 'P1', 'P2', 'P3', 'P4']), z.string())
              .default({ P0: 'Highest', P1: 'High', P2: 'Medium', P3: 'Low', P4: 'Lowest' })
              .describe("priority → Jira priority name"),
          })
          .strict()
          .optional()
          .describe('Jira Cloud (JIRA_EMAIL + JIRA_API_TOKEN; webhook secret JIRA_WEBHOOK_SECRET)'),
        linear: z
          .object({
            team: z.string().min(1).describe('Linear team key (e.g. "ENG") issues are created in'),
            labels: z.array(z.string()).default([]).describe('label names added to every issue'),
            priorities: z
              .partialRecord(z.enum(['P0', 'P1', 'P2', 'P3', 'P4']), z.number().int().min(0).max(4))
              .default({ P0: 1, P1: 2, P2: 3, P3: 4, P4: 4 })
              .describe('priority → Linear priority (1 urgent … 4 low, 0 none)'),
          })
          .strict()
          .optional()
          .describe('Linear (LINEAR_API_KEY; webhook secret LINEAR_WEBHOOK_SECRET)'),
        routes: z
          .array(
            z
              .object({
                category: z.string().optional(),
                team: z.string().optional().describe('team id (the ticket\'s routed team)'),
                tracker: z.enum(['github', 'jira', 'linear']),
                project: z.string().optional().describe('overrides the tracker\'s repo / project / team'),
                labels: z.array(z.string()).default([]),
              })
              .strict(),
          )
          .default([])
          .describe('first match by category and/or team picks the tracker and project'),
        poll: z
          .string()
          .default('*/5 * * * *')
          .describe('cron expression: how often linked open issues are re-read (the fallback when webhooks cannot reach frontdesk)'),
      })
      .strict()
      .prefault({} as never)
      .describe('engineering hand-off: escalate tickets into GitHub Issues, Jira or Linear and hear back'),
    limits: z
      .object({
        maxTextLength: z.number().int().positive().default(40_000),
      })
      .strict()
      .prefault({} as never),
  })
  .strict();

export type FrontdeskConfig = z.output<typeof configSchema>;
export type TeamConfig = z.output<typeof teamSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
export type EscalationRule = FrontdeskConfig['escalation']['rules'][number];
export type TriageRule = z.output<typeof ruleSchema>;
export type BusinessHoursConfig = z.output<typeof businessHoursSchema>;
