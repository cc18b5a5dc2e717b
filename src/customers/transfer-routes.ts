import type { App, RouteDeps } from '../http/app.ts';

export async function transferRoutes(_app: App, _deps: RouteDeps) {
  // Import (upload) and export routes: filled in by the import/export work.
}
