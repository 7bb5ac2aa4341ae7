// What a home page's HTML says about the software behind it and the resources it loads:
// generator meta tags, every sub-resource reference (resolved to an absolute URL) and a few
// CMS fingerprints in the markup. Pure (no I/O): the gatherer feeds it the bounded body, and
// only these facts — never the page itself — go into the stored evidence.
import { Parser } from 'htmlparser2';
import { z } from 'zod';

export const maxResources = 400;
const maxUrlLength = 512;
const maxGenerators = 10;
const maxInlineScript = 256 * 1024;

/** Fingerprints in the markup, each named by a stable id the CMS detection reads. */
export const pageMarkers = [
  'wordpress-api-link', // <link rel="https://api.w.org/">
  'wordpress-emoji-settings', // inline _wpemojiSettings
  'joomla-script-options', // <script class="joomla-script-options">
  'drupal-settings-json', // <script data-drupal-selector="drupal-settings-json">
  'drupal-settings-js', // Drupal 7: jQuery.extend(Drupal.settings, …)
  'drupal-data-attribute', // data-drupal-* attributes
  'magento-init', // <script type="text/x-magento-init">
  'magento-data-mage-init', // data-mage-init attributes
  'magento1-mage-cookies', // Magento 1: Mage.Cookies in inline script
] as const;
export type PageMarker = (typeof pageMarkers)[number];

const text = (max: number) => z.string().max(max);

export const resourceReferenceSchema = z.object({
  tag: text(32),
  attribute: text(32),
  /** Absolute URL (resolved against the page and any <base href>), or the raw value when unresolvable. */
  url: text(maxUrlLength),
  rel: text(128).nullable(),
});
export type ResourceReference = z.infer<typeof resourceReferenceSchema>;

export const pageFactsSchema = z.object({
  metaGenerators: z.array(text(256)).max(maxGenerators),
  resources: z.array(resourceReferenceSchema).max(maxResources),
  /** More references were present than were kept. */
  resourcesTruncated: z.boolean(),
  markers: z.array(z.enum(pageMarkers)).max(pageMarkers.length),
});
export type PageFacts = z.infer<typeof pageFactsSchema>;

/** Attributes that load a sub-resource, per element. `srcset` holds a list of URLs. */
const resourceAttributes: Record<string, string[]> = {
  script: ['src'],
  link: ['href'],
  iframe: ['src'],
  frame: ['src'],
  img: ['src', 'srcset'],
  picture: [],
  source: ['src', 'srcset'],
  audio: ['src'],
  video: ['src', 'poster'],
  track: ['src'],
  embed: ['src'],
  object: ['data'],
  form: ['action'],
  input: ['src'],
  button: ['formaction'],
};

function resolve(raw: string, base: string | undefined): string {
  const value = raw.trim();
  try {
    return new URL(value, base).href.slice(0, maxUrlLength);
  } catch {
    return value.slice(0, maxUrlLength);
  }
}

function srcsetUrls(value: string): string[] {
  return value
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter((url) => url.length > 0);
}

/** Extract the facts from (possibly truncated or broken) HTML served at `pageUrl`. */
export function extractPageFacts(html: string, pageUrl: string): PageFacts {
  const generators: string[] = [];
  const references: Array<{ tag: string; attribute: string; raw: string; rel: string | null }> = [];
  const markers = new Set<PageMarker>();
  let base: string | undefined;
  let truncated = false;
  let inScript = false;
  let inlineScript = '';

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'base' && attributes.href !== undefined && base === undefined) base = resolve(attributes.href, pageUrl);
        if (name === 'meta' && attributes.name?.toLowerCase() === 'generator' && attributes.content && generators.length < maxGenerators) {
          generators.push(attributes.content.trim().slice(0, 256));
        }
        if (name === 'script') {
          inScript = attributes.src === undefined;
          const type = attributes.type?.toLowerCase();
          if (type === 'text/x-magento-init') markers.add('magento-init');
          if (attributes['data-drupal-selector'] === 'drupal-settings-json') markers.add('drupal-settings-json');
          if (attributes.class?.split(/\s+/).includes('joomla-script-options')) markers.add('joomla-script-options');
        }
        if (name === 'link' && attributes.rel?.trim() === 'https://api.w.org/') markers.add('wordpress-api-link');
        for (const attribute of Object.keys(attributes)) {
          if (attribute.startsWith('data-drupal-')) markers.add('drupal-data-attribute');
          if (attribute === 'data-mage-init') markers.add('magento-data-mage-init');
        }
        if (name === 'input' && attributes.type?.toLowerCase() !== 'image') return;
        for (const attribute of resourceAttributes[name] ?? []) {
          const value = attributes[attribute];
          if (value === undefined || value.trim() === '') continue;
          const rel = name === 'link' ? (attributes.rel ?? '').toLowerCase().trim().slice(0, 128) : null;
          const raws = attribute === 'srcset' ? srcsetUrls(value) : [value];
          for (const raw of raws) {
            if (references.length >= maxResources) {
              truncated = true;
              return;
            }
            references.push({ tag: name, attribute, raw, rel });
          }
        }
      },
      ontext(data) {
        if (inScript && inlineScript.length < maxInlineScript) inlineScript += data.slice(0, maxInlineScript - inlineScript.length);
      },
      onclosetag(name) {
        if (name === 'script') inScript = false;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();

  if (inlineScript.includes('_wpemojiSettings')) markers.add('wordpress-emoji-settings');
  if (/Drupal\.settings\b/.test(inlineScript)) markers.add('drupal-settings-js');
  if (inlineScript.includes('Mage.Cookies')) markers.add('magento1-mage-cookies');

  // References are resolved once the whole head is read: <base href> may come after some of them
  // in broken pages, but browsers use the first <base> for every URL of the document.
  const pageBase = base ?? pageUrl;
  return {
    metaGenerators: generators,
    resources: references.map((reference) => ({
      tag: reference.tag,
      attribute: reference.attribute,
      url: resolve(reference.raw, pageBase),
      rel: reference.rel,
    })),
    resourcesTruncated: truncated,
    markers: pageMarkers.filter((marker) => markers.has(marker)),
  };
}
