/** Register an upstream MCP server: name and prefix, the transport with its connection fields, secrets kept encrypted. */
import { type ReactNode, useId, useState } from "react";
import { useForm, useFormContext } from "react-hook-form";
import { checkResolver } from "../components/form/check-resolver";
import { describedBy, Field } from "../components/form/field";
import { Form, SubmitButton } from "../components/form/form";
import { SelectField, TextField } from "../components/form/form-fields";
import type { McpServerView } from "./mcp-api";
import { useCreateMcpServer } from "./mcp-queries";
import {
  buildMcpServerRequest,
  emptyMcpServerForm,
  type McpServerFormValues,
  missingMcpServerFields,
} from "./mcp-server-request";

const SHOWN_FIELDS = ["name", "prefix", "transport", "url", "command", "args", "env", "headers", "secretEnv"];
const TRANSPORTS = [
  { value: "streamable_http", label: "Streamable HTTP" },
  { value: "sse", label: "HTTP + SSE (legacy)" },
  { value: "stdio", label: "stdio (a local command)" },
];
const resolver = checkResolver(missingMcpServerFields);

function LinesField({
  name,
  label,
  hint,
  placeholder,
}: {
  name: keyof McpServerFormValues;
  label: string;
  hint?: ReactNode;
  placeholder?: string;
}) {
  const id = useId();
  const form = useFormContext<McpServerFormValues>();
  const error = form.formState.errors[name]?.message;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        rows={3}
        placeholder={placeholder}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...form.register(name)}
      />
    </Field>
  );
}

export function McpServerForm({ onCreated, actions }: { onCreated(server: McpServerView): void; actions?: ReactNode }) {
  const [defaults] = useState(emptyMcpServerForm);
  const form = useForm<McpServerFormValues>({ defaultValues: defaults, resolver });
  const create = useCreateMcpServer();
  const stdio = form.watch("transport") === "stdio";

  function onSubmit(values: McpServerFormValues) {
    create.mutate(buildMcpServerRequest(values), {
      onSuccess: (server) => {
        form.reset(emptyMcpServerForm());
        onCreated(server as McpServerView);
      },
    });
  }

  return (
    <Form form={form} onSubmit={onSubmit} error={create.error} shownFields={SHOWN_FIELDS}>
      <div className="form-row">
        <TextField<McpServerFormValues> name="name" label="Name" placeholder="e.g. GitHub" />
        <TextField<McpServerFormValues>
          name="prefix"
          label="Prefix (optional)"
          placeholder="e.g. github"
          hint="Tools appear as prefix__tool. Defaults to the name."
        />
      </div>
      <SelectField<McpServerFormValues> name="transport" label="Transport" choices={TRANSPORTS} />
      {stdio ? (
        <>
          <TextField<McpServerFormValues> name="command" label="Command" placeholder="e.g. npx" />
          <LinesField
            name="args"
            label="Arguments"
            hint="One per line."
            placeholder={"-y\n@modelcontextprotocol/server-memory"}
          />
          <LinesField name="env" label="Environment" hint="NAME=value, one per line." />
          <LinesField
            name="secretEnv"
            label="Secret environment"
            hint="NAME=value, one per line; stored encrypted, never shown again."
          />
        </>
      ) : (
        <>
          <TextField<McpServerFormValues> name="url" type="url" label="URL" placeholder="https://mcp.example.com/mcp" />
          <LinesField
            name="headers"
            label="Secret headers"
            hint="Name: value, one per line (e.g. Authorization: Bearer …); stored encrypted, never shown again."
          />
        </>
      )}
      <div className="form-actions">
        <SubmitButton pending={create.isPending}>Register server</SubmitButton>
        {actions}
      </div>
    </Form>
  );
}
