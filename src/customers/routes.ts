import type { App, RouteDeps } from '../http/app.ts';

export async function customerRoutes(_app: App, _deps: RouteDeps) {
  // Filled in by the customers work.
}
