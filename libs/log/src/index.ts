/** Structured JSON logging (pino): one line per event, child loggers carry service, requestId and trace ids. */
import { type Logger, type LoggerOptions, pino } from "pino";
import { traceFields } from "./trace-fields.js";

export type { Logger } from "pino";

export interface LogOptions {
  service: string;
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture lines. */
  destination?: NodeJS.WritableStream;
}

/** Field names that must never reach a log line, wherever they appear in a logged object. */
const REDACTED_PATHS = [
  "password",
  "apiKey",
  "api_key",
  "authorization",
  "headers.authorization",
  "headers['x-api-key']",
  "secret",
  "token",
  "*.password",
  "*.apiKey",
  "*.api_key",
  "*.secret",
  "*.token",
];

export function createLogger(options: LogOptions): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? "info",
    base: { service: options.service },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
  };
  return options.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, options.destination as pino.DestinationStream);
}
