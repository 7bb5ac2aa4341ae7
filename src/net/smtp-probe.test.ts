// The SMTP prober against a real Postfix (Debian's package) and against hostile hand-made
// servers on 127.0.9.11–127.0.9.29, port 25.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type PostfixInstance, startPostfix } from '../../test/fixtures/postfix.ts';
import { type FakeSmtpBehaviour, type FakeSmtpServer, startFakeSmtp } from '../../test/fixtures/smtp-hostile.ts';
import { createTestCa, type TestCa } from '../../test/fixtures/test-pki.ts';
import { probeSmtp, type SmtpProbeOptions } from './smtp-probe.ts';

const postfixAddresses = { modern: '127.0.9.11', plain: '127.0.9.12', legacy: '127.0.9.13', tls12: '127.0.9.14' };
const stepTimeoutMs = 800;

describe('probeSmtp', () => {
  let ca: TestCa;
  let postfix: PostfixInstance;
  const fakes = new Map<FakeSmtpBehaviour, FakeSmtpServer>();

  before(async () => {
    ca = await createTestCa();
    const certificate = await ca.issue({ names: ['mx.probe.test'] });
    postfix = await startPostfix([
      { address: postfixAddresses.modern, hostname: 'mx.probe.test', tls: certificate },
      { address: postfixAddresses.plain, hostname: 'plain.probe.test' },
      { address: postfixAddresses.legacy, hostname: 'legacy.probe.test', tls: certificate, protocols: 'legacy' },
      { address: postfixAddresses.tls12, hostname: 'tls12.probe.test', tls: certificate, protocols: 'tls12' },
    ]);
    const behaviours: FakeSmtpBehaviour[] = ['endless-greeting', 'long-line', 'silent', 'silent-ehlo', 'garbage', 'rejecting', 'broken-tls', 'starttls-injection'];
    for (const [index, behaviour] of behaviours.entries()) {
      fakes.set(behaviour, await startFakeSmtp({ address: `127.0.9.${20 + index}`, behaviour, tls: certificate }));
    }
  });
  after(async () => {
    await Promise.all([...fakes.values()].map((server) => server.close()));
    await postfix?.close();
  });

  const probe = (address: string, extra: Partial<SmtpProbeOptions> = {}) =>
    probeSmtp({ address, serverName: 'mx.probe.test', allowPrivate: true, stepTimeoutMs, extraCa: [ca.certPem], ...extra });
  const fake = (behaviour: FakeSmtpBehaviour) => fakes.get(behaviour)!.address;

  it('reads the greeting, EHLO extensions, and the STARTTLS session of a real Postfix', async () => {
    const result = await probe(postfixAddresses.modern);
    assert.equal(result.failure, null, `${result.failure} ${result.failureDetail}\n${await postfix.log()}`);
    assert.equal(result.greeting?.code, 220);
    assert.match(result.greeting?.lines[0] ?? '', /^mx\.probe\.test ESMTP/);
    assert.ok(result.extensions.includes('STARTTLS'), result.extensions.join(' '));
    assert.ok(result.extensions.includes('PIPELINING'));
    assert.equal(result.starttlsOffered, true);
    assert.equal(result.bytesAfterStarttls, 0);
    assert.equal(result.tls?.protocol, 'TLSv1.3');
    assert.ok(result.tls?.cipher);
    assert.equal(result.tls?.chainTrusted, true, result.tls?.chainError ?? '');
    const leaf = new X509Certificate(result.tls!.chain[0]!);
    assert.equal(leaf.checkHost('mx.probe.test'), 'mx.probe.test');
    assert.ok(result.durationMs < 3000);
  });

  it('reports an untrusted chain without our test CA', async () => {
    const result = await probe(postfixAddresses.modern, { extraCa: [] });
    assert.equal(result.failure, null);
    assert.equal(result.tls?.chainTrusted, false);
    assert.ok(result.tls?.chainError);
  });

  it('reports a server that offers no STARTTLS', async () => {
    const result = await probe(postfixAddresses.plain);
    assert.equal(result.failure, 'starttls_not_offered');
    assert.equal(result.failureStage, 'ehlo');
    assert.equal(result.starttlsOffered, false);
    assert.equal(result.tls, null);
  });

  it('pins TLS versions: the legacy service accepts TLS 1.0, the modern one refuses it', async () => {
    const legacy = await probe(postfixAddresses.legacy, { minVersion: 'TLSv1', maxVersion: 'TLSv1', collectChain: false });
    assert.equal(legacy.failure, null, `${legacy.failureDetail}\n${await postfix.log()}`);
    assert.equal(legacy.tls?.protocol, 'TLSv1');
    assert.deepEqual(legacy.tls?.chain, []);
    const modern = await probe(postfixAddresses.modern, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', collectChain: false });
    assert.equal(modern.failure, 'handshake_failed');
    assert.equal(modern.failureStage, 'tls');
  });

  it('sees TLS 1.2 as the best a service without TLS 1.3 offers', async () => {
    const result = await probe(postfixAddresses.tls12);
    assert.equal(result.failure, null);
    assert.equal(result.tls?.protocol, 'TLSv1.2');
  });

  const hostile: Array<[FakeSmtpBehaviour, string, string]> = [
    ['endless-greeting', 'reply_too_large', 'greeting'],
    ['long-line', 'line_too_long', 'greeting'],
    ['silent', 'timeout', 'greeting'],
    ['silent-ehlo', 'timeout', 'ehlo'],
    ['garbage', 'protocol_error', 'greeting'],
    ['rejecting', 'greeting_rejected', 'greeting'],
    ['broken-tls', 'handshake_failed', 'tls'],
  ];
  for (const [behaviour, failure, stage] of hostile) {
    it(`stops on a hostile server (${behaviour}) with ${failure} within the time limit`, async () => {
      const started = Date.now();
      const result = await probe(fake(behaviour));
      assert.equal(result.failure, failure, `${result.failure} ${result.failureDetail}`);
      assert.equal(result.failureStage, stage);
      assert.ok(Date.now() - started < stepTimeoutMs * 4 + 500, `took ${Date.now() - started} ms`);
    });
  }

  it('counts plaintext injected after the STARTTLS reply and still completes the handshake', async () => {
    const result = await probe(fake('starttls-injection'));
    assert.equal(result.failure, null, `${result.failure} ${result.failureDetail}`);
    assert.ok(result.bytesAfterStarttls > 0);
    assert.ok(result.tls?.protocol);
  });

  it('refuses a private address unless allowed, and a refused port is a reason', async () => {
    const refused = await probe(postfixAddresses.modern, { allowPrivate: false });
    assert.equal(refused.failure, 'target_refused');
    const closed = await probe('127.0.9.29');
    assert.equal(closed.failure, 'connection_refused');
    assert.equal(closed.failureStage, 'connect');
  });

  it('bounds the whole session and honours an abort signal', async () => {
    const started = Date.now();
    const result = await probe(fake('silent'), { stepTimeoutMs: 5000, signal: AbortSignal.timeout(200) });
    assert.equal(result.failure, 'aborted');
    assert.ok(Date.now() - started < 1000);
    const session = await probe(fake('silent'), { stepTimeoutMs: 5000, sessionTimeoutMs: 300 });
    assert.equal(session.failure, 'timeout');
  });
});
