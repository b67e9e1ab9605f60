/**
 * Offline knowledge per category: the customer-facing next step, what to expect, what to collect,
 * how to prove it is resolved and what follow-up it usually creates. Used for fallback drafts and
 * offline handling plans. User-facing strings live here, apart from the logic that uses them.
 * Unknown (team-defined) categories use the `other` entry.
 */
const PLAYS = {
    outage: {
        customerGoal: 'Get the service working again for everyone affected',
        nextStep: 'we are looking into this now and treating it as a possible incident.',
        nextStepEscalated: 'we have raised this with the on-call team and are treating it as an incident.',
        expectedOutcome: 'We will post updates in this thread as we learn more, and tell you as soon as service is back.',
        escalationPath: 'the incident owner takes over and keeps this thread updated until service is restored.',
        escalationTarget: 'on-call / incident owner (tier 3) with affected service, start time and error rate',
        diagnostics: ['When it started (time and time zone)', 'Which part of the product fails and the exact error shown', 'Whether everyone on your side is affected or only some people'],
        resolutionChecks: [
            'The affected service answers normally for the customer (they confirm)',
            'Error rate for the affected service is back to its usual level',
            'Incident timeline and cause are written down and linked to this ticket',
            'Every ticket linked to the incident has been updated',
        ],
        followUp: {
            title: 'Post-incident review for this outage',
            acceptanceCriteria: ['Timeline, cause and customer impact are documented', 'At least one action that prevents a repeat has an owner', 'Status-page and customer notices are reviewed for clarity'],
        },
        suggestions: ['Check for other tickets reporting the same symptom in the last hour and link them to one incident.', 'Post a short status update in the thread even before the cause is known.'],
    },
    bug: {
        customerGoal: 'Get the feature working as expected again',
        nextStep: 'we are reproducing the problem on our side; the steps you took and the exact error text help us do that faster.',
        expectedOutcome: 'Once we can reproduce it we will tell you whether there is a workaround and what the fix path is.',
        escalationPath: 'we will hand it to engineering with the reproduction details, so you will not be asked the same questions twice.',
        escalationTarget: 'engineering (tier 3) with reproduction steps, environment and logs',
        diagnostics: ['Steps that lead to the problem, in order', 'The exact error message or a screenshot', 'When it last happened (time and time zone)', 'Browser or app version, if relevant'],
        resolutionChecks: ['The problem is reproduced and its cause identified', 'The customer confirms the original steps now work', 'A fix or documented workaround is linked to this ticket'],
        followUp: {
            title: 'Fix the reported defect and cover it with a regression test',
            acceptanceCriteria: ['The reproduction steps no longer show the problem', 'A test covers the failing case', 'Support notes the fixed version on the ticket'],
        },
        suggestions: ['Try to reproduce before escalating and attach the steps to the ticket.', 'Ask for one screenshot rather than a long list of questions.'],
    },
    access: {
        customerGoal: 'Get back into their account',
        nextStep: 'please try signing in again using the "forgot password" link; if that does not work, tell us which sign-in method you use (password, SSO or magic link).',
        expectedOutcome: 'For most account access problems this gets you back in within a few minutes.',
        escalationPath: 'we will check your account on our side and involve the identity team if needed.',
        escalationTarget: 'tier 2 / identity admins with account id, sign-in method and time of the failed attempt',
        diagnostics: ['Sign-in method (password, SSO, magic link)', 'The exact error shown', 'Time of the last failed attempt'],
        resolutionChecks: ['The customer signs in successfully (they confirm)', 'No unexpected sign-in failures for the account since the fix', 'The cause (expired invite, MFA, SSO mapping, lockout) is noted on the ticket'],
        followUp: {
            title: 'Clarify the sign-in help for this failure mode',
            acceptanceCriteria: ['The error message tells the user what to do next', 'The help article covers this case', 'The support macro links to the article'],
        },
        suggestions: ['Never ask for the password; a reset link is enough.', 'Check whether the account was locked after repeated attempts.'],
    },
    billing: {
        customerGoal: 'Get a correct, understood charge on their account',
        nextStep: 'we are checking the invoice and payment records for your account with the billing team.',
        expectedOutcome: 'You will get an answer that says what happened with the charge and what, if anything, changes.',
        escalationPath: 'the billing team takes it over; refunds and credits are decided by them.',
        escalationTarget: 'billing specialists (tier 3) with invoice number and the amount in question',
        diagnostics: ['Invoice number or date of the charge', 'The amount in question', 'What you expected to be charged'],
        resolutionChecks: ['The charge is explained or corrected on the customer account', 'The customer confirms the invoice is now what they expected', 'Any credit or refund is recorded by billing, not promised in chat'],
        followUp: {
            title: 'Make this billing case self-explanatory on the invoice',
            acceptanceCriteria: ['The invoice line explains the charge', 'The billing FAQ covers the case', 'Support has a macro for it'],
        },
        suggestions: ['Do not promise a refund in the reply; billing decides.', 'If a card number was pasted in the thread, ask the customer to delete the message.'],
    },
    performance: {
        customerGoal: 'Get normal response times back',
        nextStep: 'we are looking at response times for your workspace; knowing which page or action is slow, and since when, narrows it down.',
        expectedOutcome: 'We will tell you whether it is on our side and what we are doing about it.',
        escalationPath: 'we will involve our infrastructure team with the timings you gave us.',
        escalationTarget: 'DevOps/SRE with timings, affected endpoints and metrics',
        diagnostics: ['Which page or action is slow', 'Since when, and whether it is constant or at certain times', 'Roughly how long it takes now versus before'],
        resolutionChecks: ['Response time for the reported action is back to its usual level', 'The customer confirms it feels normal again', 'The cause (load, query, network) is noted on the ticket'],
        followUp: {
            title: 'Alert on the slowdown before customers report it',
            acceptanceCriteria: ['A latency alert exists for the affected action', 'The alert would have fired for this case', 'The runbook says who responds'],
        },
        suggestions: ['Check whether others reported slowness in the same window.', 'Ask for timings, not just "it is slow".'],
    },
    data: {
        customerGoal: 'Get their data correct and complete again',
        nextStep: 'we are checking the affected records; please do not re-import or bulk-edit them until we have looked.',
        expectedOutcome: 'We will tell you what changed, whether it can be restored, and how.',
        escalationPath: 'we will hand it to engineering with the record ids and the time it happened.',
        escalationTarget: 'engineering / data owners (tier 3) with record ids, time window and expected vs actual values',
        diagnostics: ['Which records or reports are affected (ids or names)', 'What the data should be versus what it shows', 'When it was last correct'],
        resolutionChecks: ['Affected records are identified and counted', 'Data is restored or corrected and the customer confirms', 'The cause is known and will not repeat silently'],
        followUp: {
            title: 'Guard against this data problem recurring',
            acceptanceCriteria: ['A check or validation catches the bad state', 'Restore steps are documented', 'Customers affected are listed and informed'],
        },
        suggestions: ['Treat possible data loss as urgent even if only one customer reported it.', 'Ask the customer to pause bulk changes until the records are checked.'],
    },
    security: {
        customerGoal: 'Make sure nothing is exposed and know what to do',
        nextStep: 'we have passed this to our security contact. If a password, key or token may be exposed, please rotate it now.',
        expectedOutcome: 'Security will assess it and we will tell you what they found and whether you need to do anything else.',
        escalationPath: 'our security team handles it directly and may contact you for details.',
        escalationTarget: 'security contact immediately, with what was exposed, when and where',
        diagnostics: ['What may be exposed (account, key, data) — without sending the secret itself', 'When and where it happened', 'Who else may be affected'],
        resolutionChecks: ['Exposed credentials are rotated or revoked', 'Security has assessed scope and impact', 'Affected people are informed as policy requires'],
        followUp: {
            title: 'Security review of the reported exposure',
            acceptanceCriteria: ['Root cause is documented', 'A control prevents the same exposure', 'The response timeline met the security policy'],
        },
        suggestions: ['Remove any secret pasted in the thread and ask for it to be rotated.', 'Involve security now, regardless of priority.'],
    },
    feature_request: {
        customerGoal: 'Get a capability the product does not have yet',
        nextStep: 'we are passing this to the product team with the problem you described.',
        expectedOutcome: 'The product team reviews requests regularly; we cannot promise if or when it will be built, but we will tell you if it is planned.',
        escalationPath: 'the product owner reviews it together with similar requests.',
        escalationTarget: 'product owner with the user need and how often it comes up',
        diagnostics: ['What you are trying to achieve', 'How you work around it today', 'How often it comes up'],
        resolutionChecks: ['The need is recorded in the product backlog with this ticket linked', 'The customer knows what happens next (no promised date)', 'A workaround, if any, is shared'],
        followUp: {
            title: 'Record the user need behind this request',
            acceptanceCriteria: ['Backlog item states the problem, not a solution', 'Similar requests are linked', 'The product owner has reviewed it'],
        },
        suggestions: ['Restate the underlying need in one line; it helps the product team compare requests.', 'Offer a workaround if one exists.'],
    },
    question: {
        customerGoal: 'Know how to do something with the product',
        nextStep: 'here is the short answer; if it does not match your situation, tell us what you are trying to do and we will adjust.',
        expectedOutcome: 'This should let you carry on right away.',
        escalationPath: 'we will bring in a specialist for your case.',
        escalationTarget: 'tier 2 for anything the documentation does not answer',
        diagnostics: ['What you are trying to do', 'Where you are stuck (page or step)'],
        resolutionChecks: ['The customer confirms the answer works for them', 'The answer is in the help centre (or a gap is noted)'],
        followUp: {
            title: 'Answer this question in the help centre',
            acceptanceCriteria: ['An article answers it in the first paragraph', 'Search for the customer wording finds it', 'The support macro links to it'],
        },
        suggestions: ['Link the help article in the reply so the answer can be reused.', 'If this question came up before, note it as a documentation gap.'],
    },
    other: {
        customerGoal: 'Get their request handled by the right people',
        nextStep: 'we are reviewing your request and will confirm who on our side will handle it.',
        expectedOutcome: 'You will get a reply with the next step and who is handling it.',
        escalationPath: 'we will route it to the right team and tell you who has it.',
        escalationTarget: 'tier 2 for routing',
        diagnostics: ['What you are trying to achieve', 'What happened instead', 'Anything you have already tried'],
        resolutionChecks: ['The customer confirms the request is handled', 'The ticket has the right category for reporting'],
        followUp: {
            title: 'Decide whether this request needs its own category or macro',
            acceptanceCriteria: ['Similar requests are counted', 'A category or macro is added if they recur'],
        },
        suggestions: ['Set a precise category so similar requests can be found later.'],
    },
};
/**
 * The play for a category; unknown categories get the `other` play.
 *
 * @example
 * playFor('billing').escalationTarget // 'billing specialists (tier 3) with ...'
 */
export function playFor(category) {
    return PLAYS[category] ?? PLAYS.other;
}
//# sourceMappingURL=playbook.js.map