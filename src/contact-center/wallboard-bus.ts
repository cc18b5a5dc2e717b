// In-process signal "this organization's calls changed", so open wallboard streams push at once.
// One process only: with several Kefu processes, each stream still refreshes on its own timer.
import { EventEmitter } from 'node:events';

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function notifyWallboard(orgId: string): void {
  bus.emit(orgId);
}

export function onWallboardChange(orgId: string, listener: () => void): () => void {
  bus.on(orgId, listener);
  return () => bus.off(orgId, listener);
}
