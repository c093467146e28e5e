/**
 * An accessible modal on the native <dialog> (showModal makes the rest of the page inert): labelled by its title,
 * Tab cycles inside it, Escape and a click on the backdrop close it, and focus returns to where it was. The content
 * mounts only while open, so a form inside starts empty each time. Put `data-autofocus` on the element that should
 * get focus first (default: the first control of the content, then the close button).
 */
import { X } from "lucide-react";
import { type ReactNode, useEffect, useId, useRef } from "react";
import { focusableIn, trapTab } from "./focusable";

export interface DialogProps {
  open: boolean;
  onClose(): void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons at the bottom, right-aligned. */
  footer?: ReactNode;
  size?: "small" | "medium" | "large";
}

export function Dialog({ open, onClose, title, description, children, footer, size = "medium" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null || !open) return;
    const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // The marked element, else the first control of the content (not the close button), else anything focusable.
    const body = dialog.querySelector<HTMLElement>(".dialog-body, .dialog-footer");
    const preferred =
      dialog.querySelector<HTMLElement>("[data-autofocus]") ??
      (body === null ? undefined : focusableIn(body)[0]) ??
      focusableIn(dialog)[0];
    preferred?.focus();
    return () => {
      if (dialog.open) dialog.close();
      returnFocus?.focus();
    };
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      aria-describedby={description === undefined ? undefined : descriptionId}
      onCancel={(event) => {
        // Escape: let React state decide, so the dialog never closes behind its owner's back.
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => {
        if (ref.current !== null) trapTab(event, ref.current);
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      {open && (
        <div className="dialog-panel">
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="button-icon" aria-label="Close" onClick={onClose}>
              <X aria-hidden="true" />
            </button>
          </div>
          {description !== undefined && (
            <p id={descriptionId} className="dialog-description">
              {description}
            </p>
          )}
          {children !== undefined && <div className="dialog-body">{children}</div>}
          {footer !== undefined && <div className="dialog-footer">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What will happen, in a sentence the user can act on. */
  message: ReactNode;
  confirmLabel: string;
  /** "danger" for destructive actions (revoke, delete): a red confirm button, focus starts on Cancel. */
  tone?: "danger" | "default";
  pending?: boolean;
  /** A failed confirm, shown inside the dialog so the user can retry or cancel. */
  error?: ReactNode;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  tone = "default",
  pending = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const danger = tone === "danger";
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      title={title}
      description={message}
      size="small"
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onCancel} data-autofocus={danger ? "" : undefined}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? "button button-danger" : "button button-primary"}
            onClick={onConfirm}
            disabled={pending}
            data-autofocus={danger ? undefined : ""}
          >
            {pending ? "Working…" : confirmLabel}
          </button>
        </>
      }
    >
      {error}
    </Dialog>
  );
}
