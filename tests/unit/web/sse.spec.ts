import { expect } from 'chai';
import { readEvents, type ServerEvent } from '../../../web/src/api/sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<ServerEvent[]> {
  const events: ServerEvent[] = [];
  for await (const event of readEvents(streamOf(chunks))) events.push(event);
  return events;
}

describe('web: reading Server-Sent Events', () => {
  it('when events arrive split across chunks, then each is read whole with its name', async () => {
    const events = await collect([
      'retry: 5000\n\nevent: posi',
      'tion\ndata: {"ahead":3}\n',
      '\n: keep-alive\n\nevent: admitted\r\ndata: {"a":1}\r\n\r\n',
    ]);
    expect(events).to.deep.equal([
      { event: 'position', data: '{"ahead":3}' },
      { event: 'admitted', data: '{"a":1}' },
    ]);
  });

  it('when an event has several data lines and no name, then they are joined and it is a "message"', async () => {
    expect(await collect(['data: a\ndata:b\n\n'])).to.deep.equal([{ event: 'message', data: 'a\nb' }]);
  });

  it('when the stream ends in the middle of an event, then that event is dropped', async () => {
    expect(await collect(['event: position\ndata: {}'])).to.deep.equal([]);
  });
});
