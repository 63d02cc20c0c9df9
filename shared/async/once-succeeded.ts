/**
 * Runs `load` at most once per container while it succeeds: every caller shares the first promise, so
 * concurrent cold-start requests make one round trip. A rejection is not kept: the next call tries again,
 * so a dependency that was briefly unreachable at cold start does not poison the container for its lifetime.
 */
export function onceSucceeded<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
