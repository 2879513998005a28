// Small HTTP helpers for the alternative world: bodies, cookies, replies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

export interface Req {
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  cookies: Record<string, string>;
  /** Parsed form or JSON body (values as strings or nested JSON), with the top-level field names. */
  body: Record<string, unknown>;
  fields: string[];
  raw: IncomingMessage;
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function token(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** Field names of a body, JSON nested keys joined with dots (credentials.passcode). */
function fieldNames(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v) ? fieldNames(v, `${prefix}${k}.`) : [`${prefix}${k}`],
    );
  }
  return [];
}

export async function readReq(raw: IncomingMessage): Promise<Req> {
  const chunks: Buffer[] = [];
  for await (const chunk of raw) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const host = (raw.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  const url = new URL(raw.url ?? '/', `https://${host || 'unknown'}`);
  let body: Record<string, unknown> = {};
  let fields: string[] = [];
  const type = raw.headers['content-type'] ?? '';
  if (text) {
    if (type.includes('json')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
      } catch {
        body = {};
      }
      fields = fieldNames(body);
    } else {
      const form = new URLSearchParams(text);
      for (const [k, v] of form) body[k] = v;
      fields = [...new Set(form.keys())];
    }
  }
  return {
    method: raw.method ?? 'GET',
    host,
    path: url.pathname,
    query: url.searchParams,
    cookies: parseCookies(raw.headers.cookie),
    body,
    fields,
    raw,
  };
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export function html(body: string, status = 200, cookies: string[] = []): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'set-cookie': cookies }, body };
}

export function json(value: unknown, status = 200, cookies: string[] = []): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'set-cookie': cookies }, body: JSON.stringify(value) };
}

export function redirect(location: string, cookies: string[] = [], status = 302): Reply {
  return { status, headers: { location, 'cache-control': 'no-store', 'set-cookie': cookies }, body: '' };
}

export function notFound(what = 'Not Found'): Reply {
  return html(`<!DOCTYPE html><html><head><title>404</title></head><body><h1>${esc(what)}</h1></body></html>`, 404);
}

export function cookie(name: string, value: string, opts: { path?: string; maxAge?: number; httpOnly?: boolean } = {}): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${opts.path ?? '/'}`, 'Secure', 'SameSite=Lax'];
  if (opts.httpOnly !== false) parts.push('HttpOnly');
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  return parts.join('; ');
}

export function send(res: ServerResponse, reply: Reply): void {
  for (const [k, v] of Object.entries(reply.headers)) {
    if (Array.isArray(v) && v.length === 0) continue;
    res.setHeader(k, v);
  }
  res.statusCode = reply.status;
  res.end(reply.body);
}
