// Pure scheduling: run work over items with at most `limit` at once overall AND at most `perKey` at once for
// every key an item names (its PagerDuty host, its IdP org). Whatever --concurrency says, a fleet of instances on
// one host never hits that host with more than a couple of log-ins at once. Results keep the input order.
import { hostOf } from '../core/hosts.js';
import type { LoginMethod, OktaOrg, Region } from '../core/types.js';

export const DEFAULT_PER_HOST = 2;

export interface PoolLimits {
  limit: number;
  perKey: number;
}

export async function mapPolitely<T, R>(items: T[], limits: PoolLimits, keysOf: (item: T) => string[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const pending = items.map((item, index) => ({ item, index, keys: [...new Set(keysOf(item))] }));
  const active = new Map<string, number>();
  const limit = Math.max(1, limits.limit);
  const perKey = Math.max(1, limits.perKey);
  let running = 0;
  return new Promise<R[]>((resolve, reject) => {
    const startMore = () => {
      if (pending.length === 0 && running === 0) return resolve(results);
      while (running < limit) {
        // The first waiting item (input order) whose every key has room; none while all of them wait on busy keys.
        const next = pending.findIndex((job) => job.keys.every((key) => (active.get(key) ?? 0) < perKey));
        if (next < 0) return;
        const [job] = pending.splice(next, 1);
        running += 1;
        for (const key of job!.keys) active.set(key, (active.get(key) ?? 0) + 1);
        work(job!.item)
          .then((result) => {
            results[job!.index] = result;
          }, reject)
          .finally(() => {
            running -= 1;
            for (const key of job!.keys) active.set(key, active.get(key)! - 1);
            startMore();
          });
      }
    };
    startMore();
  });
}

/** The services one log-in of this instance talks to: its PagerDuty host, and its IdP org (an Okta org's host;
 *  for Entra ID, whose tenant is known only after the redirect, the user's email domain stands for it). */
export function loginKeys(instance: { subdomain: string | null; region: Region; loginMethod: LoginMethod; user: string; okta: OktaOrg | null }): string[] {
  const keys = [`pagerduty:${hostOf(instance.subdomain, instance.region)}`];
  if (instance.loginMethod === 'okta' && instance.okta) keys.push(`okta:${instance.okta.org}.${instance.okta.domain}`);
  if (instance.loginMethod === 'azure') keys.push(`entra:${instance.user.slice(instance.user.lastIndexOf('@') + 1).toLowerCase()}`);
  return keys;
}
