/** A button that copies a text to the clipboard and says whether that worked for a moment. */
import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { copyText } from "./copy-text";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function copy() {
    setState((await copyText(text)) ? "copied" : "failed");
  }

  return (
    <button type="button" className="button button-secondary button-small" onClick={copy}>
      {state === "copied" ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text and copy it" : label}
    </button>
  );
}

/** A labelled block of text (a key, a URL, a snippet) with its copy button. */
export function CopyBlock({ label, text }: { label: string; text: string }) {
  return (
    <div className="copy-block">
      <div className="copy-block-head">
        <span>{label}</span>
        <CopyButton text={text} />
      </div>
      <pre>{text}</pre>
    </div>
  );
}
