import { Type } from 'typebox';
import { htmlAnswer } from './html-page.js';

// The dashboard's own forms (log in, first-operator setup), typed and documented like the API's bodies.
// Every field is optional and generously bounded (the form body is at most 4 kB): a form sent without
// one answers the page with what is wrong, in HTML, not a JSON error.

const Email = Type.String({ maxLength: 1024, description: "The operator's email address" });
const Password = Type.String({ maxLength: 4096, description: 'The password (12 characters or more)' });
const SetupToken = Type.String({ maxLength: 256, description: "The setup link's token" });

export const LogInForm = Type.Object({ email: Type.Optional(Email), password: Type.Optional(Password) }, { additionalProperties: false });
export const SetUpForm = Type.Object({ token: Type.Optional(SetupToken), email: Type.Optional(Email), password: Type.Optional(Password) }, { additionalProperties: false });
export const SetupQuery = Type.Object({ token: Type.Optional(SetupToken) }, { additionalProperties: false });

export const loginPageResponses = {
  200: htmlAnswer('The log-in page'),
  303: { description: 'Logged in: on to the dashboard' },
  401: htmlAnswer('Wrong email or password'),
  429: htmlAnswer('Too many failed attempts'),
};
export const setupPageResponses = {
  200: htmlAnswer('The setup page'),
  303: { description: 'Set up: on to the dashboard' },
  403: htmlAnswer('Setup is closed, or the link is not valid'),
  422: htmlAnswer('What to fix'),
};
