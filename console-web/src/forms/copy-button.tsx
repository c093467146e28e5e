/** A button that copies a text to the clipboard and says whether that worked for a moment. */
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
    <button type="button" className="button-small" onClick={copy}>
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text and copy it" : label}
    </button>
  );
}
