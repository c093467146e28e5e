/** The API client bound to the current session, for query and mutation functions. */
import { useSession } from "../session/session-context";
import type { ApiClient } from "./api-client";

export function useApi(): ApiClient {
  return useSession().api;
}
