import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sensitiveProbes } from './sensitive-files-probes.ts';

const probe = (path: string) => {
  const found = sensitiveProbes.find((candidate) => candidate.path === path);
  assert.ok(found, path);
  return found;
};
const homePage = '<!DOCTYPE html><html><head><title>Bakkerij</title></head><body><h1>Welkom</h1><p>DB_PASSWORD=geheim staat hier niet</p></body></html>';

describe('sensitive-file probes', () => {
  it('keeps the list curated: about twenty paths, each once', () => {
    assert.ok(sensitiveProbes.length >= 15 && sensitiveProbes.length <= 22);
    assert.equal(new Set(sensitiveProbes.map((candidate) => candidate.path)).size, sensitiveProbes.length);
  });

  it('never confirms an HTML page, whatever the path', () => {
    for (const candidate of sensitiveProbes) assert.equal(candidate.confirm(homePage), undefined, candidate.path);
  });

  it('confirms .git/HEAD by a ref or a commit id only', () => {
    assert.deepEqual(probe('/.git/HEAD').confirm('ref: refs/heads/main\n'), { marker: 'ref: refs/', excerpt: 'ref: refs/heads/main' });
    assert.equal(probe('/.git/HEAD').confirm('a94a8fe5ccb19ba61c4c0873d391e987982fbbd3\n')?.marker, 'commit id');
    assert.equal(probe('/.git/HEAD').confirm('ref: something else entirely'), undefined);
  });

  it('keeps only section names of .git/config, never remote URLs with credentials', () => {
    const confirmation = probe('/.git/config').confirm('[core]\n\trepositoryformatversion = 0\n\tbare = false\n[remote "origin"]\n\turl = https://deploy:ghp_SECRET@github.com/acme/site.git\n');
    assert.equal(confirmation?.excerpt, '[core]\n[remote "origin"]');
    assert.ok(!confirmation?.excerpt.includes('SECRET'));
  });

  it('confirms .env by its KEY=VALUE lines and masks every value', () => {
    const confirmation = probe('/.env').confirm('# production\nAPP_ENV=production\nDB_PASSWORD="s3cr3t!"\nexport API_TOKEN=abc123\n\n');
    assert.equal(confirmation?.excerpt, 'APP_ENV=****\nDB_PASSWORD=****\nAPI_TOKEN=****');
    assert.equal(probe('/.env').confirm('Hello world\nThis is text\nA=1\n'), undefined);
  });

  it('masks define() values in PHP configuration backups', () => {
    const confirmation = probe('/wp-config.php.bak').confirm("<?php\ndefine( 'DB_NAME', 'shop' );\ndefine( 'DB_PASSWORD', 'hunter2' );\n$table_prefix = 'wp_';\n");
    assert.equal(confirmation?.excerpt, "define('DB_NAME', '****')\ndefine('DB_PASSWORD', '****')\n$table_prefix = '****'");
  });

  it('confirms htpasswd, ZIP, SQL dumps, phpinfo, server-status, .DS_Store, debug logs by their own markers', () => {
    assert.equal(probe('/.htpasswd').confirm('admin:$apr1$abc$defghijkl\n')?.excerpt, 'admin:****');
    assert.equal(probe('/backup.zip').confirm('PK\u0003\u0004\u0014\u0000rest')?.excerpt, 'ZIP archive');
    assert.equal(probe('/backup.sql').confirm('-- MySQL dump 10.13\n\nCREATE TABLE `wp_users` (\nINSERT INTO `wp_users` VALUES (1,\'admin\',\'$P$hash\');')?.excerpt, '-- MySQL dump 10.13\nCREATE TABLE wp_users');
    assert.equal(probe('/phpinfo.php').confirm('<html><head><title>PHP 8.1.2 - phpinfo()</title></head><body><h1 class="p">PHP Version 8.1.2-1ubuntu2.14</h1><table><tr><td class="e">System </td></tr></table>')?.excerpt, 'PHP Version 8.1.2-1ubuntu2.14');
    assert.equal(probe('/server-status').confirm('<html><head><title>Apache Status</title></head><body><h1>Apache Server Status for shop.example.nl (via 127.0.0.1)</h1><dl><dt>Server Version: Apache/2.4.29 (Ubuntu)</dt><dt>Server MPM: prefork</dt>')?.excerpt, 'Apache Server Status; Server Version: Apache/2.4.29 (Ubuntu)');
    assert.equal(probe('/.DS_Store').confirm('\u0000\u0000\u0000\u0001Bud1\u0000\u0000')?.marker, 'Bud1 header');
    assert.equal(probe('/wp-content/debug.log').confirm('[04-Dec-2026 10:00:00 UTC] PHP Warning:  Undefined variable $user in /var/www/x.php')?.excerpt, '[04-Dec-2026 10:00:00 UTC] PHP Warning: …');
  });

  it('confirms Apache/nginx and IIS directory listings and counts entries', () => {
    const apache = '<!DOCTYPE HTML><html><head><title>Index of /backup</title></head><body><h1>Index of /backup</h1><pre><a href="?C=N;O=D">Name</a><a href="/">Parent Directory</a><a href="db.sql">db.sql</a><a href="site.zip">site.zip</a></pre>';
    assert.equal(probe('/backup/').confirm(apache)?.excerpt, 'Index of /backup (2 entries)');
    const iis = '<html><head><title>shop.example.nl - /images/</title></head><body><H1>shop.example.nl - /images/</H1><hr><pre><A HREF="/">[To Parent Directory]</A><br><A HREF="/images/a.png">a.png</A></pre>';
    assert.equal(probe('/images/').confirm(iis)?.marker, 'IIS directory browsing');
  });
});
