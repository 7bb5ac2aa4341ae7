import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostedProviderOf, isMicrosoftDaneMx, mailProviderOf } from './mx-providers.ts';

describe('mail providers by MX name', () => {
  it('recognises Microsoft 365 and Google Workspace', () => {
    assert.equal(mailProviderOf('bakkerij-nl.mail.protection.outlook.com'), 'microsoft365');
    assert.equal(mailProviderOf('Bakkerij-NL.mail.protection.outlook.com.'), 'microsoft365');
    assert.equal(mailProviderOf('bakkerij-nl.o-v1.mx.microsoft'), 'microsoft365');
    assert.equal(mailProviderOf('aspmx.l.google.com'), 'google');
    assert.equal(mailProviderOf('alt3.aspmx.l.google.com'), 'google');
    assert.equal(mailProviderOf('aspmx2.googlemail.com'), 'google');
    assert.equal(mailProviderOf('smtp.google.com'), 'google');
  });
  it('does not take look-alikes or self-hosted servers for a provider', () => {
    assert.equal(mailProviderOf('mail.protection.outlook.com.evil.nl'), null);
    assert.equal(mailProviderOf('aspmx.l.google.com.evil.nl'), null);
    assert.equal(mailProviderOf('mx.bakkerij.nl'), null);
    assert.equal(mailProviderOf('alt9.aspmx.l.google.com'), null);
  });
  it('calls a domain hosted only when every MX is the same provider', () => {
    assert.equal(hostedProviderOf(['aspmx.l.google.com', 'alt1.aspmx.l.google.com']), 'google');
    assert.equal(hostedProviderOf(['aspmx.l.google.com', 'mx.bakkerij.nl']), null);
    assert.equal(hostedProviderOf([]), null);
    assert.equal(isMicrosoftDaneMx('x.o-v1.mx.microsoft'), true);
    assert.equal(isMicrosoftDaneMx('x.mail.protection.outlook.com'), false);
  });
});
