import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html, trustedHtml } from './html.ts';

test('interpolated values are escaped, nested fragments are not', () => {
  const name = `<script>alert("x")</script>&'`;
  const page = html`<p title="${name}">${name}</p>${html`<b>${'ok'}</b>`}`;
  assert.equal(
    page.value,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p><b>ok</b>',
  );
});

test('lists, numbers and empty values render predictably', () => {
  assert.equal(html`${[1, 2].map((n) => html`<i>${n}</i>`)}${null}${undefined}${false}`.value, '<i>1</i><i>2</i>');
  assert.equal(html`${trustedHtml('<svg></svg>')}`.value, '<svg></svg>');
});
