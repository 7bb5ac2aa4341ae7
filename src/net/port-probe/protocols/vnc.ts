// VNC / RFB (RFC 6143 §7.1.1): the server first sends exactly `RFB xxx.yyy\n`.
import type { BannerProtocol, Identification } from '../types.ts';

const banner = /^RFB (\d{3})\.(\d{3})\n$/;

export const vnc: BannerProtocol = {
  id: 'vnc',
  complete: (data) => data.length >= 12,
  match(data): Identification | undefined {
    const parsed = banner.exec(data.subarray(0, 12).toString('latin1'));
    if (!parsed || data.length > 12) return undefined;
    return { service: 'vnc', product: null, version: null, detail: { protocol: `${Number(parsed[1])}.${Number(parsed[2])}` } };
  },
};
