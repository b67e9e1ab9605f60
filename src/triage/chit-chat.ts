/**
 * Recognises messages that are not requests: greetings, thanks, acknowledgements, "that fixed
 * it", farewells, emoji-only. A message is chit-chat only if ALL of it is made of such
 * phrases — "hi, I can't log in" is a request.
 */

const PHRASES = [
  // greetings
  'hi', 'hello', 'hey', 'heya', 'hiya', 'howdy', 'yo', 'greetings', 'good morning', 'good afternoon', 'good evening',
  'good day', 'morning', 'afternoon', 'evening', 'gm', 'hi there', 'hello there', 'hey there', 'happy friday', 'happy monday',
  // thanks
  'thanks', 'thank you', 'thank u', 'thx', 'thnx', 'thanx', 'ty', 'tysm', 'tyvm', 'cheers', 'many thanks', 'much appreciated',
  'appreciate it', 'appreciated', 'i appreciate it', 'ta', 'kudos', 'thanks a lot', 'thanks a bunch', 'thanks a ton', 'thanks a million',
  // acknowledgements
  'ok', 'okay', 'okey', 'k', 'kk', 'sure', 'got it', 'gotcha', 'understood', 'noted', 'roger', 'roger that', 'will do', 'sounds good',
  'great', 'cool', 'awesome', 'perfect', 'nice', 'excellent', 'brilliant', 'wonderful', 'amazing', 'lovely', 'fantastic', 'sweet',
  'neat', 'super', 'yes', 'yep', 'yeah', 'yup', 'no', 'nope', 'np', 'no problem', 'no worries', 'all good', 'lol', 'haha', 'hehe',
  'makes sense', 'that makes sense', 'fair enough', 'right', 'alright', 'all right', 'done', 'great news', 'good to know', 'good news',
  'will try', "i'll try that", 'i will try that', 'let me try', 'trying now', 'on it',
  // resolved
  'that fixed it', 'this fixed it', 'fixed it', 'it fixed it', 'that worked', 'this worked', 'it worked', 'worked', 'it works',
  'works', 'works now', 'it works now', 'working now', "it's working", "it's working now", 'it is working', 'it is working now',
  'all working', 'all working now', 'that did it', 'that did the trick', 'did the trick', 'that solved it', 'solved', 'resolved',
  'sorted', 'all sorted', 'problem solved', 'issue resolved', 'fixed', 'you can close this', 'you can close it', 'feel free to close',
  'can be closed', 'close it', 'never mind', 'nevermind', 'nvm', 'ignore me', 'ignore that', 'my bad', 'false alarm', 'all set',
  "we're good", 'we are good', "i'm good", 'all fine now', 'back to normal', 'looks good', 'looks good now', 'lgtm',
  // farewells
  'bye', 'goodbye', 'see you', 'see ya', 'cya', 'have a good day', 'have a nice day', 'have a good one', 'have a great day',
  'have a good weekend', 'have a nice weekend', 'talk later', 'ttyl', 'later',
  // fillers that only make sense around the above
  'everyone', 'everybody', 'all', 'team', 'folks', 'guys', "y'all", 'there', 'so much', 'very much', 'a lot', 'again', 'so', 'oh',
  'ah', 'just', 'really', 'very', 'too', 'as well', 'and', 'for the help', 'for your help', 'for that', 'for this', 'for the quick reply',
  'for the quick response', 'for the fix', 'for looking', 'for checking', 'for the update', 'for fixing it', 'mate', 'buddy', 'you',
  'you guys', 'xmentionx', 'here', 'channel', 'now', 'then', 'indeed', 'a', 'the', 'guess', 'i guess', 'it seems', 'seems',
  // de
  'hallo', 'hallo zusammen', 'hi zusammen', 'moin', 'servus', 'grüß gott', 'guten morgen', 'guten tag', 'guten abend', 'danke', 'danke schön',
  'dankeschön', 'vielen dank', 'besten dank', 'herzlichen dank', 'danke sehr', 'super danke', 'alles klar', 'passt', 'geht wieder', 'funktioniert wieder',
  'jetzt geht es', 'es geht wieder', 'es funktioniert wieder', 'erledigt', 'gelöst', 'tschüss', 'bis später', 'schönen tag', 'schönes wochenende',
  'für die schnelle hilfe', 'für die hilfe', 'für eure hilfe', 'für ihre hilfe', 'euch', 'ihnen', 'dir', 'noch', 'nochmal', 'sehr', 'ja', 'nein', 'ok danke',
  // es
  'hola', 'buenos días', 'buenas tardes', 'buenas noches', 'buenas', 'gracias', 'muchas gracias', 'mil gracias', 'gracias por la ayuda',
  'gracias por tu ayuda', 'gracias por su ayuda', 'por la ayuda', 'perfecto', 'genial', 'vale', 'de acuerdo', 'entendido', 'listo', 'solucionado',
  'resuelto', 'ya funciona', 'ya está', 'adiós', 'hasta luego', 'saludos', 'a todos', 'equipo', 'sí', 'muy amable',
  // fr
  'bonjour', 'bonsoir', 'salut', 'coucou', 'merci', 'merci beaucoup', 'merci bien', 'mille mercis', 'merci pour votre aide', "merci pour l'aide",
  'pour votre aide', 'pour la réponse rapide', 'parfait', "d'accord", 'compris', 'ça marche', 'ça fonctionne', 'ça marche maintenant', 'résolu',
  'au revoir', 'à bientôt', 'bonne journée', 'bonne soirée', 'bon week-end', 'à tous', 'oui', 'non', 'super merci', 'top',
  // pt
  'olá', 'oi', 'bom dia', 'boa tarde', 'boa noite', 'obrigado', 'obrigada', 'muito obrigado', 'muito obrigada', 'valeu', 'pela ajuda',
  'obrigado pela ajuda', 'obrigada pela ajuda', 'perfeito', 'beleza', 'entendi', 'resolvido', 'já funciona', 'funcionou', 'tchau', 'até logo',
  'até mais', 'pessoal pessoal', 'pessoal', 'gente', 'sim', 'não',
  // ja (no spaces: whole messages, punctuation stripped)
  'こんにちは', 'こんばんは', 'おはようございます', 'ありがとう', 'ありがとうございます', 'ありがとうございました', 'どうもありがとうございます',
  'どうもありがとうございました', 'どうも', '了解です', '了解しました', '承知しました', 'かしこまりました', '解決しました', '直りました', 'よろしくお願いします',
  'よろしくお願いいたします', 'お疲れ様です', 'お世話になっております', '助かりました', '大丈夫です',
];

/** phrase tokens grouped by first token, longest first. */
const BY_FIRST = new Map<string, string[][]>();
for (const p of PHRASES) {
  const toks = p.split(' ');
  const list = BY_FIRST.get(toks[0]!) ?? [];
  list.push(toks);
  BY_FIRST.set(toks[0]!, list);
}
for (const list of BY_FIRST.values()) list.sort((a, b) => b.length - a.length);

/**
 * "no" + "worked" is not an acknowledgement but a report ("não funcionou", "no resuelto"): a
 * negation right before a resolved-word makes the message a request.
 */
const NEGATIONS = new Set(['no', 'not', 'nope', 'não', 'non', 'nein', 'nicht', 'pas', 'ainda', 'todavía', 'aún', 'still']);
const RESOLVED = new Set([
  'worked', 'works', 'working', 'fixed', 'solved', 'resolved', 'sorted', 'done', 'funcionou', 'funciona', 'resolvido', 'resuelto', 'solucionado',
  'listo', 'résolu', 'gelöst', 'erledigt', 'funktioniert', 'geht', 'marche', 'fonctionne',
]);

const MENTION_RE = /<[@#!][^>\s]*>|(?<![\w])@[\w.-]+/g;
const EMOJI_CODE_RE = /:[a-z0-9_+-]+:/gi;
const TOKEN_RE = /[\p{L}\p{N}][\p{L}\p{N}']*/gu;

/**
 * True when the message is only greetings, thanks, acknowledgements or emoji.
 * @example isChitChat('thanks, that fixed it!') // true
 * @example isChitChat('hi, I can\'t log in')     // false
 */
export function isChitChat(text: string): boolean {
  if (text.length > 300) return false;
  const t = text.replace(MENTION_RE, ' xmentionx ').replace(EMOJI_CODE_RE, ' ').toLowerCase();
  const toks = t.match(TOKEN_RE) ?? [];
  if (toks.length > 20) return false;
  let i = 0;
  outer: while (i < toks.length) {
    if (NEGATIONS.has(toks[i]!) && RESOLVED.has(toks[i + 1] ?? '')) return false;
    for (const phrase of BY_FIRST.get(toks[i]!) ?? []) {
      if (phrase.every((w, k) => toks[i + k] === w)) {
        i += phrase.length;
        continue outer;
      }
    }
    return false;
  }
  // Only fillers ("you", "a") without any greeting/thanks/ack is not a conversation signal, but it
  // is not a request either; an empty message (emoji only) is chit-chat too.
  return true;
}
