// Every domain's job handlers and schedules, imported once by the composition root (src/server.ts):
// importing a domain's jobs module registers its handlers (registerJobHandler, registerDailyJob) and
// schedules. Add one line per domain.
import './daily.ts';
import '../messaging/jobs.ts';
import '../service/jobs.ts';
import '../orders/jobs.ts';
import '../opportunities/jobs.ts';
import '../contact-center/jobs.ts';
import '../analytics/jobs.ts';
import '../wfm/jobs.ts';
