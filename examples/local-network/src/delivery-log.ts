import type { DeliveryState, StatusNode } from '@status-ts/client';

/** One state a 1:1 message reached, and when (since the demo started). */
export interface DeliveryStep {
  readonly state: DeliveryState;
  readonly ms: number;
}

/**
 * The delivery states of the 1:1 messages the demo follows, printed as each is reached. `sending` is
 * reported while `sendDirectMessage` runs, before the caller knows the message id: steps of ids not yet
 * followed are kept and printed once `follow` names them.
 */
export class DeliveryLog {
  readonly #steps = new Map<string, DeliveryStep[]>();
  readonly #labels = new Map<string, string>();
  readonly #t0: number;
  readonly #say: (line: string) => void;

  constructor(t0: number, say: (line: string) => void) {
    this.#t0 = t0;
    this.#say = say;
  }

  watch(node: StatusNode): void {
    node.on('delivery', ({ id, state }) => {
      const step = { state, ms: performance.now() - this.#t0 };
      const steps = this.#steps.get(id) ?? [];
      steps.push(step);
      this.#steps.set(id, steps);
      const label = this.#labels.get(id);
      if (label !== undefined) this.#print(label, steps[0]!, step);
    });
  }

  /** Prints the states of message `id` under `label`, those reached so far and each one to come. */
  follow(id: string, label: string): void {
    this.#labels.set(id, label);
    const steps = this.#steps.get(id) ?? [];
    for (const step of steps) this.#print(label, steps[0]!, step);
  }

  /** The states message `id` reached, in order. */
  states(id: string): DeliveryState[] {
    return (this.#steps.get(id) ?? []).map((s) => s.state);
  }

  /** The states each followed message reached, in order, by message id. */
  followed(): Record<string, DeliveryState[]> {
    return Object.fromEntries([...this.#labels.keys()].map((id) => [id, this.states(id)]));
  }

  #print(label: string, first: DeliveryStep, step: DeliveryStep): void {
    const after = step === first ? '' : ` (+${(step.ms - first.ms).toFixed(0)} ms)`;
    this.#say(`       ${label}: ${step.state}${after}`);
  }
}
