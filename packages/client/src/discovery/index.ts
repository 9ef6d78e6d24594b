export { ETH_PROD_FLEET } from './eth-prod.js';
export { defineFleet, type Fleet, fleetFromJson } from './fleet.js';
export type { BootnodeInfo } from './node-discovery.js';
export {
  type BootstrapOptions,
  type DiscoveryOptions,
  defaultTopicLimits,
  MAILSERVER_TOPIC,
  RELAYER_TOPIC,
} from './options.js';
