ALTER TABLE "cc_agent_days" ADD COLUMN "team_handled" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_days" ADD COLUMN "team_transferred" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "team_handled" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_agent_intervals" ADD COLUMN "team_transferred" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cc_calls" ADD COLUMN "agent_marks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- Hand-written from here on.
-- Backfill: each answered call's agent marks from its stored CTI events (as ingestion now writes them; the first
-- answerer's team is the one kept on the call, other answerers' their current team).
UPDATE "cc_calls" c SET "agent_marks" = m.marks
FROM (
  SELECT c2.id, jsonb_agg(jsonb_build_object('k', e.type, 'at', e.at, 'ag', ag.id,
      'tm', CASE WHEN e.type = 'answered' THEN CASE WHEN ag.id = c2.agent_id THEN c2.team_id ELSE ag.team_id END END,
      'w', e.acw_seconds) ORDER BY e.at, e.event_id) AS marks
  FROM "cc_calls" c2
  JOIN "cc_cti_events" e ON e.org_id = c2.org_id AND e.call_id = c2.call_id
  LEFT JOIN "cc_agents" ag ON ag.org_id = e.org_id AND ag.extension = e.agent
  WHERE c2.answered_at IS NOT NULL AND (e.type IN ('answered', 'transferred') OR e.acw_seconds IS NOT NULL)
  GROUP BY c2.id
) m
WHERE c.id = m.id;--> statement-breakpoint
-- Stored agent rows were computed when only the first answerer handled a call, so per team each call was
-- handled and transferred once: the new once-per-team counts equal the old ones there.
UPDATE "cc_agent_intervals" SET "team_handled" = "handled", "team_transferred" = "transferred";--> statement-breakpoint
UPDATE "cc_agent_days" SET "team_handled" = "handled", "team_transferred" = "transferred";--> statement-breakpoint
-- Calls whose attribution changes (a transfer, or several answering agents) are marked as updated, so the next
-- run of the KPI job restates their intervals with each agent's own segment.
UPDATE "cc_calls" SET "updated_at" = now()
WHERE "answered_at" IS NOT NULL AND ("transferred" OR cardinality("answered_agent_ids") > 1);
