/**
 * "Did you mean": the candidate nearest a mistyped value, by edit distance (Levenshtein: insertions,
 * deletions and substitutions each cost 1). Pure.
 *
 * Contract: returns a candidate only when it is near enough to be a typo of the value (at most a
 * third of the value's length, and at least 1, edits away), never the value itself; among equally
 * near candidates, the first in the given order.
 */

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export function closestMatch(value: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(value.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === value) continue;
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** ` (did you mean X?)` for a near candidate, else ''. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const near = closestMatch(value, candidates);
  return near === undefined ? '' : ` (did you mean ${near}?)`;
}
