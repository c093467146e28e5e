/** key-service configuration: where its database and the bus are. */
import { databaseEntries, natsEntries } from "@thinkwatch/config";
import * as v from "valibot";

export const KeyServiceConfigSchema = v.object({ ...natsEntries, ...databaseEntries });
export type KeyServiceConfig = v.InferOutput<typeof KeyServiceConfigSchema>;
