import { loadNodeBuiltin, raceSignal } from '@status-ts/core';
import { DEFAULT_QUERY_TIMEOUT_MS } from './constants.js';
import { DnsDiscoveryError, DnsErrorCode } from './errors.js';
import type { Resolver } from './resolver.js';

export interface NodeResolverOptions {
  /** DNS servers (`'127.0.0.1:5353'`, `'[::1]:53'`); default: the system's. Never changes the global servers. */
  servers?: readonly string[];
  /** c-ares timeout per try, ms (default `DEFAULT_QUERY_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** c-ares tries per query (default 2). */
  tries?: number;
}

type NodeDnsPromises = typeof import('node:dns/promises');
type NodeDnsResolver = InstanceType<NodeDnsPromises['Resolver']>;

/**
 * `node:dns/promises` loaded without an `import` statement (as `@status-ts/crypto` loads `node:crypto`),
 * so browser and React Native bundlers never see it; undefined where `process.getBuiltinModule` is missing.
 */
function loadNodeDns(): NodeDnsPromises | undefined {
  const mod = loadNodeBuiltin<NodeDnsPromises>('node:dns/promises', 'Resolver');
  return typeof mod?.Resolver === 'function' ? mod : undefined;
}

/**
 * The Node default resolver: its own `node:dns/promises` Resolver instance, so pointing it at a server
 * does not touch the process-global servers. Elsewhere (browsers, React Native) every query fails with
 * ERR_DNS_RESOLVE_FAILED: give the client another `Resolver` (DNS-over-HTTPS) there.
 */
export class NodeResolver implements Resolver {
  readonly #options: NodeResolverOptions;
  #resolver: NodeDnsResolver | undefined;

  constructor(options: NodeResolverOptions = {}) {
    this.#options = options;
  }

  #instance(): NodeDnsResolver {
    if (this.#resolver) return this.#resolver;
    const dns = loadNodeDns();
    if (!dns) {
      throw new DnsDiscoveryError(
        DnsErrorCode.ResolveFailed,
        'node:dns is not available here: pass a Resolver (e.g. DNS-over-HTTPS) to the client',
      );
    }
    const resolver = new dns.Resolver({
      timeout: this.#options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      tries: this.#options.tries ?? 2,
    });
    if (this.#options.servers) resolver.setServers([...this.#options.servers]);
    this.#resolver = resolver;
    return resolver;
  }

  async resolveTxt(name: string, options: { signal?: AbortSignal } = {}): Promise<string[][]> {
    const resolver = this.#instance();
    try {
      return await raceSignal(resolver.resolveTxt(name), options.signal);
    } catch (cause) {
      if (cause instanceof DnsDiscoveryError || options.signal?.aborted) throw cause;
      const code = (cause as { code?: unknown }).code;
      throw new DnsDiscoveryError(
        code === 'ETIMEOUT' ? DnsErrorCode.Timeout : DnsErrorCode.ResolveFailed,
        `${name}: ${code ?? 'lookup failed'}`,
        { cause, details: { name, code } },
      );
    }
  }
}
