/**
 * What counts as a call that changes something, in the emulator's request log: not a read, not an
 * operation wait (Compute `.../wait`, LRO `:wait`), not a question (`:testIamPermissions`, a POST
 * that reads), not a batch envelope (its parts are logged one by one). Shared by the e2e harness, the soak, the bad-input corpus and the benchmark.
 */
export function isMutating(entry) {
  if (entry.method === 'GET' || entry.method === 'HEAD') return false;
  if (/\/operations\/[^/]+(\/wait|:wait)$/.test(entry.path)) return false;
  if (/:testIamPermissions$/.test(entry.path)) return false;
  return !/^\/batch(\/|$)/.test(entry.path);
}
