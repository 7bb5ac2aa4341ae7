// The curated list of paths the sensitive-files gatherer asks for, and how each answer is
// confirmed BY CONTENT (a status code proves nothing: many sites answer 200 for every path).
// Each confirmation yields a short, redacted excerpt — key names, never values — so that no
// secret ever reaches the stored evidence. Pure: no I/O.

export const sensitiveFileKinds = [
  'git',
  'env',
  'htpasswd',
  'config_backup',
  'archive',
  'sql_dump',
  'phpinfo',
  'server_status',
  'ds_store',
  'debug_log',
  'directory_listing',
] as const;
export type SensitiveFileKind = (typeof sensitiveFileKinds)[number];

export interface Confirmation {
  /** What in the body proved it, e.g. `ref: refs/heads/`, `KEY=VALUE lines`. */
  marker: string;
  /** At most a few hundred characters, with every secret value masked. */
  excerpt: string;
}

export interface SensitiveProbe {
  path: string;
  kind: SensitiveFileKind;
  confirm(body: string): Confirmation | undefined;
}

const maxExcerpt = 300;
const mask = '****';
const looksLikeHtml = (body: string) => /^\s*(<!doctype|<html|<head|<body|<\?xml)/i.test(body);
const lines = (body: string) => body.split(/\r?\n/);
const excerptOf = (parts: string[]) => parts.join('\n').slice(0, maxExcerpt);

function gitHead(body: string): Confirmation | undefined {
  const first = body.trimEnd();
  const reference = /^ref: (refs\/[\w./-]{1,200})$/.exec(first);
  if (reference) return { marker: 'ref: refs/', excerpt: `ref: ${reference[1]}` };
  // A detached HEAD holds a commit id (SHA-1 or SHA-256 repositories).
  if (/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(first)) return { marker: 'commit id', excerpt: `${first.slice(0, 12)}…` };
  return undefined;
}

function gitConfig(body: string): Confirmation | undefined {
  if (looksLikeHtml(body) || !/^\s*\[core\]\s*$/m.test(body) || !/^\s*(repositoryformatversion|filemode|bare)\s*=/m.test(body)) return undefined;
  // Section names only: remote URLs may carry credentials.
  const sections = lines(body).map((line) => line.trim()).filter((line) => /^\[[\w .:"/-]{1,80}\]$/.test(line));
  return { marker: '[core] repositoryformatversion', excerpt: excerptOf(sections.slice(0, 6)) };
}

const envLine = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]{0,63})\s*=\s*(.*)$/;

function dotEnv(body: string): Confirmation | undefined {
  if (looksLikeHtml(body)) return undefined;
  const meaningful = lines(body).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const assignments = meaningful.map((line) => envLine.exec(line)).filter((match): match is RegExpExecArray => match !== null);
  // A real .env is (nearly) nothing but assignments; a page that merely contains a few is not.
  if (assignments.length < 2 || assignments.length < meaningful.length * 0.8) return undefined;
  return { marker: 'KEY=VALUE lines', excerpt: excerptOf(assignments.slice(0, 8).map((match) => `${match[1]}=${mask}`)) };
}

function htpasswd(body: string): Confirmation | undefined {
  if (looksLikeHtml(body)) return undefined;
  const entries = lines(body).map((line) => /^([\w.@-]{1,64}):(\$apr1\$|\$2[aby]\$|\$[156]\$|\{SHA\}|[./0-9A-Za-z]{13}$)/.exec(line.trim())).filter((match) => match !== null);
  if (entries.length === 0) return undefined;
  return { marker: 'user:hash lines', excerpt: excerptOf(entries.slice(0, 5).map((match) => `${(match as RegExpExecArray)[1]}:${mask}`)) };
}

function phpSource(body: string): Confirmation | undefined {
  if (!/^\s*<\?php\b/.test(body)) return undefined;
  // define('DB_PASSWORD', 'secret') → define('DB_PASSWORD', '****'); $password = 'x' → $password = '****'
  const shown: string[] = [];
  for (const line of lines(body)) {
    const define = /define\s*\(\s*(['"])([\w-]{1,64})\1\s*,/.exec(line);
    if (define) shown.push(`define('${define[2]}', '${mask}')`);
    else {
      const variable = /^\s*\$([\w[\]'"-]{1,64})\s*=/.exec(line);
      if (variable) shown.push(`$${variable[1]} = '${mask}'`);
    }
    if (shown.length >= 8) break;
  }
  if (shown.length === 0) return undefined;
  return { marker: '<?php source', excerpt: excerptOf(shown) };
}

function aspNetConfig(body: string): Confirmation | undefined {
  if (!/^\s*(<\?xml[^>]*>\s*)?<configuration\b/i.test(body)) return undefined;
  const sections = [...body.matchAll(/<(connectionStrings|appSettings|system\.web|machineKey)\b/gi)].map((match) => `<${match[1]}>`);
  return { marker: '<configuration>', excerpt: excerptOf([...new Set(sections)].slice(0, 6)) || '<configuration>' };
}

function zipArchive(body: string): Confirmation | undefined {
  return body.startsWith('PK\u0003\u0004') ? { marker: 'ZIP signature PK\\x03\\x04', excerpt: 'ZIP archive' } : undefined;
}

function sqlDump(body: string): Confirmation | undefined {
  if (looksLikeHtml(body)) return undefined;
  const marker = /^(-- MySQL dump [\d.]+|-- MariaDB dump [\d.]+|-- PostgreSQL database dump|-- phpMyAdmin SQL Dump)/m.exec(body);
  if (!marker || !/\b(CREATE TABLE|INSERT INTO)\b/i.test(body)) return undefined;
  // Table names only: rows are personal data.
  const tables = [...body.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?[`"]?([\w.-]{1,64})/gi)].map((match) => `CREATE TABLE ${match[1]}`);
  return { marker: marker[1] as string, excerpt: excerptOf([marker[1] as string, ...tables.slice(0, 5)]) };
}

function phpInfo(body: string): Confirmation | undefined {
  const version = /PHP Version (\d{1,2}\.\d{1,2}\.\d{1,3}[\w.+~-]{0,40})/.exec(body);
  if (!version || !/<td class="e">/.test(body) || !/phpinfo\(\)|<h1 class="p">/.test(body)) return undefined;
  return { marker: 'phpinfo() tables', excerpt: `PHP Version ${version[1]}` };
}

function serverStatus(body: string): Confirmation | undefined {
  if (!/<h1>Apache Server Status for /i.test(body) || !/Server (Version|uptime|MPM)/i.test(body)) return undefined;
  const version = /Server Version: ([^<\n]{1,80})/i.exec(body);
  return { marker: 'Apache Server Status', excerpt: version ? `Apache Server Status; Server Version: ${version[1]?.trim()}` : 'Apache Server Status' };
}

function dsStore(body: string): Confirmation | undefined {
  return body.startsWith('\u0000\u0000\u0000\u0001Bud1') ? { marker: 'Bud1 header', excerpt: '.DS_Store (Bud1)' } : undefined;
}

function debugLog(body: string): Confirmation | undefined {
  const entry = /^\[(\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2} [\w/+-]{1,40})\] (PHP (?:Notice|Warning|Fatal error|Deprecated|Parse error))/m.exec(body);
  if (!entry || looksLikeHtml(body)) return undefined;
  // Only the date and level: messages contain paths, queries and sometimes personal data.
  return { marker: 'PHP error log lines', excerpt: `[${entry[1]}] ${entry[2]}: …` };
}

function directoryListing(body: string): Confirmation | undefined {
  // Apache and nginx autoindex: <title>Index of /dir</title> and <h1>Index of /dir</h1>;
  // IIS: "[To Parent Directory]" with a title "host - /dir/".
  const apache = /<title>\s*Index of (\/[^<]{0,200})<\/title>/i.exec(body);
  const heading = /<h1>\s*Index of \/[^<]{0,200}<\/h1>/i.test(body);
  const iis = /\[To Parent Directory\]/.test(body) && /<title>[^<]{0,200} - \/[^<]{0,200}<\/title>/i.test(body);
  if (!((apache && heading) || iis)) return undefined;
  const entries = [...body.matchAll(/<a href="([^"?][^"]{0,200})"/gi)].filter((match) => !/^(\.\.\/|\/|\?)/.test(match[1] as string)).length;
  return { marker: iis ? 'IIS directory browsing' : 'Index of /', excerpt: `${apache ? `Index of ${apache[1]?.trim()}` : 'Directory listing'} (${entries} entries)` };
}

/** About twenty paths that should never be public, most common first. */
export const sensitiveProbes: SensitiveProbe[] = [
  { path: '/.git/HEAD', kind: 'git', confirm: gitHead },
  { path: '/.git/config', kind: 'git', confirm: gitConfig },
  { path: '/.env', kind: 'env', confirm: dotEnv },
  { path: '/.htpasswd', kind: 'htpasswd', confirm: htpasswd },
  { path: '/wp-config.php.bak', kind: 'config_backup', confirm: phpSource },
  { path: '/wp-config.php~', kind: 'config_backup', confirm: phpSource },
  { path: '/wp-config.php.save', kind: 'config_backup', confirm: phpSource },
  { path: '/config.php.bak', kind: 'config_backup', confirm: phpSource },
  { path: '/web.config.bak', kind: 'config_backup', confirm: aspNetConfig },
  { path: '/backup.zip', kind: 'archive', confirm: zipArchive },
  { path: '/backup.sql', kind: 'sql_dump', confirm: sqlDump },
  { path: '/phpinfo.php', kind: 'phpinfo', confirm: phpInfo },
  { path: '/info.php', kind: 'phpinfo', confirm: phpInfo },
  { path: '/server-status', kind: 'server_status', confirm: serverStatus },
  { path: '/.DS_Store', kind: 'ds_store', confirm: dsStore },
  { path: '/wp-content/debug.log', kind: 'debug_log', confirm: debugLog },
  { path: '/wp-content/uploads/', kind: 'directory_listing', confirm: directoryListing },
  { path: '/images/', kind: 'directory_listing', confirm: directoryListing },
  { path: '/backup/', kind: 'directory_listing', confirm: directoryListing },
];

/** Largest piece of any answer that is read: every marker sits near the start. */
export const probeReadBytes = 64 * 1024;
