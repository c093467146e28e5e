/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum AWS event-stream frames carry twice.
 * Table-driven; small enough that a dependency would cost more than it saves.
 */

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * Continues a running CRC over `bytes[start, end)`; pass the previous result as `crc` to checksum data that
 * arrives in pieces without copying it together first.
 */
export function crc32(bytes: Uint8Array, crc = 0, start = 0, end = bytes.length): number {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}
