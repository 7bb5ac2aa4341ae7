// Domain names as the DNSSEC code handles them: lowercase presentation text without the trailing
// dot (the root is '.'), label bytes escaped as in zone files (\. and \DDD), and their canonical
// wire form (RFC 4034 section 6.1 and 6.2). Product logic, written for this validator.

/** Label bytes of a presentation name; '.' has none. Throws on a malformed escape. */
export function labelsOf(name: string): Buffer[] {
  if (name === '.' || name === '') return [];
  const labels: Buffer[] = [];
  let current: number[] = [];
  for (let index = 0; index < name.length; index += 1) {
    const character = name[index] as string;
    if (character === '\\') {
      const digits = /^\d{3}/.exec(name.slice(index + 1, index + 4));
      if (digits) {
        const value = Number(digits[0]);
        if (value > 255) throw new Error('bad escape');
        current.push(value);
        index += 3;
      } else {
        const next = name.charCodeAt(index + 1);
        if (Number.isNaN(next)) throw new Error('bad escape');
        current.push(next & 0xff);
        index += 1;
      }
    } else if (character === '.') {
      labels.push(Buffer.from(current));
      current = [];
    } else {
      const code = name.charCodeAt(index);
      if (code > 0x7f) throw new Error('non-ASCII name');
      current.push(code);
    }
  }
  if (current.length > 0 || name.endsWith('.') === false) labels.push(Buffer.from(current));
  if (labels.some((label) => label.length === 0 || label.length > 63)) throw new Error('bad label');
  return labels;
}

const lowerByte = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte);

/** Presentation text of one label (lowercased), escaping what a zone file would. */
export function labelText(label: Uint8Array): string {
  let text = '';
  for (const raw of label) {
    const byte = lowerByte(raw);
    if (byte === 0x2e || byte === 0x5c || byte === 0x22 || byte === 0x28 || byte === 0x29 || byte === 0x3b || byte === 0x40 || byte === 0x24) {
      text += `\\${String.fromCharCode(byte)}`;
    } else if (byte <= 0x20 || byte >= 0x7f) {
      text += `\\${String(byte).padStart(3, '0')}`;
    } else {
      text += String.fromCharCode(byte);
    }
  }
  return text;
}

export function nameFromLabels(labels: Uint8Array[]): string {
  return labels.length === 0 ? '.' : labels.map(labelText).join('.');
}

/** Lowercase, trailing dot removed; the root stays '.'. */
export function normaliseName(name: string): string {
  return nameFromLabels(labelsOf(name.trim().replace(/\.$/, '') || '.'));
}

/** Uncompressed, lowercased wire form (the canonical form of RFC 4034 section 6.2). */
export function canonicalWireName(name: string): Buffer {
  const parts: Buffer[] = [];
  for (const label of labelsOf(name)) {
    parts.push(Buffer.from([label.length]), Buffer.from(label.map(lowerByte)));
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

export function labelCount(name: string): number {
  return labelsOf(name).length;
}

/** True when `name` is `zone` or below it. */
export function isAtOrBelow(name: string, zone: string): boolean {
  const a = normaliseName(name);
  const z = normaliseName(zone);
  if (z === '.') return true;
  return a === z || a.endsWith(`.${z}`);
}

export function parentName(name: string): string {
  const labels = labelsOf(name);
  return nameFromLabels(labels.slice(1));
}

/** The name made of the last `count` labels of `name`. */
export function lastLabels(name: string, count: number): string {
  const labels = labelsOf(name);
  return nameFromLabels(labels.slice(labels.length - count));
}

/**
 * The names from one label below `zone` down to `name`, in that order:
 * childrenTowards('a.b.example.nl', 'nl') → ['example.nl', 'b.example.nl', 'a.b.example.nl'].
 */
export function namesBetween(zone: string, name: string): string[] {
  const nameLabels = labelsOf(name);
  const zoneCount = labelsOf(zone).length;
  const names: string[] = [];
  for (let count = zoneCount + 1; count <= nameLabels.length; count += 1) names.push(nameFromLabels(nameLabels.slice(nameLabels.length - count)));
  return names;
}

function compareLabels(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const difference = lowerByte(a[index] as number) - lowerByte(b[index] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** Canonical DNS name order (RFC 4034 section 6.1): labels compared from the right. */
export function compareNames(a: string, b: string): number {
  const left = labelsOf(a).reverse();
  const right = labelsOf(b).reverse();
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const difference = compareLabels(left[index] as Buffer, right[index] as Buffer);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
