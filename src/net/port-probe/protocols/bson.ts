// Just enough BSON (bsonspec.org) for the MongoDB handshake: encode a flat document of
// numbers and strings, read the top-level fields of a reply (nested documents are skipped).

export type BsonValue = number | string | boolean | null | { nested: true };

export function encodeDocument(fields: Array<[string, number | string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const key = Buffer.from(`${name}\0`, 'utf8');
    if (typeof value === 'number') {
      const number = Buffer.alloc(4);
      number.writeInt32LE(value);
      parts.push(Buffer.from([0x10]), key, number);
    } else {
      const text = Buffer.from(`${value}\0`, 'utf8');
      const length = Buffer.alloc(4);
      length.writeInt32LE(text.length);
      parts.push(Buffer.from([0x02]), key, length, text);
    }
  }
  const body = Buffer.concat([...parts, Buffer.from([0])]);
  const header = Buffer.alloc(4);
  header.writeInt32LE(body.length + 4);
  return Buffer.concat([header, body]);
}

/** Top-level fields of the document at `data[0]`, or undefined when it is not well-formed BSON. */
export function decodeTopLevel(data: Buffer, maxFields = 200): Map<string, BsonValue> | undefined {
  if (data.length < 5) return undefined;
  const length = data.readInt32LE(0);
  if (length < 5 || length > data.length || data[length - 1] !== 0) return undefined;
  const fields = new Map<string, BsonValue>();
  let index = 4;
  while (index < length - 1) {
    if (fields.size >= maxFields) return undefined;
    const type = data[index] as number;
    const nameEnd = data.indexOf(0, index + 1);
    if (nameEnd < 0 || nameEnd >= length) return undefined;
    const name = data.subarray(index + 1, nameEnd).toString('utf8');
    index = nameEnd + 1;
    const need = (bytes: number) => index + bytes <= length - 1;
    switch (type) {
      case 0x01: // double
        if (!need(8)) return undefined;
        fields.set(name, data.readDoubleLE(index));
        index += 8;
        break;
      case 0x02: {
        // string
        if (!need(4)) return undefined;
        const size = data.readInt32LE(index);
        if (size < 1 || !need(4 + size)) return undefined;
        fields.set(name, data.subarray(index + 4, index + 4 + size - 1).toString('utf8'));
        index += 4 + size;
        break;
      }
      case 0x03: // document
      case 0x04: {
        // array
        if (!need(4)) return undefined;
        const size = data.readInt32LE(index);
        if (size < 5 || !need(size)) return undefined;
        fields.set(name, { nested: true });
        index += size;
        break;
      }
      case 0x05: {
        // binary
        if (!need(5)) return undefined;
        const size = data.readInt32LE(index);
        if (size < 0 || !need(5 + size)) return undefined;
        index += 5 + size;
        break;
      }
      case 0x07: // ObjectId
        if (!need(12)) return undefined;
        index += 12;
        break;
      case 0x08: // boolean
        if (!need(1)) return undefined;
        fields.set(name, data[index] === 1);
        index += 1;
        break;
      case 0x09: // UTC datetime
      case 0x11: // timestamp
      case 0x12: // int64
        if (!need(8)) return undefined;
        fields.set(name, Number(data.readBigInt64LE(index)));
        index += 8;
        break;
      case 0x0a: // null
        fields.set(name, null);
        break;
      case 0x10: // int32
        if (!need(4)) return undefined;
        fields.set(name, data.readInt32LE(index));
        index += 4;
        break;
      case 0x13: // decimal128
        if (!need(16)) return undefined;
        index += 16;
        break;
      default:
        return undefined;
    }
  }
  return fields;
}
