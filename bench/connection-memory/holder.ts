import http from 'node:http';
import net from 'node:net';
import Koa from 'koa';
import { ParkableResponse } from '../../src/infrastructure/http/parked-poll.js';

/**
 * One server that holds every event stream opened to it, the least way each stack can: a bare `net`
 * listener that reads the request head and writes the stream's head itself, `node:http`, Koa
 * on `node:http`, and `node:http` handing the socket over on an `Upgrade: onsale-events` request
 * (what onsale does: docs/waiting-room.md), and `node:http` with the connection parked as a long poll's is while it waits. Prints its memory every 500 ms as a JSON line (`{streams, rss, heapUsed, external}`).
 */
const [mode, port] = [process.argv[2], Number(process.argv[3])];
const held: unknown[] = [];
const HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-store\r\n\r\n: waiting\n\n';

if (mode === 'net') {
  net
    .createServer((socket) => {
      let head = '';
      const onData = (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        socket.write(HEAD);
        held.push(socket);
      };
      socket.on('data', onData).on('error', () => undefined);
    })
    .listen(port, '127.0.0.1');
} else if (mode === 'http') {
  http
    .createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      response.write(': waiting\n\n');
      held.push(response);
    })
    .listen(port, '127.0.0.1');
} else if (mode === 'parked') {
  // a long poll's connection parked off the server (src/infrastructure/http/parked-poll.ts), its answer not yet written
  http
    .createServer((request, response) => {
      const parkable = new ParkableResponse(request, response);
      setImmediate(() => parkable.park());
      held.push(parkable);
    })
    .listen(port, '127.0.0.1');
} else if (mode === 'koa') {
  const app = new Koa();
  app.use((ctx) => {
    ctx.respond = false;
    ctx.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    ctx.res.write(': waiting\n\n');
    held.push(ctx);
  });
  app.listen(port, '127.0.0.1');
} else if (mode === 'upgrade') {
  const server = http.createServer((_request, response) => {
    response.writeHead(426).end();
  });
  // what serveUpgradedStreams (src/infrastructure/http/event-stream-upgrade.ts) sets up
  (server as http.Server & { shouldUpgradeCallback?: (request: http.IncomingMessage) => boolean }).shouldUpgradeCallback = (request) =>
    request.headers.upgrade === 'onsale-events';
  server
    .on('upgrade', (_request: http.IncomingMessage, socket: net.Socket) => {
      socket.on('error', () => socket.destroy()).on('end', () => socket.destroy());
      socket.resume();
      socket.setNoDelay(true);
      socket.write(HEAD.replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n'));
      held.push(socket);
    })
    .listen(port, '127.0.0.1');
} else throw new Error(`unknown mode ${mode}`);

setInterval(() => {
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ streams: held.length, rss, heapUsed, external })}\n`);
}, 500);
