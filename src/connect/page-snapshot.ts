// A redacted snapshot of a page the tables did not recognise, for --debug-dir: the DOM without input values,
// scripts, comments, cookies or query strings, and what each state looked for and did not find. A user can send it
// and a maintainer can add the state without access to the account. Redaction happens twice: in the page (what
// is structurally secret: values, scripts, URLs' queries) and here (known secrets and cookie values as text).
import type { Page } from 'puppeteer-core';
import type { ResolvedInstance } from '../cli/inputs.js';
import { pageQuery, type StateDiagnosis } from './detect.js';
import { statesFor } from './flow-tables.js';
import { redactUrl, roleOfHost } from './origin-policy.js';

export interface PageSnapshot {
  html: string;
  /** The JSON beside it: where the page was and why no state matched. */
  report: {
    url: string;
    hostRole: string | null;
    title: string;
    states: Array<StateDiagnosis & { role: string }>;
  };
}

/**
 * In the page (serialized by puppeteer, so self-contained): the document as HTML with every input value, script,
 * inline handler, comment, embedded frame source and URL query or fragment removed.
 */
export function redactedDocument(): { html: string; title: string } {
  const stripUrl = (value: string): string => {
    const trimmed = value.trim();
    if (/^(javascript|data|blob):/i.test(trimmed)) return `${trimmed.split(':')[0]}:`;
    return trimmed.split(/[?#]/)[0] ?? '';
  };
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'poster', 'cite', 'background', 'data', 'xlink:href', 'ping', 'manifest']);
  const clean = (root: Element | DocumentFragment): void => {
    for (const el of Array.from(root.querySelectorAll('script, noscript, iframe, frame, object, embed, meta[http-equiv="set-cookie" i], meta[http-equiv="refresh" i], base'))) el.remove();
    for (const el of Array.from(root.querySelectorAll('input, textarea, select, option, output'))) {
      el.removeAttribute('value');
      if (el instanceof HTMLTextAreaElement || el instanceof HTMLOutputElement) el.textContent = '';
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) el.value = '';
    }
    for (const el of [root instanceof Element ? root : null, ...Array.from(root.querySelectorAll('*'))]) {
      if (!el) continue;
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on') || name === 'nonce' || name === 'integrity') el.removeAttribute(attr.name);
        else if (name === 'srcset' || name === 'imagesrcset') el.removeAttribute(attr.name);
        else if (urlAttributes.has(name) || /^(https?:)?\/\/|^\/[^/]/i.test(attr.value.trim())) el.setAttribute(attr.name, stripUrl(attr.value));
      }
    }
    // Template contents are a separate fragment: views a page renders later (and their inputs) live there.
    for (const template of Array.from(root.querySelectorAll('template'))) clean(template.content);
    const comments = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
    const found: Node[] = [];
    while (comments.nextNode()) found.push(comments.currentNode);
    for (const comment of found) comment.parentNode?.removeChild(comment);
  };
  const copy = document.documentElement.cloneNode(true) as HTMLElement;
  clean(copy);
  return { html: `<!DOCTYPE html>\n${copy.outerHTML}\n`, title: document.title };
}

/** Replaces every occurrence of each secret (as typed and URL-encoded) in text. Pure. */
export function scrubSecrets(text: string, secrets: Array<{ value: string; label: string }>): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const { value, label } of [...secrets].sort((a, b) => b.value.length - a.value.length)) {
    if (value.length < 4) continue;
    for (const form of new Set([value, encodeURIComponent(value)])) {
      out = out.split(form).join(`[${label}]`);
    }
  }
  return out;
}

/** Drops the query and fragment of every absolute URL in text (inside attributes the page script built, JSON, text). Pure. */
export function stripUrlQueries(text: string): string {
  return text.replace(/(https?:\/\/[^\s"'<>?#]*)[?#][^\s"'<>]*/gi, '$1');
}

/** Cookie values shorter than this are flags ("1", "true"), not session ids: scrubbing them would mangle the page. */
const MIN_COOKIE_SECRET = 8;

/** How the HTML serializer writes a value in text (&, <, > escaped) and in attributes (&, " escaped). */
const serializedForms = (value: string) => [
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00a0/g, '&nbsp;'),
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\u00a0/g, '&nbsp;'),
];

/** Takes the snapshot of the page as it is now. Null when the page cannot answer (closed, mid-navigation). */
export async function takePageSnapshot(page: Page, instance: ResolvedInstance): Promise<PageSnapshot | null> {
  const states = statesFor(instance.loginMethod);
  const specs = states.map((s) => ({ id: s.id, visible: s.visible, present: s.present, hidden: s.hidden, path: s.path }));
  let document: { html: string; title: string };
  let diagnosis: StateDiagnosis[];
  try {
    document = await page.evaluate(redactedDocument);
    diagnosis = (await page.evaluate(pageQuery, { kind: 'diagnose' as const, specs })) as StateDiagnosis[];
  } catch {
    return null;
  }
  const cookies = await page.browserContext().cookies().catch(() => []);
  const secrets = [
    { value: instance.password, label: 'password' },
    ...(instance.mfa ? [{ value: instance.mfa.secret, label: '2FA secret' }] : []),
    ...cookies.filter((c) => c.value.length >= MIN_COOKIE_SECRET).map((c) => ({ value: c.value, label: 'cookie' })),
    { value: instance.user, label: 'user' },
  ];
  // The HTML holds text as the page escaped it; the secrets list covers both forms.
  const withEscaped = secrets.flatMap((s) => [s, ...serializedForms(s.value).map((value) => ({ value, label: s.label }))]);
  const url = page.url();
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    // about:blank and the like
  }
  const roleOf = new Map(states.map((s) => [s.id, s.role]));
  return {
    html: stripUrlQueries(scrubSecrets(document.html, withEscaped)),
    report: {
      url: scrubSecrets(redactUrl(url), secrets),
      hostRole: host ? roleOfHost(host, instance) : null,
      title: scrubSecrets(document.title, secrets),
      states: diagnosis.map((d) => ({ id: d.id, role: roleOf.get(d.id) ?? '', failed: d.failed })),
    },
  };
}
