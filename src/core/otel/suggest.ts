/** Optimal-string-alignment distance (Levenshtein plus adjacent swaps), bounded for speed. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    // the row's first cell (i deletions) counts too: with an empty `b` it is the only one
    let rowMin = rows[i][0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
      rows[i][j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length][b.length];
}

const normalize = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/**
 * The known name a misspelled key most likely meant ("did you mean"), or
 * undefined when nothing is close: same name up to case and `-`/`_`, or at most
 * one edit per four characters (two at most).
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const n = normalize(word);
  const same = candidates.find((c) => normalize(c) === n);
  if (same && same !== word) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const allowed = Math.min(2, Math.max(1, Math.floor(c.length / 4)));
    const d = editDistance(n, normalize(c), allowed);
    if (d <= allowed && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
