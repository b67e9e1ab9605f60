/**
 * A rough language guess for reports (`frontdesk eval` per-language figures), never for
 * triage itself: triage needs no language setting. Japanese by script, the rest by counting
 * very common words. Returns "und" (undetermined) when nothing stands out.
 */
import { words } from './text.js';
const COMMON = {
    en: ['the', 'and', 'is', 'are', 'to', 'of', 'in', 'it', 'we', 'i', 'my', 'our', 'you', 'can', 'not', 'for', 'on', 'with', 'this', 'how', 'do'],
    de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ich', 'wir', 'sie', 'mit', 'für', 'auf', 'ein', 'eine', 'kann', 'unser', 'unsere', 'seit', 'wie', 'es'],
    es: ['el', 'la', 'los', 'las', 'que', 'de', 'y', 'no', 'en', 'es', 'un', 'una', 'por', 'para', 'mi', 'nuestro', 'nuestra', 'cómo', 'está', 'puedo'],
    fr: ['le', 'la', 'les', 'des', 'et', 'est', 'pas', 'je', 'nous', 'vous', 'une', 'un', 'pour', 'sur', 'mon', 'notre', 'ne', 'comment', 'depuis', 'du'],
    pt: ['o', 'a', 'os', 'as', 'que', 'de', 'e', 'não', 'em', 'um', 'uma', 'para', 'minha', 'meu', 'nosso', 'nossa', 'como', 'está', 'do', 'da'],
};
const INDEX = new Map();
for (const [lang, ws] of Object.entries(COMMON))
    for (const w of ws)
        INDEX.set(w, [...(INDEX.get(w) ?? []), lang]);
const JA_RE = /[\u3040-\u30ff]/;
const CJK_RE = /[\u4e00-\u9fff]/;
/**
 * Guess the language of a message: "en", "de", "es", "fr", "pt", "ja" or "und".
 * @example guessLanguage('Wie kann ich mein Abo kündigen?') // 'de'
 */
export function guessLanguage(text) {
    if (JA_RE.test(text))
        return 'ja';
    const score = {};
    for (const w of words(text, 2000))
        for (const lang of INDEX.get(w) ?? [])
            score[lang] = (score[lang] ?? 0) + 1;
    // Accented letters tell the Romance languages and German apart where short texts share words.
    if (/[ãõç]/i.test(text))
        score.pt = (score.pt ?? 0) + 2;
    if (/[ñ¿¡]/i.test(text))
        score.es = (score.es ?? 0) + 2;
    if (/[èêàùœ]|\b(?:qu'|j'|l'|d'|n')/i.test(text))
        score.fr = (score.fr ?? 0) + 2;
    if (/[äöüß]/i.test(text))
        score.de = (score.de ?? 0) + 2;
    let best = 'und';
    let top = 0;
    for (const [lang, s] of Object.entries(score))
        if (s > top)
            [best, top] = [lang, s];
    if (best === 'und' && CJK_RE.test(text))
        return 'ja';
    return best;
}
//# sourceMappingURL=language.js.map