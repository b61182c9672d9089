/**
 * Cancellation that reaches a worker thread even while it never yields to its event loop. A training loop
 * whose steps resolve through microtasks only would never receive a posted "cancel" message; a flag in shared
 * memory is seen by the very next `signal.aborted` check, i.e. within one step.
 */

/** A one-slot Int32 flag shared between the RPC thread and a worker: 0 = go on, 1 = cancel. */
export function createCancelFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** RPC thread: ask the worker to stop. */
export function raiseCancelFlag(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
}

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;

/**
 * Worker thread: an `AbortSignal` that aborts as soon as the flag is raised. Reading `aborted` or calling
 * `throwIfAborted()` consults the flag synchronously; a timer also aborts it (firing 'abort' listeners) when
 * the loop does yield.
 */
export function signalFromCancelFlag(flag: Int32Array): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const { signal } = controller;
  const poll = (): boolean => {
    if (Atomics.load(flag, 0) === 1 && !abortedGetter.call(signal)) controller.abort(new Error('Cancelled'));
    return abortedGetter.call(signal) as boolean;
  };
  Object.defineProperty(signal, 'aborted', { get: poll, configurable: true });
  const throwIfAborted = signal.throwIfAborted.bind(signal);
  Object.defineProperty(signal, 'throwIfAborted', { value: () => { poll(); throwIfAborted(); }, configurable: true });
  const timer = setInterval(poll, 50);
  timer.unref();
  return { signal, dispose: () => clearInterval(timer) };
}
