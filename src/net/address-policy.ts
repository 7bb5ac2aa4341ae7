// Which IP addresses the scanner may connect to. Deny by default: an address is public only
// when it is a well-formed unicast address outside every special-purpose range (IANA IPv4 and
// IPv6 Special-Purpose Address Registries), so a hostile DNS answer cannot steer a scan into
// the operator's own network.
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.ts';

const notPublicIPv4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes 255.255.255.255
];

const notPublicIPv6: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b::', 96], // NAT64 could translate to any IPv4 address, private ones too
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['5f00::', 16], // SRv6 SIDs
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

// Addresses that are never a unicast host, not even in a test or demo set-up.
const neverTargetIPv4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['224.0.0.0', 4],
  ['255.255.255.255', 32],
];
const neverTargetIPv6: Array<[string, number]> = [
  ['::', 128],
  ['ff00::', 8],
];

function blockListOf(ipv4: Array<[string, number]>, ipv6: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ipv4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of ipv6) list.addSubnet(network, prefix, 'ipv6');
  return list;
}

const notPublic = blockListOf(notPublicIPv4, notPublicIPv6);
const neverTarget = blockListOf(neverTargetIPv4, neverTargetIPv6);

/** The 16 bytes of a valid IPv6 address (without zone), or undefined. */
function ipv6Bytes(address: string): Uint8Array | undefined {
  if (isIP(address) !== 6 || address.includes('%')) return undefined;
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...(dotted[1] as string).split('.').map(Number));
    text = `${text.slice(0, dotted.index)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

/** The IPv4 address an IPv6 address stands for (IPv4-mapped ::ffff:0:0/96, 6to4 2002::/16). */
function embeddedIPv4(bytes: Uint8Array): string | undefined {
  const mapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return [...bytes.subarray(12, 16)].join('.');
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return [...bytes.subarray(2, 6)].join('.');
  return undefined;
}

function classify(ip: unknown): { family: 'ipv4'; address: string } | { family: 'ipv6'; address: string; bytes: Uint8Array } | undefined {
  if (typeof ip !== 'string') return undefined;
  const version = isIP(ip);
  if (version === 4) return { family: 'ipv4', address: ip };
  const bytes = version === 6 ? ipv6Bytes(ip) : undefined;
  return bytes ? { family: 'ipv6', address: ip, bytes } : undefined;
}

export function isPublicAddress(ip: string): boolean {
  const parsed = classify(ip);
  if (!parsed) return false;
  if (parsed.family === 'ipv4') return !notPublic.check(parsed.address, 'ipv4');
  const embedded = embeddedIPv4(parsed.bytes);
  if (embedded !== undefined) return isPublicAddress(embedded);
  // Only global unicast (2000::/3) is allocated to the public internet.
  const globalUnicast = ((parsed.bytes[0] as number) & 0xe0) === 0x20;
  return globalUnicast && !notPublic.check(parsed.address, 'ipv6');
}

/** True for addresses that no scan may ever connect to, whatever the settings. */
function isNeverATarget(ip: string): boolean {
  const parsed = classify(ip);
  if (!parsed) return true;
  if (parsed.family === 'ipv4') return neverTarget.check(parsed.address, 'ipv4');
  const embedded = embeddedIPv4(parsed.bytes);
  if (embedded !== undefined && parsed.bytes[0] === 0) return isNeverATarget(embedded);
  return neverTarget.check(parsed.address, 'ipv6');
}

/**
 * Refuse to connect to an address outside the public internet. `allowPrivate` (tests, demo)
 * admits loopback and private ranges but still not unspecified, broadcast or multicast.
 */
export function assertTargetAllowed(ip: string, options: { allowPrivate: boolean }): void {
  const allowed = options.allowPrivate ? !isNeverATarget(ip) : isPublicAddress(ip);
  if (!allowed) {
    throw new AppError('target_refused', 'errors.target_refused', {
      params: { address: typeof ip === 'string' ? ip.slice(0, 64) : '' },
    });
  }
}
