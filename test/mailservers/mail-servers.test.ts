// The mail-server checks end to end: a real Postfix (Debian's package) on 127.0.9.1–4 with
// test-CA certificates, a hostile SMTP server on 127.0.9.40, MTA-STS policy sites on
// 127.0.9.50–51:443, and the fixture DNS server answering MX, TXT, A and TLSA. Each fixture
// domain is scanned through scanDomain (the registered gatherers and checks) and judged.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { CheckResult } from '../../src/checks/types.ts';
import { scanDomain } from '../../src/scan/scan-domain.ts';
import type { DomainScan } from '../../src/scan/types.ts';
import { type DnsRecords, type FixtureDnsServer, startDnsServer } from '../fixtures/dns-server.ts';
import { type PostfixInstance, startPostfix } from '../fixtures/postfix.ts';
import { type FakeSmtpServer, startFakeSmtp } from '../fixtures/smtp-hostile.ts';
import { createTestCa, type KeyAndCertificate } from '../fixtures/test-pki.ts';
import { rsaDkimKey } from './keys.ts';

const mailKinds = ['mail.mx', 'mail.dkim', 'mail.mta-sts', 'mail.tls-rpt'];
const timeoutMs = 1500;
const address = { good: '127.0.9.1', plain: '127.0.9.2', legacy: '127.0.9.3', mismatch: '127.0.9.4', hang: '127.0.9.40', stsGood: '127.0.9.50', stsPlain: '127.0.9.51' };

const spkiSha256 = (certPem: string) =>
  createHash('sha256').update(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })).digest();

interface PolicySite {
  server: Server;
  sockets: Set<Socket>;
}

async function startPolicySite(listenOn: string, certificate: KeyAndCertificate, policy: string): Promise<PolicySite> {
  const sockets = new Set<Socket>();
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (request, response) => {
    if (request.url === '/.well-known/mta-sts.txt') response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(policy);
    else response.writeHead(404).end();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(443, listenOn, () => resolve());
  });
  return { server, sockets };
}

describe('mail servers end to end (Postfix, fixture DNS, MTA-STS over HTTPS)', () => {
  let postfix: PostfixInstance;
  let hang: FakeSmtpServer;
  let dns: FixtureDnsServer;
  let caPem: string;
  const sites: PolicySite[] = [];
  const scans = new Map<string, DomainScan>();

  before(async () => {
    const ca = await createTestCa('Mail Test CA');
    caPem = ca.certPem;
    const goodCert = await ca.issue({ names: ['mx1.good.mail.test'] });
    const legacyCert = await ca.issue({ names: ['mx.legacy.mail.test'] });
    const otherCert = await ca.issue({ names: ['server1.hoster.test'] });
    postfix = await startPostfix([
      { address: address.good, hostname: 'mx1.good.mail.test', tls: goodCert },
      { address: address.plain, hostname: 'mx.plain.mail.test' },
      { address: address.legacy, hostname: 'mx.legacy.mail.test', tls: legacyCert, protocols: 'legacy' },
      { address: address.mismatch, hostname: 'server1.hoster.test', tls: otherCert },
    ]);
    hang = await startFakeSmtp({ address: address.hang, behaviour: 'silent-ehlo' });
    sites.push(
      await startPolicySite(address.stsGood, await ca.issue({ names: ['mta-sts.good.mail.test'] }), 'version: STSv1\r\nmode: enforce\r\nmx: *.good.mail.test\r\nmax_age: 1209600\r\n'),
      await startPolicySite(address.stsPlain, await ca.issue({ names: ['mta-sts.plain.mail.test'] }), 'version: STSv1\nmode: enforce\nmx: mx.elsewhere.test\nmax_age: 604800\n'),
    );

    // One TXT record, split into character-strings of at most 255 bytes (as DKIM keys must be).
    const txt = (text: string) => ({ txt: [text.match(/.{1,255}/g) ?? ['']] });
    const zone = new Map<string, DnsRecords>([
      // good: everything right
      ['good.mail.test', { mx: [{ preference: 10, exchange: 'mx1.good.mail.test' }] }],
      ['mx1.good.mail.test', { a: [address.good] }],
      ['_25._tcp.mx1.good.mail.test', { tlsa: [{ usage: 3, selector: 1, matchingType: 1, certificate: spkiSha256(goodCert.certPem) }] }],
      ['_mta-sts.good.mail.test', txt('v=STSv1; id=20261204')],
      ['mta-sts.good.mail.test', { a: [address.stsGood] }],
      ['_smtp._tls.good.mail.test', txt('v=TLSRPTv1; rua=mailto:tls-reports@good.mail.test')],
      ['selector1._domainkey.good.mail.test', txt(`v=DKIM1; k=rsa; p=${rsaDkimKey(2048)}`)],
      // plain: no STARTTLS, a forgeable DKIM key, an enforced policy that leaves out the MX
      ['plain.mail.test', { mx: [{ preference: 10, exchange: 'mx.plain.mail.test' }] }],
      ['mx.plain.mail.test', { a: [address.plain] }],
      ['_mta-sts.plain.mail.test', txt('v=STSv1; id=1')],
      ['mta-sts.plain.mail.test', { a: [address.stsPlain] }],
      ['_smtp._tls.plain.mail.test', txt('v=TLSRPTv1; rua=http://reports.plain.mail.test/')],
      ['default._domainkey.plain.mail.test', txt(`v=DKIM1; p=${rsaDkimKey(512)}`)],
      // legacy: TLS 1.0 accepted, a TLSA record for another key
      ['legacy.mail.test', { mx: [{ preference: 10, exchange: 'mx.legacy.mail.test' }] }],
      ['mx.legacy.mail.test', { a: [address.legacy] }],
      ['_25._tcp.mx.legacy.mail.test', { tlsa: [{ usage: 3, selector: 1, matchingType: 1, certificate: spkiSha256(goodCert.certPem) }] }],
      // mismatch: a certificate for another name
      ['mismatch.mail.test', { mx: [{ preference: 10, exchange: 'mx.mismatch.mail.test' }] }],
      ['mx.mismatch.mail.test', { a: [address.mismatch] }],
      // hosted: Microsoft 365 by its MX name (pointing at the same Postfix in this test)
      ['hosted.mail.test', { mx: [{ preference: 0, exchange: 'hosted-mail-test.mail.protection.outlook.com' }] }],
      ['hosted-mail-test.mail.protection.outlook.com', { a: [address.mismatch] }],
      // hang: greets, never answers EHLO
      ['hang.mail.test', { mx: [{ preference: 10, exchange: 'mx.hang.mail.test' }] }],
      ['mx.hang.mail.test', { a: [address.hang] }],
      // no MX at all, and a null MX
      ['nomx.mail.test', { a: ['127.0.9.60'] }],
      ['nullmx.mail.test', { mx: [{ preference: 0, exchange: '.' }] }],
    ]);
    dns = await startDnsServer(zone);
  });

  after(async () => {
    for (const site of sites) for (const socket of site.sockets) socket.destroy();
    await Promise.all(sites.map((site) => new Promise<void>((resolve) => site.server.close(() => resolve()))));
    await hang?.close();
    await dns?.close();
    await postfix?.close();
  });

  const scan = async (domain: string): Promise<DomainScan> => {
    const cached = scans.get(domain);
    if (cached) return cached;
    const result = await scanDomain(domain, { resolver: dns.address, allowPrivate: true, timeoutMs, extraCa: [caPem], only: mailKinds });
    scans.set(domain, result);
    return result;
  };
  const verdicts = async (domain: string): Promise<Record<string, string>> => {
    const result = await scan(domain);
    assert.deepEqual(result.evidence.map((item) => item.kind).sort(), [...mailKinds].sort());
    return Object.fromEntries(result.results.map((item: CheckResult) => [item.checkId, `${item.status} ${item.summaryKey.replace(/^checks\.mail\./, '')}`]));
  };

  it('passes a domain that does everything right, quickly', async (t) => {
    const started = Date.now();
    const found = await verdicts('good.mail.test');
    const took = Date.now() - started;
    assert.deepEqual(found, {
      'mail.dkim': 'pass dkim.pass',
      'mail.mx.starttls': 'pass mx.starttls.pass',
      'mail.mx.tls': 'pass mx.tls.pass',
      'mail.mta-sts': 'pass mta-sts.pass',
      'mail.tls-rpt': 'pass tls-rpt.pass',
      'mail.dane': 'pass dane.present',
    }, await postfix.log());
    t.diagnostic(`mail scan of good.mail.test (MX, SMTP + 3 pinned-version sessions, TLSA, DKIM, MTA-STS over HTTPS, TLS-RPT): ${took} ms`);
    assert.ok(took < 3000, `scan took ${took} ms`);
  });

  it('records what the MX offered: greeting, STARTTLS, TLS 1.3 and the refused old versions', async () => {
    const evidence = (await scan('good.mail.test')).evidence.find((item) => item.kind === 'mail.mx');
    const host = (evidence?.data as { hosts: Array<{ name: string; sessions: Array<Record<string, unknown>> }> }).hosts[0];
    assert.equal(host?.name, 'mx1.good.mail.test');
    const session = host?.sessions[0] as { greeting: string; starttlsOffered: boolean; tls: { protocol: string; chainTrusted: boolean; certificate: { hostnameMatches: boolean } }; versions: Array<{ version: string; outcome: string }> };
    assert.match(session.greeting, /^mx1\.good\.mail\.test ESMTP/);
    assert.equal(session.starttlsOffered, true);
    assert.equal(session.tls.protocol, 'TLSv1.3');
    assert.equal(session.tls.chainTrusted, true);
    assert.equal(session.tls.certificate.hostnameMatches, true);
    assert.deepEqual(
      session.versions.map((probe) => `${probe.version} ${probe.outcome}`),
      ['TLSv1 refused', 'TLSv1.1 refused', 'TLSv1.2 accepted', 'TLSv1.3 accepted'],
    );
  });

  it('fails a domain without STARTTLS, with a forgeable DKIM key and an MTA-STS policy that leaves out its MX', async () => {
    assert.deepEqual(await verdicts('plain.mail.test'), {
      'mail.dkim': 'fail dkim.weak_key',
      'mail.mx.starttls': 'fail mx.starttls.missing',
      'mail.mx.tls': 'info mx.tls.no_tls',
      'mail.mta-sts': 'fail mta-sts.mx_mismatch',
      'mail.tls-rpt': 'warn tls-rpt.invalid_record',
      'mail.dane': 'notice dane.absent',
    });
  });

  it('warns about TLS 1.0 on a legacy Postfix and fails a TLSA record for another key', async () => {
    const found = await verdicts('legacy.mail.test');
    assert.equal(found['mail.mx.tls'], 'warn mx.tls.legacy_accepted');
    assert.equal(found['mail.dane'], 'fail dane.mismatch');
    assert.equal(found['mail.mx.starttls'], 'pass mx.starttls.pass');
    assert.equal(found['mail.mta-sts'], 'notice mta-sts.missing');
    assert.equal(found['mail.tls-rpt'], 'notice tls-rpt.missing');
  });

  it('gives only a notice for a certificate that does not name the MX', async () => {
    const found = await verdicts('mismatch.mail.test');
    assert.equal(found['mail.mx.tls'], 'notice mx.tls.name_mismatch');
    assert.equal(found['mail.mx.starttls'], 'pass mx.starttls.pass');
  });

  it('does not blame a Microsoft 365 customer for the provider, but says what the customer can do', async () => {
    const found = await verdicts('hosted.mail.test');
    assert.equal(found['mail.mx.tls'], 'pass mx.tls.provider_managed');
    assert.equal(found['mail.dane'], 'notice dane.provider_microsoft');
    assert.equal(found['mail.dkim'], 'warn dkim.missing_microsoft365');
  });

  it('stops at a server that never answers EHLO within the time limit, as not measured', async () => {
    const started = Date.now();
    const found = await verdicts('hang.mail.test');
    assert.equal(found['mail.mx.starttls'], 'error mx.starttls.unreachable');
    assert.equal(found['mail.mx.tls'], 'error mx.tls.unreachable');
    assert.ok(Date.now() - started < timeoutMs * 3, `took ${Date.now() - started} ms`);
  });

  it('gives a clean, quick result for a domain without MX and one with a null MX', async () => {
    const started = Date.now();
    const noMx = await verdicts('nomx.mail.test');
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.deepEqual(Object.values(noMx).sort(), [
      'info dkim.none_no_mail',
      'info mx.no_mx',
      'info mx.no_mx',
      'info mx.no_mx',
      'info mx.no_mx',
      'info mx.no_mx',
    ]);
    const nullMx = await verdicts('nullmx.mail.test');
    assert.equal(nullMx['mail.mx.starttls'], 'info mx.null_mx');
    assert.equal(nullMx['mail.mta-sts'], 'info mx.null_mx');
  });
});
