import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DeliveryError } from '../../challenges/delivery.js';
import { AppError } from '../../errors/codes.js';
import { ErrorReply } from '../../schemas/evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { describeSmtp, mailFor, saveProjectMail } from '../../use-cases/mail-settings.js';
import { secured } from './index.js';

const tags = ['settings'];
const MailReply = Type.Object(
  {
    source: Type.Union([Type.Literal('project'), Type.Literal('instance'), Type.Literal('none')], {
      description: "project: its own; instance: SMTP_URL's; none: email codes cannot be sent",
    }),
    smtp: Type.Union([Type.Object({ host: Type.String(), port: Type.Integer(), secure: Type.Boolean(), user: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
    mail_from: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
const MailBody = Type.Object(
  {
    smtp_url: Type.String({ minLength: 8, maxLength: 2048, pattern: '^smtps?://[^/\\s]+/?$', description: 'smtp://host:port or smtps://user:password@host:port' }),
    mail_from: Type.String({ minLength: 3, maxLength: 320, description: 'The sender, e.g. `Example <security@example.com>`' }),
  },
  { additionalProperties: false },
);

/**
 * The project's own SMTP server for verification codes; without one, the instance's (`SMTP_URL`).
 * The URL's password is never shown again: the answer has the host, port, TLS and user only.
 */
export function mailSettingsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const present = async (projectId: string) => {
      const mail = await mailFor(deps, projectId);
      return mail ? { source: mail.source, smtp: describeSmtp(mail.settings.server), mail_from: mail.settings.from } : { source: 'none' as const, smtp: null, mail_from: null };
    };

    app.get(
      '/v3/settings/mail',
      {
        schema: {
          tags,
          operationId: 'getMailSettings',
          summary: 'Where verification mail goes (never the password)',
          security: secured,
          response: { 200: MailReply, '4xx': ErrorReply },
        },
      },
      async (request) => present(request.serverAuth.project.id),
    );

    app.put(
      '/v3/settings/mail',
      {
        schema: {
          tags,
          operationId: 'updateMailSettings',
          summary: "Set the project's own SMTP server and sender",
          security: secured,
          body: MailBody,
          response: { 200: MailReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        // Parsed, checked and sealed there: the body's pattern alone lets `?sendmail=true&path=…` through.
        await saveProjectMail(deps, request.serverAuth.project.id, { url: request.body.smtp_url, from: request.body.mail_from });
        return present(request.serverAuth.project.id);
      },
    );

    app.delete(
      '/v3/settings/mail',
      {
        schema: {
          tags,
          operationId: 'deleteMailSettings',
          summary: "Forget the project's SMTP server: back to the instance's",
          security: secured,
          response: { 200: MailReply, '4xx': ErrorReply },
        },
      },
      async (request) => {
        await saveProjectMail(deps, request.serverAuth.project.id, null);
        return present(request.serverAuth.project.id);
      },
    );

    app.post(
      '/v3/settings/mail/test',
      {
        schema: {
          tags,
          operationId: 'testMailSettings',
          summary: 'Send a test message through the settings in force',
          security: secured,
          body: Type.Object({ to: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ sent: Type.Literal(true), source: Type.String() }, { additionalProperties: false }), '4xx': ErrorReply, '5xx': ErrorReply },
        },
      },
      async (request) => {
        const { project } = request.serverAuth;
        const mail = await mailFor(deps, project.id);
        try {
          await deps.delivery.email(
            {
              to: request.body.to,
              subject: `Test message from Vigil for ${project.name}`,
              text: 'Verification codes for this project will be sent this way.',
              html: '<p>Verification codes for this project will be sent this way.</p>',
            },
            mail?.settings ?? null,
          );
        } catch (error) {
          if (error instanceof DeliveryError) throw new AppError('CHALLENGE_DELIVERY_FAILED', error.message);
          throw error;
        }
        return { sent: true as const, source: mail!.source };
      },
    );
  };
}
