import { expect } from 'chai';
import net from 'node:net';
import { openStream } from '../../../../src/infrastructure/http/event-stream-route.js';
import { SocketSseSink } from '../../../../src/infrastructure/http/queue-event-stream.js';

type Writes = { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };

describe('opening an event stream on a socket', () => {
  it('when a stream opens with a first event, then its head and that event go to the connection in one write', async () => {
    const writes: number[] = []; // chunks per write handed to the connection
    const server = net.createServer((socket) => {
      const inner = socket as unknown as Writes;
      const [write, writev] = [inner._write.bind(socket), inner._writev.bind(socket)];
      inner._write = (...args) => (writes.push(1), write(...args));
      inner._writev = (chunks, ...rest) => (writes.push((chunks as unknown[]).length), writev(chunks, ...rest));
      openStream(
        socket,
        new SocketSseSink(socket, 'req-1'),
        (sink) => {
          sink.event('position', { state: 'waiting', position: 7 });
          return { stop: () => undefined };
        },
        5000,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    try {
      let text = '';
      await new Promise<void>((resolve) =>
        client.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.includes('"position":7}\n\n')) resolve();
        }),
      );
      expect(text).to.match(/^HTTP\/1\.1 200 [^]*\r\n\r\nretry: 5000\n\nevent: position\ndata: \{"state":"waiting","position":7\}\n\n$/);
      expect(writes).to.deep.equal([2]);
    } finally {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
