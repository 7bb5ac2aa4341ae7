import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from 'otplib';
import { hashPassword, passwordSchema, verifyDummyPassword, verifyPassword } from '../../src/auth/passwords.ts';
import { newTotpSecret, totpQrSvg, totpUri, verifyTotp } from '../../src/auth/totp.ts';

describe('passwords', () => {
  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const hash = await hashPassword('een lang genoeg wachtwoord');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    assert.equal(await verifyPassword(hash, 'een lang genoeg wachtwoord'), true);
    assert.equal(await verifyPassword(hash, 'een lang genoeg wachtwoorD'), false);
    assert.notEqual(await hashPassword('een lang genoeg wachtwoord'), hash, 'salted');
  });

  it('treats an unparseable hash as a wrong password', async () => {
    assert.equal(await verifyPassword('not-a-hash', 'whatever'), false);
    assert.equal(await verifyDummyPassword('whatever'), false);
  });

  it('takes about as long for the dummy check as for a real one', async () => {
    const hash = await hashPassword('een lang genoeg wachtwoord');
    await verifyDummyPassword('warm-up');
    const time = async (work: () => Promise<unknown>) => {
      const start = performance.now();
      for (let i = 0; i < 3; i += 1) await work();
      return performance.now() - start;
    };
    const real = await time(() => verifyPassword(hash, 'wrong password here'));
    const dummy = await time(() => verifyDummyPassword('wrong password here'));
    assert.ok(dummy > real / 3 && dummy < real * 3, `real ${real} ms, dummy ${dummy} ms`);
  });

  it('requires 12 to 256 characters, with message keys', () => {
    const short = passwordSchema.safeParse('elf tekens!');
    assert.equal(short.success, false);
    assert.equal(short.error?.issues[0]?.message, 'validation.password_too_short');
    const long = passwordSchema.safeParse('x'.repeat(257));
    assert.equal(long.error?.issues[0]?.message, 'validation.password_too_long');
    assert.equal(passwordSchema.safeParse('twaalf tekens').success, true);
    assert.equal(passwordSchema.safeParse('x'.repeat(256)).success, true);
  });
});

describe('totp', () => {
  const secret = newTotpSecret();
  const now = Date.now();
  const codeAt = (ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

  it('makes a 160-bit base32 secret and an otpauth URI with the issuer', async () => {
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = totpUri('jan@example.nl', secret);
    assert.equal(uri, `otpauth://totp/Cybermonitor:jan%40example.nl?secret=${secret}&issuer=Cybermonitor`);
    const svg = await totpQrSvg(uri);
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('accepts the current code and one step either side, and returns the step', async () => {
    const step = Math.floor(now / 30_000);
    assert.equal(await verifyTotp(secret, await codeAt(now), null, now), step);
    assert.equal(await verifyTotp(secret, await codeAt(now - 30_000), null, now), step - 1);
    assert.equal(await verifyTotp(secret, await codeAt(now + 30_000), null, now), step + 1);
    const spaced = (await codeAt(now)).replace(/^(\d{3})/, '$1 ');
    assert.equal(await verifyTotp(secret, spaced, null, now), step);
  });

  it('refuses codes two steps away, wrong codes and junk', async () => {
    assert.equal(await verifyTotp(secret, await codeAt(now - 60_000), null, now), null);
    assert.equal(await verifyTotp(secret, await codeAt(now + 60_000), null, now), null);
    const right = await codeAt(now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    assert.equal(await verifyTotp(secret, wrong, null, now), null);
    for (const junk of ['', 'abcdef', '12345', '1234567', '١٢٣٤٥٦']) assert.equal(await verifyTotp(secret, junk, null, now), null);
    assert.equal(await verifyTotp('not base32!', right, null, now), null);
  });

  it('refuses a code from a step at or before the last one used', async () => {
    const step = Math.floor(now / 30_000);
    const code = await codeAt(now);
    assert.equal(await verifyTotp(secret, code, step, now), null, 'the same code twice');
    assert.equal(await verifyTotp(secret, await codeAt(now - 30_000), step, now), null, 'an older code');
    assert.equal(await verifyTotp(secret, await codeAt(now + 30_000), step, now), step + 1, 'the next code');
    assert.equal(await verifyTotp(secret, code, step + 5, now), null, 'last step in the future (clock went back)');
  });
});
