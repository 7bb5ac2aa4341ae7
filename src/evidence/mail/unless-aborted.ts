// Gatherers stop waiting when the scan as a whole runs out of time.

/** `work`, or 'aborted' as soon as the signal fires (the work then finishes on its own deadlines). */
export async function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | 'aborted'> {
  if (!signal) return work;
  if (signal.aborted) return 'aborted';
  let onAbort = () => {};
  const abort = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, abort]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
