/** The escalation, SLA and digest store contract on both engines (see ./both-engines.ts). */
import { storeEscalationContract } from '../contract/store-escalation-contract.js';
import { onBothEngines } from './both-engines.js';

onBothEngines(storeEscalationContract);
