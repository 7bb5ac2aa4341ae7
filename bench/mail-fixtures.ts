// A fixture internet of small-business mail domains for `npm run bench:mail`, on loopback only
// (127.0.13.1 – 127.0.14.254). Every domain gets its own mix of what real SMEs have: SPF (none,
// strict, soft, +all, redirect, provider includes several levels deep, too many lookups, two
// records), DMARC (none, p=none, quarantine, reject, broken, external rua with and without its
// authorisation record), DKIM keys (RSA 1024/2048, Ed25519, none), MTA-STS (policy served over
// HTTPS, or announced but missing), TLS-RPT, MX at a self-hosted provider, a legacy or a
// STARTTLS-less server, Microsoft 365 or Google, null MX or none; name servers that refuse or
// allow zone transfers; DNSBL listings; some registered lookalikes and dangling aliases; a few
// SSH and FTP services on the web addresses.
//
// Addresses:
//   127.0.13.1–32    one DNS resolver per concurrent scan (test/fixtures/dns-zones.ts, UDP + TCP),
//                    so every question a scan asks is counted for that scan
//   127.0.13.40–47   SMTP servers (smtp-server with STARTTLS, test-CA certificates) on port 25
//   127.0.13.50      the MTA-STS policy web server (HTTPS, 443)
//   127.0.13.60–62   authoritative name servers for zone transfers (TCP 53)
//   127.0.13.100–127.0.14.254   the domains' web addresses (409; domain i and i+409 share one)
import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import { SMTPServer } from 'smtp-server';
import { lookalikeDomains } from '../src/evidence/lookalikes/permutations.ts';
import { bytes, startZoneServer, type Zone, type ZoneEntry, type ZoneServer } from '../test/fixtures/dns-zones.ts';
import { createTestCa } from '../test/fixtures/test-pki.ts';

export const maxResolverSlots = 32;
export const maxDomains = 2000;
export const dnsblZone = 'bl.mailbench.test';

export interface MailFixtureInfo {
  /** One resolver (`host:port`) per concurrent scan. */
  resolvers: string[];
  caPem: string;
  dnsblZone: string;
  domains: string[];
  /** How many domains have each trait (for the printed description). */
  traits: Record<string, number>;
}

export interface MailFixtures extends MailFixtureInfo {
  /** Questions each resolver received so far (UDP and TCP). */
  queries(): number[];
  close(): Promise<void>;
}

const resolverAddress = (slot: number) => `127.0.13.${slot + 1}`;
const webAddressCount = 155 + 254;
/** Domain i's web address; i and i + 409 share one (shared hosting), far apart in scan order. */
export const webAddressOf = (index: number): string => {
  const slot = index % webAddressCount;
  return slot < 155 ? `127.0.13.${100 + slot}` : `127.0.14.${slot - 155 + 1}`;
};

interface MailHost {
  name: string;
  address: string;
  kind: 'modern' | 'legacy' | 'plain' | 'wrong-name';
}

const mailHosts = {
  mx1: { name: 'mx1.mailhost.test', address: '127.0.13.40', kind: 'modern' },
  mx2: { name: 'mx2.mailhost.test', address: '127.0.13.41', kind: 'modern' },
  legacy: { name: 'mail.oldhost.test', address: '127.0.13.42', kind: 'legacy' },
  plain: { name: 'smtp.plainhost.test', address: '127.0.13.43', kind: 'plain' },
  wrongName: { name: 'mx.wrongname.test', address: '127.0.13.44', kind: 'wrong-name' },
  microsoft: { name: 'mail.protection.outlook.com', address: '127.0.13.45', kind: 'modern' },
  google1: { name: 'aspmx.l.google.com', address: '127.0.13.46', kind: 'modern' },
  google2: { name: 'alt1.aspmx.l.google.com', address: '127.0.13.47', kind: 'modern' },
} satisfies Record<string, MailHost>;

const mtaStsAddress = '127.0.13.50';
const nameServers = {
  ns1: { name: 'ns1.dnshost.test', address: '127.0.13.60' },
  ns2: { name: 'ns2.dnshost.test', address: '127.0.13.61' },
  open: { name: 'ns.openzone.test', address: '127.0.13.62' },
};

const businesses = [
  'bakkerij-jansen', 'installatiebedrijf-de-vries', 'kapsalon-marieke', 'autobedrijf-smit', 'tandarts-bakker',
  'accountants-visser', 'bouwbedrijf-meijer', 'fietsenwinkel-de-boer', 'schilder-mulder', 'notaris-de-groot',
  'hovenier-bos', 'drukkerij-vos', 'transport-peters', 'fysio-hendriks', 'makelaardij-van-dijk',
  'slagerij-dekker', 'elektro-brouwer', 'advocaten-de-wit', 'kinderopvang-dijkstra', 'loodgieter-smits',
];

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same internet. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Pick by weight: [[weight, value], …]. */
function pick<T>(next: () => number, choices: Array<[number, T]>): T {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0);
  let roll = next() * total;
  for (const [weight, value] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (choices.at(-1) as [number, T])[1];
}

/** A TXT record as character-strings of at most 255 bytes. */
function txt(text: string): ZoneEntry {
  const raw = bytes(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < raw.length; at += 255) chunks.push(raw.subarray(at, at + 255));
  return { type: 'TXT', data: chunks.length > 0 ? chunks : [Buffer.alloc(0)] };
}

function add(zone: Zone, name: string, ...entries: ZoneEntry[]): void {
  zone.set(name, [...(zone.get(name) ?? []), ...entries]);
}

function dkimKeys() {
  const spki = (bits: number) =>
    generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');
  return {
    rsa1024: `v=DKIM1; k=rsa; p=${spki(1024)}`,
    rsa2048: `v=DKIM1; k=rsa; p=${spki(2048)}`,
    ed25519: `v=DKIM1; k=ed25519; p=${ed25519}`,
  };
}

/** Records of the providers every domain may point at (SPF includes, MX hosts, name servers). */
function providerZone(zone: Zone): void {
  for (const host of Object.values(mailHosts)) if (host.name !== mailHosts.microsoft.name) add(zone, host.name, { type: 'A', data: host.address });
  for (const server of Object.values(nameServers)) add(zone, server.name, { type: 'A', data: server.address });
  // Hosting provider: include → include → a, the common two-level shape.
  add(zone, '_spf.mailhost.test', txt('v=spf1 ip4:203.0.113.0/26 include:_spf2.mailhost.test -all'));
  add(zone, '_spf2.mailhost.test', txt('v=spf1 a:relay.mailhost.test ip6:2001:db8:25::/48 -all'));
  add(zone, 'relay.mailhost.test', { type: 'A', data: '203.0.113.80' });
  // Microsoft 365 and Google Workspace as they publish (shortened ranges).
  add(zone, 'spf.protection.outlook.com', txt('v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/14 ip6:2a01:111:f400::/48 -all'));
  add(zone, '_spf.google.com', txt('v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all'));
  add(zone, '_netblocks.google.com', txt('v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ip4:66.102.0.0/20 ~all'));
  add(zone, '_netblocks2.google.com', txt('v=spf1 ip6:2001:4860:4000::/36 ip6:2404:6800:4000::/36 ~all'));
  add(zone, '_netblocks3.google.com', txt('v=spf1 ip4:172.217.0.0/19 ip4:172.253.56.0/21 ~all'));
  // A newsletter service whose include alone costs eleven lookups: over RFC 7208's limit of ten.
  add(zone, 'spf.bulkmailer.test', txt(`v=spf1 ${Array.from({ length: 11 }, (_, n) => `a:out${n}.bulkmailer.test`).join(' ')} -all`));
  for (let n = 0; n < 11; n++) add(zone, `out${n}.bulkmailer.test`, { type: 'A', data: `198.51.100.${n + 1}` });
  // The DNS blocklist (RFC 5782) with its test entry; one mail server is listed.
  add(zone, dnsblZone, { type: 'NS', data: nameServers.ns1.name });
  add(zone, `2.0.0.127.${dnsblZone}`, { type: 'A', data: '127.0.0.2' }, txt('Test entry (RFC 5782)'));
  add(zone, `42.13.0.127.${dnsblZone}`, { type: 'A', data: '127.0.0.2' }, txt('Listed: spam sent from this address'));
}

interface Traits {
  [trait: string]: number;
}

function count(traits: Traits, trait: string): void {
  traits[trait] = (traits[trait] ?? 0) + 1;
}

function domainZone(zone: Zone, domain: string, index: number, keys: ReturnType<typeof dkimKeys>, traits: Traits, mtaStsPolicies: Map<string, string | null>): void {
  const next = random(index * 7919 + 17);
  const web = webAddressOf(index);
  const label = domain.split('.')[0] as string;
  add(zone, domain, { type: 'A', data: web });
  if (next() < 0.3) add(zone, `www.${domain}`, { type: 'CNAME', data: domain });
  else add(zone, `www.${domain}`, { type: 'A', data: web });
  const openNs = next() < 0.03;
  count(traits, openNs ? 'zone transfer allowed' : 'zone transfer refused');
  for (const server of openNs ? [nameServers.open, nameServers.ns2] : [nameServers.ns1, nameServers.ns2]) add(zone, domain, { type: 'NS', data: server.name });
  add(zone, domain, txt(`google-site-verification=${label}-${index}`));

  // Mail set-up: self-hosted at a provider, legacy, hosted by Microsoft 365 or Google, none.
  const mail = pick(next, [
    [35, 'provider'],
    [8, 'legacy'],
    [5, 'plain'],
    [4, 'wrong-name'],
    [25, 'microsoft'],
    [12, 'google'],
    [4, 'null-mx'],
    [7, 'no-mx'],
  ] as Array<[number, string]>);
  count(traits, `mx: ${mail}`);
  const mx = (preference: number, exchange: string): ZoneEntry => ({ type: 'MX', data: { preference, exchange } });
  let mxNames: string[] = [];
  switch (mail) {
    case 'provider':
      add(zone, domain, mx(10, mailHosts.mx1.name), mx(20, mailHosts.mx2.name));
      mxNames = [mailHosts.mx1.name, mailHosts.mx2.name];
      break;
    case 'legacy':
      add(zone, domain, mx(10, mailHosts.legacy.name));
      mxNames = [mailHosts.legacy.name];
      break;
    case 'plain':
      add(zone, domain, mx(10, mailHosts.plain.name));
      mxNames = [mailHosts.plain.name];
      break;
    case 'wrong-name':
      add(zone, domain, mx(10, mailHosts.wrongName.name));
      mxNames = [mailHosts.wrongName.name];
      break;
    case 'microsoft': {
      const exchange = `${label}-${index}.${mailHosts.microsoft.name}`;
      add(zone, domain, mx(0, exchange));
      add(zone, exchange, { type: 'A', data: mailHosts.microsoft.address });
      add(zone, domain, txt(`MS=ms${10_000_000 + index}`));
      mxNames = [exchange];
      break;
    }
    case 'google':
      add(zone, domain, mx(1, mailHosts.google1.name), mx(5, mailHosts.google2.name));
      mxNames = [mailHosts.google1.name, mailHosts.google2.name];
      break;
    case 'null-mx':
      add(zone, domain, mx(0, '.'));
      break;
  }

  // SPF, mostly following the mail set-up.
  const providerInclude = mail === 'microsoft' ? 'include:spf.protection.outlook.com' : mail === 'google' ? 'include:_spf.google.com' : 'include:_spf.mailhost.test';
  const spf = mail === 'null-mx' ? pick(next, [[3, 'reject-all'], [1, 'none']]) : pick(next, [
    [10, 'none'],
    [20, 'strict'],
    [20, 'soft'],
    [20, 'mixed'],
    [4, 'plus-all'],
    [4, 'neutral'],
    [10, 'redirect'],
    [3, 'two-records'],
    [4, 'too-many-lookups'],
    [5, 'broad-range'],
  ] as Array<[number, string]>);
  count(traits, `spf: ${spf}`);
  const spfRecord: Record<string, string | null> = {
    none: null,
    'reject-all': 'v=spf1 -all',
    strict: `v=spf1 mx ${providerInclude} -all`,
    soft: `v=spf1 ${providerInclude} ~all`,
    mixed: `v=spf1 a mx ip4:198.51.100.25 ${providerInclude} include:spf.protection.outlook.com -all`,
    'plus-all': `v=spf1 mx ${providerInclude} +all`,
    neutral: `v=spf1 ${providerInclude} ?all`,
    redirect: `v=spf1 redirect=_spf.${domain}`,
    'two-records': `v=spf1 mx -all`,
    'too-many-lookups': `v=spf1 mx ${providerInclude} include:spf.bulkmailer.test -all`,
    'broad-range': `v=spf1 ip4:203.0.0.0/8 ${providerInclude} -all`,
  };
  const record = spfRecord[spf];
  if (record) add(zone, domain, txt(record));
  if (spf === 'two-records') add(zone, domain, txt(`v=spf1 ${providerInclude} ~all`));
  if (spf === 'redirect') add(zone, `_spf.${domain}`, txt(`v=spf1 a mx ${providerInclude} -all`));

  // DMARC.
  const dmarc = pick(next, [
    [25, 'none'],
    [28, 'p=none'],
    [20, 'quarantine'],
    [18, 'reject'],
    [4, 'broken'],
    [5, 'external-rua'],
  ] as Array<[number, string]>);
  count(traits, `dmarc: ${dmarc}`);
  const dmarcRecord: Record<string, string | null> = {
    none: null,
    'p=none': `v=DMARC1; p=none; rua=mailto:dmarc@${domain}`,
    quarantine: `v=DMARC1; p=quarantine; pct=100; rua=mailto:dmarc@${domain}; adkim=r; aspf=r`,
    reject: `v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@${domain}; ruf=mailto:dmarc@${domain}`,
    broken: 'v=DMARC1 p=reject rua=dmarc',
    'external-rua': 'v=DMARC1; p=quarantine; rua=mailto:reports@dmarc-analyser.test',
  };
  const dmarcText = dmarcRecord[dmarc];
  if (dmarcText) add(zone, `_dmarc.${domain}`, txt(dmarcText));
  if (dmarc === 'external-rua' && next() < 0.5) add(zone, `${domain}._report._dmarc.dmarc-analyser.test`, txt('v=DMARC1'));

  // DKIM: at the selectors the mail set-up uses.
  const dkim = mail === 'null-mx' || mail === 'no-mx' ? 'none' : pick(next, [[30, 'none'], [15, 'rsa1024'], [45, 'rsa2048'], [10, 'ed25519']] as Array<[number, string]>);
  count(traits, `dkim: ${dkim}`);
  if (dkim !== 'none') {
    const key = keys[dkim as keyof typeof keys];
    const selectors = mail === 'microsoft' ? ['selector1', 'selector2'] : mail === 'google' ? ['google'] : ['default'];
    for (const selector of selectors) add(zone, `${selector}._domainkey.${domain}`, txt(key));
    zone.set(`_domainkey.${domain}`, zone.get(`_domainkey.${domain}`) ?? []); // an empty non-terminal: NODATA, not NXDOMAIN
  }

  // MTA-STS and TLS-RPT, only where there is mail.
  if (mxNames.length > 0) {
    const mtaSts = pick(next, [[70, 'none'], [12, 'enforce'], [8, 'testing'], [4, 'mx-mismatch'], [6, 'policy-missing']] as Array<[number, string]>);
    count(traits, `mta-sts: ${mtaSts}`);
    if (mtaSts !== 'none') {
      add(zone, `_mta-sts.${domain}`, txt(`v=STSv1; id=2026${String(index).padStart(6, '0')}`));
      add(zone, `mta-sts.${domain}`, { type: 'A', data: mtaStsAddress });
      const mode = mtaSts === 'testing' ? 'testing' : 'enforce';
      const listed = mtaSts === 'mx-mismatch' ? ['mx.elsewhere.test'] : mxNames;
      mtaStsPolicies.set(`mta-sts.${domain}`, mtaSts === 'policy-missing' ? null : ['version: STSv1', `mode: ${mode}`, ...listed.map((name) => `mx: ${name}`), 'max_age: 604800', ''].join('\r\n'));
    }
    const tlsRpt = next() < 0.3;
    count(traits, tlsRpt ? 'tls-rpt: yes' : 'tls-rpt: none');
    if (tlsRpt) add(zone, `_smtp._tls.${domain}`, txt(`v=TLSRPTv1; rua=mailto:tlsrpt@${domain}`));
  }

  // DNSBL: some web addresses are listed.
  if (index % 37 === 5) {
    count(traits, 'web address on DNSBL');
    add(zone, `${web.split('.').reverse().join('.')}.${dnsblZone}`, { type: 'A', data: '127.0.0.2' }, txt('Listed: compromised web server'));
  }

  // A registered lookalike that takes mail, and a dangling alias left from an old shop.
  if (next() < 0.05) {
    const [lookalike] = lookalikeDomains(domain, 'test', { max: 8 }).filter((candidate) => candidate.technique !== 'tld');
    if (lookalike) {
      count(traits, 'registered lookalike');
      add(zone, lookalike.name, { type: 'NS', data: 'ns1.cheap-registrar.test' }, { type: 'A', data: '192.0.2.200' }, mx(10, 'mail.cheap-registrar.test'));
    }
  }
  if (next() < 0.04) {
    count(traits, 'dangling alias');
    add(zone, `shop.${domain}`, { type: 'CNAME', data: `${label}-${index}.azurewebsites.net` });
  }
}

async function startSmtpServers(ca: Awaited<ReturnType<typeof createTestCa>>, closers: Array<() => Promise<void>>): Promise<void> {
  for (const host of Object.values(mailHosts)) {
    const names = host.kind === 'wrong-name' ? ['mail.someone-else.test'] : host.name === mailHosts.microsoft.name ? [`*.${host.name}`] : [host.name];
    const leaf = await ca.issue({ names });
    const tlsOptions =
      host.kind === 'legacy' ? { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.2' as const, ciphers: 'DEFAULT@SECLEVEL=0' } : { minVersion: 'TLSv1.2' as const };
    const server = new SMTPServer({
      key: leaf.keyPem,
      cert: leaf.certPem,
      ...tlsOptions,
      name: host.name,
      banner: host.kind === 'legacy' ? 'ESMTP Exim 4.89' : 'ESMTP Postfix',
      hideSTARTTLS: host.kind === 'plain',
      disabledCommands: ['AUTH'],
      authOptional: true,
      logger: false,
      socketTimeout: 10_000,
      closeTimeout: 1000,
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(25, host.address, () => resolve());
    });
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  }
}

async function startMtaStsServer(ca: Awaited<ReturnType<typeof createTestCa>>, policies: Map<string, string | null>, closers: Array<() => Promise<void>>): Promise<void> {
  const names = [...policies.keys()];
  if (names.length === 0) return;
  const leaf = await ca.issue({ names });
  const sockets = new Set<Socket>();
  const server: HttpsServer = createHttpsServer({ key: leaf.keyPem, cert: leaf.certPem, minVersion: 'TLSv1.2' }, (request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const policy = policies.get(host);
    if (request.url === '/.well-known/mta-sts.txt' && typeof policy === 'string') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(policy);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('Not found');
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 443, host: mtaStsAddress, backlog: 1024 }, () => resolve());
  });
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

/** Name servers on TCP 53 that answer AXFR with REFUSED, or (the open one) with the zone's SOA. */
async function startZoneTransferServers(closers: Array<() => Promise<void>>): Promise<void> {
  for (const server of Object.values(nameServers)) {
    const open = server === nameServers.open;
    const tcp: TcpServer = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]).subarray(0, 4096);
        if (buffer.length < 2 || buffer.length < buffer.readUInt16BE(0) + 2) return;
        let query: dnsPacket.Packet;
        try {
          query = dnsPacket.decode(buffer.subarray(2, buffer.readUInt16BE(0) + 2));
        } catch {
          socket.destroy();
          return;
        }
        const question = query.questions?.[0];
        const zoneName = question?.name ?? '.';
        const soa: dnsPacket.Answer = {
          type: 'SOA',
          name: zoneName,
          ttl: 3600,
          data: { mname: server.name, rname: `hostmaster.${zoneName}`, serial: 2026120401, refresh: 3600, retry: 600, expire: 604800, minimum: 300 },
        };
        const answers: dnsPacket.Answer[] = open
          ? [soa, { type: 'A', name: zoneName, ttl: 300, data: '192.0.2.10' }, { type: 'A', name: `intranet.${zoneName}`, ttl: 300, data: '10.0.0.5' }, soa]
          : [];
        const reply = dnsPacket.encode({
          id: query.id,
          type: 'response',
          flags: dnsPacket.AUTHORITATIVE_ANSWER | (open ? 0 : 5), // 5: REFUSED
          questions: query.questions,
          answers,
        });
        const length = Buffer.alloc(2);
        length.writeUInt16BE(reply.length);
        socket.end(Buffer.concat([length, reply]));
      });
    });
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(53, server.address, () => resolve());
    });
    closers.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
  }
}

/** SSH and FTP banners on some web addresses: what the exposure scan should find and name. */
async function startExposedServices(domainCount: number, closers: Array<() => Promise<void>>, traits: Traits): Promise<void> {
  const sockets = new Set<Socket>();
  const services: Array<{ address: string; port: number; banner: string }> = [];
  for (let index = 0; index < Math.min(domainCount, webAddressCount); index++) {
    const address = webAddressOf(index);
    if (index % 6 === 1) services.push({ address, port: 22, banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' });
    if (index % 10 === 3) services.push({ address, port: 21, banner: '220 (vsFTPd 3.0.3)\r\n' });
  }
  for (const service of services) {
    count(traits, service.port === 22 ? 'web address with SSH' : 'web address with FTP');
    const server = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
      socket.setTimeout(5000, () => socket.destroy());
      socket.write(service.banner);
      // FTP answers USER the FTP way (331), then says goodbye to QUIT; SSH just closes.
      socket.on('data', (data: Buffer) => {
        if (service.port !== 21) socket.end();
        else if (/^USER /i.test(data.toString('latin1'))) socket.write('331 Please specify the password.\r\n');
        else socket.end('221 Goodbye.\r\n');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(service.port, service.address, () => resolve());
    });
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  }
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
  });
}

export async function startMailFixtures(options: { domains: number; resolverSlots: number }): Promise<MailFixtures> {
  if (options.domains < 1 || options.domains > maxDomains) throw new Error(`mail fixtures: 1–${maxDomains} domains`);
  if (options.resolverSlots < 1 || options.resolverSlots > maxResolverSlots) throw new Error(`mail fixtures: 1–${maxResolverSlots} resolvers`);
  const closers: Array<() => Promise<void>> = [];
  const traits: Traits = {};
  const zone: Zone = new Map();
  const keys = dkimKeys();
  const ca = await createTestCa('Cybermonitor Mail Bench CA');
  const mtaStsPolicies = new Map<string, string | null>();
  providerZone(zone);
  const domains = Array.from({ length: options.domains }, (_, index) => `${businesses[index % businesses.length]}-${index}.test`);
  domains.forEach((domain, index) => domainZone(zone, domain, index, keys, traits, mtaStsPolicies));

  try {
    const resolvers: ZoneServer[] = [];
    for (let slot = 0; slot < options.resolverSlots; slot++) {
      const server = await startZoneServer(zone, { host: resolverAddress(slot) });
      resolvers.push(server);
      closers.push(() => server.close());
    }
    await startSmtpServers(ca, closers);
    await startMtaStsServer(ca, mtaStsPolicies, closers);
    await startZoneTransferServers(closers);
    await startExposedServices(options.domains, closers, traits);
    return {
      resolvers: resolvers.map((server) => server.address),
      caPem: ca.certPem,
      dnsblZone,
      domains,
      traits,
      queries: () => resolvers.map((server) => server.queries()),
      async close() {
        await Promise.all(closers.map((close) => close()));
      },
    };
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
}
