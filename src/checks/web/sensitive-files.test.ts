import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProbeOutcome, SensitiveFilesEvidence } from '../../evidence/web-leaks/sensitive-files-evidence.ts';
import { sensitiveFilesEvidenceSchema } from '../../evidence/web-leaks/sensitive-files-evidence.ts';
import { hasMessage } from '../../i18n/index.ts';
import type { CheckResult } from '../types.ts';
import { webSensitiveFilesCheck } from './sensitive-files.ts';

const now = new Date('2026-12-04T12:00:00Z');
const outcome = (path: string, kind: ProbeOutcome['kind'], confirmed = false, extra: Partial<ProbeOutcome> = {}): ProbeOutcome => ({
  path,
  kind,
  status: confirmed ? 200 : 404,
  error: null,
  confirmed,
  soft404: false,
  marker: confirmed ? 'marker' : null,
  excerpt: confirmed ? 'excerpt' : null,
  ...extra,
});
const evidence = (probes: ProbeOutcome[], extra: Partial<SensitiveFilesEvidence> = {}): SensitiveFilesEvidence =>
  sensitiveFilesEvidenceSchema.parse({
    origin: 'https://shop.example.nl',
    error: null,
    errorDetail: null,
    baseline: { path: '/cybermonitor-0', status: 404, bytes: 120 },
    probes,
    incomplete: false,
    ...extra,
  });
const judge = (data: SensitiveFilesEvidence): CheckResult => {
  const result = webSensitiveFilesCheck.judge(data, { now });
  assert.ok(hasMessage('nl', result.summaryKey) && hasMessage('en', result.summaryKey), result.summaryKey);
  return result;
};

describe('web.sensitive-files', () => {
  it('fails critical when an .env is exposed, naming every exposed path', () => {
    const result = judge(evidence([outcome('/.git/HEAD', 'git', true), outcome('/.env', 'env', true), outcome('/phpinfo.php', 'phpinfo')]));
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'critical');
    assert.deepEqual(result.summaryParams, { count: 2, paths: '/.git/HEAD, /.env', path: '/.env' });
  });

  it('fails high for a directory listing alone', () => {
    const result = judge(evidence([outcome('/backup/', 'directory_listing', true)]));
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
  });

  it('does not count a match that the soft-404 baseline shares', () => {
    const result = judge(evidence([outcome('/images/', 'directory_listing', true, { soft404: true })], { baseline: { path: '/cybermonitor-0', status: 200, bytes: 900 } }));
    assert.equal(result.status, 'pass');
    assert.equal(result.details.softNotFound, true);
  });

  it('passes when nothing was confirmed, and says when probing stopped early', () => {
    assert.equal(judge(evidence([outcome('/.env', 'env')])).status, 'pass');
    assert.equal(judge(evidence([outcome('/.env', 'env')], { incomplete: true })).status, 'info');
  });

  it('reports an error when the site did not answer the baseline request', () => {
    const result = judge(evidence([], { baseline: null, error: 'timeout', errorDetail: 'connect' }));
    assert.equal(result.status, 'error');
  });
});
