// Customer files (客户档案) REST API: thin routes, zod in and out, one use case per route.
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { requestLocale } from '../http/errors.ts';
import { addContact } from './add-contact.ts';
import { createCustomer } from './create-customer.ts';
import { createCustomField, listCustomFields } from './custom-fields.ts';
import { customerTimeline } from './customer-timeline.ts';
import { getCustomer } from './get-customer.ts';
import { listContacts } from './list-contacts.ts';
import { listCustomersJson } from './list-customers.ts';
import { revealCustomer } from './reveal-customer.ts';
import {
  contactOutput,
  contactPage,
  createContactInput,
  createCustomerInput,
  createCustomFieldInput,
  customerOutput,
  customerPage,
  customFieldOutput,
  listContactsQuery,
  listCustomersQuery,
  revealOutput,
  timelinePage,
  timelineQuery,
  updateCustomerInput,
} from './schemas.ts';
import { updateCustomer } from './update-customer.ts';

const idParams = z.object({ id: z.string() });
const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };

export async function customerRoutes(app: App, deps: RouteDeps) {
  app.get('/api/customers', {
    schema: { tags: ['customers'], summary: 'List and search customers', querystring: listCustomersQuery, response: { 200: customerPage, ...errors } },
    // The page comes as the JSON text the database wrote; the serializer sends it (see TRUSTED_RESPONSES).
  }, async (req) => (await listCustomersJson(deps.ctxOf(req), req.query)) as unknown as z.infer<typeof customerPage>);

  app.post('/api/customers', {
    schema: { tags: ['customers'], body: createCustomerInput, response: { 201: customerOutput, ...errors } },
  }, async (req, reply) => reply.code(201).send(await createCustomer(deps.ctxOf(req), req.body)));

  app.get('/api/customers/:id', {
    schema: { tags: ['customers'], params: idParams, response: { 200: customerOutput, ...errors } },
  }, async (req) => getCustomer(deps.ctxOf(req), req.params.id));

  app.patch('/api/customers/:id', {
    schema: {
      tags: ['customers'],
      description: 'Send the `version` you read; 409 with `current` when it moved.',
      params: idParams,
      body: updateCustomerInput,
      response: { 200: customerOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => updateCustomer(deps.ctxOf(req), req.params.id, req.body));

  app.get('/api/customers/:id/contacts', {
    schema: { tags: ['customers'], params: idParams, querystring: listContactsQuery, response: { 200: contactPage, ...errors } },
  }, async (req) => listContacts(deps.ctxOf(req), req.params.id, req.query));

  app.post('/api/customers/:id/contacts', {
    schema: { tags: ['customers'], params: idParams, body: createContactInput, response: { 201: contactOutput, ...errors } },
  }, async (req, reply) => reply.code(201).send(await addContact(deps.ctxOf(req), req.params.id, req.body)));

  app.get('/api/customers/:id/timeline', {
    schema: { tags: ['customers'], params: idParams, querystring: timelineQuery, response: { 200: timelinePage, ...errors } },
  }, async (req) => {
    // Timeline summaries are text: in the language of this request (the UI's switch), not the profile's.
    const ctx = deps.ctxOf(req);
    return customerTimeline({ ...ctx, actor: { ...ctx.actor, locale: requestLocale(req) } }, req.params.id, req.query);
  });

  app.post('/api/customers/:id/reveal', {
    schema: { tags: ['customers'], description: 'Full phones and emails; audited as customer.reveal.', params: idParams, response: { 200: revealOutput, ...errors } },
  }, async (req) => revealCustomer(deps.ctxOf(req), req.params.id));

  app.get('/api/custom-fields', {
    schema: { tags: ['customers'], response: { 200: z.object({ items: z.array(customFieldOutput) }), ...errors } },
  }, async (req) => ({ items: await listCustomFields(deps.ctxOf(req)) }));

  app.post('/api/custom-fields', {
    schema: { tags: ['customers'], body: createCustomFieldInput, response: { 201: customFieldOutput, ...errors, 409: errorSchema } },
  }, async (req, reply) => reply.code(201).send(await createCustomField(deps.ctxOf(req), req.body)));
}
