// The operator commands, run as a user runs them: the real `cybermonitor` bin on Node 24,
// an embedded database in a temporary DATA_DIR that survives between commands.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dataDir = mkdtempSync(join(tmpdir(), 'cybermonitor-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function cybermonitor(...args: string[]) {
  const result = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/cybermonitor.js'), ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LANG: 'en_GB.UTF-8', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('programme, organisation, domain and invitation from the shell; data survives between commands', () => {
  const programme = cybermonitor('programme', 'add', '--name', 'Cyberveilig Achterhoek', '--region', 'Achterhoek', '--json');
  assert.equal(programme.code, 0, programme.stderr);
  assert.equal(JSON.parse(programme.stdout).region, 'Achterhoek');

  const added = cybermonitor('org', 'add', '--name', 'Bakkerij Jansen', '--kvk', '12345678', '--city', 'Doetinchem', '--json');
  assert.equal(added.code, 0, added.stderr);
  const organisation = JSON.parse(added.stdout);

  const refused = cybermonitor('org', 'add', '--name', 'Bakkerij Jansen', '--kvk', '1234');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /kvkNumber: A KvK number has 8 digits/);

  const listed = cybermonitor('org', 'list', '--json');
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    JSON.parse(listed.stdout).map((o: { id: string; name: string; status: string }) => [o.id, o.name, o.status]),
    [[organisation.id, 'Bakkerij Jansen', 'aangemeld']],
  );

  const domain = cybermonitor('domain', 'add', organisation.id, 'Bakkerij-Jansen.nl', '--json');
  assert.equal(domain.code, 0, domain.stderr);
  assert.equal(JSON.parse(domain.stdout).value, 'bakkerij-jansen.nl');
  const reserved = cybermonitor('domain', 'add', organisation.id, 'intranet.local');
  assert.equal(reserved.code, 2);

  const invited = cybermonitor('user', 'invite', '--email', 'anna@bakkerij-jansen.nl', '--name', 'Anna Jansen', '--role', 'director', '--organisation', organisation.id, '--json');
  assert.equal(invited.code, 0, invited.stderr);
  assert.match(JSON.parse(invited.stdout).link, /^http:\/\/localhost:3000\/invitation\?token=[A-Za-z0-9_-]{43}$/);
  const unknownOrganisation = cybermonitor('domain', 'add', '00000000-0000-4000-8000-000000000001', 'example.nl');
  assert.equal(unknownOrganisation.code, 1);
  assert.match(unknownOrganisation.stderr, /Not found/);
});

test('migrate reports an up-to-date database the second time', () => {
  assert.equal(cybermonitor('migrate').code, 0);
  const second = cybermonitor('migrate');
  assert.equal(second.code, 0);
  assert.match(second.stdout, /up to date/);
});
