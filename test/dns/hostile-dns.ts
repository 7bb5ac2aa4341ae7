// A hostile DNS server for the DNS gatherers' robustness tests, on UDP and TCP port 53 of one
// loopback address in this area's range. What it does depends on the name asked:
//   *.slow.hostile.test       never answers (UDP), accepts TCP and never replies
//   *.cut.hostile.test        answers with a packet cut off in the middle of a record
//   *.loop.hostile.test       answers with a compression pointer that points at itself
//   *.huge.hostile.test       sets TC over UDP; over TCP sends ~64 KB of TXT records
//   *.garbage.hostile.test    answers with random bytes behind the right id
// Anything else gets a plain NXDOMAIN.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import dnsPacket from 'dns-packet';

export const hostileHost = '127.0.8.50';
export type Hostility = 'slow' | 'cut' | 'loop' | 'huge' | 'garbage';

export interface HostileDnsServer {
  address: string;
  close(): Promise<void>;
}

function behaviourOf(name: string): Hostility | undefined {
  const match = /(?:^|\.)(slow|cut|loop|huge|garbage)\.hostile\.test\.?$/i.exec(name);
  return match?.[1]?.toLowerCase() as Hostility | undefined;
}

function questionOf(query: Buffer): dnsPacket.Packet | undefined {
  try {
    return dnsPacket.decode(query);
  } catch {
    return undefined;
  }
}

function nxdomain(query: dnsPacket.Packet): Buffer {
  return dnsPacket.encode({ id: query.id, type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER | 3, questions: query.questions });
}

function hugeTxt(query: dnsPacket.Packet): Buffer {
  const name = query.questions?.[0]?.name ?? 'x';
  const chunk = Buffer.alloc(255, 0x41);
  const answers: dnsPacket.Answer[] = [];
  // As many 255-byte TXT strings as fit in the 64 KiB a TCP message can carry.
  const packet = (): dnsPacket.Packet => ({ id: query.id, type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: query.questions, answers });
  for (;;) {
    answers.push({ type: 'TXT', name, ttl: 60, data: [chunk] });
    if (dnsPacket.encodingLength(packet()) > 65_535) {
      answers.pop();
      break;
    }
  }
  return dnsPacket.encode(packet());
}

function udpReply(query: dnsPacket.Packet, raw: Buffer): Buffer | undefined {
  const name = query.questions?.[0]?.name ?? '';
  const behaviour = behaviourOf(name);
  switch (behaviour) {
    case undefined:
      return nxdomain(query);
    case 'slow':
      return undefined;
    case 'cut': {
      const full = dnsPacket.encode({ id: query.id, type: 'response', flags: 0, questions: query.questions, answers: [{ type: 'A', name, ttl: 60, data: '192.0.2.1' }] });
      return full.subarray(0, full.length - 6);
    }
    case 'loop': {
      // Header + the question as asked, then one answer whose name is a pointer to itself.
      const header = Buffer.from(raw.subarray(0, 12));
      header.writeUInt16BE(0x8400, 2);
      header.writeUInt16BE(1, 6);
      header.writeUInt16BE(0, 10);
      let end = 12;
      while (end < raw.length && raw[end] !== 0) end += (raw[end] as number) + 1;
      const question = raw.subarray(12, end + 5);
      const offset = 12 + question.length;
      const pointer = Buffer.from([0xc0 | (offset >> 8), offset & 0xff]);
      const rest = Buffer.from([0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]);
      return Buffer.concat([header, question, pointer, rest]);
    }
    case 'huge':
      return dnsPacket.encode({ id: query.id, type: 'response', flags: dnsPacket.TRUNCATED_RESPONSE, questions: query.questions });
    case 'garbage': {
      const bytes = randomBytes(64);
      bytes.writeUInt16BE(query.id ?? 0, 0);
      return bytes;
    }
  }
}

export async function startHostileDns(host = hostileHost): Promise<HostileDnsServer> {
  const udp = createSocket('udp4');
  udp.on('message', (message, remote) => {
    const query = questionOf(message);
    if (!query) return;
    const reply = udpReply(query, message);
    if (reply) udp.send(reply, remote.port, remote.address);
  });
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < buffered.readUInt16BE(0) + 2) return;
      const raw = buffered.subarray(2, buffered.readUInt16BE(0) + 2);
      const query = questionOf(raw);
      if (!query) return socket.destroy();
      const behaviour = behaviourOf(query.questions?.[0]?.name ?? '');
      if (behaviour === 'slow') return; // keep the connection open, say nothing
      const reply = behaviour === 'huge' ? hugeTxt(query) : udpReply(query, raw);
      if (!reply) return socket.destroy();
      const length = Buffer.alloc(2);
      length.writeUInt16BE(reply.length);
      socket.end(Buffer.concat([length, reply]));
    });
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(53, host, () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(53, host, () => resolve());
  });
  return {
    address: `${host}:53`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), new Promise<void>((resolve) => tcp.close(() => resolve()))]);
    },
  };
}
