import { STATUS_CODES } from 'node:http';

/**
 * A status line and head for a socket that Node's HTTP server has handed over (an upgraded
 * request answered without switching protocols, RFC 9110 §7.8): the connection is not the HTTP
 * parser's any more, so it closes after the body, which ends with it unless it has a length.
 */
export function rawHead(status: number, headers: Record<string, string>): string {
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nDate: ${new Date().toUTCString()}\r\nConnection: close\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  return `${head}\r\n`;
}
