// Raw printing (port 9100, "JetDirect"): a printer that speaks PJL answers `@PJL INFO ID` with
// the echoed command and its model name in quotes. The request is wrapped in the Universal
// Exit Language sequence so nothing is printed.
import type { Identification, RequestProtocol } from '../types.ts';

const UEL = '\x1b%-12345X';
export const pjlInfoId = `${UEL}@PJL INFO ID\r\n${UEL}\r\n`;

export function matchPjlReply(data: Buffer): Identification | undefined {
  const text = data.toString('latin1');
  const found = /^@PJL INFO ID\r?\n"?([\x20-\x7e]{1,120}?)"?\r?\n/.exec(text);
  if (!found) return undefined;
  return { service: 'printer-raw', product: null, version: null, detail: { model: (found[1] as string).trim() } };
}

export const pjl: RequestProtocol = {
  id: 'pjl',
  async converse(session, context) {
    session.write(pjlInfoId);
    await session.waitFor((data) => /^@PJL INFO ID\r?\n[^\n]*\n/.test(data.toString('latin1')), context.readTimeoutMs);
    return matchPjlReply(session.received());
  },
};
