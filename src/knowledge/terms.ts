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
    "don't doesn't didn't won't isn't aren't wasn't couldn't there's what's " +
    // the commonest function words of the other languages WORDS covers
    'wie kann ich mein meine meinen ein eine einen unsere unser unseren alle wo der die das und ist bitte ' +
    'de del da como mis mi el la los las un una que para por donde puedo quiero ' +
    'je mon ma mes le les des du est ou puis veux ' +
    'meu minha meus minhas os um uma onde posso quero'
  ).split(' '),
);

/** Phrases folded into one term before splitting (longest first). */
const PHRASES: [RegExp, string][] = [
  // Closing an account is deleting it; stopping a subscription is cancelling it.
  [/\b(?:close|closing|closed|shut(?:ting)?[\s-]?down|terminate|deactivate|get\s+rid\s+of)\s+(?:(?:my|our|the|this|an?)\s+)?(account|workspace|profile)s?\b/g, ' delete $1 '],
  [/\b(?:stop|end|quit|terminate)\s+(?:(?:my|our|the|this)\s+)?(?:subscriptions?|plans?|renewals?|membership)\b/g, ' cancel plan '],
  [/\b(?:can'?t|cannot|don'?t|do\s+not)\s+(?:remember|recall)\b/g, ' forget '],
  [/\b(?:turn|turned|turning|switch|switched|switching)\s+on\b/g, ' enabl '],
  [/\b(?:back[\s-]?ups?|backed\s+up)\b/g, ' backup '],
  [/\b(?:money\s+back|reimburse\w*|charge[\s-]?backs?)\b/g, ' refund '],
  [/\b(?:two[\s-]?factor(?:\s+auth(?:entication)?)?|2[\s-]?fa|multi[\s-]?factor(?:\s+auth(?:entication)?)?|mfa|2[\s-]?step\s+verification|two[\s-]?step\s+verification)\b/g, ' twofactor '],
  [/\b(?:single[\s-]?sign[\s-]?on|sso|saml)\b/g, ' sso '],
  [/\b(?:log|sign)[\s-]?(?:in|on)\b/g, ' login '],
  [/\b(?:log|sign)[\s-]?(?:out|off)\b/g, ' logout '],
  [/\b(?:sign[\s-]?up|register)\b/g, ' signup '],
  [/\b(?:pass[\s-]?words?|pass[\s-]?codes?|pass[\s-]?phrases?|pws?|mots?\s+de\s+passe)\b/g, ' password '],
  [/\be[\s-]?mails?\b/g, ' email '],
  [/\bweb[\s-]?hooks?\b/g, ' webhook '],
  [/\bapi[\s-]?(?:keys?|tokens?)\b/g, ' apikey '],
  [/\b(?:credit\s+cards?|(?:tarjeta|carte|cartao)s?\s+de\s+credit[oa]?|kreditkarten?)\b/g, ' card '],
  [/\btime[\s-]?zones?\b/g, ' timezone '],
  [/\bteam[\s-]?mates?\b/g, ' teammate '],
];

/** The terms PHRASES produce: already canonical, never stemmed. */
const CANONICAL = new Set(PHRASES.map(([, to]) => to.trim()));

/** Single words folded into a canonical term (after stemming). */
const SYNONYMS: Record<string, string> = {
  receipt: 'invoic',
  subscript: 'plan',
  terminat: 'cancel',
  colleagu: 'teammate',
  coworker: 'teammate',
  totp: 'authenticator',
  forgot: 'forget',
  activat: 'enabl',
  switch: 'enabl',
  forgotten: 'forget',
  tier: 'plan',
  modify: 'chang',
  alter: 'chang',
  updat: 'chang',
  edit: 'chang',
  peopl: 'teammate',
  memb: 'teammate',
  member: 'teammate',
};

/**
 * Whole words folded before stemming, where the stem would catch too much ("bill" but not
 * "billing", which names every billing page), plus the core support words of a few other
 * languages (de, es, fr, pt, it, nl) so short requests in them meet English answers.
 */
const WORDS: Record<string, string> = {
  bill: 'invoic',
  bills: 'invoic',
  // password / reset / forgot
  passwort: 'password',
  kennwort: 'password',
  contrasena: 'password',
  senha: 'password',
  wachtwoord: 'password',
  zurucksetzen: 'reset',
  restablecer: 'reset',
  reinitialiser: 'reset',
  redefinir: 'reset',
  vergessen: 'forget',
  olvide: 'forget',
  oublie: 'forget',
  esqueci: 'forget',
  // invoice
  rechnung: 'invoic',
  rechnungen: 'invoic',
  factura: 'invoic',
  facturas: 'invoic',
  facture: 'invoic',
  factures: 'invoic',
  fatura: 'invoic',
  faturas: 'invoic',
  fattura: 'invoic',
  fatture: 'invoic',
  factuur: 'invoic',
  // cancel / subscription / plan
  kundigen: 'cancel',
  stornieren: 'cancel',
  cancelar: 'cancel',
  annuler: 'cancel',
  resilier: 'cancel',
  annullare: 'cancel',
  opzeggen: 'cancel',
  abonnement: 'plan',
  abo: 'plan',
  suscripcion: 'plan',
  assinatura: 'plan',
  abbonamento: 'plan',
  // delete / account
  loschen: 'delet',
  eliminar: 'delet',
  borrar: 'delet',
  supprimer: 'delet',
  excluir: 'delet',
  konto: 'account',
  cuenta: 'account',
  compte: 'account',
  conta: 'account',
  // export / download / data
  exportieren: 'export',
  exportiere: 'export',
  exportar: 'export',
  exporter: 'export',
  esportare: 'export',
  herunterladen: 'download',
  descargar: 'download',
  descargo: 'download',
  telecharger: 'download',
  baixar: 'download',
  daten: 'data',
  datos: 'data',
  donnees: 'data',
  dados: 'data',
  // card / payment / change
  kreditkarte: 'card',
  tarjeta: 'card',
  carte: 'card',
  cartao: 'card',
  zahlungsmethode: 'payment',
  pago: 'payment',
  paiement: 'payment',
  pagamento: 'payment',
  andern: 'chang',
  cambiar: 'chang',
  changer: 'chang',
  modifier: 'chang',
  alterar: 'chang',
  altero: 'chang',
  // invite / teammate / time zone
  einladen: 'invit',
  lade: 'invit',
  invitar: 'invit',
  inviter: 'invit',
  convidar: 'invit',
  teammitglied: 'teammate',
  kollege: 'teammate',
  kollegen: 'teammate',
  zeitzone: 'timezone',
  // email notifications
  benachrichtigungen: 'notific',
  notificaciones: 'notific',
  notificacoes: 'notific',
};

/**
 * A light English stemmer: enough for "invoices"/"invoice", "resetting"/"reset",
 * "cancelled"/"cancel". Not Porter; consistent on both sides is what matters.
 * @example stem('invoices') // 'invoic'
 */
export function stem(w: string): string {
  if (/\d/.test(w)) return /^\d+s$/.test(w) ? w.slice(0, -1) : w; // "429s" → "429"
  if (w.length <= 3) return w;
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

/** Phrases that report something not working ("never arrives", "no longer", "doesn't load"). */
const MALFUNCTION =
  /\b(?:never\s+\w+|no\s+longer|not\s+(?:working|arriving|loading|showing|receiving|sending|syncing|saving|opening|received|sent|delivered)|(?:doesn'?t|does\s+not|don'?t|do\s+not|won'?t|will\s+not|didn'?t|did\s+not|isn'?t|aren'?t)\s+(?:work|arrive|load|show|open|sync|send|save|come|appear|receive|get\s+through)|stopped|keeps?\s+(?:failing|crashing|saying|showing|logging|looping|timing)|nothing\s+happens|spinning)\b/i;

/** A request that asks how to do something ("how do I", "where can I", "is there a way"). */
const HOW_TO =
  /(?:^\s*(?:how|where|what|which|can|could|is\s+there|is\s+it\s+possible|do\s+you|does)\b|\b(?:how\s+(?:do|can|to|should|would)|where\s+(?:do|can|is|are|should)|is\s+there\s+a\s+way|is\s+it\s+possible|i\s+want\s+to|i'?d\s+like\s+to|we'?d\s+like\s+to|we\s+want\s+to|steps\s+to)\b)/i;

/**
 * What in a request reports a malfunction rather than asking how to do something: the trouble
 * words ("error", "stuck") and phrases ("never arrives", "no longer", "doesn't load") it contains,
 * or [] when it has none or plainly asks how to ("how do I…", "where can I…", "is there a way…").
 * @example malfunction('reset emails never arrive') // ['never arrive']
 * @example malfunction('how do I fix the error on import?') // []
 */
export function malfunction(text: string): string[] {
  const t = text.toLowerCase().replace(/[\u2018\u2019`]/g, "'");
  if (HOW_TO.test(t)) return [];
  const out = termsWithWords(text)
    .filter((x) => TROUBLE_TERMS.has(x.term))
    .map((x) => x.word);
  const m = MALFUNCTION.exec(t);
  if (m) out.push(m[0].replace(/\s+/g, ' '));
  return out;
}

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
    const st = WORDS[base] ?? (CANONICAL.has(base) ? base : stem(base));
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

/**
 * The matching terms of an answer: all its text, and its title with its tags (what the store
 * indexes; see KnowledgeRepository.put).
 * @example new KnowledgeRepo(db, answerTerms)
 */
export function answerTerms(title: string, tags: readonly string[], body: string): { terms: string[]; titleTerms: string[] } {
  return { terms: contentTerms(`${title}\n${tags.join('\n')}\n${body}`), titleTerms: contentTerms(`${title}\n${tags.join('\n')}`) };
}
