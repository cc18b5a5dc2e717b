// A response body the database already wrote as JSON (json_build_object …): the busiest lists send it
// as it came instead of parsing rows into objects and stringifying them again (see AppDeps.trustedResponses).
export class JsonText {
  constructor(readonly text: string) {}
}
