// The few bytes of SNMP the exposure scan needs, BER-encoded and decoded by hand: one SNMPv2c
// GetRequest (RFC 3416 §3, message format RFC 1901/3417) and the parse of its Response. This is
// deliberately tiny and protocol-specific, not a general ASN.1 library: the decoder reads only
// this fixed shape, definite lengths of at most 4 bytes, single-byte tags, at most
// `maxDatagramBytes` of input and `maxBindings` variable bindings; anything else is "not SNMP".
// Only read requests are ever built (no SetRequest exists here).

/** sysDescr.0 (SNMPv2-MIB, RFC 3418): a textual description of the device. */
export const sysDescrOid = '1.3.6.1.2.1.1.1.0';

/** SNMP version field: 0 = v1, 1 = v2c (RFC 1901). */
export const snmpV2c = 1;

export const maxDatagramBytes = 4096;
export const maxBindings = 8;
/** DisplayString is SIZE (0..255) (RFC 2579). */
export const maxDisplayStringBytes = 255;

const tag = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  getRequest: 0xa0,
  response: 0xa2,
  // SNMPv2 exceptions in a variable binding (RFC 3416 §3).
  noSuchObject: 0x80,
  noSuchInstance: 0x81,
  endOfMibView: 0x82,
} as const;

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length <= 0xff) return Buffer.from([0x81, length]);
  if (length <= 0xffff) return Buffer.from([0x82, length >> 8, length & 0xff]);
  throw new RangeError('BER value too long for an SNMP request');
}

function tlv(tagByte: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tagByte]), encodeLength(value.length), value]);
}

/** A non-negative INTEGER in the fewest two's-complement bytes. */
function encodeInteger(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) throw new RangeError('SNMP integer out of range');
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(tag.integer, Buffer.from(bytes));
}

export function encodeOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((arc) => !Number.isInteger(arc) || arc < 0 || arc > 0xffffffff)) throw new RangeError(`bad OID ${dotted}`);
  const bytes: number[] = [(arcs[0] as number) * 40 + (arcs[1] as number)];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [];
    let rest = arc;
    do {
      groups.unshift(rest & 0x7f);
      rest = Math.floor(rest / 128);
    } while (rest > 0);
    groups.forEach((group, index) => bytes.push(index < groups.length - 1 ? group | 0x80 : group));
  }
  return tlv(tag.oid, Buffer.from(bytes));
}

export interface GetRequest {
  community: string;
  requestId: number;
  oids: readonly string[];
}

/** An SNMPv2c GetRequest-PDU asking for `oids` (values NULL, as RFC 3416 requires). */
export function encodeGetRequest(request: GetRequest): Buffer {
  const bindings = request.oids.map((oid) => tlv(tag.sequence, Buffer.concat([encodeOid(oid), tlv(tag.null, Buffer.alloc(0))])));
  const pdu = tlv(tag.getRequest, Buffer.concat([encodeInteger(request.requestId), encodeInteger(0), encodeInteger(0), tlv(tag.sequence, Buffer.concat(bindings))]));
  return tlv(tag.sequence, Buffer.concat([encodeInteger(snmpV2c), tlv(tag.octetString, Buffer.from(request.community, 'latin1')), pdu]));
}

interface Tlv {
  tag: number;
  value: Buffer;
  /** Offset just past this element in the buffer it was read from. */
  end: number;
}

/** One element at `offset` that must end by `limit`; undefined for anything malformed. */
function readTlv(buffer: Buffer, offset: number, limit: number): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tagByte = buffer[offset] as number;
  if ((tagByte & 0x1f) === 0x1f) return undefined; // multi-byte tags never occur in SNMP
  let lengthByte = buffer[offset + 1] as number;
  let cursor = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4 || cursor + count > limit) return undefined; // indefinite or absurd
    length = 0;
    for (let index = 0; index < count; index += 1) {
      lengthByte = buffer[cursor + index] as number;
      length = length * 256 + lengthByte;
    }
    cursor += count;
  }
  if (cursor + length > limit) return undefined;
  return { tag: tagByte, value: buffer.subarray(cursor, cursor + length), end: cursor + length };
}

/** A signed INTEGER of 1 to 4 bytes (Integer32), else undefined. */
function readInteger(element: Tlv | undefined): number | undefined {
  if (!element || element.tag !== tag.integer || element.value.length < 1 || element.value.length > 4) return undefined;
  return element.value.readIntBE(0, element.value.length);
}

export interface VariableBinding {
  /** The OID as its BER content bytes (compare with `encodeOid(...)` content). */
  oid: Buffer;
  /** BER tag of the value: 0x04 OCTET STRING, 0x80–0x82 SNMPv2 exceptions, … */
  valueTag: number;
  value: Buffer;
}

export interface SnmpMessage {
  version: number;
  community: Buffer;
  pduTag: number;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  bindings: VariableBinding[];
}

/**
 * Parse one SNMP message (any PDU type) strictly: the outer SEQUENCE must span the whole
 * datagram, every field must be present with its type. Undefined means "not an SNMP message".
 */
export function decodeSnmpMessage(datagram: Buffer): SnmpMessage | undefined {
  if (datagram.length > maxDatagramBytes) return undefined;
  const message = readTlv(datagram, 0, datagram.length);
  if (!message || message.tag !== tag.sequence || message.end !== datagram.length) return undefined;
  const body = message.value;
  const versionElement = readTlv(body, 0, body.length);
  const version = readInteger(versionElement);
  if (version === undefined || !versionElement) return undefined;
  const community = readTlv(body, versionElement.end, body.length);
  if (!community || community.tag !== tag.octetString) return undefined;
  const pdu = readTlv(body, community.end, body.length);
  if (!pdu || (pdu.tag & 0xe0) !== 0xa0 || pdu.end !== body.length) return undefined;
  const fields = pdu.value;
  const requestIdElement = readTlv(fields, 0, fields.length);
  const errorStatusElement = requestIdElement && readTlv(fields, requestIdElement.end, fields.length);
  const errorIndexElement = errorStatusElement && readTlv(fields, errorStatusElement.end, fields.length);
  const requestId = readInteger(requestIdElement);
  const errorStatus = readInteger(errorStatusElement);
  const errorIndex = readInteger(errorIndexElement);
  if (requestId === undefined || errorStatus === undefined || errorIndex === undefined || !errorIndexElement) return undefined;
  const list = readTlv(fields, errorIndexElement.end, fields.length);
  if (!list || list.tag !== tag.sequence || list.end !== fields.length) return undefined;
  const bindings: VariableBinding[] = [];
  let offset = 0;
  while (offset < list.value.length) {
    if (bindings.length >= maxBindings) return undefined;
    const binding = readTlv(list.value, offset, list.value.length);
    if (!binding || binding.tag !== tag.sequence) return undefined;
    const name = readTlv(binding.value, 0, binding.value.length);
    if (!name || name.tag !== tag.oid || name.value.length === 0) return undefined;
    const value = readTlv(binding.value, name.end, binding.value.length);
    if (!value || value.end !== binding.value.length) return undefined;
    bindings.push({ oid: name.value, valueTag: value.tag, value: value.value });
    offset = binding.end;
  }
  return { version, community: community.value, pduTag: pdu.tag, requestId, errorStatus, errorIndex, bindings };
}

export const pduTags = tag;

const sysDescrOidContent = encodeOid(sysDescrOid).subarray(2);

/** The sysDescr.0 bytes of a Response without error, capped at 255 bytes; null when absent. */
export function sysDescrOf(message: SnmpMessage): Buffer | null {
  if (message.pduTag !== tag.response || message.errorStatus !== 0) return null;
  const binding = message.bindings.find((candidate) => candidate.oid.equals(sysDescrOidContent));
  if (!binding || binding.valueTag !== tag.octetString) return null;
  return binding.value.subarray(0, maxDisplayStringBytes);
}

/**
 * A DisplayString made safe to store and show: UTF-8 when it is valid UTF-8 (else Latin-1),
 * control and format characters (including bidi overrides) replaced by spaces, whitespace
 * collapsed, at most 255 characters.
 */
export function cleanDisplayString(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = bytes.toString('latin1');
  }
  return text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\uFFFD]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxDisplayStringBytes);
}
