/**
 * The listening socket of a fake upstream: 127.0.0.1 on a free port, HTTP/1.1 and cleartext HTTP/2 (h2c, told
 * apart by the connection preface) on the same port, each request's body read whole and handed to one handler.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from "node:http2";
import { createServer as createNetServer, type Socket } from "node:net";
import { Duplex } from "node:stream";
import { createFakeExchange, type FakeExchange } from "./fake-exchange.js";

export interface FakeServer {
  readonly port: number;
  readonly origin: string;
  close(): Promise<void>;
}

export type FakeHandler = (exchange: FakeExchange) => Promise<void>;

/** The first bytes of every HTTP/2 connection preface ("PRI * HTTP/2.0…"); no HTTP/1 method starts so. */
const H2_PREFACE = Buffer.from("PRI ");

export async function listenFakeServer(handler: FakeHandler, onClientGone?: () => void): Promise<FakeServer> {
  const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const exchange = createFakeExchange(req, res, Buffer.concat(chunks), onClientGone);
      handler(exchange).catch((error: unknown) => {
        console.error("fake upstream handler failed", error);
        if (!res.headersSent) exchange.send(500, { "content-type": "text/plain" }, "fake upstream handler failed");
        else exchange.abort();
      });
    });
  };
  const http1 = createHttpServer({ keepAliveTimeout: 30_000 }, onRequest);
  const http2 = createHttp2Server({}, onRequest);
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  http2.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });

  const listener = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", (first: Buffer) => {
      const prefix = Math.min(first.length, H2_PREFACE.length);
      if (first.subarray(0, prefix).equals(H2_PREFACE.subarray(0, prefix))) {
        http2.emit("connection", replayingStream(socket, first));
        return;
      }
      socket.pause();
      socket.unshift(first);
      http1.emit("connection", socket);
      socket.resume();
    });
  });
  listener.maxConnections = 10_000;

  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(0, "127.0.0.1", () => resolve());
  });
  const address = listener.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close() {
      return new Promise<void>((resolve) => {
        listener.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        http1.close();
        http2.close();
      });
    },
  };
}

/**
 * The socket as a plain stream that first replays the bytes already read from it. HTTP/2 sessions read a real
 * socket's handle directly, past anything unshifted back into its JS buffer, so h2c gets this wrapper instead.
 */
function replayingStream(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  stream.push(first);
  socket.on("data", (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on("end", () => stream.push(null));
  socket.on("close", () => stream.destroy());
  socket.on("error", (error) => stream.destroy(error));
  return stream;
}
