// IP addresses as SPF sees them (RFC 7208 §5 and §7.3): bytes for CIDR matching, an
// IPv4-mapped IPv6 address counts as IPv4, %{i} writes IPv6 as dotted nibbles.

export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Dotted quad without leading zeros (the RFC's ip4-network). */
export function parseIpv4(text: string): IpAddress | undefined {
  if (!ipv4Pattern.test(text)) return undefined;
  return { family: 4, bytes: Uint8Array.from(text.split('.').map(Number)) };
}

/** RFC 4291 text form, `::` and a trailing dotted quad included. */
export function parseIpv6(text: string): IpAddress | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const pieces = part.split(':');
    const groups: number[] = [];
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        groups.push(((v4.bytes[0] as number) << 8) | (v4.bytes[1] as number), ((v4.bytes[2] as number) << 8) | (v4.bytes[3] as number));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return { family: 6, bytes };
}

/** The address a connection came from; IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes IPv4. */
export function parseClientIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text.trim());
  if (v4) return v4;
  const v6 = parseIpv6(text.trim());
  if (!v6) return undefined;
  const mapped = v6.bytes.slice(0, 10).every((byte) => byte === 0) && v6.bytes[10] === 0xff && v6.bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: v6.bytes.slice(12) } : v6;
}

export function inPrefix(address: IpAddress, network: IpAddress, prefixLength: number): boolean {
  if (address.family !== network.family) return false;
  let remaining = prefixLength;
  for (let index = 0; remaining > 0; index += 1, remaining -= 8) {
    const mask = remaining >= 8 ? 0xff : (0xff << (8 - remaining)) & 0xff;
    if (((address.bytes[index] as number) & mask) !== ((network.bytes[index] as number) & mask)) return false;
  }
  return true;
}

/** For %{i}: dotted quad, or 32 dot-separated lowercase nibbles. */
export function macroIp(address: IpAddress): string {
  if (address.family === 4) return [...address.bytes].join('.');
  return [...address.bytes].flatMap((byte) => [byte >> 4, byte & 0x0f]).map((nibble) => nibble.toString(16)).join('.');
}

/** For %{c}: dotted quad, or the compressed lowercase IPv6 form of RFC 5952. */
export function readableIp(address: IpAddress): string {
  if (address.family === 4) return [...address.bytes].join('.');
  const groups = Array.from({ length: 8 }, (_, index) => ((address.bytes[index * 2] as number) << 8) | (address.bytes[index * 2 + 1] as number));
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > bestLength && length >= 2) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The name a PTR query for this address goes to (in-addr.arpa or ip6.arpa). */
export function reverseName(address: IpAddress): string {
  return address.family === 4
    ? `${[...address.bytes].reverse().join('.')}.in-addr.arpa`
    : `${macroIp(address).split('.').reverse().join('.')}.ip6.arpa`;
}

export function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.bytes.every((byte, index) => byte === b.bytes[index]);
}
