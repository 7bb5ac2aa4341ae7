// The Public Suffix List's own tests (test/mail/testdata/psl-test_psl.txt and psl-tests.txt,
// public domain, copied from publicsuffix.org) against the shipped list, and the organisational
// domain of RFC 7489 §3.2 that DMARC discovery uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { organisationalDomain, parsePublicSuffixList, publicSuffix, registrableDomain, shippedPublicSuffixList } from '../../src/psl/public-suffix-list.ts';

const read = (file: string) => readFileSync(new URL(`./testdata/${file}`, import.meta.url), 'utf8');
const orNull = (value: string): string | null => (value === 'null' ? null : value);

/** `checkPublicSuffix('a.b.example.com', 'example.com');` lines; `//` lines are comments. */
function checkPublicSuffixCases(text: string): Array<[string | null, string | null]> {
  return text
    .split('\n')
    .map((line) => /^checkPublicSuffix\((null|'[^']*'),\s*(null|'[^']*')\);/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [orNull((match[1] as string).replace(/'/g, '')), orNull((match[2] as string).replace(/'/g, ''))]);
}

/** `input expected` lines of tests.txt. */
function plainCases(text: string): Array<[string | null, string | null]> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .map((line) => {
      const [input, expected] = line.split(/\s+/) as [string, string];
      return [orNull(input), orNull(expected)];
    });
}

describe('Public Suffix List', () => {
  const list = shippedPublicSuffixList();

  for (const [file, parse] of [['psl-test_psl.txt', checkPublicSuffixCases], ['psl-tests.txt', plainCases]] as const) {
    it(`passes every case of the list's own ${file}`, (t) => {
      const cases = parse(read(file));
      assert.ok(cases.length >= 70, `only ${cases.length} cases parsed`);
      const failures = cases.filter(([input, expected]) => registrableDomain(input ?? '', list) !== expected);
      t.diagnostic(`Public Suffix List ${file}: ${cases.length - failures.length} of ${cases.length} cases pass`);
      assert.deepEqual(failures, []);
    });
  }

  it('gives public suffixes, honouring wildcards, exceptions and the private section', () => {
    assert.equal(publicSuffix('www.bakkerij-jansen.nl', list), 'nl');
    assert.equal(publicSuffix('a.b.example.co.uk', list), 'co.uk');
    assert.equal(publicSuffix('b.c.kobe.jp', list), 'c.kobe.jp');
    assert.equal(publicSuffix('www.city.kobe.jp', list), 'kobe.jp');
    assert.equal(publicSuffix('shop.blogspot.com', list), 'blogspot.com');
    assert.equal(publicSuffix('shop.blogspot.com', list, { includePrivate: false }), 'com');
  });

  it('finds the organisational domain of RFC 7489', () => {
    assert.equal(organisationalDomain('mail.Bakkerij-Jansen.NL.'), 'bakkerij-jansen.nl');
    assert.equal(organisationalDomain('bakkerij-jansen.nl'), 'bakkerij-jansen.nl');
    assert.equal(organisationalDomain('a.b.example.co.uk'), 'example.co.uk');
    assert.equal(organisationalDomain('valid.example.test'), 'example.test');
    // A public suffix is its own organisational domain.
    assert.equal(organisationalDomain('co.uk'), 'co.uk');
  });

  it('parses a list of its own, rules being the first word of a line', () => {
    const own = parsePublicSuffixList('// c\nexample\n*.wild.example trailing words\n!keep.wild.example\n');
    assert.equal(registrableDomain('a.b.example', own), 'b.example');
    assert.equal(registrableDomain('x.y.wild.example', own), 'x.y.wild.example');
    assert.equal(registrableDomain('y.wild.example', own), null);
    assert.equal(registrableDomain('a.keep.wild.example', own), 'keep.wild.example');
  });
});
