import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTlsRptRecord, tlsRptRecordsOf } from './tls-rpt-record.ts';

describe('TLS-RPT record (RFC 8460)', () => {
  it('reads mailto and https destinations (the RFC examples)', () => {
    assert.deepEqual(parseTlsRptRecord('v=TLSRPTv1;rua=mailto:reports@example.com'), {
      ok: true,
      destinations: [{ scheme: 'mailto', uri: 'mailto:reports@example.com' }],
    });
    const both = parseTlsRptRecord('v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt, mailto:tls@example.nl;');
    assert.ok(both.ok);
    assert.deepEqual(both.destinations.map((destination) => destination.scheme), ['https', 'mailto']);
  });
  it('gives a reason for records senders cannot use', () => {
    const cases: Array<[string, string]> = [
      ['v=TLSRPTv1', 'no_rua'],
      ['rua=mailto:a@b.nl; v=TLSRPTv1', 'version'],
      ['v=TLSRPTv2; rua=mailto:a@b.nl', 'version'],
      ['v=TLSRPTv1; rua=http://insecure.example/report', 'bad_rua'],
      ['v=TLSRPTv1; rua=tls@example.nl', 'bad_rua'],
      ['v=TLSRPTv1; rua', 'syntax'],
    ];
    for (const [record, error] of cases) {
      const parsed = parseTlsRptRecord(record);
      assert.equal(parsed.ok ? 'ok' : parsed.error, error, record);
    }
  });
  it('keeps only v=TLSRPTv1 records', () => {
    assert.deepEqual(tlsRptRecordsOf(['v=spf1 -all', 'v=TLSRPTv1; rua=mailto:a@b.nl', 'v=TLSRPTv10']), ['v=TLSRPTv1; rua=mailto:a@b.nl']);
  });
});
