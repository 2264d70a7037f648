import { useEffect, useState } from 'react';
import { type Reply, api } from '../../api.js';
import { Card, Problem } from '../../components/ui.js';

type Instance = Reply<'/dashboard/api/instance', 'get'>;

/** Where SMS codes go. The gateway is the instance's (VIGIL_SMS), shared by every project: shown, not edited. */
export function SmsSettings() {
  const [instance, setInstance] = useState<Instance | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    api<Instance>('/instance').then(setInstance, setProblem);
  }, []);
  const sms = instance?.sms;
  return (
    <Card title="Text messages (SMS)">
      {problem ? <Problem error={problem} /> : null}
      {sms ? (
        <p data-testid="sms-gateway">
          {sms.gateway === 'twilio'
            ? `Codes are sent by Twilio from ${sms.from}.`
            : sms.gateway === 'file'
              ? `Codes are written to ${sms.path} (for tests: no text message leaves this machine).`
              : sms.gateway === 'console'
                ? 'Codes are printed in the server’s log (development: no text message leaves this machine).'
                : 'SMS is not configured: the hosted challenge page offers email codes only.'}
        </p>
      ) : null}
      <p className="muted">
        The gateway is set for the whole instance with <code>VIGIL_SMS=twilio</code> and <code>TWILIO_ACCOUNT_SID</code>, <code>TWILIO_AUTH_TOKEN</code>, <code>TWILIO_FROM</code>,
        then a restart.
      </p>
    </Card>
  );
}
