import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { checks } from '../../src/checks/registry.ts';
import { loadNormSet, programmeNorms, validateNorm } from '../../src/norm/load.ts';
import { knownChecks, normDocument } from './helpers.ts';

test('the shipped norm is valid against the check registry, in both languages', () => {
  const norms = programmeNorms();
  const registered = new Set(checks.map((c) => c.id));
  for (const norm of norms.versions) {
    for (const control of norm.controls) {
      for (const id of control.checks) assert.ok(registered.has(id), `${norm.version} ${control.id}: ${id}`);
      assert.ok(control.title.nl && control.title.en && control.why.nl && control.why.en, control.id);
    }
    for (const pillar of ['people', 'it', 'processes']) assert.ok(norm.areas.some((a) => a.pillar === pillar), `pillar ${pillar}`);
    // Controls for sources that later issues build are in from the start, and do not count yet.
    assert.ok(norm.controls.some((c) => norm.sources.find((s) => s.id === c.source)?.live === false));
  }
  assert.ok(norms.latest().controls.some((c) => c.checks.includes('tls.certificate')));
});

test('a valid document passes; each kind of mistake is named', () => {
  assert.deepEqual(validateNorm(normDocument(), knownChecks).problems, []);
  const broken = (change: (doc: Record<string, any>) => void) => {
    const doc = normDocument();
    change(doc);
    return validateNorm(doc, knownChecks).problems;
  };
  assert.deepEqual(broken((d) => (d.controls[0].checks = ['t.cert', 'web.nonexistent'])), ['control WEB-01: unknown check id web.nonexistent']);
  assert.match(broken((d) => delete d.controls[1].why.en).join(), /controls\.1\.why\.en/);
  assert.match(broken((d) => (d.controls[1].title.nl = '  ')).join(), /controls\.1\.title\.nl/);
  assert.deepEqual(broken((d) => (d.areas[0].weight = 50)), ['area weights do not add up to 100']);
  assert.deepEqual(broken((d) => (d.controls[1].weight = 20)), ['control weights of area website do not add up to 100']);
  assert.deepEqual(broken((d) => (d.controls[3].checks = ['t.devices'])), ['control DEV-01: source agent is not live; list its checks under plannedChecks']);
  assert.deepEqual(broken((d) => (d.controls[2].id = 'WEB-01')).includes('control WEB-01 is defined twice'), true);
  assert.deepEqual(broken((d) => (d.controls[0].area = 'nowhere')).includes('control WEB-01: unknown area nowhere'), true);
  assert.deepEqual(broken((d) => (d.compliance.timezone = 'Mars/Olympus')), ['compliance.timezone Mars/Olympus is not a time zone']);
  assert.match(broken((d) => (d.controls[0].level = 'optional')).join(), /controls\.0\.level/);
  assert.match(broken((d) => (d.unexpected = true)).join(), /Unrecognized key/i);
});

test('norm versions load from a directory; the version in force follows effectiveFrom', () => {
  const directory = mkdtempSync(join(tmpdir(), 'cm-norms-'));
  try {
    const first = normDocument();
    const second = { ...normDocument(), version: '2030.2', effectiveFrom: '2030-07' };
    writeFileSync(join(directory, '2030.1.yaml'), stringify(first));
    writeFileSync(join(directory, '2030.2.yaml'), stringify(second));
    const norms = loadNormSet(directory, knownChecks);
    assert.equal(norms.forMonth('2029-12').version, '2030.1');
    assert.equal(norms.forMonth('2030-06').version, '2030.1');
    assert.equal(norms.forMonth('2030-07').version, '2030.2');
    assert.equal(norms.latest().version, '2030.2');
    writeFileSync(join(directory, '2030.3.yaml'), stringify({ ...normDocument(), version: '2030.4', effectiveFrom: '2030-09' }));
    assert.throws(() => loadNormSet(directory, knownChecks), /2030\.3\.yaml: version 2030\.4 does not match the file name/);
    writeFileSync(join(directory, '2030.3.yaml'), 'id: [unclosed');
    assert.throws(() => loadNormSet(directory, knownChecks), /2030\.3\.yaml: not valid YAML/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
