import { RendezvousError, RendezvousErrorCode } from './errors.js';

/** One of `servers` picked uniformly, as status-go does for every request. */
export function pickServer(servers: readonly string[], random: () => number): string {
  if (servers.length === 0) throw new RendezvousError(RendezvousErrorCode.NoServers, 'no rendezvous servers');
  return servers[Math.floor(random() * servers.length)]!;
}
