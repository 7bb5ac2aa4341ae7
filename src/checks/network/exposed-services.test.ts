import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExposureEvidence } from '../../evidence/exposure/exposure-evidence.ts';
import { exposure, port } from '../../../test/network/exposure-builders.ts';
import { networkExposedServicesCheck } from './exposed-services.ts';

const now = new Date('2026-06-01T12:00:00.000Z');

const judge = (evidence: ExposureEvidence) => networkExposedServicesCheck.judge(evidence, { now });

describe('network.exposed-services', () => {
  it('passes when no risky port answers', () => {
    const result = judge(exposure([port(3389), port(445, { state: 'filtered' })]));
    assert.equal(result.status, 'pass');
    assert.equal(result.summaryKey, 'checks.network.exposed-services.pass');
    assert.equal(result.summaryParams.ports, 23);
  });

  it('fails critical on an exposed RDP, and lists it', () => {
    const result = judge(exposure([port(22, { state: 'open', service: 'ssh' }), port(3389, { state: 'open', service: 'rdp', detail: { nla: true } })]));
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'critical');
    assert.equal(result.summaryKey, 'checks.network.exposed-services.critical');
    assert.match(String(result.summaryParams.services), /RDP \(203\.0\.113\.10:3389\)/);
    assert.doesNotMatch(String(result.summaryParams.services), /SSH/, 'only the critical ones are named');
  });

  it('fails high on a database that asks for a password, critical when it does not', () => {
    assert.equal(judge(exposure([port(6379, { state: 'open', service: 'redis', detail: { authentication: 'required' } })])).severity, 'high');
    assert.equal(judge(exposure([port(6379, { state: 'open', service: 'redis', detail: { authentication: 'none' } })])).severity, 'critical');
    assert.equal(judge(exposure([port(3306, { state: 'open', service: 'mysql' })])).status, 'fail');
  });

  it('fails high on printers and admin panels', () => {
    assert.equal(judge(exposure([port(9100, { state: 'open', service: 'printer-raw' })])).severity, 'high');
    assert.equal(judge(exposure([port(10000, { state: 'open', service: 'admin-panel', product: 'webmin' })])).severity, 'high');
  });

  it('warns about FTP, notes a VPN portal or an unidentified open port', () => {
    assert.equal(judge(exposure([port(21, { state: 'open', service: 'ftp' })])).status, 'warn');
    const vpn = judge(exposure([port(4443, { state: 'open', service: 'vpn-portal' })]));
    assert.equal(vpn.status, 'notice');
    const unknown = judge(exposure([port(3389, { state: 'open', service: null, banner: '...garbage' })]));
    assert.equal(unknown.status, 'notice', 'an open port that did not speak RDP is not called RDP');
    assert.match(String(unknown.summaryParams.services), /\? \(203\.0\.113\.10:3389\)/);
  });

  it('reports SSH, SMTP and a hosting panel as info only', () => {
    const result = judge(exposure([port(22, { state: 'open', service: 'ssh' }), port(8443, { state: 'open', service: 'hosting-panel', product: 'plesk' })]));
    assert.equal(result.status, 'info');
    assert.equal(result.summaryKey, 'checks.network.exposed-services.info');
  });

  it('fails high on SNMP answering the default community, with its own summary and the sysDescr', () => {
    const snmp = port(161, {
      transport: 'udp',
      state: 'open',
      service: 'snmp',
      product: 'linux-kernel',
      version: '4.4.302',
      banner: 'Linux nas 4.4.302+ #69057 SMP x86_64',
      detail: { community: 'public', snmpVersion: '2c', errorStatus: 0 },
    });
    const result = judge(exposure([port(22, { state: 'open', service: 'ssh' }), snmp]));
    assert.equal(result.status, 'fail');
    assert.equal(result.severity, 'high');
    assert.equal(result.checkVersion, 2);
    assert.equal(result.summaryKey, 'checks.network.exposed-services.snmp');
    assert.equal(result.summaryParams.services, 'SNMP (203.0.113.10:161/udp)');
    assert.equal(result.summaryParams.community, 'public');
    assert.equal(result.summaryParams.sysDescr, 'Linux nas 4.4.302+ #69057 SMP x86_64');
    const withDatabase = judge(exposure([snmp, port(3306, { state: 'open', service: 'mysql' })]));
    assert.equal(withDatabase.summaryKey, 'checks.network.exposed-services.high', 'other high findings: the general summary, SNMP listed');
    assert.match(String(withDatabase.summaryParams.services), /SNMP \(203\.0\.113\.10:161\/udp\), MySQL \(203\.0\.113\.10:3306\)/);
    assert.equal(judge(exposure([snmp, port(3389, { state: 'open', service: 'rdp' })])).summaryKey, 'checks.network.exposed-services.critical');
  });

  it('passes UDP 161 without an answer, and notes one that answered but not as SNMP', () => {
    assert.equal(judge(exposure([port(161, { transport: 'udp', state: 'filtered' })])).status, 'pass');
    const garbage = judge(exposure([port(161, { transport: 'udp', state: 'open', banner: 'GARBLED' })]));
    assert.equal(garbage.status, 'notice');
    assert.equal(garbage.summaryParams.services, '? (203.0.113.10:161/udp)');
  });

  it('says so when the budget ran out before every port was tried', () => {
    const result = judge(exposure([port(22), port(3389, { state: 'skipped' })], { complete: false }));
    assert.equal(result.status, 'notice');
    assert.equal(result.summaryKey, 'checks.network.exposed-services.incomplete');
  });

  it('turns a gathering failure into an error result', () => {
    const result = judge(exposure([], { targets: [], error: 'target_refused', refusedAddresses: ['10.0.0.5'] }));
    assert.equal(result.status, 'error');
    assert.equal(result.summaryKey, 'checks.reason.target_refused');
  });
});
