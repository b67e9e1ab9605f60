/** Reading Teams activities: text without markup, bot mentions, command lines, quoted replies, files, ids. */
import { describe, expect, it } from 'vitest';
import { conversationTypeOf, coreUserId, splitConversationId, threadConversationId } from '../../adapters/teams/teams-ids.js';
import { commandText, filesOf, isPersonId, mentionsBot, quotedReplyTarget, stripBotMention, teamsTextToPlain } from '../../adapters/teams/teams-inbound.js';

const BOT = '28:bot';
const botMention = { type: 'mention', text: '<at>frontdesk</at>', mentioned: { id: BOT, name: 'frontdesk' } };

describe('teams-inbound', () => {
  it('message text: mentions become @Name, tags go, entities are decoded', () => {
    expect(teamsTextToPlain('<p>Hi <at>Dana Agent</at>,</p><p>checkout &amp; login fail &lt;500&gt;<br/>since 10:00</p>')).toBe('Hi @Dana Agent,\ncheckout & login fail <500>\nsince 10:00');
  });

  it('detects and strips the bot mention only', () => {
    const entities = [botMention, { type: 'mention', text: '<at>Eli</at>', mentioned: { id: '29:eli', name: 'Eli' } }];
    expect(mentionsBot(entities, BOT)).toBe(true);
    expect(mentionsBot([entities[1]], BOT)).toBe(false);
    expect(mentionsBot(undefined, BOT)).toBe(false);
    expect(stripBotMention('<at>frontdesk</at> assign T-1 <at>Eli</at>', entities, BOT)).toBe('assign T-1 <at>Eli</at>');
  });

  it('command lines keep <@id> refs and lose markup', () => {
    expect(commandText('assign&nbsp;T-1 <@00000000-0000-0000-0000-0000000000a2><br>')).toBe('assign T-1 <@00000000-0000-0000-0000-0000000000a2>');
    expect(commandText('note T-1 <b>call</b> &quot;back&quot;')).toBe('note T-1 call "back"');
  });

  it('finds the message a group-chat Reply quotes', () => {
    const html = '<blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="1700000000123"><strong>frontdesk</strong><p>T-1001</p></blockquote><p>on it</p>';
    expect(quotedReplyTarget([{ contentType: 'text/html', content: html }])).toBe('1700000000123');
    expect(quotedReplyTarget([{ contentType: 'text/html', content: '<p>no quote</p>' }])).toBeNull();
    expect(quotedReplyTarget(undefined)).toBeNull();
  });

  it('shared files and images become https links; anything else is skipped', () => {
    expect(
      filesOf([
        { contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'log.txt', contentUrl: 'https://contoso.sharepoint.com/log.txt' },
        { contentType: 'image/png', contentUrl: 'https://smba.trafficmanager.net/img/1' },
        { contentType: 'text/html', content: '<p>x</p>' },
        { contentType: 'image/png', contentUrl: 'http://insecure.example/x.png' },
      ]),
    ).toEqual([
      { kind: 'file', name: 'log.txt', url: 'https://contoso.sharepoint.com/log.txt' },
      { kind: 'file', name: 'file', url: 'https://smba.trafficmanager.net/img/1' },
    ]);
  });

  it('ids: reply chains, conversation types, user ids', () => {
    expect(splitConversationId('19:abc@thread.tacv2;messageid=1700')).toEqual({ base: '19:abc@thread.tacv2', rootId: '1700' });
    expect(splitConversationId('a:1xyz')).toEqual({ base: 'a:1xyz', rootId: null });
    expect(threadConversationId('19:abc@thread.tacv2', '1700')).toBe('19:abc@thread.tacv2;messageid=1700');
    expect(conversationTypeOf(undefined, '19:abc@thread.tacv2')).toBe('channel');
    expect(conversationTypeOf(undefined, '19:abc@thread.v2')).toBe('groupChat');
    expect(conversationTypeOf(undefined, 'a:1xyz')).toBe('personal');
    expect(conversationTypeOf('personal', '19:abc@thread.tacv2')).toBe('personal');
    expect(coreUserId({ id: '29:x', aadObjectId: 'guid' })).toBe('guid');
    expect(coreUserId({ id: '29:x' })).toBe('29:x');
    expect(isPersonId('29:x')).toBe(true);
    expect(isPersonId('28:bot')).toBe(false);
    expect(isPersonId('19:channel@thread.tacv2')).toBe(false);
  });
});
