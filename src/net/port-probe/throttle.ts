// Politeness towards every address we probe, shared by all scans in this process (two companies
// on one shared-hosting IP must not double the load on it): at most `maxConcurrent` open
// sockets per IP and at least `minIntervalMs` between two new connections to it.

export interface ThrottleLimits {
  maxConcurrent: number;
  minIntervalMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = { maxConcurrent: 8, minIntervalMs: 25 };

interface AddressState {
  active: number;
  nextStart: number;
  queue: Array<() => void>;
  users: number;
}

const states = new Map<string, AddressState>();

/** Counters for tests: the most sockets ever open at once per address, since the last reset. */
const peaks = new Map<string, number>();

export function peakConcurrency(address: string): number {
  return peaks.get(address) ?? 0;
}

export function resetPeaks(): void {
  peaks.clear();
}

function stateOf(address: string): AddressState {
  let state = states.get(address);
  if (!state) {
    state = { active: 0, nextStart: 0, queue: [], users: 0 };
    states.set(address, state);
  }
  return state;
}

function release(address: string, state: AddressState, limits: ThrottleLimits): void {
  state.active -= 1;
  state.users -= 1;
  pump(address, state, limits);
  if (state.users === 0 && state.queue.length === 0) states.delete(address);
}

function pump(_address: string, state: AddressState, limits: ThrottleLimits): void {
  if (state.active >= limits.maxConcurrent || state.queue.length === 0) return;
  const wait = state.nextStart - Date.now();
  if (wait > 0) {
    setTimeout(() => pump(_address, state, limits), wait);
    return;
  }
  const next = state.queue.shift() as () => void;
  state.active += 1;
  state.nextStart = Date.now() + limits.minIntervalMs;
  next();
  pump(_address, state, limits);
}

/**
 * Run `task` when the address has a free slot; the slot is held until the task settles.
 * Rejects (without running the task) when `signal` aborts while waiting.
 */
export function withAddressSlot<T>(address: string, task: () => Promise<T>, options: { limits?: ThrottleLimits; signal?: AbortSignal } = {}): Promise<T> {
  const limits = options.limits ?? defaultThrottleLimits;
  const state = stateOf(address);
  state.users += 1;
  return new Promise<T>((resolve, reject) => {
    let started = false;
    const onAbort = () => {
      if (started) return;
      const index = state.queue.indexOf(start);
      if (index >= 0) state.queue.splice(index, 1);
      state.users -= 1;
      if (state.users === 0 && state.queue.length === 0 && state.active === 0) states.delete(address);
      reject(new Error('aborted'));
    };
    const start = () => {
      started = true;
      options.signal?.removeEventListener('abort', onAbort);
      peaks.set(address, Math.max(peaks.get(address) ?? 0, state.active));
      task().then(
        (value) => {
          release(address, state, limits);
          resolve(value);
        },
        (error: unknown) => {
          release(address, state, limits);
          reject(error);
        },
      );
    };
    if (options.signal?.aborted) {
      state.users -= 1;
      if (state.users === 0 && state.queue.length === 0 && state.active === 0) states.delete(address);
      reject(new Error('aborted'));
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    state.queue.push(start);
    pump(address, state, limits);
  });
}
