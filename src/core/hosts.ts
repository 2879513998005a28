// The PagerDuty host of an already validated subdomain and region. Kept free of the validators (and zod)
// so that `list` and `show` start fast.
import type { Region } from './types.js';

export function hostOf(subdomain: string | null, region: Region): string {
  return `${subdomain ?? 'app'}${region === 'eu' ? '.eu' : ''}.pagerduty.com`;
}
