/** Puts the cursor in the first input the server or the form found fault with, so it is seen on a long form. */
export function focusField(key: string | undefined): void {
  if (!key) return;
  // After React has rendered the error under it.
  requestAnimationFrame(() => {
    const input = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(key)}"]`);
    input?.focus();
    input?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  });
}
