// Software names and versions that response headers give away: `Server: Apache/2.4.29 (Ubuntu)`,
// `X-Powered-By: PHP/7.2.24`, `X-AspNet-Version: 4.0.30319`, `X-Generator: Drupal 10 (…)`. Pure.
import type { LifecycleProduct } from '../../data/endoflife/lifecycle.ts';

/** Headers whose only job is to name software; every value of them is a disclosure. */
export const bannerHeaders = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator', 'x-powered-cms', 'x-server-powered-by'] as const;

export interface Banner {
  header: string;
  /** Product as the server names it (`Apache`, `PHP`, `Microsoft-IIS`). */
  product: string;
  version: string | null;
  /** Which lifecycle data judges it; CMS products are judged by web.cms, not here. */
  lifecycle: LifecycleProduct | 'iis' | null;
}

export interface BannerReport {
  banners: Banner[];
  /** A Linux distribution named in the banners (`Ubuntu`), whose packages carry backported fixes. */
  distribution: string | null;
}

const maxBanners = 20;

const lifecycleOfProduct: Record<string, Banner['lifecycle']> = {
  apache: 'apache-http-server',
  httpd: 'apache-http-server',
  nginx: 'nginx',
  php: 'php',
  'microsoft-iis': 'iis',
};

const distributions: Array<[RegExp, string]> = [
  [/ubuntu/i, 'Ubuntu'],
  [/debian|[~+]deb\d/i, 'Debian'],
  [/red ?hat|\brhel\b|\.el\d/i, 'Red Hat'],
  [/centos/i, 'CentOS'],
  [/rocky/i, 'Rocky Linux'],
  [/alma ?linux/i, 'AlmaLinux'],
  [/fedora|\.fc\d/i, 'Fedora'],
  [/amazon|\.amzn\d/i, 'Amazon Linux'],
  [/suse/i, 'SUSE'],
  [/raspbian/i, 'Raspbian'],
];

const productVersion = /([A-Za-z][\w.+-]{0,40}?)\/(\d[\w.+~-]{0,40})/g;

function tokensOf(header: string, value: string): Banner[] {
  if (header === 'x-aspnet-version') return [{ header, product: 'ASP.NET', version: value.trim().slice(0, 40) || null, lifecycle: null }];
  if (header === 'x-aspnetmvc-version') return [{ header, product: 'ASP.NET MVC', version: value.trim().slice(0, 40) || null, lifecycle: null }];
  const banners: Banner[] = [];
  for (const match of value.matchAll(productVersion)) {
    const product = match[1] as string;
    banners.push({ header, product, version: match[2] as string, lifecycle: lifecycleOfProduct[product.toLowerCase()] ?? null });
  }
  if (banners.length > 0) return banners;
  // `Drupal 10 (https://www.drupal.org)`, `WordPress 6.4`: a name and a version with a space.
  const spaced = /^\s*([A-Za-z][\w!.-]{0,40})\s+v?(\d{1,4}(?:\.\d{1,4}){0,3})\b/.exec(value);
  if (spaced) return [{ header, product: spaced[1] as string, version: spaced[2] as string, lifecycle: null }];
  // A bare product name (`nginx`, `cloudflare`, `ASP.NET`): named, but no version disclosed.
  const bare = /^\s*([A-Za-z][\w.-]{0,40})/.exec(value);
  return bare ? [{ header, product: bare[1] as string, version: null, lifecycle: lifecycleOfProduct[(bare[1] as string).toLowerCase()] ?? null }] : [];
}

/** The software banners in response headers (lowercased names, values as received). */
export function parseBanners(headers: Array<[string, string]>): BannerReport {
  const banners: Banner[] = [];
  let distribution: string | null = null;
  for (const [name, value] of headers) {
    if (!(bannerHeaders as readonly string[]).includes(name)) continue;
    for (const [pattern, label] of distributions) {
      if (distribution === null && pattern.test(value)) distribution = label;
    }
    for (const banner of tokensOf(name, value)) {
      if (banners.length >= maxBanners) break;
      if (!banners.some((known) => known.product.toLowerCase() === banner.product.toLowerCase() && known.version === banner.version)) banners.push(banner);
    }
  }
  return { banners, distribution };
}

export const bannerText = (banner: Banner): string => (banner.version ? `${banner.product}/${banner.version}` : banner.product);
