/**
 * Offline triage that explains itself and learns: category, priority and the signals behind
 * both, from two layers — phrase rules (built-in + config) and a learner trained on labelled
 * history and agents' corrections.
 *
 * How a decision is made:
 * - Not a request: empty text, or only greetings/thanks/acks/emoji → `isRequest: false`
 *   (category "other" when the taxonomy has it, priority P4).
 * - Category: learner log-probabilities + each matching rule's weight for its category (built-in
 *   rules are strong hints, so a learner trained by corrections can still overrule them;
 *   config rules are authoritative). Without a learner the rules decide; with neither,
 *   "question" for a "?" text, else "other".
 * - Priority: learner (or the category's default when it has no priority data) + soft hints
 *   ("typo" → P4) → a base priority. A config rule's `priority` sets it. Then floors: every
 *   matched rule's `atLeast` (an outage with wide impact or in production is P0). A P0 from a
 *   rule is therefore never lowered by the learner. Once the desk has FLOOR_EVIDENCE priority
 *   examples of its own (the shipped seeds don't count), built-in floors below P0 ("urgent" →
 *   at least P1) are soft hints instead, weighed against what the learner learned there.
 * - Customer: enterprise tier (config.customerTiers) raises one step (P2 → P1); VIP
 *   (config.vipCustomers, a VIP channel) raises to at least P2 — a VIP request is never low
 *   priority, but a VIP's how-to is not an emergency either; the `vip` escalation rule covers
 *   visibility. Both add a signal.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FrontdeskConfig } from '../config/schema.js';
import { InputInvalidError } from '../domain/errors.js';
import { PRIORITIES, type Priority, type Signal } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { TrainingRepo } from '../store/training-repo.js';
import { CATEGORY_DEFAULT_PRIORITY } from './built-in-rules.js';
import { isChitChat } from './chit-chat.js';
import { type LabelledExample, Learner, argmax } from './learner.js';
import { type CompiledRule, type RuleHit, compileRules, matchRules } from './rules.js';
import { cleanText } from './text.js';

export interface TriageInput {
  text: string;
  requesterId?: string;
  channelId?: string;
  vipChannel?: boolean;
}

export interface TriageResult {
  isRequest: boolean;
  category: string;
  priority: Priority;
  signals: Signal[];
  confidence: { category: number; priority: number };
  /** The learner chose the priority and was unsure (below LOW_CONFIDENCE); a signal says so. */
  lowConfidence: boolean;
}

/** A labelled example for `Triage.learn`. */
export interface LearnExample {
  text: string;
  /** The channel the text arrived in (the ticket's channel), if known. */
  channel?: string | null;
  category?: string;
  priority?: Priority;
}

export interface TriageOptions {
  /** The learner; `null` = rules only; omitted = a fresh one if config.triage.learner. */
  learner?: Learner | null;
  /** How many examples built-in category hints are worth (see `ruleFade`). */
  ruleEvidence?: number;
  /** How many examples built-in soft priority hints are worth (see `ruleFade`). */
  priorityEvidence?: number;
  /** How many examples of the desk's own history built-in category hints are worth (see `ruleFade`). */
  ownRuleEvidence?: number;
  /** How many examples of the desk's own history built-in priority hints are worth (see `ruleFade`). */
  ownPriorityEvidence?: number;
  /**
   * How many of the learner's examples per head are the shipped seed examples: they count as the
   * rules' companions, not as the desk's own history (see `ruleFade`, `softFloors`).
   */
  shipped?: { category: number; priority: number };
}

/** Sample weight of an agent's correction (imports and seeds weigh 1). */
export const CORRECTION_WEIGHT = 3;
/** Most recent stored examples used at start-up (bounds training time and memory). */
export const MAX_TRAINING_EXAMPLES = 50_000;
/** Built-in category hints count fully with an untrained learner, half after this many examples. */
export const RULE_EVIDENCE = 1000;
/** Soft priority hints ("typo" → P4) count fully untrained, half after this many priority examples. */
export const PRIORITY_RULE_EVIDENCE = 300;
/**
 * A desk's own history (anything but the shipped seeds) outweighs the built-in category hints
 * faster: they count half again after this many of its own examples. 5-fold CV on NLBSE issues
 * (no seeds), mean of 3 fold seeds: macro-F1 0.781 with 1000 (the seeds' rate), 0.793 with 250.
 */
export const OWN_RULE_EVIDENCE = 250;
/** The same for soft priority hints. */
export const OWN_PRIORITY_EVIDENCE = 300;
/**
 * Subject categories that a how-to is about (a how-to about a bug or an idea stays a question);
 * `other` is matched only by its own rule (contact, feedback, newsletters).
 */
const TOPICS = new Set(['access', 'billing', 'data', 'security', 'performance', 'outage', 'other']);
/**
 * Built-in floors below P0 become hints of SOFT_FLOOR_WEIGHT (log-odds) once the learner has
 * this many priority examples of the desk's own (5-fold CV on Hadoop priorities, mean of 6 fold
 * seeds: macro-F1 0.363 → 0.378 at the same P0+P1 recall; hints of 0.75 or 3 did worse).
 */
export const FLOOR_EVIDENCE = 300;
const SOFT_FLOOR_WEIGHT = 1.5;
/** Below this probability a learner-chosen priority is shown as "low confidence". */
export const LOW_CONFIDENCE = 0.5;
/** Strength of a soft priority hint, in log-odds. */
const SUGGEST_WEIGHT = 1.5;
const P2 = 2;

const rank = (p: Priority): number => PRIORITIES.indexOf(p);
/** A built-in floor that a desk's own history may outweigh (never a P0 one, never a config rule's). */
const isSoftFloor = (h: RuleHit): boolean => h.rule.origin === 'builtin' && h.rule.atLeast !== undefined && h.rule.atLeast !== 'P0';
const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Sample weight of a stored example by its source. */
export function weightForSource(source: string): number {
  return source === 'correction' ? CORRECTION_WEIGHT : 1;
}

/**
 * Rules + learner triage.
 * @example
 * const t = createTriage(parseConfig({}));
 * t.classify({ text: 'Production is down for all our customers' }).priority // 'P0'
 */
export class Triage {
  readonly config: FrontdeskConfig;
  readonly categories: readonly string[];
  readonly learner: Learner | null;
  private readonly rules: CompiledRule[];
  private readonly catIndex: Map<string, number>;
  private readonly vipCustomers: Set<string>;
  private readonly vipChannels: Set<string>;
  private readonly ruleEvidence: number;
  private readonly priorityEvidence: number;
  private readonly ownEvidence: { category: number; priority: number };
  private readonly shipped: { category: number; priority: number };

  constructor(config: FrontdeskConfig, opts: TriageOptions = {}) {
    this.config = config;
    this.categories = [...config.categories];
    this.catIndex = new Map(this.categories.map((c, i) => [c, i]));
    this.rules = compileRules(config, this.categories);
    this.learner = opts.learner === undefined ? (config.triage.learner ? new Learner(this.categories) : null) : opts.learner;
    this.vipCustomers = new Set(config.vipCustomers);
    this.vipChannels = new Set(config.channels.filter((c) => c.vip).map((c) => c.id));
    this.ruleEvidence = opts.ruleEvidence ?? RULE_EVIDENCE;
    this.priorityEvidence = opts.priorityEvidence ?? PRIORITY_RULE_EVIDENCE;
    this.ownEvidence = { category: opts.ownRuleEvidence ?? OWN_RULE_EVIDENCE, priority: opts.ownPriorityEvidence ?? OWN_PRIORITY_EVIDENCE };
    this.shipped = opts.shipped ?? { category: 0, priority: 0 };
  }

  /** Classify one message. Never throws on odd text. */
  classify(input: TriageInput): TriageResult {
    const safe: TriageInput = input && typeof input === 'object' ? input : { text: '' };
    const text = cleanText(typeof safe.text === 'string' ? safe.text : '');
    if (!text.trim() || isChitChat(text)) return this.notRequest(text, safe);
    return this.decide(text, safe, true);
  }

  private notRequest(text: string, input: TriageInput): TriageResult {
    const signal: Signal = { kind: 'request', label: text.trim() ? 'greeting, thanks or acknowledgement' : 'empty message', source: 'chit-chat', value: 'false' };
    if (!this.catIndex.has('other')) {
      const r = this.decide(text, input, false);
      return { ...r, isRequest: false, signals: [signal, ...r.signals] };
    }
    return { isRequest: false, category: 'other', priority: 'P4', signals: [signal], confidence: { category: 1, priority: 1 }, lowConfidence: false };
  }

  private decide(text: string, input: TriageInput, isRequest: boolean): TriageResult {
    const signals: Signal[] = [];
    const hits = matchRules(this.rules, text);
    const pred = this.learner?.predict(text, input.channelId) ?? null;

    // ---- category
    const k = this.categories.length;
    const scores = new Float64Array(k);
    const learnerCat = pred?.category ?? null;
    if (learnerCat) {
      for (let i = 0; i < learnerCat.labels.length; i++) {
        const c = this.catIndex.get(learnerCat.labels[i]!);
        if (c !== undefined) scores[c] = Math.log(Math.max(learnerCat.probs[i]!, 1e-6));
      }
    }
    const tags = new Set<string>();
    for (const h of hits) if (h.rule.tag) tags.add(h.rule.tag);
    // One customer's team unable to log in is P1 (a customer blocked); a service down for all is P0.
    // A core flow (checkout, payments, login) failing for many users is an outage too.
    const wide = (tags.has('outage') && (tags.has('broad') || tags.has('prod'))) || (tags.has('failing') && tags.has('broad'));
    const { bonus, shown, impact } = this.categoryBonus(hits, wide);
    const anyCategoryRule = shown.length > 0;
    for (const { hit, w } of shown)
      signals.push({ kind: 'category', label: label(hit), source: `rule:${hit.rule.id}`, value: hit.rule.category!, weight: round(Math.min(w, 10)) });
    let category: string;
    let catConf: number;
    if (impact !== null) {
      // Impact before topic: a security incident, data loss or a wide outage decides the category.
      category = impact.category;
      catConf = 1;
      if (impact.wideOutage) signals.push({ kind: 'category', label: 'outage affecting many users', source: 'rule:outage-wide', value: category });
    } else if (!learnerCat && !anyCategoryRule) {
      category = text.includes('?') && this.catIndex.has('question') ? 'question' : this.catIndex.has('other') ? 'other' : this.categories[0]!;
      catConf = 0;
      signals.push({ kind: 'category', label: 'no rule matched, nothing learned yet', source: 'default', value: category });
    } else {
      for (let c = 0; c < k; c++) scores[c] = scores[c]! + bonus[c]!;
      this.topicOverPhrasing(scores, shown);
      const probs = softmax(scores);
      const c = argmax(probs);
      category = this.categories[c]!;
      catConf = probs[c]!;
      if (learnerCat && learnerCat.label === category && this.learner) {
        const li = learnerCat.labels.indexOf(category);
        const words = this.learner.explain(this.learner.category, pred!.x, li);
        signals.push({ kind: 'category', label: learnedLabel(words), source: 'learner', value: category, weight: round(learnerCat.prob) });
      }
    }

    // ---- priority
    const pscores = new Float64Array(PRIORITIES.length);
    const learnerPri = pred?.priority ?? null;
    if (learnerPri) {
      for (let i = 0; i < PRIORITIES.length; i++) pscores[i] = Math.log(Math.max(learnerPri.probs[i]!, 1e-6));
    } else {
      const d = rank(CATEGORY_DEFAULT_PRIORITY[category] ?? 'P3');
      for (let i = 0; i < PRIORITIES.length; i++) pscores[i] = Math.log(i === d ? 0.5 : 0.125);
    }
    const softFloors = learnerPri !== null && this.softFloors();
    const pbonus = this.priorityBonus(hits, softFloors, signals);
    for (let i = 0; i < PRIORITIES.length; i++) pscores[i] = pscores[i]! + pbonus[i]!;
    const pprobs = softmax(pscores);
    let p = argmax(pprobs);
    const base = p;
    let priConf = pprobs[p]!;
    // Config rules that set a priority (most urgent wins).
    let set = -1;
    for (const h of hits) {
      if (!h.rule.priority) continue;
      const r = rank(h.rule.priority);
      if (set < 0 || r < set) set = r;
      signals.push({ kind: 'priority', label: label(h), source: `rule:${h.rule.id}`, value: h.rule.priority });
    }
    if (set >= 0) {
      p = set;
      priConf = 1;
    }
    // Floors.
    let floor: number = PRIORITIES.length;
    for (const h of hits) {
      if (!h.rule.atLeast) continue;
      if (softFloors && isSoftFloor(h)) continue;
      floor = Math.min(floor, rank(h.rule.atLeast));
      signals.push({ kind: 'priority', label: label(h), source: `rule:${h.rule.id}`, value: h.rule.atLeast });
    }
    if (wide) {
      floor = 0;
      signals.push({ kind: 'priority', label: tags.has('broad') ? 'outage affecting many users' : 'outage in production', source: 'rule:outage-wide', value: 'P0' });
    }
    if (floor < p) {
      p = floor;
      priConf = 1;
    }
    let lowConfidence = false;
    if (p === base && learnerPri && priConf < LOW_CONFIDENCE && set < 0 && floor > p) {
      // Say so rather than invent certainty; shown first among the priority reasons on the card.
      lowConfidence = true;
      const runnerUp = argmax(pprobs.map((q, i) => (i === p ? -1 : q)));
      const first = signals.findIndex((sg) => sg.kind === 'priority');
      signals.splice(first < 0 ? signals.length : first, 0, {
        kind: 'priority',
        label: `low confidence: ${PRIORITIES[p]} ${Math.round(priConf * 100)}%, ${PRIORITIES[runnerUp]} ${Math.round(pprobs[runnerUp]! * 100)}%`,
        source: 'confidence',
        value: PRIORITIES[p]!,
        weight: round(priConf),
      });
    }
    if (p === base && !learnerPri) {
      signals.push({ kind: 'priority', label: `usual priority for ${category}`, source: 'category-default', value: PRIORITIES[p]! });
    } else if (p === base && learnerPri && learnerPri.label === PRIORITIES[p] && this.learner) {
      const words = this.learner.explain(this.learner.priority, pred!.x, p);
      signals.push({ kind: 'priority', label: learnedLabel(words), source: 'learner', value: PRIORITIES[p]!, weight: round(learnerPri.prob) });
    }
    // Customer.
    const requester = input.requesterId;
    if (requester && this.config.customerTiers[requester] === 'enterprise') {
      const raised = Math.max(0, p - 1);
      signals.push({ kind: 'priority', label: 'enterprise customer', source: 'tier', value: PRIORITIES[raised]! });
      p = raised;
    }
    const vipCustomer = requester !== undefined && this.vipCustomers.has(requester);
    const vipChannel = input.vipChannel ?? (input.channelId !== undefined && this.vipChannels.has(input.channelId));
    if (vipCustomer || vipChannel) {
      p = Math.min(p, P2);
      signals.push({ kind: 'priority', label: vipCustomer ? 'VIP customer' : 'VIP channel', source: 'vip', value: PRIORITIES[p]! });
    }
    return { isRequest, category, priority: PRIORITIES[p]!, signals, confidence: { category: round(catConf), priority: round(priConf) }, lowConfidence };
  }

  /**
   * Category evidence from rule hits, and the impact decision if there is one.
   * - Config rules count fully; built-in hints fade as the learner learns (`ruleFade`).
   * - Topic over phrasing: the how-to hint ("how do I …") counts only when no topic rule matched,
   *   so "how do I reset my password?" is access and "how do I cancel?" billing.
   * - Impact before topic: a dominant rule (security incident, data loss) or a wide outage
   *   decides the category outright — unless a config rule names one (config is authoritative).
   */
  private categoryBonus(hits: RuleHit[], wideOutage: boolean): { bonus: Float64Array; shown: { hit: RuleHit; w: number }[]; impact: { category: string; wideOutage: boolean } | null } {
    const bonus = new Float64Array(this.categories.length);
    const shown: { hit: RuleHit; w: number }[] = [];
    const fade = this.ruleFade();
    const topic = hits.some((h) => h.rule.category !== undefined && TOPICS.has(h.rule.category));
    let impact: { category: string; wideOutage: boolean; w: number } | null = null;
    let config = false;
    for (const h of hits) {
      const c = h.rule.category === undefined ? undefined : this.catIndex.get(h.rule.category);
      if (c === undefined) continue;
      if (h.rule.origin === 'builtin' && h.rule.id === 'question' && topic) continue;
      // "charged" inside "charged twice": one piece of evidence, shown once.
      if (hits.some((o) => o !== h && o.rule.category === h.rule.category && o.phrase.length > h.phrase.length && o.phrase.includes(h.phrase))) continue;
      if (h.rule.origin === 'config') config = true;
      const w = h.rule.origin === 'config' || h.rule.dominant ? h.rule.weight : h.rule.weight * fade;
      if (h.rule.dominant && (!impact || w > impact.w)) impact = { category: h.rule.category!, wideOutage: false, w };
      bonus[c] = Math.max(bonus[c]!, w);
      shown.push({ hit: h, w });
    }
    if (!impact && wideOutage && this.catIndex.has('outage')) impact = { category: 'outage', wideOutage: true, w: 0 };
    return { bonus, shown, impact: impact && !config ? { category: impact.category, wideOutage: impact.wideOutage } : null };
  }

  /**
   * Topic over phrasing in the learner too: while the learner knows little of this desk (built-in
   * hints count at least half, see `ruleFade`), a how-to that a topic rule recognises ("how can
   * I get my money back?") is not `question` just because it is phrased as one: the question
   * score is capped just below the best matched topic. A desk's own history lifts the cap.
   */
  private topicOverPhrasing(scores: Float64Array, shown: { hit: RuleHit; w: number }[]): void {
    const q = this.catIndex.get('question');
    if (q === undefined || this.ruleFade() < 0.5) return;
    let best = Number.NEGATIVE_INFINITY;
    for (const { hit } of shown) {
      const c = hit.rule.category === undefined || !TOPICS.has(hit.rule.category) ? undefined : this.catIndex.get(hit.rule.category);
      if (c !== undefined && scores[c]! > best) best = scores[c]!;
    }
    if (best > Number.NEGATIVE_INFINITY && scores[q]! >= best) scores[q] = best - 0.01;
  }

  /**
   * Soft priority evidence from rule hits, in log-odds per priority: "low" hints ("typo" → P4)
   * fading as the learner learns (`ruleFade`), and — once the desk has FLOOR_EVIDENCE priority
   * examples of its own (`softFloors`) — the built-in floors below P0 as hints for their
   * priority or higher. Signals for them go to `signals` when given.
   */
  private priorityBonus(hits: RuleHit[], softFloors: boolean, signals: Signal[] | null): Float64Array {
    const pbonus = new Float64Array(PRIORITIES.length);
    const pfade = this.ruleFade('priority');
    for (const h of hits) {
      if (!h.rule.suggest) continue;
      const i = rank(h.rule.suggest);
      pbonus[i] = Math.max(pbonus[i]!, SUGGEST_WEIGHT * pfade);
      signals?.push({ kind: 'priority', label: label(h), source: `rule:${h.rule.id}`, value: h.rule.suggest, weight: round(SUGGEST_WEIGHT * pfade) });
    }
    if (!softFloors) return pbonus;
    for (const h of hits) {
      if (!isSoftFloor(h)) continue;
      const r = rank(h.rule.atLeast!);
      for (let i = 0; i <= r; i++) pbonus[i] = Math.max(pbonus[i]!, SOFT_FLOOR_WEIGHT);
      signals?.push({ kind: 'priority', label: label(h), source: `rule:${h.rule.id}`, value: h.rule.atLeast!, weight: SOFT_FLOOR_WEIGHT });
    }
    return pbonus;
  }

  /**
   * Whether built-in floors below P0 are hints rather than floors: once the learner has
   * FLOOR_EVIDENCE priority examples beyond the shipped seed examples, this desk's own history
   * says how much "urgent" or "crash" mean here (on Apache Hadoop's Jira "urgent" marked a
   * Critical issue once in 14). P0 floors stay floors whatever the history.
   */
  private softFloors(): boolean {
    const seen = this.learner?.priority.seen ?? 0;
    return seen - this.shipped.priority >= FLOOR_EVIDENCE;
  }

  /**
   * How much built-in hints count, between 0 and 1. The shipped seed examples are worth
   * RULE_EVIDENCE (PRIORITY_RULE_EVIDENCE) examples' fade; the desk's own history (imports,
   * corrections — it knows its customers' wording better than generic phrases) fades them
   * faster, by OWN_RULE_EVIDENCE / (OWN_RULE_EVIDENCE + own examples) on top.
   */
  private ruleFade(head: 'category' | 'priority' = 'category'): number {
    const seen = this.learner?.[head].seen ?? 0;
    const shipped = Math.min(seen, this.shipped[head]);
    const own = seen - shipped;
    const evidence = head === 'priority' ? this.priorityEvidence : this.ruleEvidence;
    const ownEvidence = this.ownEvidence[head];
    return (evidence / (evidence + shipped)) * (ownEvidence / (ownEvidence + own));
  }


  /**
   * Record a labelled example (correction or import) and learn from it right away.
   * Storing it (TrainingRepo, so the next start-up retrains with it) is the caller's job.
   * Learning stops once this text would be triaged as labelled (rule floors and config
   * rules excepted) or after a few steps.
   * @throws InputInvalidError for a category outside the taxonomy or an unknown priority.
   */
  learn(example: LearnExample, weight = CORRECTION_WEIGHT): void {
    const { category, priority } = example;
    if (category !== undefined && !this.catIndex.has(category))
      throw new InputInvalidError(`unknown category "${category}"; known: ${this.categories.join(', ')}`);
    if (priority !== undefined && !PRIORITIES.includes(priority))
      throw new InputInvalidError(`unknown priority "${String(priority)}"; use one of ${PRIORITIES.join(', ')}`);
    const text = cleanText(example.text);
    if (!text.trim() || (category === undefined && priority === undefined)) return;
    const learner = this.learner;
    if (!learner) return;
    const hits = matchRules(this.rules, text);
    const until: Parameters<Learner['learn']>[2] = {};
    if (category !== undefined) {
      const target = learner.categories.indexOf(category);
      const bonus = new Float64Array(learner.categories.length);
      const own = this.categoryBonus(
        hits.filter((h) => h.rule.origin === 'builtin'),
        false,
      ).bonus;
      for (let i = 0; i < bonus.length; i++) {
        const c = this.catIndex.get(learner.categories[i]!);
        if (c !== undefined) bonus[i] = own[c]!;
      }
      until.category = (probs) => probs[target]! >= 0.5 && argmax(probs.map((q, i) => Math.log(Math.max(q, 1e-6)) + bonus[i]!)) === target;
    }
    if (priority !== undefined) {
      const target = rank(priority);
      const bonus = this.priorityBonus(hits, this.softFloors(), null);
      until.priority = (probs) => probs[target]! >= 0.5 && argmax(probs.map((q, i) => Math.log(Math.max(q, 1e-6)) + bonus[i]!)) === target;
    }
    learner.learn({ text, category: category ?? null, priority: priority ?? null, channel: example.channel ?? null }, weight, until);
  }

  /** Retrain the learner from scratch on these examples (no-op without a learner). */
  retrain(examples: Iterable<LabelledExample>): { category: number; priority: number } {
    return this.learner?.train(examples) ?? { category: 0, priority: 0 };
  }
}

function label(h: RuleHit): string {
  return h.rule.label ?? `matched "${h.phrase}"`;
}

function learnedLabel(words: string[]): string {
  return words.length ? `learned from past requests: ${words.map((w) => `"${w}"`).join(', ')}` : 'learned from past requests';
}

function softmax(s: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of s) if (v > max) max = v;
  const out = new Float64Array(s.length);
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    out[i] = Math.exp(s[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < s.length; i++) out[i] = out[i]! / sum;
  return out;
}

let seedCache: LabelledExample[] | null = null;

/** The labelled chat messages shipped with frontdesk (src/triage/seed-examples.jsonl). */
export function seedExamples(): LabelledExample[] {
  if (!seedCache) {
    const path = fileURLToPath(new URL('./seed-examples.jsonl', import.meta.url));
    seedCache = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const o = JSON.parse(l) as { text: string; category?: string; priority?: string };
        return { text: o.text, category: o.category ?? null, priority: o.priority ?? null };
      });
  }
  return seedCache;
}

/**
 * Build the triage for the app: the learner is trained on the shipped seed examples plus the
 * most recent training_examples in `db` (corrections weigh more); without a db, seeds only.
 * @example const triage = createTriage(config, openDatabase(databasePath()));
 */
export function createTriage(config: FrontdeskConfig, db?: Db): Triage {
  const repo = db ? new TrainingRepo(db) : null;
  const learner = config.triage.learner ? new Learner(config.categories) : null;
  const seeds = learner ? seedExamples() : [];
  const shipped = { category: seeds.filter((e) => e.category).length, priority: seeds.filter((e) => e.priority).length };
  const triage = new Triage(config, { learner, shipped });
  if (learner) {
    const stored = repo ? repo.recent(MAX_TRAINING_EXAMPLES) : [];
    learner.train(
      (function* () {
        yield* seedExamples();
        for (const ex of stored) yield { text: ex.text, category: ex.category, priority: ex.priority, channel: ex.channelId ?? null, weight: weightForSource(ex.source) };
      })(),
    );
  }
  return triage;
}
