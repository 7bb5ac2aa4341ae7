// The facts about a home page's HTML that header grading needs: its script elements (for
// Subresource Integrity) and its <meta> policies (CSP and referrer). Parsed with parse5, the
// WHATWG parser browsers follow (and jsdom uses, so the MDN Observatory sees the same tree),
// with scripting enabled as in a browser: <noscript> content is text, not elements.
// No I/O: bounded input in, bounded facts out.
import { type DefaultTreeAdapterTypes, parse } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

export const maxScripts = 500;
export const maxMetas = 100;
const maxValueLength = 2048;

export interface ScriptFact {
  /** The src attribute as written, or null when absent. */
  src: string | null;
  /** What the DOM's `script.src` gives: resolved against <base>, else the attribute itself. */
  resolvedSrc: string;
  integrity: string | null;
  crossorigin: string | null;
}

export interface MetaFact {
  httpEquiv: string | null;
  name: string | null;
  content: string | null;
}

export interface HtmlFacts {
  /** All <script> elements (inline ones too), in document order, at most `maxScripts`. */
  scripts: ScriptFact[];
  /** How many <script> elements there are in all. */
  scriptCount: number;
  /** <meta> elements with an http-equiv or name attribute, in document order. */
  metas: MetaFact[];
  /** The href of the first <base> element, if any. */
  baseHref: string | null;
  /** The page was only partly read: too large, or nested deeper than any real page. */
  cut?: 'size' | 'nesting';
}

const htmlNamespace = 'http://www.w3.org/1999/xhtml';
const clip = (value: string | null): string | null => (value === null ? null : value.slice(0, maxValueLength));

function attribute(element: Element, name: string): string | null {
  return element.attrs.find((attr) => attr.name === name && !attr.namespace)?.value ?? null;
}

/** Elements in tree order, not descending into <template> contents (as querySelectorAll). */
function* elementsOf(root: ParentNode): Generator<Element> {
  const stack: DefaultTreeAdapterTypes.ChildNode[] = [...root.childNodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as DefaultTreeAdapterTypes.ChildNode;
    if (!('tagName' in node)) continue;
    yield node;
    for (let index = node.childNodes.length - 1; index >= 0; index -= 1) stack.push(node.childNodes[index] as DefaultTreeAdapterTypes.ChildNode);
  }
}

/** The URL a DOM reflects for a URL attribute: parsed against the base, else the raw value. */
function reflectUrl(value: string, base: string): string {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}

// The HTML tree builder checks "is this element in scope?" by walking the stack of open
// elements, so a page nesting tens of thousands of elements costs quadratic time (a hostile
// page of 2 MB would take hours). Real pages nest a few dozen deep; parse at most 1 MB, and cut
// where the estimated nesting passes 256.
export const maxParsedBytes = 1024 * 1024;
export const maxNesting = 256;
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'basefont', 'bgsound', 'frame', 'image', 'menuitem']);
// Closed implicitly by the parser, so they never pile up.
const impliedEnd = new Set(['html', 'head', 'body', 'p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'colgroup', 'caption', 'rb', 'rt', 'rp', 'rtc']);
const rawText = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);

/** The part of `html` that is safe to build a tree from, and why it was cut (if it was). */
export function parseableHtml(html: string): { html: string; cut: 'size' | 'nesting' | null } {
  let text = html;
  let cut: 'size' | 'nesting' | null = null;
  if (text.length > maxParsedBytes) {
    text = text.slice(0, maxParsedBytes);
    cut = 'size';
  }
  // [^<>] rather than [^>]: a '<' without its '>' must not make every later tag rescan the rest.
  const tags = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][^\s/<>]*)[^<>]*?(\/?)>/g;
  let depth = 0;
  for (let match = tags.exec(text); match !== null; match = tags.exec(text)) {
    const name = match[2]?.toLowerCase();
    if (name === undefined || voidElements.has(name) || impliedEnd.has(name)) continue;
    if (match[1] === '/') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (rawText.has(name)) {
      // Raw text runs to the matching end tag; tags inside it are not elements.
      const endTag = new RegExp(`</${name}`, 'gi');
      endTag.lastIndex = tags.lastIndex;
      const end = endTag.exec(text);
      if (!end) break;
      tags.lastIndex = end.index;
      continue;
    }
    if (match[3] === '/') continue;
    depth += 1;
    if (depth > maxNesting) return { html: text.slice(0, match.index), cut: 'nesting' };
  }
  return { html: text, cut };
}

export function htmlFacts(html: string): HtmlFacts {
  const parseable = parseableHtml(html);
  const document = parse(parseable.html);
  const scripts: ScriptFact[] = [];
  const metas: MetaFact[] = [];
  let scriptCount = 0;
  let baseHref: string | null = null;
  const scriptElements: Element[] = [];

  for (const element of elementsOf(document)) {
    const isHtml = element.namespaceURI === htmlNamespace;
    if (element.tagName === 'script') {
      scriptCount += 1;
      if (scriptElements.length < maxScripts) scriptElements.push(element);
    } else if (isHtml && element.tagName === 'base' && baseHref === null) {
      baseHref = attribute(element, 'href');
    } else if (isHtml && element.tagName === 'meta' && metas.length < maxMetas) {
      const httpEquiv = attribute(element, 'http-equiv');
      const name = attribute(element, 'name');
      if (httpEquiv !== null || name !== null) metas.push({ httpEquiv: clip(httpEquiv), name: clip(name), content: clip(attribute(element, 'content')) });
    }
  }

  // The document's base URL: the first <base href> that parses, against about:blank.
  let base = 'about:blank';
  if (baseHref !== null) {
    try {
      base = new URL(baseHref, base).href;
    } catch {
      // an unparseable <base href> leaves the fallback base URL
    }
  }
  for (const element of scriptElements) {
    const src = element.namespaceURI === htmlNamespace ? attribute(element, 'src') : null;
    scripts.push({
      src: clip(src),
      resolvedSrc: src === null ? '' : (reflectUrl(src, base).slice(0, maxValueLength)),
      integrity: clip(attribute(element, 'integrity')),
      crossorigin: clip(attribute(element, 'crossorigin')),
    });
  }
  return { scripts, scriptCount, metas, baseHref: clip(baseHref), ...(parseable.cut ? { cut: parseable.cut } : {}) };
}
