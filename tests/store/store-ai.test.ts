/** The AI domain's store contract on both engines (see ./both-engines.ts). */
import { storeAiContract } from '../contract/store-ai-contract.js';
import { onBothEngines } from './both-engines.js';

onBothEngines(storeAiContract);
