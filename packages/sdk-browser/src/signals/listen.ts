/**
 * Adds passive, capturing listeners on the document for the page's whole life, from the moment the SDK
 * loads: the behaviour collectors count what the person (or the bot) did before the action. Does
 * nothing outside a browser.
 */
export function listen(handlers: Record<string, (event: never) => void>): void {
  if (typeof document === 'undefined') return;
  for (const [type, handler] of Object.entries(handlers)) document.addEventListener(type, handler as EventListener, { capture: true, passive: true });
}
