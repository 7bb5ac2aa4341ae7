// Versions as banners announce them, made comparable: `4.90_1` → 4.90.1, `1.3.5a` → 1.3.5.1
// (a letter is one more part), `1.3.6rc2` → 1.3.6.-1.2 (a release candidate sorts before its
// release), `8.2p1` and `-0ubuntu0.18.04.1` suffixes ignored (they are not upstream versions).

export function parseVersion(text: string): number[] | undefined {
  const match = /^v?(\d{1,9}(?:[._]\d{1,9}){0,5})(?:([a-z])(?![a-z0-9])|rc(\d{1,4}))?/i.exec(text.trim());
  if (!match) return undefined;
  const parts = (match[1] as string).split(/[._]/).map(Number);
  if (match[2] !== undefined) parts.push((match[2] as string).toLowerCase().charCodeAt(0) - 96);
  if (match[3] !== undefined) parts.push(-1, Number(match[3]));
  return parts;
}

/** Negative when a < b, zero when equal, positive when a > b; a missing part counts as 0. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const left = a[index] ?? 0;
    const right = b[index] ?? 0;
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}
