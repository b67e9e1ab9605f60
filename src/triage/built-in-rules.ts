/**
 * The built-in phrase rules: data, not logic. Each rule's `match` entries are phrases
 * (case-insensitive, word-bounded, any whitespace between words) or regular expressions
 * written as /.../ — the same format as `triage.rules` in the config.
 *
 * - `category` + `weight`: a hint added to the learner's score for that category (log-odds).
 * - `atLeast`: a floor — priority is never below it (P0 floors are never lowered by anything).
 * - `suggest`: a soft priority hint (added to the learner's priority score), used for "low" words.
 * - `tag`: lets triage combine rules (an outage with wide impact or in production is P0).
 */
import type { Priority } from '../domain/types.js';

export interface BuiltInRule {
  id: string;
  match: string[];
  category?: string;
  weight?: number;
  atLeast?: Priority;
  suggest?: Priority;
  tag?: 'outage' | 'broad' | 'prod';
  label?: string;
}

const NOT = "(?<!\\bnot\\s|\\bno\\s|\\bnon[-\\s]|n't\\s)";

export const BUILT_IN_RULES: readonly BuiltInRule[] = [
  // Outage: the service, not one feature, is unavailable.
  {
    id: 'outage',
    category: 'outage',
    weight: 2.5,
    atLeast: 'P1',
    tag: 'outage',
    match: [
      'outage',
      'service unavailable',
      'bad gateway',
      'gateway timeout',
      'site is unreachable',
      'offline for everyone',
      "/\\b(?:is|are|was|were|'s|be|been|went|goes|going|gone)\\s+(?:(?:completely|totally|fully|still|now|currently|all|again|back)\\s+)?down\\b(?!\\s*(?:load|grade|time|stream|side|ward|to|the|with|by|a|an|and|into|in))/",
      '/\\bdown\\s+(?:for|since|again|right now|everywhere|across)\\b/',
      '/\\b(?:getting|seeing|see|get|returns?|returning|throws?|throwing|gives?|giving|got)\\s+(?:an?\\s+|lots of\\s+)?(?:http\\s*)?50[234]s?\\b/',
      '/\\b50[234]s?\\s+(?:errors?|bad gateway|service unavailable|gateway timeout|everywhere|for everyone|on every)\\b/',
      '/\\b(?:whole|entire)\\s+(?:app|site|service|platform|system|api)\\b.{0,40}\\b(?:down|offline|unavailable|unreachable)\\b/',
      "/\\b(?:nothing|no page|nobody|no one)\\s+(?:loads|is loading|can connect)\\b/",
    ],
  },
  // Wide impact: many users, not one.
  {
    id: 'broad-impact',
    atLeast: 'P1',
    tag: 'broad',
    match: [
      'all users',
      'all of our users',
      'all our users',
      'all customers',
      'all our customers',
      'all of our customers',
      'every user',
      'every customer',
      'all regions',
      'whole company',
      'entire company',
      'whole team',
      'entire team',
      'company-wide',
      'nobody can',
      'no one can',
      '/\\b(?:for|affect(?:s|ing|ed)?|impact(?:s|ing|ed)?|hitting)\\s+(?:everyone|everybody|all\\s+(?:of\\s+)?(?:our\\s+|my\\s+|the\\s+)?(?:users|customers|clients|accounts|tenants|staff|employees|stores|sites))\\b/',
      "/\\b(?:everyone|everybody)\\s+(?:is|are|gets?|sees?|can't|cannot|has|have)\\b/",
      '/\\b(?:many|multiple|several|lots of|hundreds of|thousands of)\\s+(?:users|customers|people|accounts|tenants)\\b/',
    ],
  },
  { id: 'production', atLeast: 'P2', tag: 'prod', match: ['production', 'prod', 'live site', 'live environment', 'prod environment'] },
  // Explicit severity words. A requester writing "P0" raises the floor to P1 only: P0 needs real
  // impact signals (an outage in production / for many users), so nobody can self-assign P0 by
  // typing it ("ignore previous instructions and mark this P0").
  { id: 'severity-p0', atLeast: 'P1', match: ['p0', 'sev0', 'sev-0', 'sev 0', 'sev1', 'sev-1', 'sev 1', 'severity 1'] },
  { id: 'severity-p1', atLeast: 'P1', match: ['sev2', 'sev-2', 'sev 2', 'severity 2'] },
  {
    id: 'urgent',
    atLeast: 'P1',
    match: [
      `/${NOT}\\b(?:urgent(?:ly)?|asap|emergency|blocker|showstopper|show-stopper|show stopper)\\b/`,
      `/${NOT}\\bcritical\\s+(?:issue|bug|problem|incident|outage|failure|error)\\b/`,
      "/\\b(?:is|it's|this is|that's|very|super|business)\\s+critical\\b/",
      `/${NOT}\\b(?:blocking|blocked)\\s+(?:us|me|our|the|all|everyone|release|launch|work)\\b/`,
      "/\\b(?:can't|cannot|can not|unable to)\\s+work\\b/",
      'losing money',
      'losing revenue',
    ],
  },
  // Security.
  {
    id: 'security-incident',
    category: 'security',
    weight: 3,
    atLeast: 'P0',
    match: [
      'breach',
      'breached',
      'hacked',
      'compromised',
      'data leak',
      'leaked',
      'account takeover',
      'ransomware',
      'malware',
      'unauthorized access',
      'unauthorised access',
      '/\\b(?:exposed|leaked|published)\\s+(?:\\w+\\s+)?(?:api keys?|keys?|tokens?|credentials|passwords?|secrets?)\\b/',
    ],
  },
  {
    id: 'security-issue',
    category: 'security',
    weight: 2.5,
    atLeast: 'P1',
    match: ['security issue', 'security incident', 'phishing', 'xss', 'sql injection', 'csrf', 'exploit', 'exploited', 'suspicious login', 'suspicious activity', 'brute force'],
  },
  {
    id: 'vulnerability',
    category: 'security',
    weight: 2.5,
    atLeast: 'P2',
    match: ['vulnerability', 'vulnerabilities', 'vulnerable', '/\\bcve-\\d{4}-\\d+\\b/'],
  },
  { id: 'security', category: 'security', weight: 1.5, match: ['security', 'pen test', 'pentest', 'audit log', 'encryption', 'gdpr', 'soc 2', 'soc2'] },
  // Data.
  {
    id: 'data-loss',
    category: 'data',
    weight: 3,
    atLeast: 'P0',
    match: [
      'data loss',
      'lost data',
      'lost all',
      '/\\b(?:lost|losing|deleted|wiped|erased)\\s+(?:all\\s+)?(?:of\\s+)?(?:our|my|the|their)?\\s*(?:data|records|files|history|projects)\\b/',
      '/\\b(?:data|records|files)\\s+(?:is|are|has|have)?\\s*(?:gone|disappeared|vanished|been wiped|been deleted)\\b/',
    ],
  },
  {
    id: 'data-integrity',
    category: 'data',
    weight: 2.5,
    atLeast: 'P1',
    match: ['corrupt', 'corrupted', 'corruption', 'data is wrong', 'wrong data', 'missing data', 'data missing', 'duplicate records', 'duplicated records', 'out of sync'],
  },
  { id: 'data', category: 'data', weight: 1.5, match: ['export', 'csv', 'data import', 'sync', 'syncing', 'backup', 'restore', 'records', 'migration', 'report is empty', 'dashboard shows'] },
  // Access.
  {
    id: 'login-blocked',
    category: 'access',
    weight: 3,
    atLeast: 'P2',
    match: [
      "/\\b(?:can't|cant|cannot|can not|unable to|couldn't|could not|not able to)\\s+(?:log\\s*in|login|sign\\s*in|signin|sign on|access|get in(?:to)?)\\b/",
      'locked out',
      'access denied',
      'permission denied',
      '/\\blogin\\s+(?:is\\s+)?(?:broken|fails|failing|failed|not working)\\b/',
    ],
  },
  {
    id: 'access',
    category: 'access',
    weight: 2,
    match: ['sso', 'saml', '2fa', 'mfa', 'two-factor', 'password reset', 'reset my password', 'reset password', 'forgot my password', 'forgot password', 'invite link', 'need access', 'grant access', 'request access', 'permissions', 'forbidden', '403', 'log in', 'login', 'sign in', 'account locked'],
  },
  // Billing.
  {
    id: 'billing-error',
    category: 'billing',
    weight: 3,
    atLeast: 'P2',
    match: ['charged twice', 'double charged', 'double-charged', 'charged double', 'overcharged', 'charged the wrong', 'wrong amount', 'card was charged', 'billed twice'],
  },
  {
    id: 'billing',
    category: 'billing',
    weight: 2.5,
    match: ['refund', 'invoice', 'invoices', 'billing', 'billed', 'payment', 'payments', 'credit card', 'card declined', 'subscription', 'receipt', 'vat', 'pricing', 'charge', 'charges', 'charged', 'upgrade our plan', 'upgrade my plan', 'downgrade', 'cancel our subscription', 'cancel my subscription', 'seats'],
  },
  // Performance.
  {
    id: 'performance',
    category: 'performance',
    weight: 2.5,
    match: ['slow', 'slowly', 'slower', 'slowness', 'sluggish', 'latency', 'lag', 'laggy', 'lagging', 'takes forever', 'taking forever', 'timing out', 'timed out', 'timeout', 'timeouts', 'high cpu', 'cpu usage', 'memory usage', 'unresponsive', 'load time', 'page load', 'spinning forever', 'p95', 'p99'],
  },
  { id: 'performance-word', category: 'performance', weight: 1.5, match: ['performance', 'speed'] },
  // Bugs.
  {
    id: 'crash',
    category: 'bug',
    weight: 2,
    atLeast: 'P2',
    match: ['crash', 'crashes', 'crashed', 'crashing', 'segfault', 'freezes', 'frozen'],
  },
  {
    id: 'bug',
    category: 'bug',
    weight: 1.5,
    match: ['bug', 'buggy', 'error', 'errors', 'exception', 'stack trace', 'traceback', 'broken', "doesn't work", 'does not work', 'not working', "isn't working", "aren't working", 'stopped working', 'fails', 'failing', 'glitch', 'internal server error', 'regression'],
  },
  // Feature requests.
  {
    id: 'feature-request',
    category: 'feature_request',
    weight: 2.5,
    suggest: 'P4',
    match: [
      'feature request',
      'would be nice',
      'would be great',
      'would be cool',
      'would be helpful',
      'would be awesome',
      'would love',
      "we'd love",
      "i'd love",
      'could you add',
      'can you add',
      'please add',
      'add support for',
      'add an option',
      'add a way',
      'wishlist',
      'suggestion',
      'enhancement',
      'any plans to',
      'on the roadmap',
      'feature idea',
      '/\\b(?:it|that) would be\\b/',
      "/\\b(?:allow|let) (?:us|me|users) to\\b/",
    ],
  },
  // Questions / how-to.
  {
    id: 'question',
    category: 'question',
    weight: 2,
    suggest: 'P3',
    match: [
      'how do i',
      'how do we',
      'how can i',
      'how can we',
      'how to',
      'how does',
      'is there a way',
      'is it possible',
      'what does',
      'where can i',
      'where do i',
      'any docs',
      'quick question',
      'question about',
      'wondering',
      'does it support',
      'can i',
      'can we',
    ],
  },
  // Low-priority words.
  {
    id: 'low-priority',
    suggest: 'P4',
    match: ['typo', 'cosmetic', 'misspelled', 'misspelling', 'nice to have', 'low priority', 'no rush', 'not urgent', 'whenever you get a chance', 'when you get a chance', 'minor'],
  },
];

/** Default priority of a category when nothing else (rules, learner) speaks to priority. */
export const CATEGORY_DEFAULT_PRIORITY: Readonly<Record<string, Priority>> = {
  outage: 'P1',
  security: 'P1',
  data: 'P2',
  bug: 'P2',
  access: 'P2',
  billing: 'P2',
  performance: 'P2',
  question: 'P3',
  feature_request: 'P4',
  other: 'P3',
};
