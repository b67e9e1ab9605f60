/**
 * Durable Teams turns. Activities that are work for the core (messages and Action.Submit,
 * edits, deletions, installs) are stored in the inbox before the bot handles them, and the
 * HTTP 200 goes out only after both (botbuilder answers when the turn ends): a crash mid-turn
 * leaves the row pending and it is handled at the next start; a re-delivery of an activity
 * already handled is answered 200 without running again. Invokes whose HTTP answer IS the
 * result (Action.Execute, message-action dialogs) stay synchronous but are idempotent: the
 * answer is kept and a re-delivered invoke (same activity id) gets it back without the action
 * running twice.
 */
import { TurnContext } from 'botbuilder';
/** Activity types stored before they are handled. */
const DURABLE = new Set(['message', 'messageUpdate', 'messageDelete', 'conversationUpdate']);
/**
 * The turn handler to give `connector.process`, and start-up recovery of rows a crash left pending.
 * @example const turn = durableTurns(bot, inbox, connector, logger); await connector.process(req, res, turn);
 */
export function durableTurns(bot, inbox, connector, logger) {
    const repo = inbox.repo;
    inbox.start(async (row) => {
        const activity = JSON.parse(row.payload);
        logger.info({ activityId: activity.id, type: activity.type }, 'teams: handling an activity stored before a restart');
        // No live connector turn: lookups that need one (unknown @mentions) fall back to the Teams id.
        await bot.onTurn(new TurnContext(connector.adapter, activity));
        return 'done';
    }, { backlogOnly: true });
    return async (ctx) => {
        const a = ctx.activity;
        if (!a.id || !a.conversation?.id)
            return bot.onTurn(ctx);
        if (a.type === 'invoke') {
            const key = `invoke:${a.conversation.id}:${a.id}`;
            const prior = repo.find('teams', key);
            if (prior?.result) {
                logger.info({ activityId: a.id, name: a.name }, 'teams: invoke delivered again; answering with the stored result');
                await ctx.sendActivity({ type: 'invokeResponse', value: JSON.parse(prior.result) });
                return;
            }
            let answer = null;
            ctx.onSendActivities(async (_c, activities, next) => {
                for (const act of activities)
                    if (act.type === 'invokeResponse')
                        answer = act.value;
                return next();
            });
            await bot.onTurn(ctx);
            if (answer !== null)
                repo.recordDone('teams', key, JSON.stringify({ type: a.type, id: a.id, name: a.name }), JSON.stringify(answer), Date.now());
            return;
        }
        if (!DURABLE.has(a.type))
            return bot.onTurn(ctx);
        const deliveryId = `${a.type}:${a.conversation.id}:${a.id}`;
        const outcome = await inbox.accept({ platform: 'teams', deliveryId, payload: JSON.stringify(a), receivedAt: Date.now() });
        const row = repo.find('teams', deliveryId);
        if (outcome === 'duplicate' && row?.status !== 'pending') {
            logger.info({ activityId: a.id, type: a.type }, 'teams: activity delivered again; already handled');
            return;
        }
        await bot.onTurn(ctx);
        if (row)
            repo.markDone(row.id, Date.now());
    };
}
//# sourceMappingURL=durable-turn.js.map