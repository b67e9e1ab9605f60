/** The routing-state contract on both engines (see ./both-engines.ts). */
import { storeRoutingContract } from '../contract/store-routing-contract.js';
import { onBothEngines } from './both-engines.js';

onBothEngines(storeRoutingContract);
