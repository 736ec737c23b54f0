// Fault injection: the queue of faults the control API or a test asked for, which request gets which, and the
// requests a `hold` fault keeps unanswered until release(). Timers (latency) are tracked so reset() and close()
// leave nothing behind.

export const FAULT_MODES = [
  'http500', // answer 500, store nothing
  'reject400', // answer 400 {success:false}, store nothing
  'success_false', // answer 200 {success:false}, store nothing
  'latency', // wait delayMs (default 1000), then behave normally
  'store_then_reset', // process normally, then destroy the socket instead of answering
  'store_then_hang', // process normally, then never answer (until the server closes)
  'hold', // neither process nor answer until release(); then process and answer if the client is still there
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSpec {
  mode: FaultMode;
  /** How many matching requests get the fault: default 1, -1 until cleared. */
  times?: number;
  delayMs?: number;
  /** Which route the fault applies to, as counted by requests(): default "POST /incidents", "*" for any. */
  route?: string;
}

export interface QueuedFault {
  mode: FaultMode;
  remaining: number;
  delayMs: number;
  route: string;
}

export class Faults<Held> {
  #queue: QueuedFault[] = [];
  #held: Held[] = [];
  #timers = new Set<NodeJS.Timeout>();

  /** Validates and queues; throws with a message for the control API's 400. */
  add(spec: FaultSpec): void {
    if (typeof spec !== 'object' || spec === null || !FAULT_MODES.includes(spec.mode)) {
      throw new Error(`mode must be one of ${FAULT_MODES.join(', ')}`);
    }
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || (times < 1 && times !== -1)) throw new Error('times must be a positive integer or -1');
    const delayMs = spec.delayMs ?? 1000;
    if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 600_000) throw new Error('delayMs must be an integer from 0 to 600000');
    if (spec.route !== undefined && (typeof spec.route !== 'string' || spec.route.length > 200)) throw new Error('route must be a string');
    if (this.#queue.length >= 1000) throw new Error('at most 1000 faults can be queued');
    this.#queue.push({ mode: spec.mode, remaining: times, delayMs, route: spec.route ?? 'POST /incidents' });
  }

  /** The first queued fault for this route, used up once. */
  take(route: string): QueuedFault | undefined {
    const index = this.#queue.findIndex((f) => f.route === '*' || f.route === route);
    if (index < 0) return undefined;
    const fault = this.#queue[index];
    if (fault.remaining > 0 && --fault.remaining === 0) this.#queue.splice(index, 1);
    return fault;
  }

  list(): QueuedFault[] {
    return this.#queue.map((f) => ({ ...f }));
  }

  clear(): number {
    const cleared = this.#queue.length;
    this.#queue = [];
    return cleared;
  }

  hold(entry: Held): void {
    this.#held.push(entry);
  }

  held(): number {
    return this.#held.length;
  }

  /** Hands every held request over, oldest first, and forgets them. */
  takeHeld(): Held[] {
    const held = this.#held;
    this.#held = [];
    return held;
  }

  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  /** Forgets faults and timers; returns the held requests so the caller can drop their connections. */
  reset(): Held[] {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#queue = [];
    return this.takeHeld();
  }
}
