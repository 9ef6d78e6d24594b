import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The runtime of every process the suite spawns (a victim, an attacker): it reads its JSON config from argv,
 * answers requests from the parent over the IPC channel, and measures itself (peak RSS sampled every 50 ms,
 * event-loop delay), so the parent can report memory and responsiveness of a victim under attack.
 */

export type Handler = (args: Record<string, unknown>) => unknown | Promise<unknown>;

export interface ChildContext<Config> {
  readonly config: Config;
  /** Registers a request the parent may send: `request(name, args)` resolves with the handler's result. */
  handle(name: string, handler: Handler): void;
  /** Tells the parent something happened (collected in `events` on its side). */
  emit(event: Record<string, unknown>): void;
}

export interface SelfMeasure {
  readonly rssMb: number;
  readonly peakRssMb: number;
  readonly heapUsedMb: number;
  /** Event-loop delay since the last reset, in ms. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** With `gc`: heap and external (ArrayBuffer) memory still reachable after a full collection. */
  readonly liveMb?: number;
}

interface Request {
  id: number;
  name: string;
  args: Record<string, unknown>;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function runChild<Config>(
  start: (context: ChildContext<Config>) => Promise<Record<string, unknown>>,
): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('a reliability child needs the IPC channel of its parent');
  const config = JSON.parse(process.argv[2] ?? '{}') as Config;
  const handlers = new Map<string, Handler>();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  sampler.unref();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const measure = (gc = false): SelfMeasure => {
    const rss = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, rss);
    const collect = (globalThis as { gc?: () => void }).gc;
    let liveMb: number | undefined;
    if (gc && collect) {
      collect();
      collect();
      const usage = process.memoryUsage();
      liveMb = mb(usage.heapUsed + usage.external);
    }
    return {
      ...(liveMb === undefined ? {} : { liveMb }),
      rssMb: mb(rss),
      peakRssMb: mb(peakRss),
      heapUsedMb: mb(process.memoryUsage().heapUsed),
      loopDelayP99Ms: Math.round(delay.percentile(99) / 1e5) / 10,
      loopDelayMaxMs: Math.round(delay.max / 1e5) / 10,
    };
  };
  handlers.set('measure', (args) => measure(args.gc === true));
  handlers.set('resetMeasure', () => {
    peakRss = process.memoryUsage.rss();
    delay.reset();
    return measure();
  });
  const context: ChildContext<Config> = {
    config,
    handle: (name, handler) => handlers.set(name, handler),
    emit: (event) => send({ type: 'event', event }),
  };
  process.on('message', async (message: Request) => {
    const handler = handlers.get(message.name);
    try {
      if (!handler) throw new Error(`no handler ${message.name}`);
      send({ type: 'reply', id: message.id, result: await handler(message.args) });
    } catch (error) {
      send({ type: 'reply', id: message.id, error: String((error as Error)?.stack ?? error) });
    }
  });
  // The parent going away (a failed test, Ctrl-C) must not leave this process behind.
  process.on('disconnect', () => process.exit(0));
  const info = await start(context);
  send({ type: 'ready', info });
}
