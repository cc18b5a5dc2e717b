CREATE TABLE "wfm_agent_preferences" (
	"org_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"preferred_shifts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"unwanted_shifts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"preferred_weekdays_off" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"max_hours_per_week" double precision,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wfm_agent_preferences_org_id_agent_id_pk" PRIMARY KEY("org_id","agent_id")
);
--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ALTER COLUMN "method" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ALTER COLUMN "dates" SET DEFAULT '[]'::jsonb;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ALTER COLUMN "mean" SET DEFAULT '[]'::jsonb;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ALTER COLUMN "lower" SET DEFAULT '[]'::jsonb;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ALTER COLUMN "upper" SET DEFAULT '[]'::jsonb;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ALTER COLUMN "aht_seconds" SET DEFAULT '[]'::jsonb;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ADD COLUMN "status" text DEFAULT 'done' NOT NULL;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ADD COLUMN "progress" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ADD COLUMN "params" jsonb;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "wfm_forecasts" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wfm_roster_shifts" ADD COLUMN "break_starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wfm_roster_shifts" ADD COLUMN "break_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wfm_rosters" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "wfm_rosters" ADD COLUMN "breaks" jsonb;--> statement-breakpoint
ALTER TABLE "wfm_shift_plans" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "wfm_agent_preferences" ADD CONSTRAINT "wfm_agent_preferences_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wfm_agent_preferences" ADD CONSTRAINT "wfm_agent_preferences_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;