import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookalikeDomains } from './permutations.ts';

describe('lookalike domain permutations', () => {
  const all = lookalikeDomains('bakkerij.nl', 'nl', { max: 2000 });
  const names = new Set(all.map((candidate) => candidate.name));
  const techniqueOf = (name: string) => all.find((candidate) => candidate.name === name)?.technique;

  it('makes the classic typos', () => {
    assert.equal(techniqueOf('bakerij.nl'), 'omission');
    assert.equal(techniqueOf('bakkkerij.nl'), 'repetition');
    assert.equal(techniqueOf('bakkreij.nl'), 'transposition');
    assert.equal(techniqueOf('bakker-ij.nl'), 'hyphenation');
    assert.equal(techniqueOf('bakkerij.com'), 'tld');
    assert.equal(techniqueOf('bakkerij.shop'), 'tld');
    assert.equal(techniqueOf('bakkeruj.nl'), 'replacement');
    assert.equal(techniqueOf('bakker1j.nl'), 'homoglyph');
  });

  it('makes IDN homoglyphs in punycode, with their Unicode form', () => {
    const cyrillic = all.find((candidate) => candidate.unicode === 'bаkkerij.nl');
    assert.ok(cyrillic, 'Cyrillic а for Latin a');
    assert.match(cyrillic.name, /^xn--[a-z0-9-]+\.nl$/);
    assert.equal(cyrillic.technique, 'idn-homoglyph');
    assert.ok(all.some((candidate) => candidate.unicode === 'bakkërij.nl'));
  });

  it('flips single bits into valid characters', () => {
    assert.equal(techniqueOf('cakkerij.nl'), 'bitsquatting'); // b (0x62) ^ 0x01 = c
  });

  it('never returns the domain itself, duplicates or invalid names', () => {
    assert.ok(!names.has('bakkerij.nl'));
    assert.equal(names.size, all.length);
    for (const candidate of all) {
      assert.ok(candidate.name.length <= 253);
      for (const label of candidate.name.split('.')) assert.match(label, /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, candidate.name);
    }
    assert.ok(!names.has('-bakkerij.nl') && ![...names].some((name) => name.startsWith('-') || name.includes('-.')));
  });

  it('caps the count and still keeps every technique', () => {
    const capped = lookalikeDomains('bakkerij.nl', 'nl', { max: 45 });
    assert.equal(capped.length, 45);
    assert.deepEqual(new Set(capped.map((candidate) => candidate.technique)).size, 9);
    assert.equal(lookalikeDomains('installatiebedrijf-jansen.nl', 'nl').length, 120, 'default cap');
  });

  it('permutes the label under a two-level suffix and refuses what it cannot split', () => {
    const uk = lookalikeDomains('shop.co.uk', 'co.uk', { max: 2000 });
    assert.ok(uk.some((candidate) => candidate.name === 'sho.co.uk'));
    assert.ok(uk.some((candidate) => candidate.name === 'shop.nl'));
    assert.deepEqual(lookalikeDomains('www.bakkerij.nl', 'nl'), []);
  });
});
