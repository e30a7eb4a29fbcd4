import net from 'node:net';

/**
 * Opens `count` event streams to 127.0.0.1:`port` from 127.0.0.`first`…, each with a request a browser
 * would send (with `upgrade`: and the Upgrade header Nginx adds in front of onsale); holds them.
 */
const [port, count, upgrade] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] === 'upgrade'];
const first = 2;
const upgradeHeaders = upgrade ? 'connection: upgrade\r\nupgrade: onsale-events\r\n' : '';
const token = 'e'.repeat(280);
const sockets: net.Socket[] = [];
for (let i = 0; i < count; i++) {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${first + (i % 8)}` });
  socket.on('error', (error) => console.error(error.message)).on('data', () => undefined);
  socket.write(
    `GET /api/shows/8d3b/queue/events HTTP/1.1\r\nhost: onsale.test\r\naccept: text/event-stream\r\nauthorization: Bearer ${token}\r\n` +
      `user-agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0\r\naccept-language: ko-KR,ko;q=0.9\r\n${upgradeHeaders}\r\n`,
  );
  sockets.push(socket);
  if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 20));
}
process.send?.('open');
setInterval(() => undefined, 60_000);
