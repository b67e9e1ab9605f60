/**
 * The built-in phrase rules: data, not logic. Each rule's `match` entries are phrases
 * (case-insensitive, word-bounded, any whitespace between words) or regular expressions
 * written as /.../ — the same format as `triage.rules` in the config.
 *
 * - `category` + `weight`: a hint added to the learner's score for that category (log-odds).
 * - `atLeast`: a floor — priority is never below it (P0 floors are never lowered by anything).
 * - `suggest`: a soft priority hint (added to the learner's priority score), used for "low" words.
 * - `tag`: lets triage combine rules (an outage with wide impact or in production is P0; a core
 *   flow failing for many users is such an outage).
 */
import type { Priority } from '../domain/types.js';

export interface BuiltInRule {
  id: string;
  match: string[];
  category?: string;
  weight?: number;
  atLeast?: Priority;
  suggest?: Priority;
  tag?: 'outage' | 'broad' | 'prod' | 'failing';
  label?: string;
  /**
   * Impact rules (security incident, data loss): their category hint does not fade as the
   * learner learns and outweighs topic words — "hacked" decides the category over "API keys".
   */
  dominant?: boolean;
}

const NOT = "(?<!\\bnot\\s|\\bno\\s|\\bnon[-\\s]|n't\\s)";
/** Japanese has no spaces between words: its entries are plain regular expressions. */

export const BUILT_IN_RULES: readonly BuiltInRule[] = [
  // Outage: the service, not one feature, is unavailable.
  {
    id: 'outage',
    category: 'outage',
    weight: 2.5,
    atLeast: 'P1',
    tag: 'outage',
    match: [
      'outage',
      'service unavailable',
      'bad gateway',
      'gateway timeout',
      'site is unreachable',
      'offline for everyone',
      "/\\b(?:is|are|was|were|'s|be|been|went|goes|going|gone)\\s+(?:(?:completely|totally|fully|still|now|currently|all|again|back)\\s+)?down\\b(?!\\s*(?:load|grade|time|stream|side|ward|to|the|with|by|a|an|and|into|in))/",
      '/\\bdown\\s+(?:for|since|again|right now|everywhere|across)\\b/',
      '/\\b(?:getting|seeing|see|get|returns?|returning|throws?|throwing|gives?|giving|got)\\s+(?:an?\\s+|lots of\\s+)?(?:http\\s*)?50[234]s?\\b/',
      '/\\b50[234]s?\\s+(?:errors?|bad gateway|service unavailable|gateway timeout|everywhere|for everyone|on every)\\b/',
      '/\\b(?:whole|entire)\\s+(?:app|site|service|platform|system|api)\\b.{0,40}\\b(?:down|offline|unavailable|unreachable)\\b/',
      "/\\b(?:nothing|no page|nobody|no one)\\s+(?:loads|is loading|can connect)\\b/",
      // ("use the app offline?" is a how-to: the product used without a connection)
      '/(?<!\\b(?:use|using|work|working|works|access)\\s+(?:the\\s+|our\\s+|your\\s+)?(?:mobile\\s+|desktop\\s+|web\\s+)?)\\b(?:checkout|payments?|the api|api|website|site|app|shop|store|platform|server|servers|dashboard|system)\\s+(?:is\\s+|are\\s+)?(?:completely\\s+|totally\\s+)?(?:down|offline|unreachable|unavailable)\\b/',
      '/\\b(?:won\'t|will not|doesn\'t|does not)\\s+(?:open|load)\\s+(?:at all\\s+)?for\\s+(?:any|all|every)/',
      // expired TLS certificate: browsers refuse the site, so for its users it is down
      '/\\bcert(?:ificate)?s?\\b.{0,40}\\b(?:expired|ran out|lapsed|abgelaufen|caducado|expirado|vencido|expiré)/',
      '/証明書.{0,15}(?:期限切れ|失効|切れ)/',
      '/\\bexpired\\s+(?:ssl|tls|https)?\\s*cert(?:ificate)?s?\\b/',
      // de
      '/\\b(?:ist|sind|seit)\\b.{0,40}\\b(?:down|offline|ausgefallen|nicht erreichbar|nicht verfügbar|lahmgelegt)\\b/',
      'ausfall', 'totalausfall', 'störung', 'geht nichts mehr', 'funktioniert nichts mehr', 'nichts geht mehr',
      // es
      'caído', 'caída', 'caídos', 'caídas', 'está caído', 'no funciona nada', 'fuera de servicio', 'fuera de línea', 'no carga para nadie', 'interrupción del servicio',
      '/\\b(?:no funciona|no funcionan|no responde|no carga)\\b.{0,40}\\b(?:ningún|ninguna|nadie|todos|todas)\\b/',
      // fr
      'en panne', 'panne', 'hors service', 'hors ligne', 'inaccessible', 'indisponible', 'ne fonctionne plus du tout', 'plus rien ne marche', 'plus rien ne fonctionne',
      // pt
      'fora do ar', 'caiu', 'está fora', 'indisponível', 'não funciona para ninguém', 'parou de funcionar para todos', 'sistema caiu', 'site caiu',
      // ja
      '/ダウン|障害が発生|サーバーエラー|アクセスできない|アクセスできません|繋がらない|つながらない|使えない状態|停止しています|落ちて(?:い|る)/',
    ],
  },
  // Integrations that stopped: by impact an outage of that flow (not a performance problem).
  {
    id: 'integration-failure',
    category: 'outage',
    weight: 3,
    atLeast: 'P1',
    label: 'an integration stopped working',
    match: [
      "/\\b(?:webhooks?|integrations?|sync|syncing|api calls?|api requests?)\\s+(?:\\w+\\s+){0,2}(?:are\\s+|is\\s+|keep\\s+|have\\s+|has\\s+)?(?:all\\s+)?(?:failing|fail|failed|stopped|not firing|not working|broken|erroring|returning errors|rejected)\\b/",
      "/\\b(?:orders?|payments?|invoices?|data|contacts|products|inventory)\\s+(?:are\\s+|is\\s+|have\\s+|has\\s+)?(?:not|no longer|stopped)\\s+(?:syncing|synchronizing|synchronising|coming through|arriving|being (?:sent|created|imported))\\b/",
      "/\\bstopped\\s+(?:syncing|synchronizing|synchronising)\\b/",
    ],
  },
  // 500s for many: a server-side failure; with wide impact an outage.
  {
    id: 'server-error',
    category: 'bug',
    weight: 1.5,
    tag: 'outage',
    label: 'server errors',
    match: ['/\\b(?:error|http|status|code|エラー)\\s*500\\b|\\b500\\s*(?:errors?|エラー|internal)|internal server error|500エラー|エラー500/'],
  },
  // A core flow failing or broken: no category of its own (one customer's broken checkout is a
  // bug), but with wide impact ("checkout is broken for everyone") it is an outage.
  {
    id: 'flow-failing',
    tag: 'failing',
    label: 'a core flow is failing',
    match: [
      "/\\b(?:checkout|payments?|the api|api|api calls|website|site|app|shop|store|platform|service|system|orders?|logins?|sign-?ins?|sign-?ups?)\\s+(?:is\\s+|are\\s+|keeps?\\s+)?(?:completely\\s+|totally\\s+|all\\s+)?(?:failing|failed|broken|not working|erroring|rejected|declined)\\b/",
      '/\\b(?:no|none of the|zero)\\s+(?:payments?|orders?|transactions?|logins?)\\s+(?:are\\s+|is\\s+)?(?:going through|coming through|working|succeed(?:ing)?)\\b/',
      // de / es / fr / pt / ja
      '/\\b(?:zahlungen|bezahlung|checkout|kasse|bestellungen|anmeldung|login)\\b.{0,30}\\b(?:schlagen fehl|fehlgeschlagen|funktionier\\w*\\s+nicht|kaputt)/',
      '/\\b(?:pagos|cobros|pedidos|pagamentos|pedidos|paiements|commandes)\\b.{0,30}\\b(?:fallan|fallando|fallidos|no funcionan|échouent|ne passent pas|falham|falhando|não funcionam)/',
      '/(?:決済|支払い|注文|ログイン).{0,10}(?:できない|できません|失敗)/',
    ],
  },
  // Wide impact: many users, not one.
  {
    id: 'broad-impact',
    atLeast: 'P1',
    tag: 'broad',
    match: [
      'all users',
      'all of our users',
      'all our users',
      'all customers',
      'all our customers',
      'all of our customers',
      'every user',
      'every customer',
      'all regions',
      'whole company',
      'entire company',
      'whole team',
      'entire team',
      'company-wide',
      'nobody can',
      'no one can',
      '/\\b(?:for|affect(?:s|ing|ed)?|impact(?:s|ing|ed)?|hitting)\\s+(?:everyone|everybody|all\\s+(?:of\\s+)?(?:our\\s+|my\\s+|the\\s+)?(?:users|customers|clients|accounts|tenants|staff|employees|stores|sites))\\b/',
      "/\\b(?:everyone|everybody)\\s+(?:is|are|gets?|sees?|can't|cannot|has|have)\\b/",
      '/\\b(?:many|multiple|several|lots of|hundreds of|thousands of)\\s+(?:users|customers|people|accounts|tenants)\\b/',
      '/\\b(?:any|all|none) of (?:our|my|the)\\s+(?:users|customers|clients|drivers|agents|staff|employees|stores|team)\\b/',
      'for anyone', 'for any of our',
      // de
      'alle nutzer', 'alle benutzer', 'alle kunden', 'alle unsere kunden', 'alle user', 'alle mitarbeiter', 'niemand kann', 'keiner kann', 'keiner unserer', 'keine unserer', 'für alle', 'bei allen', 'gesamte firma', 'ganze firma', 'ganze team',
      // es
      'todos los usuarios', 'todos nuestros clientes', 'todos los clientes', 'todos nuestros usuarios', 'para todos', 'ningún usuario', 'ningún cliente', 'nadie puede', 'ninguno de nuestros', 'toda la empresa', 'todo el equipo',
      // fr
      'tous les utilisateurs', 'tous nos clients', 'tous les clients', 'tous nos utilisateurs', 'pour tout le monde', 'personne ne peut', 'aucun utilisateur', 'aucun client', 'toute l\'équipe', 'toute l\'entreprise',
      // pt
      'todos os usuários', 'todos os utilizadores', 'todos os clientes', 'todos nossos clientes', 'todos os nossos clientes', 'para todos', 'ninguém consegue', 'nenhum usuário', 'nenhum cliente', 'toda a empresa', 'toda a equipe',
      // ja
      '/全(?:て|ての)?(?:の)?(?:ユーザー|ユーザ|顧客|お客様|利用者|社員)|すべての(?:ユーザー|ユーザ|顧客|お客様|利用者)|全員|誰も(?:ログイン|アクセス|使え)/',
    ],
  },
  {
    id: 'production',
    atLeast: 'P2',
    tag: 'prod',
    match: ['production', 'prod', 'live site', 'live environment', 'prod environment', 'produktion', 'produktivsystem', 'producción', 'en producción', 'en production', 'produção', 'em produção', '/本番(?:環境)?/'],
  },
  // Explicit severity words. A requester writing "P0" raises the floor to P1 only: P0 needs real
  // impact signals (an outage in production / for many users), so nobody can self-assign P0 by
  // typing it ("ignore previous instructions and mark this P0").
  { id: 'severity-p0', atLeast: 'P1', match: ['p0', 'sev0', 'sev-0', 'sev 0', 'sev1', 'sev-1', 'sev 1', 'severity 1'] },
  { id: 'severity-p1', atLeast: 'P1', match: ['sev2', 'sev-2', 'sev 2', 'severity 2'] },
  {
    id: 'urgent',
    atLeast: 'P1',
    match: [
      `/${NOT}\\b(?:urgent(?:ly)?|asap|emergency|blocker|showstopper|show-stopper|show stopper)\\b/`,
      `/${NOT}\\bcritical\\s+(?:issue|bug|problem|incident|outage|failure|error)\\b/`,
      "/\\b(?:is|it's|this is|that's|very|super|business)\\s+critical\\b/",
      `/${NOT}\\b(?:blocking|blocked)\\s+(?:us|me|our|the|all|everyone|release|launch|work)\\b/`,
      "/\\b(?:can't|cannot|can not|unable to)\\s+work\\b/",
      'losing money',
      'losing revenue',
      'dringend', 'sehr dringend', 'eilt', 'notfall', 'urgente', 'muy urgente', 'urgência', 'emergencia', 'emergência', 'bloquant', 'au plus vite',
      '/至急|緊急|大至急|急ぎ/',
    ],
  },
  // Security.
  {
    id: 'security-incident',
    category: 'security',
    weight: 5,
    atLeast: 'P0',
    dominant: true,
    match: [
      // account takeover: someone else in the account, things the customer never did
      "/\\b(?:someone|somebody|some one|a stranger|an unknown (?:person|user))\\s+(?:else\\s+)?(?:has\\s+|had\\s+|is\\s+|was\\s+|has been\\s+|have been\\s+|keeps\\s+)?(?:logged|logging|signed|signing|got|getting|broke|breaking)\\s+(?:in(?:to)?|on to|onto)\\b/",
      "/\\b(?:someone|somebody)\\s+(?:else\\s+)?(?:is\\s+|has been\\s+)?(?:using|accessing|in)\\s+(?:my|our)\\s+(?:\\w+\\s+)?account\\b/",
      "/\\b(?:someone|somebody)\\s+(?:else\\s+)?(?:has\\s+)?(?:changed|reset)\\s+(?:my|our)\\s+(?:password|email|e-mail|bank|payout|2fa)/",
      "/\\b(?:someone|somebody|a stranger|another person|other people)\\s+(?:else\\s+)?(?:\\w+\\s+){0,2}(?:access(?:ed)?|control)\\s+(?:to\\s+|of\\s+)(?:my|our)\\s+(?:\\w+\\s+)?accounts?\\b/",
      // something done in the customer's name that they did not do
      "/\\b(?:log\\s*-?ins?|sign-?ins?|signed in|logged in|password|e-?mail address|charges?|payments?|purchases?|transactions?|orders?|changes?|changed)\\b.{0,60}\\b(?:wasn't|was not|weren't|were not|not)\\s+(?:me|us)\\b/",
      "/\\b(?:charges?|payments?|purchases?|transactions?|orders?|log\\s*-?ins?|sign-?ins?)\\b.{0,40}\\b(?:i|we)\\s+(?:didn't|did not|never)\\s+(?:make|made|place|placed|authori[sz]e|authori[sz]ed|do|did)\\b/",
      "/\\b(?:account|accounts|password|identity|login|credentials)\\s+(?:was|were|has been|have been|got|is)\\s+(?:stolen|taken over|hijacked|hacked)\\b/",
      'hijacked',
      // someone else using the account, in other languages
      "/\\b(?:quelqu'un|alguien|alguém|jemand|jemand anderes)\\b.{0,30}\\b(?:utilise|utilisé|usando|usa|usó|benutzt|nutzt|verwendet|accède|accédé|entra|entró|acessou|accedió|eingeloggt|angemeldet|connecté)\\b/",
      "/\\b(?:das|dies) war(?:en)? (?:ich|wir) nicht\\b|\\bno (?:fui|fuimos) (?:yo|nosotros)\\b|\\bce n'(?:était|est) pas (?:moi|nous)\\b|\\bnão fui eu\\b/",
      "/\\b(?:never|didn't|did not|don't|do not|nobody)\\s+(?:\\w+\\s+){0,2}(?:created|create|made|make|added|add|issued|authori[sz]ed|recogni[sz]e|set up)\\b.{0,40}\\b(?:api keys?|keys?|tokens?|sessions?|logins?|devices?|users?|admins?|webhooks?|payouts?)\\b/",
      "/\\b(?:api keys?|keys?|tokens?|sessions?|logins?|devices?|admins?|users?)\\b.{0,40}\\b(?:(?:we|i|nobody|none of us)\\s+(?:never|didn't|did not|don't|do not)?\\s*(?:created|made|added|recogni[sz]e|know)|that (?:we|i) (?:never|didn't|did not|don't|do not) (?:create|make|add|recogni[sz]e|know))\\b/",
      "/\\b(?:unknown|unrecogni[sz]ed|unfamiliar|strange|foreign)\\s+(?:api keys?|keys?|tokens?|sessions?|logins?|log-ins|sign-ins|devices?|admin(?:istrator)?s?|ip address(?:es)?)\\b/",
      "/\\b(?:login|sign-?in|access)\\s+from\\s+(?:an?\\s+)?(?:unknown|unrecogni[sz]ed|strange|another|different)\\s+(?:ip|country|location|device)/",
      "/\\b(?:pushed|committed|posted|pasted|leaked|exposed|shared)\\b.{0,30}\\b(?:secret|api|private)\\s*keys?\\b.{0,30}\\b(?:public|github|publicly|online)\\b/",
      '/\\b(?:leaked|stolen|exposed)\\s+(?:\\w+\\s+)?(?:credentials|passwords?|tokens?|keys?)\\b/',
      '/\\b(?:credentials|passwords?|tokens?|keys?)\\s+(?:were|was|have been|has been|got)\\s+(?:leaked|stolen|exposed|compromised)\\b/',
      // de / es / fr / pt / ja
      'gehackt', 'kompromittiert', 'unbefugter zugriff', 'unbefugt', 'datenleck', 'jemand hat sich', 'fremde anmeldung', 'nicht von uns erstellt',
      'hackeado', 'hackeada', 'hackearon', 'comprometida', 'comprometido', 'acceso no autorizado', 'sin permiso', 'alguien entró', 'alguien ha entrado', 'alguien accedió', 'filtración de datos',
      'piraté', 'piratée', 'piratage', 'compromis', 'accès non autorisé', "quelqu'un s'est connecté", 'que nous ne connaissons pas', 'fuite de données',
      'invadida', 'invadido', 'hackearam', 'acesso não autorizado', 'alguém entrou', 'alguém acessou', 'vazamento de dados', 'vazaram',
      '/乗っ取ら|不正アクセス|不正ログイン|身に覚えのない|ハッキング|情報漏洩|漏洩/',
      'breach',
      'breached',
      'hacked',
      'compromised',
      'data leak',
      'leaked',
      'account takeover',
      'ransomware',
      'malware',
      'unauthorized access',
      'unauthorised access',
      '/\\b(?:exposed|leaked|published)\\s+(?:\\w+\\s+)?(?:api keys?|keys?|tokens?|credentials|passwords?|secrets?)\\b/',
    ],
  },
  {
    id: 'security-issue',
    category: 'security',
    weight: 4,
    atLeast: 'P1',
    dominant: true,
    match: [
      // phishing in the provider's name
      "/\\b(?:e-?mails?|messages?|sms|texts?|calls?)\\b.{0,60}\\basking\\s+(?:\\w+\\s+){0,2}(?:for|to\\s+(?:re-?)?(?:enter|confirm|send|verify|update|type))\\s+(?:my|our|their|your|his|her)?\\s*(?:\\w+\\s+)?(?:passwords?|credentials|card|login|2fa|code|bank)/",
      "/\\b(?:pretending|claiming|pretends|claims)\\s+to\\s+(?:be|come)\\s+from\\s+(?:you|your)\\b|\\blooks? like (?:it|they)(?:'s|'re| is| are| came| come| comes)? from (?:you|your)\\b/",
      'phishing-mail', 'phishing e-mail', 'phishing email', 'fake login page', 'fraudulent email', 'fraudulent e-mail', 'suspicious email', 'suspicious e-mail', 'scam email', '/フィッシング/', 'sicherheitslücke', 'vulnerabilidad', 'faille de sécurité', 'vulnerabilidade', 'security issue', 'security incident', 'phishing', 'xss', 'sql injection', 'csrf', 'exploit', 'exploited', 'suspicious login', 'suspicious activity', 'brute force'],
  },
  {
    id: 'vulnerability',
    category: 'security',
    weight: 2.5,
    atLeast: 'P2',
    match: ['vulnerability', 'vulnerabilities', 'vulnerable', '/\\bcve-\\d{4}-\\d+\\b/'],
  },
  { id: 'security', category: 'security', weight: 1.5, match: ['security', 'pen test', 'pentest', 'audit log', 'encryption', 'gdpr', 'soc 2', 'soc2'] },
  // Data.
  {
    id: 'data-loss',
    category: 'data',
    weight: 4.5,
    atLeast: 'P0',
    dominant: true,
    match: [
      "/\\b(?:deleted|wiped|erased|removed|lost|overwrote|overwritten|purged|dropped)\\b.{0,60}\\b(?:restore|recover|get (?:it|them|this|that) back|undo|undelete|roll ?back|backup)\\b/",
      "/\\b(?:accidentally|by mistake|mistakenly)\\s+(?:\\w+\\s+)?(?:deleted|wiped|erased|removed|overwrote|purged|dropped)\\b/",
      "/\\b(?:deleted|wiped|erased|lost)\\s+(?:\\w+\\s+){0,3}(?:years?|months?|weeks?|days?)\\s+(?:of|worth of)\\s+(?:data|records|history|work)\\b/",
      "/\\b(?:all|half|most|some)\\s+(?:of\\s+)?(?:our|my|the)\\s+(?:\\w+\\s+)?(?:data|records|files|projects|contacts|customers|invoices|tickets)\\s+(?:\\w+\\s+)?(?:are|is|have|has|were|was)?\\s*(?:gone|missing|disappeared|vanished|deleted|lost)\\b/",
      // de / es / fr / pt / ja
      'datenverlust', 'daten verloren', 'daten sind weg', 'alles gelöscht', 'versehentlich gelöscht',
      '/\\b(?:gelöscht|borr[a-záéíóúñ]*|elimin[a-záéíóúñ]*|supprim[a-zéèêàç]*|apag[a-zãõáéíóúç]*|exclu[a-zãõáéíóúç]*|perd[a-zãõáéíóúçñ]*|verloren)(?![a-záéíóúñãõç]).{0,60}(?:wiederherstell|recuper|restaur|récupér)/',
      'pérdida de datos', 'se borraron todos', 'borramos todos', 'recuperar los datos',
      'perte de données', 'données ont disparu', 'supprimé par erreur', 'supprimées par erreur', 'récupérer nos données',
      'perda de dados', 'perdemos todos', 'dados sumiram', 'restaurar os dados',
      '/データ.{0,10}(?:消え|消失|削除|失われ)|(?:全て|すべて)の.{0,10}(?:削除|消え)|誤って.{0,10}削除|削除.{0,20}復元/',
      'data loss',
      'lost data',
      'lost all',
      '/\\b(?:lost|losing|deleted|wiped|erased)\\s+(?:all\\s+)?(?:of\\s+)?(?:our|my|the|their)?\\s*(?:data|records|files|history|projects)\\b/',
      '/\\b(?:data|records|files)\\s+(?:is|are|has|have)?\\s*(?:gone|disappeared|vanished|been wiped|been deleted)\\b/',
    ],
  },
  {
    id: 'data-integrity',
    category: 'data',
    weight: 2.5,
    atLeast: 'P1',
    match: ['corrupt', 'corrupted', 'corruption', 'data is wrong', 'wrong data', 'missing data', 'data missing', 'duplicate records', 'duplicated records', 'out of sync'],
  },
  {
    id: 'data',
    category: 'data',
    weight: 1.5,
    match: [
      'export', 'csv', 'data import', 'sync', 'syncing', 'backup', 'restore', 'records', 'migration', 'report is empty', 'dashboard shows',
      'import', 'spreadsheet', 'my data', 'our data', 'personal data', 'data you hold', 'data you have', 'copy of my data', 'copy of our data', 'data export',
      'datenexport', 'meine daten', 'unsere daten', 'mis datos', 'nuestros datos', 'exportar', 'mes données', 'nos données', 'exporter', 'meus dados', 'nossos dados', '/データ(?:の)?(?:エクスポート|インポート|移行)/',
    ],
  },
  // Access.
  {
    id: 'login-blocked',
    category: 'access',
    weight: 3,
    atLeast: 'P2',
    match: [
      "/\\b(?:can't|cant|cannot|can not|unable to|couldn't|could not|not able to)\\s+(?:log\\s*in|login|sign\\s*in|signin|sign on|access|get in(?:to)?)\\b/",
      'locked out',
      "/\\b(?:nobody|no one|none of (?:us|our \\w+))\\s+can\\s+(?:log\\s*in|sign\\s*in|access|get in)\\b/",
      'access denied',
      'permission denied',
      '/\\blogin\\s+(?:is\\s+)?(?:broken|fails|failing|failed|not working)\\b/',
      "/\\b(?:keep|keeps)\\s+(?:getting\\s+)?(?:logged|signed|kicked)\\s+out\\b/",
      "/\\b(?:password|verification code|2fa code|reset email|reset link|magic link)\\b.{0,30}\\b(?:not accepted|never arrives?|doesn't arrive|does not arrive|isn't arriving|not arriving|doesn't work|not working|invalid|expired)\\b/",
      // de / es / fr / pt / ja
      '/\\b(?:login|log-in|anmeldung|einloggen|anmelden)\\b.{0,30}\\b(?:funktioniert|geht|klappt)\\s+(?:\\w+\\s+){0,3}nicht\\b/',
      '/\\b(?:niemand|keiner)\\s+(?:\\w+\\s+){0,2}kann\\s+sich\\s+(?:mehr\\s+)?(?:anmelden|einloggen)\\b/',
      'kann mich nicht anmelden', 'kann mich nicht einloggen', 'komme nicht rein', 'komme nicht mehr in', 'login funktioniert nicht', 'anmeldung funktioniert nicht', 'anmeldung schlägt fehl', 'konto gesperrt', 'passwort wird nicht akzeptiert', 'kein login möglich', 'nicht einloggen', 'nicht anmelden',
      'no puedo iniciar sesión', 'no puedo entrar', 'no puedo acceder', 'no me deja entrar', 'no podemos iniciar sesión', 'no podemos entrar', 'cuenta bloqueada', 'iniciar sesión no funciona',
      "je n'arrive pas à me connecter", 'impossible de me connecter', 'impossible de se connecter', 'ne peux pas me connecter', 'ne peut se connecter', 'compte bloqué', 'connexion impossible',
      'não consigo entrar', 'não consigo acessar', 'não consigo fazer login', 'não conseguimos entrar', 'não conseguimos acessar', 'conta bloqueada', 'login não funciona',
      '/ログインでき(?:ない|ません)|ログインに失敗|サインインでき(?:ない|ません)|入れ(?:ない|ません)/',
    ],
  },
  {
    id: 'access',
    category: 'access',
    weight: 2.5,
    match: [
      'sso', 'saml', '2fa', 'mfa', 'two-factor', 'password reset', 'reset my password', 'reset password', 'forgot my password', 'forgot password', 'invite link', 'need access', 'grant access', 'request access', 'permissions', 'forbidden', '403', 'log in', 'login', 'sign in', 'account locked',
      'password', 'passwords', 'username', 'user name', 'verification code', 'admin rights', 'admin role', 'logged out', 'log out', 'sign out', 'my account', 'our account', 'user account', 'account settings', 'account details', 'email address', 'e-mail address', 'invite', 'add a user', 'remove a user', 'deactivate',
      // the account itself: sign-up, profile, details, who is in it
      'account', 'accounts', 'profile', 'sign up', 'signup', 'sign-up', 'register', 'registering', 'registration', 'registered', 'verification email', 'confirmation email', 'confirmation link', 'activation link', 'recover my password', 'recover my account', 'username', 'login id', 'user id', 'phone number on my', 'my email', 'the email on', 'change my email', 'email on my', 'two accounts',
      '/\\b(?:add|remove|invite|delete|deactivate|disable|kick)\\s+(?:an?\\s+|another\\s+|the\\s+|old\\s+|new\\s+|former\\s+|extra\\s+)*(?:users?|admins?|members?|colleagues?|teammates?|employees?|agents?)\\b/',
      'passwort', 'kennwort', 'anmelden', 'anmeldung', 'einloggen', 'konto', 'benutzerkonto', 'zugang', 'zugriff', 'benutzername', 'registrieren', 'registrierung', 'e-mail-adresse', 'profil',
      'contraseña', 'iniciar sesión', 'mi cuenta', 'nuestra cuenta', 'la cuenta', 'acceso', 'usuario', 'cuenta', 'registrarme', 'registrarse', 'registro', 'correo electrónico', 'perfil',
      'mot de passe', 'connexion', 'se connecter', 'mon compte', 'notre compte', 'le compte', 'identifiant', 'compte', 'inscription', "m'inscrire", 'adresse e-mail', 'adresse mail', 'profil',
      'senha', 'fazer login', 'minha conta', 'nossa conta', 'a conta', 'acesso', 'usuário', 'conta', 'cadastro', 'cadastrar', 'e-mail da conta', 'perfil',
      '/パスワード|ログイン|アカウント|権限|二段階認証|メールアドレス|ユーザー名|ユーザ名|会員登録|新規登録|プロフィール|退会|(?:電話番号|氏名|名前|登録情報)(?:を|の)?(?:変更|修正|更新)/',
    ],
  },
  // Billing.
  {
    id: 'billing-error',
    category: 'billing',
    weight: 3,
    atLeast: 'P2',
    match: [
      'charged twice', 'double charged', 'double-charged', 'charged double', 'overcharged', 'charged the wrong', 'wrong amount', 'card was charged', 'billed twice',
      '/\\b(?:billed|charged|invoiced)\\s+(?:us\\s+|me\\s+)?for\\s+\\d+\\s+(?:seats|users|licenses|licences)\\b/',
      'doppelt abgebucht', 'zweimal abgebucht', 'doppelt berechnet', 'falscher betrag', 'cobraron dos veces', 'cobro doble', 'doble cobro', 'cobrado dos veces', 'facturé deux fois', 'débité deux fois', 'prélevé deux fois', 'cobrado duas vezes', 'cobrança duplicada', 'cobraram duas vezes',
      '/二重(?:に)?(?:請求|課金|引き落とし)|請求が二重|二重に引き落/',
    ],
  },
  {
    id: 'billing',
    category: 'billing',
    weight: 2.5,
    match: [
      'refund', 'invoice', 'invoices', 'billing', 'billed', 'payment', 'payments', 'credit card', 'card declined', 'subscription', 'receipt', 'vat', 'pricing', 'charge', 'charges', 'charged', 'upgrade our plan', 'upgrade my plan', 'downgrade', 'cancel our subscription', 'cancel my subscription', 'seats',
      'cancel', 'cancellation', 'our plan', 'my plan', 'the plan', 'renew', 'renewal', 'declined', 'discount', 'price', 'prices', 'trial', 'paid', 'pay', 'tax id',
      'rechnung', 'rechnungen', 'abo', 'abonnement', 'kündigen', 'kündigung', 'zahlung', 'bezahlung', 'abgebucht', 'rückerstattung', 'kreditkarte', 'preis',
      'factura', 'facturas', 'cobro', 'cobraron', 'pago', 'pagos', 'suscripción', 'reembolso', 'tarjeta', 'cancelar mi', 'precio',
      'facture', 'factures', 'facturé', 'paiement', 'paiements', 'abonnement', 'remboursement', 'rembourser', 'carte bancaire', 'annuler mon', 'prix',
      'fatura', 'faturas', 'cobrança', 'cobrado', 'pagamento', 'pagamentos', 'assinatura', 'reembolso', 'cartão', 'cancelar minha', 'preço',
      'cost', 'costs', 'how much', 'per month', 'per year', 'money back', 'bank transfer', 'payment method', 'payment methods', 'paypal', 'unpaid', 'billing address', 'cancellation fee',
      '/\\b(?:cancel|change|modify|amend|edit|update|place|make)\\s+(?:my|our|an?|the|this)\\s+(?:\\w+\\s+)?(?:orders?|purchases?)\\b/',
      '/\\b(?:in|to|from|on)\\s+(?:my|our)\\s+(?:last\\s+|recent\\s+|latest\\s+)?(?:order|purchase)\\b/',
      'paying', 'pay for', 'payment options', 'payment option',
      'nota fiscal', 'boleto', 'kosten', 'erstatten', 'erstattung', 'geld zurück', 'bestellung stornieren', 'cancelar mi pedido', 'cancelar el pedido', 'cuesta', 'cuánto', 'annuler ma commande', 'combien', 'remboursé', 'remboursée', 'cancelar meu pedido', 'quanto custa', 'estorno',
      '/請求|支払|課金|返金|解約|領収書|料金|プラン|引き落と|注文(?:を)?(?:キャンセル|取り消)/',
    ],
  },
  // Performance.
  {
    id: 'performance',
    category: 'performance',
    weight: 2.5,
    match: [
      'slow', 'slowly', 'slower', 'slowness', 'sluggish', 'latency', 'lag', 'laggy', 'lagging', 'takes forever', 'taking forever', 'timing out', 'timed out', 'timeout', 'timeouts', 'high cpu', 'cpu usage', 'memory usage', 'unresponsive', 'load time', 'page load', 'spinning forever', 'p95', 'p99',
      '/\\btakes?\\s+(?:about\\s+|over\\s+|almost\\s+|nearly\\s+)?\\d+\\s*(?:seconds|secs|s|minutes|mins)\\b/',
      'langsam', 'lädt ewig', 'träge', 'dauert ewig', 'lento', 'lenta', 'lentitud', 'tarda mucho', 'lent', 'lente', 'lenteur', 'rame', 'demora', 'demorando', 'travando',
      '/遅い|遅く|重い|重く|時間がかか/',
    ],
  },
  { id: 'performance-word', category: 'performance', weight: 1.5, match: ['performance', 'speed'] },
  // Bugs.
  {
    id: 'crash',
    category: 'bug',
    weight: 2,
    atLeast: 'P2',
    match: ['crash', 'crashes', 'crashed', 'crashing', 'segfault', 'freezes', 'frozen'],
  },
  {
    id: 'bug',
    category: 'bug',
    weight: 1.5,
    match: [
      'bug', 'buggy', 'error', 'errors', 'exception', 'stack trace', 'traceback', 'broken', "doesn't work", 'does not work', 'not working', "isn't working", "aren't working", 'stopped working', 'fails', 'failing', 'glitch', 'internal server error', 'regression',
      'does nothing', 'nothing happens', 'wrong', 'incorrect', 'shows the wrong', 'blank page', 'display issue',
      '/\\b(?:arrive|arrives|arriving|sent|sends|sending|shows?|showing|shown|appears?|appearing|fires?|firing|posted|comes?|coming)\\s+(?:up\\s+)?twice\\b/',
      'fehler', 'fehlermeldung', 'funktioniert nicht', 'geht nicht', 'kaputt', 'absturz', 'stürzt ab',
      'error', 'falla', 'fallo', 'no funciona', 'no hace nada', 'se cuelga',
      'erreur', 'bogue', 'ne fonctionne pas', 'ne marche pas', 'plante', 'planté',
      'erro', 'falha', 'não funciona', 'travou', 'trava',
      '/エラー|不具合|バグ|動かない|動きません|表示されない|落ちる|クラッシュ/',
    ],
  },
  // Feature requests.
  {
    id: 'feature-request',
    category: 'feature_request',
    weight: 2.5,
    suggest: 'P4',
    match: [
      'feature request',
      'would be nice',
      'would be great',
      'would be cool',
      'would be helpful',
      'would be awesome',
      'would love',
      "we'd love",
      "i'd love",
      'could you add',
      'can you add',
      'please add',
      'add support for',
      'add an option',
      'add a way',
      'wishlist',
      'suggestion',
      'enhancement',
      'any plans to',
      'on the roadmap',
      'feature idea',
      '/\\b(?:it|that) would be\\b/',
      "/\\b(?:allow|let) (?:us|me|users) to\\b/",
      'please consider', 'consider adding', 'any chance you', 'it would be great if', 'make it possible', 'wish there was', 'would like to be able to', 'any plans for',
      'wäre es möglich', 'wäre schön', 'wäre toll', 'wäre super', 'wünschen uns', 'funktion hinzufügen', 'feature-wunsch',
      'sería genial', 'sería bueno', 'sería útil', 'nos gustaría', 'podrían añadir', 'podrían agregar',
      'ce serait bien', 'ce serait génial', 'ce serait utile', "j'aimerais", 'nous aimerions', 'pourriez-vous ajouter', 'serait-il possible',
      'seria ótimo', 'seria bom', 'seria legal', 'seria útil', 'gostaríamos', 'poderiam adicionar',
      '/機能があると|があると(?:嬉しい|助かり|便利)|追加して(?:ほしい|欲しい|いただけ)|要望|機能追加/',
    ],
  },
  // Questions / how-to.
  {
    id: 'question',
    category: 'question',
    weight: 2,
    suggest: 'P3',
    match: [
      'how do i',
      'how do we',
      'how can i',
      'how can we',
      'how to',
      'how does',
      'is there a way',
      'is it possible',
      'what does',
      'where can i',
      'where do i',
      'any docs',
      'quick question',
      'question about',
      'wondering',
      'does it support',
      'can i',
      'can we',
      'what is the difference',
      "what's the difference",
      'does the api',
      'do you support',
      'wie kann ich', 'wie kann man', 'wie funktioniert', 'gibt es eine möglichkeit', 'cómo puedo', 'cómo se', 'hay alguna forma', 'comment puis-je', 'comment faire', 'est-il possible', 'como faço', 'como posso', 'é possível',
      '/どうすれば|方法を教えて|教えてください|できますか|ありますか/',
      // a question-word opening of a question ("Quando clico…" without a "?" is a report)
      "/^\\W*(?:comment|cómo|como|wie|wo|où|dónde|onde|quand|cuándo|quando|wann)(?![\\wà-ÿ])(?=[^?]*\\?)/",
    ],
  },
  // A typo on a page is a (trivial) bug, whatever page it is on.
  {
    id: 'typo',
    category: 'bug',
    weight: 4,
    suggest: 'P4',
    match: ['typo', 'typos', 'misspelled', 'misspelling', 'spelling mistake', 'spelling error', 'tippfehler', 'rechtschreibfehler', 'errata', 'error ortográfico', 'faute de frappe', "faute d'orthographe", 'erro de digitação', 'erro ortográfico', '/誤字|脱字|タイプミス/'],
  },
  // Contact, complaints, feedback, newsletters: not about the product, but a topic of their own
  // (so "how do I contact you?" is not a how-to question about the product).
  {
    id: 'contact',
    category: 'other',
    weight: 2.5,
    label: 'contact, feedback or newsletter',
    match: [
      '/\\b(?:a|an actual|a real|real|some|any)\\s+(?:human|person)\\b/', 'human agent', 'live agent', '/\\bare you (?:open|closed|available)\\b/', 'live chat', 'customer service', 'customer care', 'contact you', 'contact support', 'contact your', 'get in touch', 'your phone number', 'a phone number', 'support phone number', 'number i can call', 'call you', 'by phone', 'callback', 'call back', 'support hours', 'opening hours', 'business hours', 'account manager', 'sales team',
      '/\\b(?:talk|speak|chat)\\s+(?:to|with)\\s+(?:a|an|some|the|your)?\\s*(?:one|someone|somebody|person|human|agent|manager|supervisor|representative|rep)\\b/',
      'complaint', 'complain', 'complaining', 'not happy with', 'unhappy with', 'disappointed with', 'disappointed in', 'poor service', 'bad service', 'terrible service', 'feedback', 'compliment', 'leave a review', 'write a review', 'post a review',
      'beschweren', 'beschwerde', 'mit einem menschen', 'mitarbeiter sprechen', 'kundenservice', 'kundendienst', 'telefonnummer', 'rückruf', 'rückmeldung',
      'hablar con', 'queja', 'quejarme', 'reclamación', 'reclamo', 'opinión', 'reseña', 'atención al cliente', 'número de teléfono', 'contactar',
      'parler à', 'parler avec', 'réclamation', 'plainte', 'mon avis', 'votre avis', 'laisser un avis', 'service client', 'contacter', 'numéro de téléphone',
      'falar com', 'reclamação', 'reclamar', 'opinião', 'deixar uma avaliação', 'contato', 'atendimento', 'atendente', 'número de telefone',
      '/担当者|オペレーター|話したい|苦情|クレーム|問い合わせ先|電話で|フィードバック|レビュー/',
    ],
  },
  // Newsletters and marketing mail: a subject of its own, whatever the verb ("sign up", "cancel").
  {
    id: 'newsletter',
    category: 'other',
    weight: 3.5,
    label: 'newsletter or marketing mail',
    match: [
      'newsletter', 'newsletters', 'mailing list', 'marketing emails', 'marketing e-mails', 'promotional emails', 'promo emails', 'unsubscribe', 'opt out of emails',
      'boletín', 'lettre d\'information', 'e-mails marketing', 'werbe-e-mails', 'werbemails', 'e-mails de marketing', 'descadastrar',
      '/ニュースレター|メルマガ|メールマガジン|配信停止/',
    ],
  },
  // Low-priority words.
  {
    id: 'low-priority',
    suggest: 'P4',
    match: ['cosmetic', 'nice to have', 'low priority', 'no rush', 'not urgent', 'whenever you get a chance', 'when you get a chance', 'minor', 'nicht dringend', 'no es urgente', "pas urgent", 'não é urgente'],
  },
];

/** Default priority of a category when nothing else (rules, learner) speaks to priority. */
export const CATEGORY_DEFAULT_PRIORITY: Readonly<Record<string, Priority>> = {
  outage: 'P1',
  security: 'P1',
  data: 'P2',
  bug: 'P2',
  access: 'P2',
  billing: 'P2',
  performance: 'P2',
  question: 'P3',
  feature_request: 'P4',
  other: 'P3',
};
