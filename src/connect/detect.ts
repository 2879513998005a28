// The in-page half of state recognition. `pageQuery` is serialized into the page by puppeteer
// (CDP callFunctionOn, so page CSP does not apply), so it stays self-contained: no imports, no outer scope.
import type { Sel } from './flow-tables.js';

export interface DetectSpec {
  id: string;
  visible?: Sel[];
  present?: Sel[];
  hidden?: Sel[];
  path?: string;
  errors?: Sel[];
  probes?: Record<string, Sel>;
}

export interface Detection {
  href: string;
  host: string;
  readyState: string;
  /** Ids of the states whose conditions hold, in table order. */
  matches: string[];
  /** Visible error text per matching state id. */
  errors: Record<string, string>;
  probes: Record<string, Record<string, boolean>>;
  /** True while this is the document we last acted in (the marker lives only as long as its document). */
  sameDocument: boolean;
  /** Visible error-like text in generic alert elements: catches error displays the tables do not name. */
  alert: string;
}

export type PageRequest =
  | { kind: 'detect'; specs: DetectSpec[]; marker: string }
  | { kind: 'locate'; sel: Sel }
  | { kind: 'mark'; marker: string }
  | { kind: 'blank-secrets' }
  | { kind: 'diagnose'; specs: DetectSpec[] };

/** Why one state did not match the page: each condition that failed, with its selector. */
export interface StateDiagnosis {
  id: string;
  failed: Array<{ condition: 'path' | 'visible' | 'present' | 'hidden'; selector: string; found: 'none' | 'not visible' | 'visible' }>;
}

export function pageQuery(request: PageRequest): Detection | Element | StateDiagnosis[] | null {
  const isRendered = (el: Element): boolean => {
    if (!(el instanceof HTMLElement)) return false;
    if (el.closest('[hidden], [aria-hidden="true"], [inert]')) return false;
    if (el instanceof HTMLInputElement && el.type === 'hidden') return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
    if (el.getClientRects().length === 0) return false;
    const rect = el.getBoundingClientRect();
    // Entra parks inactive inputs off-screen (class moveOffScreen) instead of hiding them.
    return rect.right > 0 && rect.bottom > 0 && rect.width > 0 && rect.height > 0;
  };
  // A modal dialog makes everything behind it unusable: only what is inside the top one counts as visible.
  const isModal = (el: Element): boolean => {
    try {
      if (el.matches(':modal')) return true;
    } catch {
      // an engine without :modal
    }
    return el.matches('dialog[open], [role="dialog"][aria-modal="true"], [role="alertdialog"][aria-modal="true"]');
  };
  const modals = Array.from(document.querySelectorAll('dialog, [role="dialog"], [role="alertdialog"]')).filter((el) => isModal(el) && isRendered(el));
  const topModal = modals.find((el) => el.matches(':modal')) ?? modals[modals.length - 1] ?? null;
  const overlayOf = (hit: Element, el: Element): boolean => {
    // What lies over the element's centre: a dialog it is not in, or a fixed or absolute layer over most of the
    // window (a backdrop). A label or a sibling drawn over an input (floating labels) does not hide it.
    const dialog = hit.closest('dialog, [role="dialog"], [role="alertdialog"], [aria-modal="true"]');
    if (dialog && !dialog.contains(el)) return true;
    const area = innerWidth * innerHeight;
    for (let node: Element | null = hit, depth = 0; node && depth < 6 && !node.contains(el); node = node.parentElement, depth++) {
      const position = getComputedStyle(node).position;
      if (position !== 'fixed' && position !== 'absolute') continue;
      const r = node.getBoundingClientRect();
      if (r.width * r.height >= 0.8 * area) return true;
    }
    return false;
  };
  const isCovered = (el: Element): boolean => {
    const rect = el.getBoundingClientRect();
    const x = rect.left + rect.width / 2;
    const y = rect.top + rect.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false; // off-screen: a click scrolls to it
    const hit = document.elementFromPoint(x, y);
    if (!hit || hit === el || el.contains(hit) || hit.contains(el)) return false;
    return overlayOf(hit, el);
  };
  const isVisible = (el: Element): boolean => {
    if (!isRendered(el)) return false;
    if (topModal && !topModal.contains(el)) return false;
    return !isCovered(el);
  };
  const textOf = (el: Element): string =>
    [(el as HTMLElement).innerText ?? '', (el as HTMLInputElement).value ?? '', el.getAttribute('title') ?? '', el.getAttribute('aria-label') ?? ''].join(' ');
  const find = (sel: Sel, visibleOnly: boolean): Element | null => {
    let list: Element[];
    try {
      list = Array.from(document.querySelectorAll(sel.css));
    } catch {
      return null;
    }
    const pattern = sel.text ? new RegExp(sel.text, 'i') : null;
    return list.find((el) => (!visibleOnly || isVisible(el)) && (!pattern || pattern.test(textOf(el)))) ?? null;
  };
  /** An error element's text; an input marked aria-invalid speaks through the elements it names, if any. */
  const errorText = (el: Element): string => {
    const clean = (t: string) => t.replace(/\s+/g, ' ').trim();
    if (!(el instanceof HTMLInputElement)) return clean((el as HTMLElement).innerText ?? '');
    const ids = `${el.getAttribute('aria-errormessage') ?? ''} ${el.getAttribute('aria-describedby') ?? ''}`.split(/\s+/).filter(Boolean);
    const described = ids.map((id) => document.getElementById(id)).filter((d): d is HTMLElement => d instanceof HTMLElement && isVisible(d));
    const said = clean(described.map((d) => d.innerText ?? '').join(' '));
    return said || (el.getAttribute('aria-invalid') === 'true' ? 'The page marked the field as invalid.' : '');
  };
  const w = window as unknown as Record<string, unknown>;

  if (request.kind === 'locate') return find(request.sel, true);
  if (request.kind === 'mark') {
    w.__sspmOnboardMarker = request.marker;
    return null;
  }
  if (request.kind === 'diagnose') {
    // For an unrecognized page: what each state looked for and did not find (see run-tests.ts, page snapshot).
    const label = (sel: Sel) => (sel.text ? `${sel.css} (text /${sel.text}/i)` : sel.css);
    return request.specs.map((spec) => {
      const failed: StateDiagnosis['failed'] = [];
      if (spec.path && !new RegExp(spec.path).test(location.pathname)) failed.push({ condition: 'path', selector: spec.path, found: 'none' });
      for (const sel of spec.visible ?? []) {
        if (!find(sel, true)) failed.push({ condition: 'visible', selector: label(sel), found: find(sel, false) ? 'not visible' : 'none' });
      }
      for (const sel of spec.present ?? []) if (!find(sel, false)) failed.push({ condition: 'present', selector: label(sel), found: 'none' });
      for (const sel of spec.hidden ?? []) if (find(sel, true)) failed.push({ condition: 'hidden', selector: label(sel), found: 'visible' });
      return { id: spec.id, failed };
    });
  }
  if (request.kind === 'blank-secrets') {
    for (const input of Array.from(document.querySelectorAll('input'))) {
      const name = `${input.name} ${input.id} ${input.autocomplete}`.toLowerCase();
      if (input.type === 'password' || /otc|answer|passcode|code|otp|password|passwd/.test(name)) input.value = '';
    }
    return null;
  }

  const matches: string[] = [];
  const errors: Record<string, string> = {};
  const probes: Record<string, Record<string, boolean>> = {};
  for (const spec of request.specs) {
    if (spec.path && !new RegExp(spec.path).test(location.pathname)) continue;
    if (spec.visible && !spec.visible.every((sel) => find(sel, true))) continue;
    if (spec.present && !spec.present.every((sel) => find(sel, false))) continue;
    if (spec.hidden && spec.hidden.some((sel) => find(sel, true))) continue;
    matches.push(spec.id);
    for (const sel of spec.errors ?? []) {
      const el = find(sel, true);
      const text = el ? errorText(el) : '';
      if (text) {
        errors[spec.id] = text.slice(0, 300);
        break;
      }
    }
    if (spec.probes) {
      const found: Record<string, boolean> = {};
      for (const [name, sel] of Object.entries(spec.probes)) found[name] = find(sel, true) !== null;
      probes[spec.id] = found;
    }
  }
  const errorWords = /invalid|incorrect|wrong|not valid|not recogni[sz]ed|doesn.t match|didn.t|couldn.t|failed|locked|denied|unable|try again/i;
  const alerts: string[] = [];
  for (const el of Array.from(document.querySelectorAll('[role="alert"], [aria-live="assertive"], .alert, .error, .errors, .error-message, .flash, [class*="error" i]'))) {
    if (el instanceof HTMLInputElement || !isVisible(el)) continue;
    const text = ((el as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim();
    if (text && errorWords.test(text) && !alerts.includes(text)) alerts.push(text);
  }
  return {
    href: location.href,
    host: location.host,
    readyState: document.readyState,
    matches,
    errors,
    probes,
    sameDocument: w.__sspmOnboardMarker === request.marker,
    alert: alerts.join(' ').slice(0, 300),
  };
}
