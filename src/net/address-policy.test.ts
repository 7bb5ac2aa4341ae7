import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../errors.ts';
import { assertTargetAllowed, isPublicAddress } from './address-policy.ts';

const publicAddresses = [
  '1.1.1.1',
  '8.8.8.8',
  '145.100.1.1',
  '100.63.255.255',
  '100.128.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.169.0.1',
  '223.255.255.255',
  '2a00:1450:400e:80f::200e',
  '2606:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '::ffff:808:808',
  '2002:808:808::1',
];

const nonPublicAddresses = [
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '10.255.255.255',
  '100.64.0.1',
  '100.127.255.255',
  '127.0.0.1',
  '127.0.1.1',
  '169.254.169.254',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.10',
  '192.168.1.1',
  '198.18.0.1',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  '0:0:0:0:0:0:0:1',
  '::127.0.0.1',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'fe80::1%eth0',
  'ff02::1',
  '2001:db8::1',
  '2001:db8:ffff::1',
  '3fff::1',
  '64:ff9b::a00:1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.0.0.1',
  '::FFFF:192.168.0.1',
  '::ffff:169.254.169.254',
  '2002:7f00:1::1',
  '2002:a00:1::',
  '4000::1',
];

const notAddresses = ['', 'localhost', 'example.com', '1.2.3', '1.2.3.256', '01.2.3.4', ' 1.2.3.4', '[::1]', '::g'];

describe('isPublicAddress', () => {
  for (const address of publicAddresses) {
    it(`admits ${address}`, () => assert.equal(isPublicAddress(address), true));
  }
  for (const address of nonPublicAddresses) {
    it(`refuses ${address}`, () => assert.equal(isPublicAddress(address), false));
  }
  for (const address of notAddresses) {
    it(`refuses the non-address ${JSON.stringify(address)}`, () => assert.equal(isPublicAddress(address), false));
  }
  it('refuses values that are not strings', () => {
    assert.equal(isPublicAddress(undefined as unknown as string), false);
    assert.equal(isPublicAddress(2130706433 as unknown as string), false);
  });
});

describe('assertTargetAllowed', () => {
  it('lets public addresses through', () => {
    assertTargetAllowed('8.8.8.8', { allowPrivate: false });
    assertTargetAllowed('2606:4700::1111', { allowPrivate: false });
  });

  it('refuses private targets with a target_refused AppError naming the address', () => {
    assert.throws(
      () => assertTargetAllowed('127.0.1.1', { allowPrivate: false }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'target_refused' &&
        error.messageKey === 'errors.target_refused' &&
        error.params.address === '127.0.1.1',
    );
  });

  it('admits loopback and private targets when allowed', () => {
    for (const address of ['127.0.1.1', '10.0.0.1', '::1', 'fd00::1', '::ffff:127.0.0.1']) {
      assertTargetAllowed(address, { allowPrivate: true });
    }
  });

  it('never admits unspecified, broadcast, multicast or garbage', () => {
    for (const address of ['0.0.0.0', '255.255.255.255', '224.0.0.1', '::', 'ff02::1', '::ffff:0.0.0.0', 'nonsense']) {
      assert.throws(() => assertTargetAllowed(address, { allowPrivate: true }), AppError, address);
    }
  });
});
