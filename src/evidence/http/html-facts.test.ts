import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlFacts, maxScripts } from './html-facts.ts';

describe('htmlFacts', () => {
  it('lists scripts in document order with src as written and as the DOM reflects it', () => {
    const facts = htmlFacts(
      '<html><head><script src="/app.js"></script><script src="https://CDN.example.com/a.js" integrity="sha384-x" crossorigin></script></head><body><script>inline()</script><script src="//cdn.example.org/b.js"></script></body></html>',
    );
    assert.equal(facts.scriptCount, 4);
    assert.deepEqual(
      facts.scripts.map((script) => [script.src, script.resolvedSrc, script.integrity, script.crossorigin]),
      [
        ['/app.js', '/app.js', null, null],
        ['https://CDN.example.com/a.js', 'https://cdn.example.com/a.js', 'sha384-x', ''],
        [null, '', null, null],
        ['//cdn.example.org/b.js', '//cdn.example.org/b.js', null, null],
      ],
    );
  });

  it('resolves script addresses against <base href>', () => {
    const facts = htmlFacts('<base href="https://static.example.net/js/"><script src="app.js"></script><script src="//x.example/y.js"></script>');
    assert.deepEqual(facts.scripts.map((script) => script.resolvedSrc), ['https://static.example.net/js/app.js', 'https://x.example/y.js']);
    assert.equal(facts.baseHref, 'https://static.example.net/js/');
  });

  it('parses as a browser with scripting on: no scripts from <noscript> or <template>, SVG scripts counted without src', () => {
    const facts = htmlFacts('<noscript><script src="/a.js"></script></noscript><template><script src="/b.js"></script></template><svg><script href="/c.js"></script></svg>');
    assert.equal(facts.scriptCount, 1);
    assert.deepEqual(facts.scripts, [{ src: null, resolvedSrc: '', integrity: null, crossorigin: null }]);
  });

  it('collects <meta> elements with http-equiv or name', () => {
    const facts = htmlFacts(
      `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width"><meta http-equiv="refresh">`,
    );
    assert.deepEqual(facts.metas, [
      { httpEquiv: 'Content-Security-Policy', name: null, content: "default-src 'none'" },
      { httpEquiv: null, name: 'referrer', content: 'no-referrer' },
      { httpEquiv: null, name: 'viewport', content: 'width=device-width' },
      { httpEquiv: 'refresh', name: null, content: null },
    ]);
  });

  it('stays bounded on hostile pages', () => {
    const many = htmlFacts('<script src="/x.js"></script>'.repeat(maxScripts + 100));
    assert.equal(many.scripts.length, maxScripts);
    assert.equal(many.scriptCount, maxScripts + 100);
    const long = htmlFacts(`<script src="/${'a'.repeat(10_000)}"></script>`);
    assert.equal(long.scripts[0]?.src?.length, 2048);
    const started = Date.now();
    const deep = htmlFacts(`${'<div>'.repeat(200)}<script src="/deep.js"></script>${'<div>'.repeat(200_000)}`);
    assert.equal(deep.scriptCount, 1);
    assert.equal(deep.cut, 'nesting');
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    // A tag cut off by the end of the page is dropped, as browsers do.
    const garbage = htmlFacts('\u0000\uFFFD<<<>>><script src=<');
    assert.equal(garbage.scriptCount, 0);
  });
});

describe('parseableHtml', () => {
  it('leaves real pages whole', async () => {
    const { parseableHtml } = await import('./html-facts.ts');
    const page = `<!doctype html><html><head><script>if (a < b) document.write("<div><div><div>")</script></head><body>${'<div><p>x<ul><li>a<li>b</ul></div>'.repeat(2000)}</body></html>`;
    assert.deepEqual(parseableHtml(page), { html: page, cut: null });
  });

  it('cuts hostile nesting and oversized pages, in linear time', async () => {
    const { parseableHtml, maxNesting, maxParsedBytes } = await import('./html-facts.ts');
    const started = Date.now();
    const deep = parseableHtml(`${'<span>'.repeat(100_000)}${'<div>'.repeat(100_000)}`);
    assert.equal(deep.cut, 'nesting');
    assert.equal(deep.html, '<span>'.repeat(maxNesting));
    const huge = parseableHtml('x'.repeat(maxParsedBytes + 10));
    assert.equal(huge.cut, 'size');
    assert.equal(huge.html.length, maxParsedBytes);
    parseableHtml('<a '.repeat(300_000));
    parseableHtml('<script>'.repeat(100_000));
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    const facts = htmlFacts(`${'<span>'.repeat(100_000)}<script src="/late.js"></script>`);
    assert.equal(facts.cut, 'nesting');
  });
});
