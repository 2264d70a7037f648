import { WEBHOOK_EVENTS, type WebhookEvent } from '@vigil/core/closed-sets';

/**
 * A checkbox per webhook event, in a fieldset named by its legend; the form reads the ticked ones with
 * `chosenEvents`. `evaluation.created` says why it is off by default: there is one per evaluation.
 */
export function EventBoxes({ legend, checked }: { legend: string; checked: readonly WebhookEvent[] }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '.25rem 1.25rem' }}>
        {WEBHOOK_EVENTS.map((e) => (
          <label key={e}>
            <input type="checkbox" name="events" value={e} defaultChecked={checked.includes(e)} /> <code>{e}</code>
            {e === 'evaluation.created' ? <span className="muted"> (one per evaluation)</span> : null}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The events ticked in a form holding EventBoxes, in the order of WEBHOOK_EVENTS. */
export function chosenEvents(form: HTMLFormElement): WebhookEvent[] {
  const ticked = new Set(new FormData(form).getAll('events').map(String));
  return WEBHOOK_EVENTS.filter((e) => ticked.has(e));
}
