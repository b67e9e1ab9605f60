/**
 * Content terms for matching requests to known answers: lower-cased, accents folded, stop words
 * dropped, lightly stemmed, and a few support synonyms folded together ("log in" / "sign in" /
 * "login", "2fa" / "mfa" / "two-factor"). Pure and used on both sides (answer and request), so
 * the two always meet the same way.
 */

const STOP = new Set(
  (
    'a about above after again against all also am an and any anyone anything are as at be been before being below between both but by ' +
    'can cannot could did do does doing done down during each either else etc ever every few for from further get gets getting go goes going got ' +
    'had has have having he her here hers him his how i if in into is it its just know let like may me might mine more most much must my ' +
    'no nor not now of off on once one only or other our ours out over own per please pls plz same she should so some someone something ' +
    'still such than that the their theirs them then there these they this those through to too under until up us very via was we were what ' +
    'when where which while who whom why will with would yes yet you your yours yourself ' +
    'hi hello hey thanks thank thx cheers regards dear team guys folks support help helps need needs want wants wanted trying try tried ' +
    'today yesterday tomorrow morning afternoon asap quick question questions issue issues problem problems please kindly possible ' +
    "able unable way ways thing things hope hoping anybody somebody maybe really actually currently since i'm i've we're we've it's can't " +
    "don't doesn't didn't won't isn't aren't wasn't couldn't there's what's"
  ).split(' '),
);

/** Phrases folded into one term before splitting (longest first). */
const PHRASES: [RegExp, string][] = [
  [/\b(?:two[\s-]?factor(?:\s+auth(?:entication)?)?|2[\s-]?fa|multi[\s-]?factor(?:\s+auth(?:entication)?)?|mfa|2[\s-]?step\s+verification|two[\s-]?step\s+verification)\b/g, ' twofactor '],
  [/\b(?:single[\s-]?sign[\s-]?on|sso|saml)\b/g, ' sso '],
  [/\b(?:log|sign)[\s-]?(?:in|on)\b/g, ' login '],
  [/\b(?:log|sign)[\s-]?(?:out|off)\b/g, ' logout '],
  [/\b(?:sign[\s-]?up|register)\b/g, ' signup '],
  [/\b(?:pass[\s-]?words?|pws?)\b/g, ' password '],
  [/\be[\s-]?mails?\b/g, ' email '],
  [/\bweb[\s-]?hooks?\b/g, ' webhook '],
  [/\bapi[\s-]?(?:keys?|tokens?)\b/g, ' apikey '],
  [/\bcredit\s+cards?\b/g, ' card '],
  [/\btime[\s-]?zones?\b/g, ' timezone '],
  [/\bteam[\s-]?mates?\b/g, ' teammate '],
];

/** The terms PHRASES produce: already canonical, never stemmed. */
const CANONICAL = new Set(PHRASES.map(([, to]) => to.trim()));

/** Single words folded into a canonical term (after stemming). */
const SYNONYMS: Record<string, string> = {
  receipt: 'invoic',
  subscript: 'plan',
  unsubscrib: 'cancel',
  terminat: 'cancel',
  colleagu: 'teammate',
  coworker: 'teammate',
  totp: 'authenticator',
  forgot: 'forget',
  activat: 'enabl',
  switch: 'enabl',
  forgotten: 'forget',
};

/**
 * A light English stemmer: enough for "invoices"/"invoice", "resetting"/"reset",
 * "cancelled"/"cancel". Not Porter; consistent on both sides is what matters.
 * @example stem('invoices') // 'invoic'
 */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  for (const suf of ['ations', 'ation', 'ingly', 'ings', 'ing', 'edly', 'ed', 'ions', 'ion', 'ment', 'ly', 'er', 'es', 'e']) {
    if (s.endsWith(suf) && s.length - suf.length >= 4) {
      s = s.slice(0, -suf.length);
      break;
    }
  }
  // "cancell" → "cancel", "resett" → "reset"
  if (s.length > 4 && s.at(-1) === s.at(-2) && !/[aeiou]/.test(s.at(-1)!)) s = s.slice(0, -1);
  return s;
}

/**
 * Terms that report a malfunction ("stuck", "error", "fails", "wrong"). A how-to answer that
 * does not mention them is probably not what such a request needs.
 */
export const TROUBLE_TERMS: ReadonlySet<string> = new Set(
  (
    'error errors stuck fail fails failed failing failure broken broke crash crashes crashed bug buggy glitch wrong slow down outage ' +
    'duplicate duplicated twice refund hacked leak leaked anymore timeout 500 502 503 504 401 403 404'
  )
    .split(' ')
    .map((w) => stem(w)),
);

/** How folded terms read in explanations. */
const SURFACE: Record<string, string> = { twofactor: 'two-factor', sso: 'SSO', login: 'log in', logout: 'log out', signup: 'sign up', apikey: 'API key' };

/**
 * The content terms of a text with the word each came from (first occurrence), no duplicates.
 * @example termsWithWords('Resetting passwords') // [{ term: 'reset', word: 'resetting' }, { term: 'password', word: 'password' }]
 */
export function termsWithWords(text: string): { term: string; word: string }[] {
  let t = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/<[@#!][^>\s]*>/g, ' ');
  for (const [re, to] of PHRASES) t = t.replace(re, to);
  const out: { term: string; word: string }[] = [];
  const seen = new Set<string>();
  for (const m of t.matchAll(/[a-z0-9][a-z0-9']*/g)) {
    const w = m[0].replace(/'+$/, '');
    if (STOP.has(w) || w.length < 2) continue;
    const base = w.replace(/'s$/, '');
    if (STOP.has(base)) continue;
    const st = CANONICAL.has(base) ? base : stem(base);
    const term = SYNONYMS[st] ?? SYNONYMS[base] ?? st;
    if (!seen.has(term)) {
      seen.add(term);
      out.push({ term, word: SURFACE[base] ?? base });
    }
  }
  return out;
}

/**
 * The content terms of a text, in order of first appearance, without duplicates.
 * @example contentTerms('How do I reset my password?') // ['reset', 'password']
 */
export function contentTerms(text: string): string[] {
  return termsWithWords(text).map((x) => x.term);
}
