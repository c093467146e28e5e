/**
 * The SSO (OpenID Connect) configuration: issuer, client id, client secret (write-only: left empty it stays as
 * saved), scopes, groups claim and the login button's label. "Test connection" runs discovery at the identity
 * provider with what is in the form, before anything is saved; enabling runs it again on save.
 */
import type { SsoConfigInput } from "@thinkwatch/console-api";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { toApiError } from "../api/api-error";
import { checkResolver } from "../components/form/check-resolver";
import { ErrorBanner } from "../components/form/error-banner";
import { Form, SubmitButton } from "../components/form/form";
import { CheckboxField, TextField } from "../components/form/form-fields";
import { useCan } from "../session/current-user";
import type { SsoConfigView } from "./settings-api";
import { useSaveSso, useTestSso } from "./settings-queries";

interface SsoValues {
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupsClaim: string;
  buttonLabel: string;
}

const FIELDS = ["enabled", "issuer", "clientId", "clientSecret", "scopes", "groupsClaim", "buttonLabel"];

function check(values: SsoValues): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!/^https?:\/\/\S+$/.test(values.issuer.trim())) problems.issuer = "issuer must be an http(s) URL";
  if (values.clientId.trim() === "") problems.clientId = "clientId is required";
  if (!values.scopes.split(/\s+/).includes("openid")) problems.scopes = "scopes must include openid";
  return problems;
}

function toInput(values: SsoValues, existing: SsoConfigView): SsoConfigInput {
  return {
    enabled: values.enabled,
    issuer: values.issuer.trim(),
    clientId: values.clientId.trim(),
    ...(values.clientSecret === "" ? {} : { clientSecret: values.clientSecret }),
    scopes: values.scopes.trim(),
    groupsClaim: values.groupsClaim.trim() === "" ? null : values.groupsClaim.trim(),
    groupRoles: existing.groupRoles ?? {},
    buttonLabel: values.buttonLabel.trim() || "Sign in with SSO",
    redirectUri: existing.redirectUri ?? null,
  };
}

function defaults(sso: SsoConfigView): SsoValues {
  return {
    enabled: sso.enabled,
    issuer: sso.issuer,
    clientId: sso.clientId,
    clientSecret: "",
    scopes: sso.scopes ?? "openid email profile",
    groupsClaim: sso.groupsClaim ?? "",
    buttonLabel: sso.buttonLabel ?? "Sign in with SSO",
  };
}

export function SsoForm({ sso }: { sso: SsoConfigView }) {
  const canWrite = useCan("settings:write");
  const save = useSaveSso();
  const test = useTestSso();
  const form = useForm<SsoValues>({ defaultValues: defaults(sso), resolver: checkResolver(check), mode: "onChange" });
  useEffect(() => form.reset(defaults(sso)), [sso, form]);

  const runTest = form.handleSubmit((values) => test.mutate(toInput(values, sso)));

  return (
    <Form
      form={form}
      onSubmit={(values) => save.mutate(toInput(values, sso))}
      error={save.error}
      shownFields={FIELDS}
      label="Single sign-on"
    >
      <fieldset disabled={!canWrite} className="settings-fields">
        <CheckboxField<SsoValues> name="enabled" label="Enable single sign-on" hint="Enabling checks the provider first." />
        <TextField<SsoValues> name="issuer" type="url" label="Issuer URL" placeholder="https://idp.example.com/realms/acme" />
        <TextField<SsoValues> name="clientId" label="Client ID" />
        <TextField<SsoValues>
          name="clientSecret"
          type="password"
          label="Client secret"
          autoComplete="off"
          hint={sso.hasClientSecret ? `Saved (${sso.clientSecretHint ?? "…"}); leave empty to keep it.` : "Stored encrypted."}
        />
        <TextField<SsoValues> name="scopes" label="Scopes" />
        <TextField<SsoValues> name="groupsClaim" label="Groups claim" hint="Optional: the claim that lists the user's groups." />
        <TextField<SsoValues> name="buttonLabel" label="Login button label" />
      </fieldset>
      {sso.status === "degraded" && (
        <div className="banner banner-error" role="alert">
          {sso.statusReason}
        </div>
      )}
      {test.error !== null && <ErrorBanner error={toApiError(test.error)} shownFields={[]} />}
      {test.data !== undefined && (
        <div className="banner banner-ok" role="status">
          Discovery succeeded: {test.data.issuer} (authorization {test.data.authorizationEndpoint}, token{" "}
          {test.data.tokenEndpoint})
        </div>
      )}
      {canWrite && (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => void runTest()} disabled={test.isPending}>
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
          <SubmitButton pending={save.isPending} pendingLabel="Saving…">
            Save SSO
          </SubmitButton>
          {save.isSuccess && (
            <span role="status" className="muted">
              SSO configuration saved.
            </span>
          )}
        </div>
      )}
    </Form>
  );
}
