// Telnet (RFC 854): a telnet server opens with option negotiation, IAC (255) followed by
// WILL/WONT/DO/DONT (251–254) and an option code, or a subnegotiation IAC SB … IAC SE. The
// banner counts as Telnet only when it starts with such commands and every command is well formed.
import type { BannerProtocol, Identification } from '../types.ts';

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;

/** Number of well-formed commands at the start, or -1 when a malformed one is found first. */
function leadingCommands(data: Buffer): number {
  let index = 0;
  let commands = 0;
  while (index < data.length && data[index] === IAC) {
    const verb = data[index + 1];
    if (verb === undefined) return commands;
    if (verb >= 0xfb && verb <= 0xfe) {
      if (index + 2 >= data.length) return commands;
      index += 3;
    } else if (verb === SB) {
      const end = data.indexOf(Buffer.from([IAC, SE]), index + 2);
      if (end < 0 || end - index > 64) return end < 0 ? commands : -1;
      index = end + 2;
    } else {
      return -1;
    }
    commands += 1;
  }
  return commands;
}

export const telnet: BannerProtocol = {
  id: 'telnet',
  complete: (data) => leadingCommands(data) > 0,
  match(data): Identification | undefined {
    const commands = leadingCommands(data);
    if (commands < 1) return undefined;
    return { service: 'telnet', product: null, version: null, detail: { negotiations: commands } };
  },
};
