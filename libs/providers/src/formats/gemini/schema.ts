/** Gemini generateContent wire shapes: validated requests, lenient responses and stream chunks. */
import * as v from "valibot";

const Record_ = v.record(v.string(), v.unknown());

export const GeminiPartSchema = v.looseObject({
  text: v.optional(v.string()),
  thought: v.optional(v.boolean()),
  thoughtSignature: v.optional(v.string()),
  inlineData: v.optional(v.looseObject({ mimeType: v.string(), data: v.string() })),
  fileData: v.optional(v.looseObject({ mimeType: v.optional(v.string()), fileUri: v.string() })),
  functionCall: v.optional(v.looseObject({ id: v.optional(v.string()), name: v.string(), args: v.nullish(Record_) })),
  functionResponse: v.optional(v.looseObject({ id: v.optional(v.string()), name: v.string(), response: v.nullish(Record_) })),
});
export type GeminiPart = v.InferOutput<typeof GeminiPartSchema>;

const Content = v.looseObject({ role: v.optional(v.picklist(["user", "model", "function"])), parts: v.array(GeminiPartSchema) });

const FunctionDeclaration = v.looseObject({
  name: v.pipe(v.string(), v.minLength(1, "must not be empty")),
  description: v.optional(v.string()),
  parameters: v.optional(Record_),
  parametersJsonSchema: v.optional(Record_),
});
export type GeminiFunctionDeclaration = v.InferOutput<typeof FunctionDeclaration>;

const ThinkingConfig = v.looseObject({
  thinkingBudget: v.optional(v.pipe(v.number(), v.integer())),
  includeThoughts: v.optional(v.boolean()),
  thinkingLevel: v.optional(v.string()),
});

export const GeminiGenerationConfigSchema = v.looseObject({
  maxOutputTokens: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  temperature: v.optional(v.number()),
  topP: v.optional(v.number()),
  topK: v.optional(v.number()),
  stopSequences: v.optional(v.array(v.string())),
  presencePenalty: v.optional(v.number()),
  frequencyPenalty: v.optional(v.number()),
  seed: v.optional(v.pipe(v.number(), v.integer())),
  responseMimeType: v.optional(v.string()),
  responseSchema: v.optional(Record_),
  responseJsonSchema: v.optional(Record_),
  thinkingConfig: v.optional(ThinkingConfig),
});

export const GeminiRequestSchema = v.looseObject({
  contents: v.pipe(v.array(Content), v.minLength(1, "must contain at least one content")),
  systemInstruction: v.optional(v.looseObject({ parts: v.array(GeminiPartSchema) })),
  tools: v.optional(v.array(v.looseObject({ functionDeclarations: v.optional(v.array(FunctionDeclaration)) }))),
  toolConfig: v.optional(
    v.looseObject({
      functionCallingConfig: v.optional(
        v.looseObject({
          mode: v.optional(v.picklist(["AUTO", "ANY", "NONE", "VALIDATED", "MODE_UNSPECIFIED"])),
          allowedFunctionNames: v.optional(v.array(v.string())),
        }),
      ),
    }),
  ),
  generationConfig: v.optional(GeminiGenerationConfigSchema),
});
export type GeminiRequest = v.InferOutput<typeof GeminiRequestSchema>;

export const GeminiUsageSchema = v.looseObject({
  promptTokenCount: v.nullish(v.number()),
  candidatesTokenCount: v.nullish(v.number()),
  cachedContentTokenCount: v.nullish(v.number()),
  thoughtsTokenCount: v.nullish(v.number()),
  toolUsePromptTokenCount: v.nullish(v.number()),
  totalTokenCount: v.nullish(v.number()),
});
export type GeminiUsage = v.InferOutput<typeof GeminiUsageSchema>;

export const GeminiResponseSchema = v.looseObject({
  candidates: v.nullish(
    v.array(
      v.looseObject({
        content: v.nullish(v.looseObject({ parts: v.nullish(v.array(GeminiPartSchema)) })),
        finishReason: v.nullish(v.string()),
      }),
    ),
  ),
  promptFeedback: v.nullish(v.looseObject({ blockReason: v.nullish(v.string()) })),
  usageMetadata: v.nullish(GeminiUsageSchema),
  modelVersion: v.nullish(v.string()),
  responseId: v.nullish(v.string()),
  error: v.nullish(v.looseObject({ message: v.nullish(v.string()), status: v.nullish(v.string()) })),
});
/** Also the type of one stream chunk: Gemini streams whole GenerateContentResponse objects. */
export type GeminiResponse = v.InferOutput<typeof GeminiResponseSchema>;
