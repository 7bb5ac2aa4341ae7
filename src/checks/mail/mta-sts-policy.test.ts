import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPolicyMediaType, mtaStsRecordsOf, mxMatchesPattern, parseMtaStsPolicy, parseMtaStsRecord, unmatchedMxHosts } from './mta-sts-policy.ts';

describe('MTA-STS record', () => {
  it('reads the id (RFC 8461 3.1 example)', () => {
    assert.deepEqual(parseMtaStsRecord('v=STSv1; id=20160831085700Z;'), { ok: true, id: '20160831085700Z' });
    assert.deepEqual(parseMtaStsRecord('v=STSv1;id=abc123; ext=1'), { ok: true, id: 'abc123' });
  });
  it('refuses records senders would discard', () => {
    const cases: Array<[string, string]> = [
      ['v=STSv1', 'no_id'],
      ['id=1; v=STSv1', 'version'],
      ['v=STSv2; id=1', 'version'],
      ['v=STSv1; id=has-dash', 'bad_id'],
      ['v=STSv1; id=123456789012345678901234567890123', 'bad_id'],
      ['v=STSv1; id 1', 'syntax'],
    ];
    for (const [record, error] of cases) {
      const parsed = parseMtaStsRecord(record);
      assert.equal(parsed.ok ? 'ok' : parsed.error, error, record);
    }
  });
  it('keeps only records that start with v=STSv1', () => {
    assert.deepEqual(mtaStsRecordsOf(['v=spf1 -all', 'v=STSv1; id=1', 'v=STSv10; id=2', 'v=STSv1']), ['v=STSv1; id=1', 'v=STSv1']);
  });
});

describe('MTA-STS policy', () => {
  it('parses the RFC 8461 example policy', () => {
    const policy = parseMtaStsPolicy('version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n');
    assert.deepEqual(policy, {
      mode: 'enforce',
      maxAge: 604800,
      mx: ['mail.example.com', '*.example.net', 'backupmx.example.com'],
      problems: [],
      problemDetails: [],
    });
  });
  it('accepts LF line ends and mode none without mx', () => {
    const policy = parseMtaStsPolicy('version: STSv1\nmode: none\nmax_age: 86400\n');
    assert.deepEqual(policy.problems, []);
    assert.equal(policy.mode, 'none');
  });
  it('names every problem', () => {
    assert.deepEqual(parseMtaStsPolicy('').problems, ['no_version', 'no_mode', 'no_max_age', 'no_mx']);
    assert.deepEqual(parseMtaStsPolicy('version: STSv2\nmode: strict\nmax_age: 99999999999\nmx: not a host\n<html>').problems.sort(), [
      'bad_line',
      'bad_max_age',
      'bad_mode',
      'bad_mx',
      'bad_version',
    ]);
    assert.deepEqual(parseMtaStsPolicy('version: STSv1\nmode: testing\nmode: enforce\nmax_age: 1\nmx: a.example\n').problems, ['duplicate_key']);
    assert.deepEqual(parseMtaStsPolicy('version: STSv1\nmode: testing\nmax_age: 31557601\nmx: a.example\n').problems, ['bad_max_age']);
  });
});

describe('MX pattern matching (RFC 8461 4.1)', () => {
  it('matches names exactly and wildcards on one label only', () => {
    assert.equal(mxMatchesPattern('mail.example.com', 'mail.example.com'), true);
    assert.equal(mxMatchesPattern('MAIL.example.com.', 'mail.example.com'), true);
    assert.equal(mxMatchesPattern('mx1.example.net', '*.example.net'), true);
    assert.equal(mxMatchesPattern('a.b.example.net', '*.example.net'), false);
    assert.equal(mxMatchesPattern('example.net', '*.example.net'), false);
    assert.equal(mxMatchesPattern('evilexample.net', '*.example.net'), false);
    assert.deepEqual(unmatchedMxHosts(['a.mail.protection.outlook.com', 'mx.other.nl'], ['*.mail.protection.outlook.com']), ['mx.other.nl']);
  });
  it('wants text/plain', () => {
    assert.equal(isPolicyMediaType('text/plain; charset=utf-8'), true);
    assert.equal(isPolicyMediaType('TEXT/PLAIN'), true);
    assert.equal(isPolicyMediaType('text/html'), false);
    assert.equal(isPolicyMediaType(null), false);
  });
});
