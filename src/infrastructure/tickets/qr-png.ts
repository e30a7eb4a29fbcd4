import { crc32, deflateSync } from 'node:zlib';
import { qrModules } from './qr-modules.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A ticket code as a black-and-white PNG QR code (error correction M, a quiet zone of 2 modules),
 * `scale` pixels per module. Written as a 1-bit greyscale PNG by hand: the QR library's PNG path
 * (pngjs, 8-bit RGBA and five row filters tried per row) took 25–65 ms a code on this machine,
 * which the mail sender paid for every ticket during a sale; this takes well under a millisecond
 * and gives a smaller file.
 */
export function qrPng(code: string, scale = 10, margin = 2): Buffer {
  const modules = qrModules(code);
  const size = (modules.size + 2 * margin) * scale;
  const rowBytes = Math.ceil(size / 8);
  const raw = Buffer.alloc((rowBytes + 1) * size, 0); // filter byte 0 (none) before each row
  const line = Buffer.alloc(rowBytes, 0);
  const n = modules.size;
  for (let my = -margin; my < n + margin; my++) {
    line.fill(0);
    // module by module, its `scale` pixels (greyscale 1-bit: 1 is white, so a light pixel sets its bit)
    for (let mx = -margin; mx < n + margin; mx++) {
      if (mx >= 0 && my >= 0 && mx < n && my < n && modules.data[my * n + mx] === 1) continue;
      for (let x = (mx + margin) * scale, end = x + scale; x < end; x++) line[x >> 3]! |= 0x80 >> (x & 7);
    }
    // the same pixel row `scale` times
    for (let y = (my + margin) * scale, end = y + scale; y < end; y++) line.copy(raw, y * (rowBytes + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filters, no interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
