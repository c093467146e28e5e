/**
 * Syslog channel: RFC 5424 messages over UDP (one datagram each, RFC 5426), TCP with octet-counting framing
 * (RFC 6587) or TLS (RFC 5425). A TCP/TLS delivery counts once the bytes were handed to the kernel; the connection
 * is opened on first use and again after any error, so a restarted receiver is picked up by the next retry.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { type Socket, connect as tcpConnect } from "node:net";
import { hostname } from "node:os";
import { connect as tlsConnect } from "node:tls";
import { type LogChannel, SyslogChannelSettingsSchema } from "@thinkwatch/proto";
import * as v from "valibot";
import type { ChannelSink, ForwardedEvent } from "../channels/channel-sink.js";
import { formatRfc5424, type SyslogHeader } from "./rfc5424.js";

/** rsyslog and most receivers take 8 KiB datagrams by default; a longer event is cut (its MSG JSON is cut). */
const MAX_UDP_BYTES = 8192;
const MAX_TCP_BYTES = 256 * 1024;

function cut(message: string, maxBytes: number): Buffer {
  const bytes = Buffer.from(message, "utf8");
  if (bytes.length <= maxBytes) return bytes;
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

export function createSyslogSink(channel: LogChannel, timeoutMs: number): ChannelSink {
  const settings = v.parse(SyslogChannelSettingsSchema, channel.settings);
  const header: SyslogHeader = {
    facility: settings.facility,
    hostname: hostname(),
    appName: settings.appName,
    procId: String(process.pid),
  };

  if (settings.protocol === "udp") {
    let socket: UdpSocket | undefined;
    return {
      deliver(event: ForwardedEvent) {
        socket ??= createSocket(settings.host.includes(":") ? "udp6" : "udp4");
        const datagram = cut(formatRfc5424(event, header), MAX_UDP_BYTES);
        return new Promise<void>((resolve, reject) => {
          (socket as UdpSocket).send(datagram, settings.port, settings.host, (error) => (error ? reject(error) : resolve()));
        });
      },
      async close() {
        socket?.close();
      },
    };
  }

  let connection: Promise<Socket> | undefined;
  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const options = { host: settings.host, port: settings.port };
      const socket =
        settings.protocol === "tls"
          ? tlsConnect({ ...options, servername: settings.host, ...(settings.tlsCa ? { ca: settings.tlsCa } : {}) })
          : tcpConnect(options);
      const ready = settings.protocol === "tls" ? "secureConnect" : "connect";
      const timer = setTimeout(() => socket.destroy(new Error(`syslog connect timed out after ${timeoutMs} ms`)), timeoutMs);
      socket.once(ready, () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        connection = undefined;
        reject(error);
      });
      socket.once("close", () => {
        connection = undefined;
      });
      // Receivers do not talk back on a syslog connection; read and drop anything they send.
      socket.on("data", () => undefined);
    });

  return {
    async deliver(event: ForwardedEvent) {
      connection ??= open();
      const socket = await connection;
      const message = cut(formatRfc5424(event, header), MAX_TCP_BYTES);
      const frame = Buffer.concat([Buffer.from(`${message.length} `, "ascii"), message]);
      await new Promise<void>((resolve, reject) => {
        socket.write(frame, (error) => {
          if (error) {
            socket.destroy();
            connection = undefined;
            reject(error);
          } else resolve();
        });
      });
    },
    async close() {
      const socket = await connection?.catch(() => undefined);
      socket?.end();
    },
  };
}
