import { Type } from 'typebox';
import { htmlAnswer } from './html-page.js';

// The hosted challenge page's requests, typed and bounded like the API's, and its answers documented as
// what they are: HTML pages (and a 303 to where the user goes next). Every field is optional in the
// schema: a form without its token answers the page that says the link is not valid (403), not JSON.

export const PageParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Token = Type.String({ maxLength: 256, description: "The signed link's token" });
const ReturnTo = Type.String({ maxLength: 2048, description: 'Access protection: the page to return to (honoured only on the origin the evaluation came from)' });

export const OpenPageQuery = Type.Object({ t: Type.Optional(Token), r: Type.Optional(ReturnTo) }, { additionalProperties: false });

const form = (fields: Record<string, ReturnType<typeof Type.String>>) =>
  Type.Object(
    { t: Type.Optional(Token), r: Type.Optional(ReturnTo), ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) },
    { additionalProperties: false },
  );

export const SendForm = form({ channel: Type.String({ maxLength: 16, description: '`email` or `sms`' }) });
export const VerifyForm = form({ code: Type.String({ maxLength: 32, description: 'The 6-digit code' }) });
export const SkipForm = form({});
export const LogOutForm = form({ device: Type.String({ maxLength: 64, description: 'The device to log out' }) });

/** The page's answers: a page for each outcome, 403 for a link that is not valid or has expired. */
export const pageResponses = (extra: Record<number, string> = {}) => ({
  200: htmlAnswer('The page'),
  403: htmlAnswer('The link is not valid, or has expired (or the step is not allowed)'),
  ...Object.fromEntries(Object.entries(extra).map(([status, description]) => [status, status === '303' ? { description } : htmlAnswer(description)])),
});
