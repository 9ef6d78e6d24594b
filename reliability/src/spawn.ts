import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A suite process seen from the test: started with `spawnChild`, driven with `request`, ended with `kill`. */
export class ChildHandle<Info = Record<string, unknown>> {
  readonly events: Record<string, unknown>[] = [];
  readonly ready: Promise<Info>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #nextId = 1;
  #stderr = '';

  constructor(
    readonly name: string,
    script: string,
    config: unknown,
    nodeArgs: readonly string[] = [],
  ) {
    // node with the tsx loader (not the tsx binary, whose grandchild a SIGKILL would miss), on the sources.
    this.#child = spawn(
      process.execPath,
      // --expose-gc: `measure` with `gc` reports live memory after a full collection.
      [
        '--expose-gc',
        ...nodeArgs,
        '--import',
        'tsx',
        '--conditions=@status-ts/source',
        script,
        JSON.stringify(config),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] },
    );
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-20_000);
    });
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        for (const { reject } of this.#pending.values())
          reject(new Error(`${name} exited (${code ?? signal}): ${this.#stderr}`));
        this.#pending.clear();
        resolve({ code, signal });
      });
    });
    this.ready = new Promise((resolve, reject) => {
      this.#child.on('message', (message: Record<string, unknown>) => {
        if (message.type === 'ready') resolve(message.info as Info);
        else if (message.type === 'event') this.events.push(message.event as Record<string, unknown>);
        else if (message.type === 'reply') {
          const waiter = this.#pending.get(message.id as number);
          this.#pending.delete(message.id as number);
          if (message.error) waiter?.reject(new Error(`${name}: ${String(message.error)}`));
          else waiter?.resolve(message.result);
        }
      });
      void this.exited.then(({ code, signal }) =>
        reject(new Error(`${name} exited before ready (${code ?? signal}): ${this.#stderr}`)),
      );
    });
    // Only the rejection of a child that dies before it is ready is meaningful; avoid unhandled noise.
    this.ready.catch(() => undefined);
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get stderr(): string {
    return this.#stderr;
  }

  request<T = unknown>(name: string, args: Record<string, unknown> = {}): Promise<T> {
    if (!this.alive) return Promise.reject(new Error(`${this.name} is not running: ${this.#stderr}`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#child.send({ id, name, args });
    });
  }

  /** Resolves with the first event of `type` the child emits (already emitted ones count). */
  async event(type: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const started = Date.now();
    for (;;) {
      const found = this.events.find((event) => event.type === type);
      if (found) return found;
      if (!this.alive) throw new Error(`${this.name} exited before ${type}: ${this.#stderr}`);
      if (Date.now() - started > timeoutMs) throw new Error(`${this.name}: no ${type} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGKILL (a crash) or SIGTERM; resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.alive) this.#child.kill(signal);
    await this.exited;
  }
}

const running = new Set<ChildHandle<never>>();

/** Starts `src/<path>.ts` of the suite as its own process with `config`; `stopChildren` ends them all. */
export function spawnChild<Info = Record<string, unknown>>(
  name: string,
  path: string,
  config: unknown,
  options: { nodeArgs?: readonly string[] } = {},
): ChildHandle<Info> {
  const script = fileURLToPath(new URL(`./${path}.ts`, import.meta.url));
  const handle = new ChildHandle<Info>(name, script, config, options.nodeArgs);
  running.add(handle as ChildHandle<never>);
  void handle.exited.then(() => running.delete(handle as ChildHandle<never>));
  return handle;
}

export async function stopChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.kill('SIGKILL')));
}
