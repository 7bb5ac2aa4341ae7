// Which CMS runs a site, and which version, from what its home page gives away: generator meta
// tags, X-Generator / X-Drupal-* / Magento headers, cookie names, asset paths (and their
// ?ver= / ?v= cache busters), markup fingerprints, and — when they were fetched — version files.
// Pure: reads stored evidence only.
import type { HomePageEvidence, VersionFile } from '../../evidence/web-leaks/home-page-evidence.ts';
import { headerValuesOf } from '../../evidence/web-leaks/home-page-evidence.ts';
import type { PageMarker } from '../../evidence/web-leaks/page-facts.ts';

export const cmsNames = ['wordpress', 'joomla', 'drupal', 'magento'] as const;
export type CmsName = (typeof cmsNames)[number];

export const cmsLabels: Record<CmsName, string> = {
  wordpress: 'WordPress',
  joomla: 'Joomla!',
  drupal: 'Drupal',
  magento: 'Magento',
};

/** The file a CMS announces its exact version in, asked for only when active probes are allowed. */
export const cmsVersionFiles: Record<CmsName, string[]> = {
  wordpress: ['/feed/'],
  joomla: ['/administrator/manifests/files/joomla.xml'],
  drupal: ['/CHANGELOG.txt', '/core/CHANGELOG.txt'],
  magento: ['/magento_version'],
};

export type VersionSource = 'generator' | 'header' | 'asset' | 'version_file' | 'platform';

export interface CmsDetection {
  cms: CmsName;
  /** As announced (`5.8`, `4.2.8`, `10.1.5`); a bare major (`9`, Magento `1`) when only that shows. */
  version: string | null;
  versionSource: VersionSource | null;
  /** What gave it away, e.g. `generator: WordPress 5.8`, `asset: /wp-content/`. */
  signals: string[];
}

interface Clues {
  generators: string[];
  headers: (name: string) => string[];
  cookies: string[];
  paths: Array<{ path: string; query: string }>;
  markers: Set<PageMarker>;
  versionFiles: VersionFile[];
}

const versionPattern = /\d{1,4}(?:\.\d{1,4}){0,3}/;

// Assets on a CDN still reveal the CMS, so any origin counts; the path is what matters.
function pathsOf(evidence: HomePageEvidence): Clues['paths'] {
  const paths: Clues['paths'] = [];
  for (const resource of evidence.page?.resources ?? []) {
    try {
      const url = new URL(resource.url);
      paths.push({ path: url.pathname, query: url.search });
    } catch {
      // An unresolvable reference says nothing about the CMS.
    }
  }
  return paths;
}

/** The most frequent value, first seen wins a tie. */
function mostFrequent(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

const queryParameter = (query: string, name: string): string | undefined => {
  const value = new URLSearchParams(query).get(name);
  return value !== null && /^\d{1,4}(?:\.\d{1,4}){1,3}$/.test(value) ? value : undefined;
};

const okFile = (clues: Clues, path: string): VersionFile | undefined =>
  clues.versionFiles.find((file) => file.path === path && file.status !== null && file.status >= 200 && file.status < 300);

interface Found {
  signals: string[];
  version: string | null;
  versionSource: VersionSource | null;
}

function detectWordPress(clues: Clues): Found {
  const signals: string[] = [];
  let version: string | null = null;
  let versionSource: VersionSource | null = null;
  for (const generator of clues.generators) {
    const match = /^WordPress(?:\s+(\d[\d.]*))?/i.exec(generator);
    if (!match) continue;
    signals.push(`generator: ${generator}`);
    if (match[1] && version === null) {
      version = (versionPattern.exec(match[1]) as RegExpExecArray)[0];
      versionSource = 'generator';
    }
  }
  const assets = clues.paths.filter(({ path }) => /\/wp-(content|includes)\//.test(path));
  if (assets.length > 0) signals.push(`asset: ${assets.some(({ path }) => path.includes('/wp-includes/')) ? '/wp-includes/' : '/wp-content/'}`);
  if (clues.markers.has('wordpress-api-link') || clues.headers('link').some((link) => link.includes('https://api.w.org/'))) signals.push('link: https://api.w.org/');
  if (clues.markers.has('wordpress-emoji-settings')) signals.push('script: _wpemojiSettings');
  if (clues.headers('x-pingback').some((value) => value.includes('xmlrpc.php'))) signals.push('header: X-Pingback');
  if (clues.cookies.some((name) => /^(wordpress_|wp-settings-)/.test(name))) signals.push('cookie: wordpress_*');
  if (version === null) {
    // Core assets carry the core version as cache buster; plugin and theme assets carry their own.
    const core = mostFrequent(
      assets.filter(({ path }) => path.includes('/wp-includes/')).flatMap(({ query }) => queryParameter(query, 'ver') ?? []),
    );
    if (core) {
      version = core;
      versionSource = 'asset';
    }
  }
  const feed = okFile(clues, '/feed/');
  const feedVersion = feed ? /wordpress\.org\/\?v=(\d{1,4}(?:\.\d{1,4}){1,3})/.exec(feed.excerpt)?.[1] : undefined;
  if (feedVersion) {
    signals.push(`version file: /feed/`);
    if (version === null || versionSource === 'asset') {
      version = feedVersion;
      versionSource = 'version_file';
    }
  }
  return { signals, version, versionSource };
}

function detectJoomla(clues: Clues): Found {
  const signals: string[] = [];
  let version: string | null = null;
  let versionSource: VersionSource | null = null;
  for (const generator of clues.generators) {
    if (!/Joomla!?/i.test(generator)) continue;
    signals.push(`generator: ${generator}`);
    const match = /Joomla!?\s+(\d{1,2}\.\d{1,2}(?:\.\d{1,3})?)/i.exec(generator);
    if (match?.[1] && version === null) {
      version = match[1];
      versionSource = 'generator';
    }
  }
  if (clues.paths.some(({ path }) => /^\/(media\/(system|jui|vendor\/joomla)|components\/com_)/.test(path))) signals.push('asset: /media/system/');
  if (clues.markers.has('joomla-script-options')) signals.push('script: joomla-script-options');
  if (clues.headers('x-content-encoded-by').some((value) => /joomla/i.test(value))) signals.push('header: X-Content-Encoded-By');
  const manifest = okFile(clues, '/administrator/manifests/files/joomla.xml');
  const manifestVersion = manifest && /<extension[^>]*>|<name>files_joomla<\/name>/i.test(manifest.excerpt) ? /<version>\s*(\d{1,2}\.\d{1,2}(?:\.\d{1,3})?)\s*<\/version>/i.exec(manifest.excerpt)?.[1] : undefined;
  if (manifestVersion) {
    signals.push('version file: joomla.xml');
    version = manifestVersion;
    versionSource = 'version_file';
  }
  return { signals, version, versionSource };
}

function detectDrupal(clues: Clues): Found {
  const signals: string[] = [];
  let version: string | null = null;
  let versionSource: VersionSource | null = null;
  const announce = (source: 'generator' | 'header', value: string) => {
    const match = /^Drupal\s+(\d{1,2})\b/i.exec(value);
    if (!match) return false;
    signals.push(`${source}: ${value}`);
    if (version === null) {
      version = match[1] as string;
      versionSource = source;
    }
    return true;
  };
  for (const generator of clues.generators) announce('generator', generator);
  for (const value of clues.headers('x-generator')) announce('header', value);
  for (const header of ['x-drupal-cache', 'x-drupal-dynamic-cache', 'x-drupal-route-normalizer']) {
    if (clues.headers(header).length > 0) signals.push(`header: ${header}`);
  }
  if (clues.paths.some(({ path }) => /^\/(sites\/(default|all)\/|core\/(misc|themes|modules|assets)\/|misc\/drupal\.js)/.test(path))) signals.push('asset: /sites/ or /core/');
  for (const marker of ['drupal-settings-json', 'drupal-settings-js', 'drupal-data-attribute'] as const) {
    if (clues.markers.has(marker)) signals.push(`markup: ${marker}`);
  }
  if (clues.cookies.some((name) => /^S?SESS[0-9a-f]{32}$/.test(name))) signals.push('cookie: SESS…');
  // Drupal 8+ adds the core version to core asset URLs as ?v=10.1.5.
  const coreAsset = mostFrequent(
    clues.paths.filter(({ path }) => path.startsWith('/core/')).flatMap(({ query }) => queryParameter(query, 'v') ?? []),
  );
  if (coreAsset && (version === null || coreAsset.startsWith(`${version}.`))) {
    version = coreAsset;
    versionSource = 'asset';
  }
  for (const path of ['/CHANGELOG.txt', '/core/CHANGELOG.txt']) {
    const file = okFile(clues, path);
    const changelog = file ? /^\s*Drupal (\d{1,2}\.\d{1,3}(?:\.\d{1,3})?)[, ]/m.exec(file.excerpt)?.[1] : undefined;
    if (changelog) {
      signals.push(`version file: ${path}`);
      version = changelog;
      versionSource = 'version_file';
      break;
    }
  }
  return { signals, version, versionSource };
}

function detectMagento(clues: Clues): Found {
  const signals: string[] = [];
  let version: string | null = null;
  let versionSource: VersionSource | null = null;
  const magentoCookies = clues.cookies.filter((name) => /^(mage-cache-storage|mage-cache-sessid|mage-messages|mage-translation-storage|X-Magento-Vary|form_key)$/.test(name));
  if (magentoCookies.length > 0) signals.push(`cookie: ${magentoCookies.slice(0, 3).join(', ')}`);
  for (const header of ['x-magento-cache-debug', 'x-magento-tags', 'x-magento-cache-control', 'x-magento-vary']) {
    if (clues.headers(header).length > 0) signals.push(`header: ${header}`);
  }
  if (clues.paths.some(({ path }) => /^\/(pub\/)?static\/(version\d+\/)?(frontend|adminhtml)\//.test(path))) signals.push('asset: /static/frontend/');
  if (clues.markers.has('magento-init')) signals.push('script: text/x-magento-init');
  if (clues.markers.has('magento-data-mage-init')) signals.push('markup: data-mage-init');
  const magento1 =
    clues.paths.some(({ path }) => /^\/(skin\/frontend\/|js\/(varien|mage)\/)/.test(path)) || clues.markers.has('magento1-mage-cookies');
  if (magento1) {
    signals.push('platform: Magento 1 (skin/frontend, js/varien or Mage.Cookies)');
    version = '1';
    versionSource = 'platform';
  }
  const file = okFile(clues, '/magento_version');
  const announced = file ? /^Magento\/(\d{1,2}\.\d{1,2}(?:\.\d{1,3})?)/.exec(file.excerpt.trim())?.[1] : undefined;
  if (announced) {
    signals.push('version file: /magento_version');
    version = announced;
    versionSource = 'version_file';
  }
  return { signals, version, versionSource };
}

const detectors: Record<CmsName, (clues: Clues) => Found> = {
  wordpress: detectWordPress,
  joomla: detectJoomla,
  drupal: detectDrupal,
  magento: detectMagento,
};

/** The CMS with the most signals (at least one), or undefined when none shows. */
export function detectCms(evidence: HomePageEvidence): CmsDetection | undefined {
  const clues: Clues = {
    generators: evidence.page?.metaGenerators ?? [],
    headers: (name) => headerValuesOf(evidence, name),
    cookies: evidence.cookieNames,
    paths: pathsOf(evidence),
    markers: new Set(evidence.page?.markers ?? []),
    versionFiles: evidence.versionFiles,
  };
  let best: CmsDetection | undefined;
  for (const cms of cmsNames) {
    const found = detectors[cms](clues);
    if (found.signals.length === 0) continue;
    if (!best || found.signals.length > best.signals.length) best = { cms, ...found };
  }
  return best;
}
