import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/**
 * A long poll's connection taken off Node's HTTP server while its answer is held back, as Node
 * takes an upgraded connection off it: the server's listeners come off the socket and its HTTP
 * parser is freed, so that a parked poll keeps the socket and a few fields (not the parser, the
 * request and response objects, their head strings and listeners). The answer is written on the
 * socket as the bytes Node's response would have written (its head rendered by Node's own
 * ServerResponse), and the connection is handed back to the server (`'connection'`, as the http
 * docs allow), so that it serves the connection's next request as before.
 */

/** What Node's HTTP server keeps on a connection's socket (private fields, read with care). */
interface ServerSocket extends Socket {
  parser?: { incoming?: IncomingMessage | null } | null;
  server?: Server;
  _httpMessage?: ServerResponse | null;
  _handle?: { _consumed?: boolean } | null;
}

/** Node's private fields of a response that shape its head. */
interface HeadFields {
  _keepAliveTimeout?: number;
  _maxRequestsPerSocket?: number;
  maxRequestsOnConnectionReached?: boolean;
  _header?: string | null;
  _last?: boolean;
  _hasBody?: boolean;
  chunkedEncoding?: boolean;
}

/** The parked connections (no field added to a socket: Node's sockets have many, one more costs more than an entry here). */
const parked = new Map<Socket, ParkableResponse>();
/** Connections handed back after an answer, idle until their next request. */
const idleAfterPoll = new WeakSet<Socket>();

/** Node's own parser release, as its upgrade path uses it (a Node without it: polls are not parked). */
const { freeParser } = createRequire(import.meta.url)('_http_common') as {
  freeParser?: (parser: unknown, request: unknown, socket: unknown) => void;
};

/** The listeners Node's HTTP server puts on a connection's socket (connectionListenerInternal), by name. */
const SERVER_LISTENERS: [event: string, name: string][] = [
  ['data', 'bound socketOnData'],
  ['end', 'bound socketOnEnd'],
  ['close', 'bound socketOnClose'],
  ['drain', 'bound socketOnDrain'],
  ['error', 'socketOnError'],
  ['timeout', 'socketOnTimeout'],
  ['pause', 'onSocketPause'],
  ['resume', 'onSocketResume'],
];

/** How many long polls' connections are parked now (off Node's HTTP server) in this process. */
export function parkedPolls(): number {
  return parked.size;
}

/** Parked connections hand their next request back to the server; these servers reset its idle timeout then. */
const resetting = new WeakSet<Server>();

/**
 * A hot route's response: Node's until `park` is called (the answer is held back), from then on
 * the socket alone. `writeHead(…).end(…)` writes the answer either way.
 */
export class ParkableResponse {
  private request: IncomingMessage | undefined;
  private response: ServerResponse | undefined;
  private socket: ServerSocket | undefined;
  /** Bytes the client sent while parked (a pipelined request): the server reads them once it has the connection back. */
  private pending: Buffer[] | undefined;
  private keepAlive = true;
  private chunked = true;
  private maxReached = false;
  /** The connection ends after the answer (its head says `Connection: close`). */
  private last = false;
  private status = 200;
  private headers: OutgoingHttpHeaders | undefined;

  constructor(request: IncomingMessage, response: ServerResponse) {
    this.request = request;
    this.response = response;
  }

  /** Whether the connection is gone (or the answer already written). */
  get destroyed(): boolean {
    return this.response?.destroyed ?? this.socket?.destroyed ?? true;
  }

  /** Whether the connection is parked now (off Node's HTTP server). */
  get parked(): boolean {
    return this.socket !== undefined;
  }

  /**
   * The answer is held back: take the connection off Node's HTTP server. Left as it is (the answer
   * goes through Node's response) when that cannot be done cleanly: another request of the
   * connection already read (pipelined), the socket gone, or Node's listeners not the ones known.
   * (A method, not an arrow field: a field's function gets a `name` of its own, 256 bytes a poll.)
   */
  park(): void {
    const { request, response } = this;
    if (!request || !response || !freeParser) return;
    const socket = request.socket as ServerSocket;
    const parser = socket.parser;
    const server = socket.server;
    if (!parser || parser.incoming !== request || !request.complete || socket._httpMessage !== response) return;
    if (response.headersSent || socket.destroyed || !socket._handle || !server) return;
    const found = SERVER_LISTENERS.map(([event, name]) => socket.listeners(event).find((listener) => listener.name === name));
    if (found.some((listener) => listener === undefined)) return;
    SERVER_LISTENERS.forEach(([event], i) => socket.removeListener(event, found[i] as (...args: unknown[]) => void));
    const fields = response as ServerResponse & HeadFields;
    this.keepAlive = response.shouldKeepAlive;
    this.chunked = response.useChunkedEncodingByDefault;
    this.maxReached = fields.maxRequestsOnConnectionReached === true;
    response.detachSocket(socket);
    freeParser(parser, request, socket);
    parked.set(socket, this);
    socket.on('data', onParkedData);
    socket.on('end', onParkedEnd);
    socket.on('error', onParkedError);
    this.socket = socket;
    this.request = undefined;
    this.response = undefined;
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): this {
    if (this.response) this.response.writeHead(status, headers);
    else {
      this.status = status;
      this.headers = headers;
    }
    return this;
  }

  end(text?: string): void {
    const { response, socket } = this;
    this.request = undefined;
    this.response = undefined;
    if (response) {
      response.end(text);
      return;
    }
    if (!socket) throw new Error('a parkable response answered twice');
    this.socket = undefined;
    socket.removeListener('data', onParkedData);
    socket.removeListener('end', onParkedEnd);
    socket.removeListener('error', onParkedError);
    parked.delete(socket);
    // the client went away: its wait ended at its socket's close, nobody to tell
    if (socket.destroyed || !socket.writable) return;
    const server = socket.server!;
    socket.write(this.bytes(server, text));
    if (this.last || !server.listening) {
      // as Node's response does when it is the connection's last (or the server is draining)
      socket.end();
      socket.once('finish', () => socket.destroy());
      return;
    }
    handBack(socket, server, this.pending);
  }

  /**
   * The bytes Node's response would write for this answer: its head (rendered by a response of
   * Node's own, shaped as the parked one was) and the body, framed as chunks when the head says so.
   */
  private bytes(server: Server, text: string | undefined): string {
    const like = { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} } as IncomingMessage;
    const render = new ServerResponse(like) as ServerResponse & HeadFields;
    render.shouldKeepAlive = this.keepAlive;
    render.useChunkedEncodingByDefault = this.chunked;
    render.maxRequestsOnConnectionReached = this.maxReached;
    render._keepAliveTimeout = server.keepAliveTimeout;
    render._maxRequestsPerSocket = server.maxRequestsPerSocket ?? undefined;
    render.writeHead(this.status, this.headers ?? {});
    this.last = render._last === true;
    const head = render._header!;
    if (!render._hasBody) return head;
    if (!render.chunkedEncoding) return text === undefined ? head : head + text;
    const chunk = text ? `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n` : '';
    return `${head}${chunk}0\r\n\r\n`;
  }

  /** @internal the client sent bytes while parked */
  hold(chunk: Buffer): void {
    (this.pending ??= []).push(chunk);
  }
}

function onParkedData(this: ServerSocket, chunk: Buffer): void {
  parked.get(this)?.hold(chunk);
}

/** The client ended its side: as Node's server does (no half-open HTTP), end ours; the close ends the wait. */
function onParkedEnd(this: ServerSocket): void {
  this.end();
}

function onParkedError(this: ServerSocket): void {
  this.destroy();
}

/**
 * The connection back to Node's HTTP server, as a new one: a fresh parser reads its next request
 * (first what came while parked), idle for the server's keep-alive timeout as after any answer.
 */
function handBack(socket: ServerSocket, server: Server, pending: Buffer[] | undefined): void {
  if (pending) socket.unshift(Buffer.concat(pending));
  // the parser let go of the socket's stream (freeParser): the next one may read it straight again
  if (socket._handle) socket._handle._consumed = false;
  server.emit('connection', socket);
  const keepAlive = server.keepAliveTimeout;
  if (keepAlive > 0) {
    socket.setTimeout(keepAlive + (server.keepAliveTimeoutBuffer ?? 1000));
    idleAfterPoll.add(socket);
    if (!resetting.has(server)) {
      resetting.add(server);
      server.prependListener('request', onRequestAfterPark);
    }
  }
}

/** A handed-back connection's next request: its idle timeout ends, as Node ends it on a request (resetSocketTimeout). */
function onRequestAfterPark(this: Server, request: IncomingMessage): void {
  const socket = request.socket as ServerSocket;
  if (!idleAfterPoll.delete(socket)) return;
  socket.setTimeout(this.timeout || 0);
}
