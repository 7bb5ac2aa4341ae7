// The certificate document and its offline verification, through the real `cybermonitor` bin:
// a good certificate is valid; one changed byte, a changed date or a foreign key is rejected;
// an old key after rotation still verifies; the PDF says what it should (pdftotext).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runVerify } from '../../src/cli/commands/certificate.ts';
import { issueDocument, type IssuedDocument } from '../../src/certificates/document.ts';
import { generateSigningKey, keySettings, loadSigningKey, publicJwk, rotateSigningKey, type SigningKey } from '../../src/certificates/keys.ts';
import { embedInPdf, extractFromPdf, signStatement, type CertificateStatement } from '../../src/certificates/statement.ts';
import { programmeNorms } from '../../src/norm/load.ts';

const bin = join(import.meta.dirname, '../../bin/cybermonitor.js');
const directory = mkdtempSync(join(tmpdir(), 'cm-verify-'));
after(() => rmSync(directory, { recursive: true, force: true }));
// In-process runs read the key directory from the environment: point it at an empty one.
process.env.CYBERKEURMERK_KEY_DIR = join(directory, 'no-keys-here');

const norm = programmeNorms().latest();
const texts = { areaTitles: Object.fromEntries(norm.areas.map((a) => [a.id, a.title])), normTitle: norm.title, streakMonths: 6 };
const ours = generateSigningKey();
const retired = generateSigningKey();
const foreign = generateSigningKey();

const statementFor = (key: SigningKey, overrides: Partial<CertificateStatement> = {}): Omit<CertificateStatement, 'document'> => ({
  type: 'cyberkeurmerk-certificate',
  format: 1,
  id: '0f4c3a52-8d7e-4b1a-9c2d-3e4f5a6b7c8d',
  company: { name: 'Bakkerij Jansen & Zn.', kvkNumber: '12345678' },
  programme: { name: 'Cyberveilig Achterhoek', region: 'Achterhoek' },
  norm: { id: norm.id, version: norm.version },
  level: 'basis',
  scope: { measuredAreas: ['website', 'mail-dns'], notMeasuredAreas: ['network', 'computers', 'people', 'processes'] },
  validFrom: '2027-07-01',
  validUntil: '2099-06-30',
  issuedAt: '2027-07-01T00:30:00.000Z',
  verifyUrl: 'https://cybermonitor.example/verify/0f4c3a52-8d7e-4b1a-9c2d-3e4f5a6b7c8d',
  keyId: key.keyId,
  ...overrides,
});

function cybermonitor(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, 'certificate', 'verify', ...args], {
    env: { ...process.env, LANG: 'en_GB.UTF-8', DATA_DIR: join(directory, 'no-such-data-dir'), CYBERKEURMERK_KEY_DIR: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same command in this process (runVerify is what the bin runs), for the cases beyond the bin's own. */
function verifyHere(file: string, options: { key?: string; json?: boolean; date?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (append(String(chunk)), done()) });
  const code = runVerify({ file, json: options.json === true, lang: 'en', ...options }, sink((t) => (stdout += t)), sink((t) => (stderr += t)));
  return { code, stdout, stderr };
}

const write = (name: string, bytes: Buffer | string) => {
  const path = join(directory, name);
  writeFileSync(path, bytes);
  return path;
};

let good: IssuedDocument;
let goodPdf: string;
let keys: string;
before(async () => {
  good = await issueDocument(statementFor(ours), texts, ours);
  goodPdf = write('good.pdf', good.pdf);
  keys = write('keys.json', JSON.stringify({ keys: [{ kid: retired.keyId, ...publicJwk(retired.publicKey) }, { kid: ours.keyId, ...publicJwk(ours.publicKey) }] }));
});

test('a certificate as issued is valid, as PDF and as the signed statement beside it', () => {
  const pdf = cybermonitor(goodPdf, '--key', keys);
  assert.equal(pdf.code, 0, pdf.stderr);
  assert.match(pdf.stdout, /^VALID: Cyberkeurmerk 0f4c3a52-8d7e-4b1a-9c2d-3e4f5a6b7c8d of Bakkerij Jansen & Zn\., valid from 2027-07-01 until 2099-06-30/);
  const statement = verifyHere(write('good.json', JSON.stringify(good.signed)), { key: keys, json: true });
  assert.equal(statement.code, 0, statement.stderr);
  assert.equal(JSON.parse(statement.stdout).outcome, 'valid');
  assert.equal(JSON.parse(statement.stdout).kind, 'statement');
  const pem = verifyHere(goodPdf, { key: write('ours.pem', ours.publicKey.export({ format: 'pem', type: 'spki' }) as string) });
  assert.equal(pem.code, 0, pem.stderr);
});

test('one changed byte anywhere in the PDF is tampering', () => {
  for (const offset of [Math.floor(good.pdf.length / 2), good.pdf.length - 40]) {
    const changed = Buffer.from(good.pdf);
    changed[offset] = changed[offset]! ^ 0x01;
    const path = write(`byte-${offset}.pdf`, changed);
    const result = offset === good.pdf.length - 40 ? verifyHere(path, { key: keys, json: true }) : cybermonitor(path, '--key', keys, '--json');
    assert.equal(result.code, 1, `offset ${offset}: ${result.stdout}`);
    assert.equal(JSON.parse(result.stdout).outcome, 'tampered');
  }
});

test('a changed date is tampering, in the PDF and in the statement', () => {
  const extracted = extractFromPdf(good.pdf);
  assert.ok(extracted);
  const forged = JSON.parse(extracted.embedded);
  forged.statement.validUntil = '2199-06-30';
  const pdf = cybermonitor(write('date.pdf', embedInPdf(extracted.document, forged)), '--key', keys);
  assert.equal(pdf.code, 1);
  assert.match(pdf.stdout, /^TAMPERED OR INVALID: .*bad_signature/);
  const json = verifyHere(write('date.json', JSON.stringify(forged)), { key: keys });
  assert.equal(json.code, 1);
});

test('a certificate signed with a foreign key is rejected: unknown key, or tampered when it claims ours', async () => {
  const other = await issueDocument(statementFor(foreign), texts, foreign);
  const unknown = cybermonitor(write('foreign.pdf', other.pdf), '--key', keys);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stdout, new RegExp(`^UNKNOWN KEY: signed with ${foreign.keyId}`));
  // Signed by the foreign key but naming ours.
  const impostor = signStatement({ ...(other.signed.statement as CertificateStatement), keyId: foreign.keyId }, foreign);
  impostor.signature.keyId = ours.keyId;
  impostor.statement.keyId = ours.keyId;
  const claimed = verifyHere(write('impostor.json', JSON.stringify(impostor)), { key: keys, json: true });
  assert.equal(claimed.code, 1);
  assert.equal(JSON.parse(claimed.stdout).reason, 'bad_signature');
  // A key document whose kid does not belong to its key is refused as unusable.
  const lying = write('lying.json', JSON.stringify({ keys: [{ kid: ours.keyId, ...publicJwk(foreign.publicKey) }] }));
  assert.equal(verifyHere(goodPdf, { key: lying }).code, 2);
});

test('an ended certificate with a good signature is expired; an old key after rotation still verifies', async () => {
  const ended = await issueDocument(statementFor(retired, { validFrom: '2025-07-01', validUntil: '2026-06-30' }), texts, retired);
  const result = cybermonitor(write('ended.pdf', ended.pdf), '--key', keys);
  assert.equal(result.code, 4);
  assert.match(result.stdout, /^EXPIRED: .*until 2026-06-30/);
  const thenValid = verifyHere(write('ended.pdf', ended.pdf), { key: keys, date: '2026-01-15' });
  assert.equal(thenValid.code, 0, thenValid.stdout);
});

test('no file, no keys or bad arguments are usage errors (exit 2); without keys nothing is valid', () => {
  assert.equal(cybermonitor(join(directory, 'missing.pdf'), '--key', keys).code, 2);
  assert.equal(cybermonitor(goodPdf, '--date', 'yesterday').code, 2);
  const noKeys = verifyHere(goodPdf);
  assert.equal(noKeys.code, 3);
  assert.match(noKeys.stderr, /No public keys/);
  assert.equal(verifyHere(write('plain.pdf', readFileSync(goodPdf).subarray(0, 400)), { key: keys }).code, 1);
});

test('the PDF reads, in Dutch and English, who, what, how long and where to verify', () => {
  const text = spawnSync('pdftotext', ['-layout', goodPdf, '-'], { encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  for (const expected of [
    'Cyberkeurmerk',
    'Bakkerij Jansen & Zn.',
    'KvK-nummer 12345678',
    'Hierbij wordt verklaard dat',
    'This is to certify that',
    '6 maanden achter elkaar voldeed aan de norm',
    'for 6 consecutive months',
    '2027-07-01',
    '2099-06-30',
    'Cyberveilig Achterhoek',
    'Website, E-mail en DNS',
    'Website, E-mail and DNS',
    'https://cybermonitor.example/verify/0f4c3a52-8d7e-4b1a-9c2d-3e4f5a6b7c8d',
    ours.keyId,
  ]) {
    assert.ok(text.stdout.includes(expected), `missing: ${expected}\n${text.stdout}`);
  }
});

test('rotate-key through the bin: a new active key, and a certificate of the old key still verifies from the key directory', async () => {
  const dataDir = join(directory, 'data');
  const first = rotateSigningKey(keySettings(dataDir, {}));
  const issued = await issueDocument(statementFor(first), texts, first);
  const pdf = write('old-key.pdf', issued.pdf);
  const env = { ...process.env, LANG: 'en_GB.UTF-8', DATA_DIR: dataDir, DATABASE_URL: '', CYBERKEURMERK_KEY_DIR: '', LOG_LEVEL: 'warn' };
  const rotated = spawnSync(process.execPath, [bin, 'certificate', 'rotate-key', '--json'], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(rotated.status, 0, rotated.stderr);
  const { keyId } = JSON.parse(rotated.stdout);
  assert.notEqual(keyId, first.keyId);
  assert.equal(loadSigningKey(keySettings(dataDir, {}))?.keyId, keyId);
  const verified = spawnSync(process.execPath, [bin, 'certificate', 'verify', pdf], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
});
