/** Query keys and hooks of the API keys area. Every change to a key refreshes every key query. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import {
  type CreateKeyRequest,
  createKey,
  deleteKey,
  listKeys,
  revealKey,
  revokeKey,
  rotateKey,
  type UpdateKeyRequest,
  updateKey,
} from "./keys-api";

export const keyKeys = {
  all: ["keys"] as const,
  mine: () => [...keyKeys.all, "mine"] as const,
};

export function useMyKeys() {
  const api = useApi();
  return useQuery({ queryKey: keyKeys.mine(), queryFn: () => listKeys(api) });
}

/** A mutation that refreshes the key list when it succeeds. */
function useKeyMutation<I, O>(run: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keyKeys.all }),
  });
}

export function useCreateKey() {
  const api = useApi();
  return useKeyMutation((body: CreateKeyRequest) => createKey(api, body));
}

export function useUpdateKey() {
  const api = useApi();
  return useKeyMutation(({ id, body }: { id: string; body: UpdateKeyRequest }) => updateKey(api, id, body));
}

export function useRotateKey() {
  const api = useApi();
  return useKeyMutation(({ id, graceHours }: { id: string; graceHours?: number }) => rotateKey(api, id, graceHours));
}

export function useRevealKey() {
  const api = useApi();
  return useKeyMutation((id: string) => revealKey(api, id));
}

export function useRevokeKey() {
  const api = useApi();
  return useKeyMutation(({ id, force }: { id: string; force: boolean }) => revokeKey(api, id, force));
}

export function useDeleteKey() {
  const api = useApi();
  return useKeyMutation((id: string) => deleteKey(api, id));
}
