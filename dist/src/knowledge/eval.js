/**
 * Measuring known-answer matching on labelled lines `{"text", "answer_id"}` (answer_id null
 * when no known answer fits): precision of the answers offered, coverage (share of answerable
 * requests offered the right answer) and false offers on requests without an answer.
 */
import { readFileSync } from 'node:fs';
import { InputInvalidError } from '../domain/errors.js';
/**
 * Read a labelled file. Bad lines are returned (with what is wrong), never thrown.
 * @throws InputInvalidError when the file cannot be read.
 */
export function readKnowledgeEvalFile(path) {
    let raw;
    try {
        raw = readFileSync(path, 'utf8');
    }
    catch (e) {
        throw new InputInvalidError(`cannot read ${path}: ${e.message}`);
    }
    const out = { lines: [], bad: [] };
    const problemOf = (v) => {
        if (!v || typeof v !== 'object' || Array.isArray(v))
            return 'expected an object like {"text": "...", "answer_id": "reset-password"}';
        const o = v;
        if (typeof o.text !== 'string' || !o.text.trim())
            return '"text" must be a non-empty string';
        if (!('answer_id' in o))
            return '"answer_id" is missing (use null when no known answer fits)';
        if (o.answer_id !== null && (typeof o.answer_id !== 'string' || !o.answer_id.trim()))
            return '"answer_id" must be an answer id or null';
        return null;
    };
    raw.split(/\r?\n/).forEach((s, i) => {
        const line = i + 1;
        if (!s.trim())
            return;
        let v;
        try {
            v = JSON.parse(s);
        }
        catch {
            out.bad.push({ line, problem: 'not valid JSON' });
            return;
        }
        const problem = problemOf(v);
        if (problem) {
            out.bad.push({ line, problem });
            return;
        }
        const o = v;
        out.lines.push({ line, text: o.text, answerId: o.answer_id?.trim() ?? null });
    });
    return out;
}
const ratio = (a, b) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
/**
 * Score the matcher on labelled lines; `facts` triages each text (as the live flow would).
 * @example evaluateKnowledge(matcher, (t) => triageFacts(config, t, triage.classify({ text: t })), file.lines)
 */
export function evaluateKnowledge(matcher, facts, lines) {
    const r = {
        n: lines.length,
        answerable: 0,
        unanswerable: 0,
        offers: 0,
        correct: 0,
        wrong_answer: 0,
        false_offers: 0,
        precision: null,
        coverage: null,
        false_offer_rate: null,
        declined: {},
        mistakes: [],
    };
    for (const l of lines) {
        const d = matcher.decide(l.text, facts(l.text));
        const offered = d.offer ? d.answer.id : null;
        if (l.answerId)
            r.answerable++;
        else
            r.unanswerable++;
        if (d.declined)
            r.declined[d.declined] = (r.declined[d.declined] ?? 0) + 1;
        if (offered) {
            r.offers++;
            if (offered === l.answerId)
                r.correct++;
            else if (l.answerId)
                r.wrong_answer++;
            else
                r.false_offers++;
        }
        if (offered !== l.answerId)
            r.mistakes.push({ line: l.line, text: l.text, expected: l.answerId, offered, explanation: d.explanation });
    }
    r.precision = ratio(r.correct, r.offers);
    r.coverage = ratio(r.correct, r.answerable);
    r.false_offer_rate = ratio(r.false_offers, r.unanswerable);
    return r;
}
//# sourceMappingURL=eval.js.map