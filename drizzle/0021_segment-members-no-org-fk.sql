ALTER TABLE "segment_members" DROP CONSTRAINT "segment_members_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "segment_membership_events" DROP CONSTRAINT "segment_membership_events_org_id_organizations_id_fk";
