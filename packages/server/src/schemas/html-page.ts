// What the server's own pages (the hosted challenge page, the dashboard's log-in and setup) answer and
// take, as the OpenAPI document shows them: HTML, and forms posted urlencoded without JavaScript.

export const FORM = ['application/x-www-form-urlencoded'];

export const htmlAnswer = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
