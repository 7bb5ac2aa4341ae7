// SSH (RFC 4253 §4.2): the server sends `SSH-protoversion-softwareversion SP comments CRLF`
// first; some send other text lines before it. Product and version come from the software field.
import { type BannerProtocol, type Identification, lines } from '../types.ts';

const versionLine = /^SSH-(2\.0|1\.99|1\.5)-([\x21-\x2c\x2e-\x7e][\x21-\x7e]{0,199})(?: ([\x20-\x7e]{0,200}))?$/;

function product(software: string): { product: string | null; version: string | null } {
  const openssh = /^OpenSSH_(\d+\.\d+(?:\.\d+)?(?:p\d+)?)/i.exec(software);
  if (openssh) return { product: 'openssh', version: openssh[1] as string };
  const dropbear = /^dropbear_(\d{4}\.\d+)/i.exec(software);
  if (dropbear) return { product: 'dropbear', version: dropbear[1] as string };
  const generic = /^([A-Za-z][A-Za-z0-9.]*?)[_-](\d+(?:\.\d+)*)/.exec(software);
  if (generic) return { product: (generic[1] as string).toLowerCase(), version: generic[2] as string };
  return { product: null, version: null };
}

export const ssh: BannerProtocol = {
  id: 'ssh',
  complete: (data) => lines(data).some((line) => line.startsWith('SSH-')),
  match(data): Identification | undefined {
    const line = lines(data).slice(0, 10).find((candidate) => candidate.startsWith('SSH-'));
    const parsed = line === undefined ? null : versionLine.exec(line);
    if (!parsed) return undefined;
    const software = parsed[2] as string;
    return {
      service: 'ssh',
      ...product(software),
      detail: { protocol: parsed[1] as string, software, ...(parsed[3] ? { comment: parsed[3] } : {}) },
    };
  },
};
