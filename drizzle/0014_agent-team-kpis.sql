ALTER TABLE "cc_agent_days" ADD COLUMN "offered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_days" ADD COLUMN "abandoned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_days" ADD COLUMN "short_abandoned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_days" ADD COLUMN "team_offered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_days" ADD COLUMN "team_answered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_days" ADD COLUMN "team_abandoned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_days" ADD COLUMN "team_short_abandoned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "offered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "abandoned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "short_abandoned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "team_offered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "team_answered" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "team_abandoned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "team_short_abandoned" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_calls" ADD COLUMN "presented_agent_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_calls" ADD COLUMN "answered_agent_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
-- Backfill: agents each recorded call rang and was answered by, from its stored CTI events. The per-interval
-- tables are refreshed by POST /api/contact-center/kpis/aggregate over the range to restate.
UPDATE "cc_calls" c SET "presented_agent_ids" = x.p, "answered_agent_ids" = x.a
FROM (
  SELECT e.org_id, e.call_id,
    COALESCE(array_agg(DISTINCT ag.id) FILTER (WHERE e.type IN ('offered', 'queued', 'answered', 'abandoned')), '{}') AS p,
    COALESCE(array_agg(DISTINCT ag.id) FILTER (WHERE e.type = 'answered'), '{}') AS a
  FROM "cc_cti_events" e JOIN "cc_agents" ag ON ag.org_id = e.org_id AND ag.extension = e.agent
  GROUP BY e.org_id, e.call_id
) x
WHERE c.org_id = x.org_id AND c.call_id = x.call_id;
