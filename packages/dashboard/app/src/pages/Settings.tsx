import type { Session } from '../api.js';
import { Keys } from './settings/Keys.js';
import { MailSettings } from './settings/Mail.js';
import { OperatorSettings } from './settings/Operators.js';
import { ReferenceDataSettings } from './settings/ReferenceData.js';
import { RetentionSettings } from './settings/Retention.js';
import { RiskSettings } from './settings/Risks.js';
import { SmsSettings } from './settings/Sms.js';
import { WebhookSettings } from './settings/Webhooks.js';

/** The project's settings, a card each: keys and origins, mail, SMS, webhooks, risk thresholds, retention, reference data; and the instance's operators. */
export function Settings({ projectId, session }: { projectId: string; session: Session }) {
  return (
    <>
      <h1>Settings</h1>
      <Keys projectId={projectId} session={session} />
      <MailSettings projectId={projectId} />
      <SmsSettings />
      <WebhookSettings projectId={projectId} />
      <RiskSettings projectId={projectId} />
      <RetentionSettings projectId={projectId} />
      <ReferenceDataSettings projectId={projectId} />
      <OperatorSettings />
    </>
  );
}
