// The messaging domain's background jobs: deliver pending outbox messages every minute.
import { registerJobHandler, registerJobSchedule } from '../jobs/queue.ts';
import { dispatchMessages } from './dispatch-messages.ts';

registerJobHandler('messaging.dispatch', async (_job, env) => {
  const r = await dispatchMessages(env.db, { now: env.now, log: env.log });
  if (r.sent || r.failed || r.deferred) env.log.info(r, 'messaging: dispatched');
});

registerJobSchedule('messaging.dispatch', '* * * * *');
