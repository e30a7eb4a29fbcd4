import net from 'node:net';

/**
 * `count` members on a connection each, from 127.0.0.2…: each joins the show's queue, then long-polls
 * (`Prefer: wait=30`) on the same connection, as the crowd's clients do; tells the parent `joined`
 * once every join is answered, then holds. With `at-once` each member long-polls as soon as its
 * join is answered (the crowd's order: a connection is idle on Node's HTTP server only in between).
 */
const [port, count, showId, atOnce] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]!, process.argv[5] === 'at-once'];
const head = (method: string, i: number) =>
  `${method} /api/shows/${showId}/queue HTTP/1.1\r\nhost: onsale.test\r\naccept: application/json\r\n` +
  `authorization: Bearer ${'e'.repeat(270)}.${i}\r\nuser-agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0\r\n` +
  'accept-language: ko-KR,ko;q=0.9\r\ncontent-length: 0\r\n';
const sockets: net.Socket[] = [];
let joined = 0;
for (let i = 0; i < count; i++) {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${2 + (i % 8)}` });
  socket.on('error', (error) => console.error(error.message));
  socket.once('data', () => {
    if (atOnce) socket.write(`${head('GET', i)}prefer: wait=30\r\n\r\n`);
    if (++joined === count) process.send?.('joined');
  });
  socket.write(`${head('POST', i)}\r\n`);
  sockets.push(socket);
  if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 50));
}
process.on('message', () => {
  if (atOnce) return;
  for (const [i, socket] of sockets.entries()) socket.write(`${head('GET', i)}prefer: wait=30\r\n\r\n`);
});
setInterval(() => undefined, 60_000);
