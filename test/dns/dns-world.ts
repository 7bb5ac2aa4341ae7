// The DNS fixture world for the DNS and reputation tests: one bind9 serving a signed parent
// `test.` (the trust anchor) and one zone per fixture domain below it, plus unsigned zones that
// stand in for cloud providers (azurewebsites.net, github.io, …) and a DNSBL.
import type { Bind9Server, Bind9ZoneSpec } from '../fixtures/bind9.ts';
import { startBind9 } from '../fixtures/bind9.ts';

export const dnsHost = '127.0.8.1';
/** Website address of most fixture domains (an HTTP server listens here in the scan tests). */
export const webHost = '127.0.8.3';
/** Mail server address that the fixture DNSBL lists. */
export const listedMailHost = '127.0.8.2';
/** The provider-side web server: GitHub Pages, Shopify and S3 look-alikes answer here. */
export const providerHost = '127.0.8.31';
export const dnsblZone = 'dnsbl.test';

/** NS + glue in the parent for a child zone served by the fixture server. */
function delegation(child: string, parent: string, nameServers = ['ns1', 'ns2']): string[] {
  const relative = child.slice(0, -(parent.length + 1));
  return nameServers.flatMap((ns) => [`${relative} IN NS ${ns}.${child}.`, `${ns}.${relative} IN A ${dnsHost}`]);
}

function apex(nameServers = ['ns1', 'ns2'], addresses: string[] = [dnsHost]): string[] {
  return nameServers.flatMap((ns, index) => [`@ IN NS ${ns}`, `${ns} IN A ${addresses[index % addresses.length]}`]);
}

export const fixtureDomains = {
  secure: 'secure.test',
  insecure: 'insecure.test',
  bogusDs: 'bogus-ds.test',
  expired: 'expired.test',
  nsec3: 'nsec3.test',
  optOutChild: 'child.nsec3.test',
  p384: 'p384.test',
  axfrOpen: 'axfr-open.test',
  oneNs: 'one-ns.test',
  spread: 'spread.test',
  dangling: 'dangling.test',
} as const;

const children = [...Object.values(fixtureDomains), dnsblZone].filter((domain) => domain.split('.').length === 2);

export const worldZones: Bind9ZoneSpec[] = [
  {
    origin: 'test',
    signed: { algorithm: 'ED25519' },
    records: [...apex(['ns1']), ...children.flatMap((child) => delegation(child, 'test', child === fixtureDomains.oneNs ? ['ns1'] : ['ns1', 'ns2']))],
  },
  {
    origin: fixtureDomains.secure,
    signed: {},
    records: [
      ...apex(),
      '@ IN CAA 0 issue "letsencrypt.org"',
      '@ IN CAA 0 iodef "mailto:security@secure.test"',
      `@ IN A ${webHost}`,
      `www IN A ${webHost}`,
      '@ IN MX 10 mail',
      `mail IN A ${webHost}`,
      `a.b IN A ${webHost}`,
      `*.wild IN A ${webHost}`,
    ],
  },
  { origin: fixtureDomains.insecure, records: [...apex(), `@ IN A ${webHost}`, `www IN CNAME @`] },
  { origin: fixtureDomains.bogusDs, signed: {}, dsInParent: 'wrong', records: [...apex(), `@ IN A ${webHost}`] },
  { origin: fixtureDomains.expired, signed: { expired: true }, records: [...apex(), `@ IN A ${webHost}`] },
  {
    origin: fixtureDomains.nsec3,
    signed: { algorithm: 'RSASHA256', nsec3: { optOut: true } },
    records: [...apex(), `www IN A ${webHost}`, `*.wild IN A ${webHost}`, '@ IN CAA 0 issue "pki.goog"', ...delegation(fixtureDomains.optOutChild, fixtureDomains.nsec3, ['ns1'])],
  },
  { origin: fixtureDomains.optOutChild, records: [...apex(['ns1']), `@ IN A ${webHost}`] },
  { origin: fixtureDomains.p384, signed: { algorithm: 'ECDSAP384SHA384' }, records: [...apex(), `@ IN A ${webHost}`] },
  { origin: fixtureDomains.axfrOpen, allowTransfer: true, records: [...apex(), `@ IN A ${webHost}`, 'secret-intranet IN A 10.1.2.3'] },
  { origin: fixtureDomains.oneNs, records: [...apex(['ns1']), `@ IN A ${webHost}`] },
  // Name servers in two different networks (the second address only appears in DNS).
  { origin: fixtureDomains.spread, records: [...apex(['ns1', 'ns2'], [dnsHost, '198.51.100.53']), `@ IN A ${webHost}`] },
  {
    origin: fixtureDomains.dangling,
    records: [
      ...apex(),
      `@ IN A ${webHost}`,
      '@ IN MX 10 mail',
      `mail IN A ${listedMailHost}`,
      `www IN A ${webHost}`,
      // De-provisioned Azure app: the target no longer exists.
      'old IN CNAME gone-app.azurewebsites.net.',
      // Claimed GitHub Pages site: fine.
      'blog IN CNAME dangling-co.github.io.',
      // Unclaimed GitHub Pages custom domain: GitHub answers with its fingerprint.
      'docs IN CNAME dangling-co.github.io.',
      // Shopify shop that was closed.
      'shop IN CNAME shops.myshopify.com.',
      // A normal alias within the zone.
      'webmail IN CNAME www',
      // Only Certificate Transparency knows this one.
      'legacy-portal IN CNAME gone-legacy.herokuapp.com.',
    ],
  },
  // Provider zones: what the cloud's DNS says about the CNAME targets.
  { origin: 'azurewebsites.net', records: [...apex(['ns1']), `live-app IN A ${providerHost}`] },
  { origin: 'github.io', records: [...apex(['ns1']), `* IN A ${providerHost}`] },
  { origin: 'myshopify.com', records: [...apex(['ns1']), `shops IN A ${providerHost}`] },
  { origin: 'herokuapp.com', records: [...apex(['ns1'])] },
  // An RFC 5782 DNSBL: lists the test entry 127.0.0.2 and the fixture mail server.
  {
    origin: dnsblZone,
    records: [
      ...apex(['ns1']),
      '2.0.0.127 IN A 127.0.0.2',
      '2.0.0.127 IN TXT "test entry"',
      `${listedMailHost.split('.').reverse().join('.')} IN A 127.0.0.2`,
      `${listedMailHost.split('.').reverse().join('.')} IN TXT "Listed: spam source, see https://dnsbl.test/lookup"`,
    ],
  },
];

export function startDnsWorld(): Promise<Bind9Server> {
  return startBind9(worldZones, { host: dnsHost });
}
