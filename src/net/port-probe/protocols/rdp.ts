// RDP: an X.224 Connection Request in a TPKT (RFC 1006) carrying an RDP Negotiation Request
// ([MS-RDPBCGR] 2.2.1.1) for TLS and CredSSP. A server that answers with a TPKT holding an
// X.224 Connection Confirm (0xD0) speaks RDP; its negotiation response tells whether Network
// Level Authentication (CredSSP) is enforced.
import type { Identification, RequestProtocol } from '../types.ts';

const PROTOCOL_TLS = 0x01;
const PROTOCOL_HYBRID = 0x02;

export const rdpConnectionRequest = Buffer.from([
  0x03, 0x00, 0x00, 0x13, // TPKT: version 3, length 19
  0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, // X.224 CR TPDU, no cookie
  0x01, 0x00, 0x08, 0x00, PROTOCOL_TLS | PROTOCOL_HYBRID, 0x00, 0x00, 0x00, // RDP_NEG_REQ
]);

const complete = (data: Buffer) => data.length >= 4 && data[0] === 0x03 && data.length >= data.readUInt16BE(2);

const selectedProtocols: Record<number, string> = { 0: 'rdp', 1: 'tls', 2: 'credssp', 8: 'credssp-early', 4: 'rdstls' };

export function matchRdpConfirm(data: Buffer): Identification | undefined {
  if (data.length < 11 || data[0] !== 0x03 || data[1] !== 0x00) return undefined;
  const length = data.readUInt16BE(2);
  if (length !== data.length || length < 11 || length > 64) return undefined;
  const x224Length = data[4] as number;
  if (x224Length + 5 !== length || ((data[5] as number) & 0xf0) !== 0xd0) return undefined;
  const detail: Identification['detail'] = {};
  if (length >= 19) {
    const type = data[11];
    const value = data.readUInt32LE(15);
    if (type === 0x02) {
      detail.securityProtocol = selectedProtocols[value] ?? String(value);
      detail.nla = (value & (PROTOCOL_HYBRID | 0x08)) !== 0;
    } else if (type === 0x03) {
      detail.negotiationFailure = value;
    }
  }
  return { service: 'rdp', product: null, version: null, detail };
}

export const rdp: RequestProtocol = {
  id: 'rdp',
  async converse(session, context) {
    session.write(rdpConnectionRequest);
    await session.waitFor(complete, context.readTimeoutMs);
    return matchRdpConfirm(session.received());
  },
};
