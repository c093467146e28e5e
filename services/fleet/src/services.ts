/**
 * The seven services in start order: owners of data first, the edges last, so that when the gateway opens its port
 * everything it calls is already answering. Shutdown runs in reverse.
 */
import { adminApiService } from "@thinkwatch/admin-api";
import { aiProxyService } from "@thinkwatch/ai-proxy";
import { auditIngestService } from "@thinkwatch/audit-ingest";
import { forwarderService } from "@thinkwatch/forwarder";
import { keyService } from "@thinkwatch/key-service";
import { mcpProxyService } from "@thinkwatch/mcp-proxy";
import { quotaService } from "@thinkwatch/quota";

export const ALL_SERVICES = [
  keyService,
  quotaService,
  auditIngestService,
  forwarderService,
  adminApiService,
  aiProxyService,
  mcpProxyService,
];
