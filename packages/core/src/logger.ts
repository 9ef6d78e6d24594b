/**
 * A tiny namespaced logger, off by default. Enable with `DEBUG=status-ts:*` (or a comma list of
 * patterns, `-` to exclude) in Node, or `enableLogging('status-ts:devp2p*')` anywhere.
 */
export interface Logger {
  readonly namespace: string;
  readonly enabled: boolean;
  (message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  extend(suffix: string): Logger;
}

export type LogSink = (namespace: string, level: 'debug' | 'error', message: string, args: unknown[]) => void;

let include: RegExp[] = [];
let exclude: RegExp[] = [];
let sink: LogSink = (namespace, level, message, args) => {
  const line = `${new Date().toISOString()} ${namespace} ${message}`;
  if (level === 'error') console.error(line, ...args);
  else console.debug(line, ...args);
};

function toRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Replaces the enabled set. Patterns are comma or space separated; a leading `-` excludes. */
export function enableLogging(patterns: string): void {
  const parts = patterns.split(/[\s,]+/).filter(Boolean);
  include = parts.filter((p) => !p.startsWith('-')).map(toRegExp);
  exclude = parts.filter((p) => p.startsWith('-')).map((p) => toRegExp(p.slice(1)));
}

/** Sends log lines somewhere else (tests, files, a UI). */
export function setLogSink(next: LogSink): void {
  sink = next;
}

export function isLogEnabled(namespace: string): boolean {
  return include.some((r) => r.test(namespace)) && !exclude.some((r) => r.test(namespace));
}

export function createLogger(namespace: string): Logger {
  // Errors are logged when the namespace is enabled too: a library never writes to stderr uninvited.
  return loggerTo((...line) => sink(...line), namespace, isLogEnabled);
}

/**
 * A logger of its own: every line goes to `sink` (or the lines `enabled` lets through), whatever `DEBUG`
 * says, and `extend` keeps the sink. What an app gives a node (`createStatusNode({ logger })`) so each node's
 * layers log where that node's lines belong.
 */
export function loggerTo(
  target: LogSink,
  namespace: string,
  enabled: (namespace: string) => boolean = () => true,
): Logger {
  const log = ((message: string, ...args: unknown[]) => {
    if (enabled(namespace)) target(namespace, 'debug', message, args);
  }) as Logger;
  Object.defineProperty(log, 'namespace', { value: namespace });
  Object.defineProperty(log, 'enabled', { get: () => enabled(namespace) });
  log.error = (message, ...args) => {
    if (enabled(namespace)) target(namespace, 'error', message, args);
  };
  log.extend = (suffix) => loggerTo(target, `${namespace}:${suffix}`, enabled);
  return log;
}

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
if (env?.DEBUG) enableLogging(env.DEBUG);
