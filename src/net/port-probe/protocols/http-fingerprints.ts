// What an HTTP(S) answer on a management port is, from its own words: the Server header, the
// page title, and markers in the body that the product always serves. A page that matches no
// fingerprint stays plain `http` (with its title), never a guessed admin panel.
import type { Identification, ServiceId } from '../types.ts';

export interface HttpAnswer {
  status: number;
  /** Lowercased names. */
  headers: Map<string, string>;
  body: string;
}

interface Fingerprint {
  service: ServiceId;
  product: string;
  test(answer: HttpAnswer, title: string): boolean;
  version?(answer: HttpAnswer, title: string): string | null;
}

const server = (answer: HttpAnswer) => answer.headers.get('server') ?? '';
const location = (answer: HttpAnswer) => answer.headers.get('location') ?? '';

function elasticsearchVersion(answer: HttpAnswer): string | null {
  try {
    const document = JSON.parse(answer.body) as { version?: { number?: unknown } };
    const number = document.version?.number;
    return typeof number === 'string' && /^\d+\.\d+\.\d+/.test(number) ? number.slice(0, 32) : null;
  } catch {
    return null;
  }
}

function isElasticsearch(answer: HttpAnswer): boolean {
  if (!/json/i.test(answer.headers.get('content-type') ?? '')) return false;
  try {
    const document = JSON.parse(answer.body) as Record<string, unknown>;
    if (typeof document.cluster_name === 'string' && typeof document.version === 'object') return true;
    // Elasticsearch 8 with security on: 401 and its own error document.
    const error = document.error as { type?: unknown; root_cause?: unknown } | undefined;
    return answer.status === 401 && error?.type === 'security_exception';
  } catch {
    return false;
  }
}

const fingerprints: Fingerprint[] = [
  { service: 'elasticsearch', product: 'elasticsearch', test: isElasticsearch, version: elasticsearchVersion },
  {
    service: 'admin-panel',
    product: 'webmin',
    test: (answer, title) => /^MiniServ\b/i.test(server(answer)) || /Webmin/i.test(title),
    version: (answer) => /^MiniServ\/(\d+\.\d+)/i.exec(server(answer))?.[1] ?? null,
  },
  {
    service: 'ipp',
    product: 'cups',
    test: (answer) => /\bCUPS\/\d|\bIPP\/\d/i.test(server(answer)),
    version: (answer) => /\bCUPS\/(\d+\.\d+(?:\.\d+)?)/i.exec(server(answer))?.[1] ?? null,
  },
  {
    service: 'vpn-portal',
    product: 'fortinet-fortigate',
    test: (answer) => /\/remote\/login/.test(location(answer)) || /\/remote\/login|fgt_lang|ftnt-fortinet/i.test(answer.body),
  },
  {
    service: 'vpn-portal',
    product: 'sonicwall',
    test: (answer, title) => /SonicWALL/i.test(server(answer)) || /SonicWall|Virtual Office/i.test(title) || /sonicui|swl_login/i.test(answer.body),
  },
  { service: 'nas-admin', product: 'synology-dsm', test: (answer, title) => /Synology|DiskStation/i.test(title) || /SYNO\.SDS|synology/i.test(answer.body) },
  { service: 'nas-admin', product: 'qnap-qts', test: (answer, title) => /\bQNAP\b|\bQTS\b/.test(title) || /qnap/i.test(server(answer)) },
  {
    service: 'router-admin',
    product: 'mikrotik-routeros',
    test: (answer, title) => /RouterOS|MikroTik/i.test(title) || /mikrotik/i.test(answer.body.slice(0, 4096)),
    version: (_answer, title) => /RouterOS v(\d+\.\d+(?:\.\d+)?)/i.exec(title)?.[1] ?? null,
  },
  { service: 'hosting-panel', product: 'plesk', test: (answer, title) => /Plesk/i.test(title) || /plesk/i.test(answer.headers.get('x-powered-by') ?? '') },
  { service: 'hosting-panel', product: 'cpanel', test: (answer, title) => /cPanel|WHM/.test(title) || /cpsrvd/i.test(server(answer)) },
  { service: 'hosting-panel', product: 'directadmin', test: (_answer, title) => /DirectAdmin/i.test(title) },
  { service: 'database-admin', product: 'phpmyadmin', test: (answer, title) => /phpMyAdmin/i.test(title) || /pma_navigation|phpmyadmin\.css/i.test(answer.body) },
  {
    service: 'admin-panel',
    product: 'apache-tomcat',
    test: (_answer, title) => /Apache Tomcat/i.test(title),
    version: (_answer, title) => /Apache Tomcat\/(\d+\.\d+\.\d+)/i.exec(title)?.[1] ?? null,
  },
];

/** Product and version of the web server itself, from the Server header. */
function webServer(answer: HttpAnswer): { product: string | null; version: string | null } {
  const header = server(answer);
  const apache = /^Apache\/(\d+\.\d+(?:\.\d+)?)/i.exec(header);
  if (apache) return { product: 'apache-http-server', version: apache[1] as string };
  if (/^Apache\b/i.test(header)) return { product: 'apache-http-server', version: null };
  const nginx = /^nginx(?:\/(\d+\.\d+\.\d+))?/i.exec(header);
  if (nginx) return { product: 'nginx', version: nginx[1] ?? null };
  const iis = /^Microsoft-IIS\/(\d+\.\d+)/i.exec(header);
  if (iis) return { product: 'microsoft-iis', version: iis[1] as string };
  return { product: null, version: null };
}

export function pageTitle(body: string): string {
  const found = /<title[^>]*>([^<]{0,300})<\/title>/i.exec(body.slice(0, 65_536));
  return (found?.[1] ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
}

export function classifyHttp(answer: HttpAnswer): Identification {
  const title = pageTitle(answer.body);
  const detail: Identification['detail'] = { status: answer.status };
  if (title) detail.title = title;
  const serverHeader = server(answer).slice(0, 120);
  if (serverHeader) detail.server = serverHeader;
  for (const fingerprint of fingerprints) {
    if (fingerprint.test(answer, title)) {
      return { service: fingerprint.service, product: fingerprint.product, version: fingerprint.version?.(answer, title) ?? null, detail };
    }
  }
  return { service: 'http', ...webServer(answer), detail };
}
