/** OpenAI's `GET /models` list for the models a fake was configured with. */

/** A fixed creation time: the list is identical on every call. */
const CREATED = 1_700_000_000;

export function renderModelList(models: readonly string[]): Record<string, unknown> {
  return { object: "list", data: models.map((id) => ({ id, object: "model", created: CREATED, owned_by: "system" })) };
}
