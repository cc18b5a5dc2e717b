// Every domain's job handlers and schedules, imported once by the composition root (src/server.ts):
// importing a domain's jobs module registers its handlers (registerJobHandler) and schedules.
// Add one line per domain.
import '../messaging/jobs.ts';
