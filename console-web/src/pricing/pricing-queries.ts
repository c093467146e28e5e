/** Query keys and hooks of model pricing. Saving a price refreshes the list. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../api/use-api";
import { listModelPricing, type ModelPricingBody, setModelPricing } from "./pricing-api";

export const pricingKeys = { all: ["model-pricing"] as const };

export function useModelPricing() {
  const api = useApi();
  return useQuery({ queryKey: pricingKeys.all, queryFn: () => listModelPricing(api) });
}

export function useSetModelPricing() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ model, body }: { model: string; body: ModelPricingBody }) => setModelPricing(api, model, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pricingKeys.all }),
  });
}
