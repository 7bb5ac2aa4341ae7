import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../errors.ts';
import { isReservedName, parseDomainName } from './domain-name.ts';

function refusal(raw: string, options?: { allowReservedNames?: boolean }): string {
  try {
    parseDomainName(raw, options);
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError for ${JSON.stringify(raw)}`);
    assert.equal(error.code, 'validation');
    return error.messageKey;
  }
  assert.fail(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('parseDomainName', () => {
  it('canonicalises case, whitespace and one trailing dot', () => {
    assert.equal(parseDomainName('  Example.COM.  '), 'example.com');
    assert.equal(parseDomainName('www.bakkerij-jansen.nl'), 'www.bakkerij-jansen.nl');
    assert.equal(parseDomainName('a.b.c.d.co.uk'), 'a.b.c.d.co.uk');
  });

  it('turns international names into punycode', () => {
    assert.equal(parseDomainName('Bücher.de'), 'xn--bcher-kva.de');
    assert.equal(parseDomainName('xn--bcher-kva.de'), 'xn--bcher-kva.de');
    assert.equal(parseDomainName('ＥＸＡＭＰＬＥ.com'), 'example.com');
  });

  it('refuses URLs, ports, paths, mailboxes, whitespace and encodings', () => {
    for (const raw of [
      'https://example.com',
      'example.com/path',
      'example.com:443',
      'user@example.com',
      'exa mple.com',
      'example.com\n.evil.com',
      'ex%41mple.com',
      'example.com?x',
      'example.com#x',
      'example\\com',
      '[::1]',
    ]) {
      assert.equal(refusal(raw), 'validation.domain_invalid', raw);
    }
  });

  it('refuses malformed names', () => {
    for (const raw of [
      '',
      '   ',
      '.',
      'com',
      'example..com',
      '.example.com',
      'example.com..',
      '-example.com',
      'example-.com',
      'exa_mple.com',
      `${'a'.repeat(64)}.com`,
      `${'a.'.repeat(127)}com`,
      'x'.repeat(5000),
    ]) {
      assert.equal(refusal(raw), 'validation.domain_invalid', raw);
    }
    assert.equal(parseDomainName(`${'a'.repeat(63)}.com`), `${'a'.repeat(63)}.com`);
  });

  it('refuses IP literals in any notation', () => {
    for (const raw of ['127.0.0.1', '10.0.0.1', '0x7f.1', '2130706433', '1.2.3.4.']) {
      assert.equal(refusal(raw), 'validation.domain_invalid', raw);
    }
  });

  it('refuses reserved names unless allowed', () => {
    for (const raw of [
      'localhost',
      'app.localhost',
      'printer.local',
      'corp.internal',
      'valid.example.test',
      'www.example',
      'foo.invalid',
      'router.home.arpa',
      '1.0.0.127.in-addr.arpa',
    ]) {
      const key = refusal(raw);
      // A single label (localhost) is malformed before it is reserved.
      assert.ok(key === 'validation.domain_reserved' || (raw === 'localhost' && key === 'validation.domain_invalid'), raw);
    }
    assert.equal(parseDomainName('valid.example.test', { allowReservedNames: true }), 'valid.example.test');
    assert.equal(parseDomainName('app.localhost', { allowReservedNames: true }), 'app.localhost');
  });

  it('keeps the offending input in the error params, bounded', () => {
    try {
      parseDomainName('x'.repeat(5000));
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(String(error.params.domain).length, 100);
    }
  });

  it('does not treat lookalikes of reserved names as reserved', () => {
    assert.equal(parseDomainName('mytest.nl'), 'mytest.nl');
    assert.equal(parseDomainName('local.nl'), 'local.nl');
    assert.equal(isReservedName('local.nl'), false);
    assert.equal(isReservedName('a.test'), true);
  });
});
