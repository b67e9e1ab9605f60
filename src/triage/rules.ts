/**
 * The rule layer of triage: compiles the built-in phrase rules and `config.triage.rules` into
 * regular expressions once, and reports which rules a text matches and with what phrase.
 */
import type { FrontdeskConfig } from '../config/schema.js';
import type { Priority } from '../domain/types.js';
import { BUILT_IN_RULES } from './built-in-rules.js';

/** A rule ready to run. */
export interface CompiledRule {
  id: string;
  origin: 'builtin' | 'config';
  patterns: RegExp[];
  /** Category the rule points to (only if it is in the configured taxonomy). */
  category?: string;
  /** Strength of the category hint, in log-odds (config rules: authoritative). */
  weight: number;
  /** Config rules only: set the priority (most urgent of several wins). */
  priority?: Priority;
  /** Never below this priority. */
  atLeast?: Priority;
  /** Soft priority hint. */
  suggest?: Priority;
  tag?: string;
  label?: string;
  /** Impact rule: its category decides over topic words (see built-in-rules.ts). */
  dominant?: boolean;
  /**
   * First words of the phrase entries (patterns[0] is then the phrase pattern): a text without
   * any of them cannot match it, so the regular expression is not run (the hot path).
   */
  phraseHeads?: Set<string>;
  /** The phrase entries (not /regex/) behind patterns[0], trimmed; matched word by word. */
  phraseEntries?: string[];
}

/** A rule that matched and the text it matched. */
export interface RuleHit {
  rule: CompiledRule;
  phrase: string;
}

/** Category weight of config rules: large enough to beat any learner score. */
export const CONFIG_RULE_WEIGHT = 1000;

const WORD_CHAR = '[\\p{L}\\p{N}_]';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compile rule `match` entries: `/.../` entries are regular expressions (case-insensitive);
 * everything else is a phrase, matched case-insensitively on word boundaries with any
 * whitespace between its words.
 * @example compileMatchers(['all users', '/\\bsev ?1\\b/'])
 */
export function compileMatchers(match: readonly string[]): RegExp[] {
  const out: RegExp[] = [];
  const phrases: string[] = [];
  for (const m of match) {
    if (m.length > 2 && m.startsWith('/') && m.endsWith('/')) out.push(new RegExp(m.slice(1, -1), 'i'));
    else if (m.trim()) phrases.push(m.trim());
  }
  if (phrases.length) {
    const body = phrases
      .sort((a, b) => b.length - a.length)
      .map((p) => p.split(/\s+/).map(escapeRegExp).join('\\s+'))
      .join('|');
    out.unshift(new RegExp(`(?<!${WORD_CHAR})(?:${body})(?!${WORD_CHAR})`, 'iu'));
  }
  return out;
}

const TOKEN_RE = /[\p{L}\p{N}_]+/gu;

/** First word of each phrase entry, lower-cased; null if some phrase starts without a word. */
export function phraseHeads(match: readonly string[]): Set<string> | null {
  const heads = new Set<string>();
  for (const m of match) {
    if (m.length > 2 && m.startsWith('/') && m.endsWith('/')) continue;
    const t = m.trim().toLowerCase();
    if (!t) continue;
    const first = t.match(TOKEN_RE)?.[0];
    if (!first || !t.startsWith(first)) return null;
    heads.add(first);
  }
  return heads.size ? heads : null;
}

function withHeads(rule: CompiledRule, match: readonly string[]): CompiledRule {
  const heads = phraseHeads(match);
  if (heads) rule.phraseHeads = heads;
  const entries = match.filter((m) => !(m.length > 2 && m.startsWith('/') && m.endsWith('/'))).map((m) => m.trim()).filter(Boolean);
  if (entries.length) rule.phraseEntries = entries;
  return rule;
}

/**
 * Build the rule list for a config: built-in rules (if `triage.builtInRules`) then
 * `triage.rules`. Category hints outside `categories` are dropped (the rule still counts for
 * priority).
 */
export function compileRules(config: FrontdeskConfig, categories: readonly string[] = config.categories): CompiledRule[] {
  const cats = new Set(categories);
  const rules: CompiledRule[] = [];
  if (config.triage.builtInRules) {
    for (const r of BUILT_IN_RULES) {
      const rule = withHeads({ id: r.id, origin: 'builtin', patterns: compileMatchers(r.match), weight: r.weight ?? 0 }, r.match);
      if (r.category && cats.has(r.category)) rule.category = r.category;
      if (r.atLeast) rule.atLeast = r.atLeast;
      if (r.suggest) rule.suggest = r.suggest;
      if (r.tag) rule.tag = r.tag;
      if (r.label) rule.label = r.label;
      if (r.dominant) rule.dominant = true;
      if (!rule.category && !rule.atLeast && !rule.suggest && !rule.tag) continue;
      rules.push(rule);
    }
  }
  for (const r of config.triage.rules) {
    const rule = withHeads({ id: r.id, origin: 'config', patterns: compileMatchers(r.match), weight: CONFIG_RULE_WEIGHT }, r.match);
    if (r.category && cats.has(r.category)) rule.category = r.category;
    if (r.priority) rule.priority = r.priority;
    if (r.atLeast) rule.atLeast = r.atLeast;
    if (r.label) rule.label = r.label;
    rules.push(rule);
  }
  return rules;
}

/**
 * Literal strings one of which any match of regular expression `source` must contain
 * (lower-cased), or null when none can be told. Conservative: understands literals, escapes,
 * groups with alternatives, character classes, lookarounds and quantifiers; anything else gives
 * null, so the expression is simply always run.
 * @example requiredLiterals('\\b(?:is|was)\\s+down\\b') // ['down']
 */
export function requiredLiterals(source: string): string[] | null {
  let i = 0;
  const n = source.length;
  // One alternative: a sequence of atoms; returns the best requirement found in it.
  function sequence(): string[] | null {
    let best: string[] | null = null;
    let run = '';
    const consider = (set: string[] | null): void => {
      if (!set?.length) return;
      const score = Math.min(...set.map((x) => x.length));
      if (!best || score > Math.min(...best.map((x) => x.length))) best = set;
    };
    const endRun = (): void => {
      if (run) consider([run]);
      run = '';
    };
    while (i < n && source[i] !== '|' && source[i] !== ')') {
      let atom: { lit: string } | { set: string[] | null } | null = null; // null = zero-width
      const c = source[i]!;
      if (c === '\\') {
        const e = source[i + 1] ?? '';
        i += 2;
        if (e === 'b' || e === 'B') atom = null;
        else if (e === 'p' || e === 'P' || e === 'u' || e === 'x' || e === 'k' || e === 'c') {
          if (source[i] === '{' || source[i] === '<') {
            const close = source.indexOf(source[i] === '{' ? '}' : '>', i);
            if (close < 0) return null;
            i = close + 1;
          } else if (e === 'x') i += 2;
          else if (e === 'u') i += 4;
          else if (e === 'c') i += 1;
          atom = { set: null };
        } else if (/[dDsSwWnrtfv0-9]/.test(e)) atom = { set: null };
        else atom = { lit: e.toLowerCase() };
      } else if (c === '[') {
        i++;
        if (source[i] === '^') i++;
        if (source[i] === ']') i++;
        while (i < n && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
        if (i >= n) return null;
        i++;
        atom = { set: null };
      } else if (c === '(') {
        i++;
        let look = false;
        if (source[i] === '?') {
          const two = source.slice(i, i + 3);
          if (source[i + 1] === ':') i += 2;
          else if (source[i + 1] === '=' || source[i + 1] === '!') {
            i += 2;
            look = true;
          } else if (two === '?<=' || two === '?<!') {
            i += 3;
            look = true;
          } else if (source[i + 1] === '<') {
            const close = source.indexOf('>', i);
            if (close < 0) return null;
            i = close + 1;
          } else return null;
        }
        const inner = alternatives();
        if (source[i] !== ')') return null;
        i++;
        atom = look ? null : { set: inner };
      } else if (c === '.' ) {
        i++;
        atom = { set: null };
      } else if (c === '^' || c === '$') {
        i++;
        atom = null;
      } else if ('*+?{}]'.includes(c)) {
        return null;
      } else {
        i++;
        atom = { lit: c.toLowerCase() };
      }
      // Quantifier.
      let optional = false;
      let repeated = false;
      const q = source[i];
      if (q === '?' || q === '*') {
        optional = true;
        i++;
      } else if (q === '+') {
        repeated = true;
        i++;
      } else if (q === '{') {
        const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(i));
        if (!m) return null;
        optional = m[1] === '0';
        repeated = !optional;
        i += m[0].length;
      }
      if ((optional || repeated) && source[i] === '?') i++;
      if (atom === null) {
        endRun();
        continue;
      }
      if (optional) {
        endRun();
        continue;
      }
      if ('lit' in atom) {
        run += atom.lit;
        if (repeated) endRun();
      } else {
        endRun();
        consider(atom.set);
      }
    }
    endRun();
    return best;
  }
  function alternatives(): string[] | null {
    const all: string[] = [];
    let ok = true;
    for (;;) {
      const req = sequence();
      if (req) all.push(...req);
      else ok = false;
      if (source[i] !== '|') break;
      i++;
    }
    return ok ? [...new Set(all)] : null;
  }
  const req = alternatives();
  if (i !== n) return null;
  return req;
}

/** A phrase entry as words and what separates them, for matching on a tokenised text. */
interface PhraseForm {
  rule: number;
  /** Lower-cased words. */
  words: string[];
  /** Separators between consecutive words, whitespace runs collapsed to one space. */
  seps: string[];
  /** The phrase as reported (lower-cased, single spaces). */
  phrase: string;
  /** Length of the entry: at one position the longest entry wins, as in the compiled pattern. */
  length: number;
}

/** Per rule list: phrase entries indexed by first word, and regex pre-filters. */
interface RuleIndex {
  byFirst: Map<string, PhraseForm[]>;
  /** Rules whose phrase pattern is matched by words (patterns[0] then skipped). */
  byWords: boolean[];
  /** Per rule, per pattern: ids of literals one of which a match needs (null = always run). */
  needles: (number[] | null)[][];
  /** Finds every literal of `needles` in one pass over the text. */
  literals: LiteralSet;
}

/**
 * Aho–Corasick automaton over a fixed set of strings: which of them occur in a text, in one
 * pass over it whatever their number.
 */
class LiteralSet {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];
  /** seen[id] === stamp: literal id occurs in the current text. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(literals: readonly string[]) {
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        let t = this.next[s]!.get(c);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[s]!.set(c, t);
        }
        s = t;
      }
      this.out[s]!.push(id);
    });
    const queue: number[] = [...this.next[0]!.values()];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      for (const [c, t] of this.next[s]!) {
        let f = this.fail[s]!;
        while (f > 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const g = this.next[f]!.get(c);
        this.fail[t] = g !== undefined && g !== t ? g : 0;
        this.out[t]!.push(...this.out[this.fail[t]!]!);
        queue.push(t);
      }
    }
    this.seen = new Uint32Array(literals.length);
  }

  /** Scan `text`; afterwards `has(id)` tells whether literal `id` occurs in it. */
  scan(text: string): void {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let t = this.next[s]!.get(c);
      while (t === undefined && s > 0) {
        s = this.fail[s]!;
        t = this.next[s]!.get(c);
      }
      s = t ?? 0;
      const out = this.out[s]!;
      for (let k = 0; k < out.length; k++) this.seen[out[k]!] = this.stamp;
    }
  }

  has(id: number): boolean {
    return this.seen[id] === this.stamp;
  }
}

const INDEX = new WeakMap<readonly CompiledRule[], RuleIndex>();
const WORD_SPLIT_RE = /[\p{L}\p{N}_]+/gu;
const SPACES_RE = /\s+/g;

/** Split a trimmed phrase into words and separators; null if it starts or ends with a non-word character. */
function phraseForm(entry: string): { words: string[]; seps: string[] } | null {
  const lower = entry.toLowerCase();
  const words: string[] = [];
  const seps: string[] = [];
  let last = 0;
  for (const m of lower.matchAll(WORD_SPLIT_RE)) {
    if (words.length === 0 && m.index !== 0) return null;
    if (words.length) seps.push(lower.slice(last, m.index).replace(SPACES_RE, ' '));
    words.push(m[0]);
    last = m.index + m[0].length;
  }
  if (!words.length || last !== lower.length) return null;
  return { words, seps };
}

function buildIndex(rules: readonly CompiledRule[]): RuleIndex {
  const byFirst = new Map<string, PhraseForm[]>();
  const byWords: boolean[] = [];
  const needles: (number[] | null)[][] = [];
  const ids = new Map<string, number>();
  rules.forEach((rule, r) => {
    const forms: PhraseForm[] = [];
    let regular = rule.phraseEntries !== undefined && rule.phraseEntries.length > 0;
    for (const entry of rule.phraseEntries ?? []) {
      const f = phraseForm(entry);
      if (!f) {
        regular = false;
        break;
      }
      forms.push({ rule: r, ...f, phrase: f.words.map((w, k) => (k ? f.seps[k - 1]! + w : w)).join(''), length: entry.length });
    }
    byWords.push(regular);
    if (regular) {
      for (const f of forms) {
        const list = byFirst.get(f.words[0]!) ?? [];
        list.push(f);
        byFirst.set(f.words[0]!, list);
      }
    }
    needles.push(
      rule.patterns.map((re, k) => {
        if ((k === 0 && rule.phraseEntries?.length) || !re.flags.includes('i')) return null;
        const req = requiredLiterals(re.source);
        if (!req?.every((x) => x.length >= 2)) return null;
        return req.map((x) => {
          let id = ids.get(x);
          if (id === undefined) {
            id = ids.size;
            ids.set(x, id);
          }
          return id;
        });
      }),
    );
  });
  // Same order as the compiled alternation: by rule, then longest entry first (stable).
  for (const list of byFirst.values()) list.sort((a, b) => a.rule - b.rule || b.length - a.length);
  return { byFirst, byWords, needles, literals: new LiteralSet([...ids.keys()]) };
}

/** Every rule the text matches, in rule order, with the first phrase that matched. */
export function matchRules(rules: readonly CompiledRule[], text: string): RuleHit[] {
  let index = INDEX.get(rules);
  if (!index) {
    index = buildIndex(rules);
    INDEX.set(rules, index);
  }
  const lower = text.toLowerCase();
  // Phrase entries: walk the words once; at each word try the entries starting with it.
  const found: (string | undefined)[] = new Array(rules.length);
  const starts: number[] = [];
  const ends: number[] = [];
  const toks: string[] = [];
  WORD_SPLIT_RE.lastIndex = 0;
  for (let m = WORD_SPLIT_RE.exec(lower); m; m = WORD_SPLIT_RE.exec(lower)) {
    toks.push(m[0]);
    starts.push(m.index);
    ends.push(m.index + m[0].length);
  }
  for (let t = 0; t < toks.length; t++) {
    const cands = index.byFirst.get(toks[t]!);
    if (!cands) continue;
    for (const f of cands) {
      if (found[f.rule] !== undefined || t + f.words.length > toks.length) continue;
      let ok = true;
      for (let k = 1; k < f.words.length && ok; k++) {
        if (toks[t + k] !== f.words[k]) ok = false;
        else {
          const sep = f.seps[k - 1]!;
          const between = lower.slice(ends[t + k - 1]!, starts[t + k]!);
          if (between !== sep && between.replace(SPACES_RE, ' ') !== sep) ok = false;
        }
      }
      if (ok) found[f.rule] = f.phrase;
    }
  }
  index.literals.scan(lower);
  const hits: RuleHit[] = [];
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    const words = index.byWords[r]!;
    if (words && found[r] !== undefined) {
      hits.push({ rule, phrase: found[r]! });
      continue;
    }
    const needles = index.needles[r]!;
    for (let i = words ? 1 : 0; i < rule.patterns.length; i++) {
      const need = needles[i];
      if (need && !anyOf(index.literals, need)) continue;
      const m = rule.patterns[i]!.exec(text);
      if (m) {
        hits.push({ rule, phrase: m[0].replace(/\s+/g, ' ').toLowerCase() });
        break;
      }
    }
  }
  return hits;
}

function anyOf(set: LiteralSet, ids: readonly number[]): boolean {
  for (let k = 0; k < ids.length; k++) if (set.has(ids[k]!)) return true;
  return false;
}
