// Shared plumbing: request bodies, cookies, sessions, HTML escaping, lockouts and TOTP checks.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSet } from './faults.js';
import { matchTotp } from './totp.js';
import type { SandboxEvent } from './types.js';

export const MAX_FAILURES = 5;
export const LOCK_MS = 15 * 60 * 1000;
const MAX_BODY = 256 * 1024;

export interface Request {
  raw: IncomingMessage;
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  json: Record<string, unknown> | null;
  cookies: Map<string, string>;
}

export type Handler = (req: Request, res: ServerResponse) => void | Promise<void>;

export interface Pending {
  requestId: string;
  pdSubdomain: string;
  region: 'us' | 'eu';
  expires: number;
}

export interface SandboxState {
  faults: FaultSet;
  events: SandboxEvent[];
  http500Pending: boolean;
  firstCodePending: boolean;
  failures: Map<string, { count: number; lockedUntil: number }>;
  lastTotpCounter: Map<string, number>;
  /** Key shared by the emulated IdPs and the emulated PagerDuty to "sign" assertions (not XML-DSig). */
  samlKey: Buffer;
  pendingAuthn: Map<string, Pending>;
  usedAssertions: Set<string>;
  /** Secrets enrolled on the sandbox's enrollment pages, by user key; they replace the sample secrets. */
  enrolledSecrets: Map<string, string>;
}

export function token(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON for an inline <script>: no "</script>" can end the element early. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function readRequest(raw: IncomingMessage): Promise<Request> {
  const host = (raw.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const url = new URL(raw.url ?? '/', 'https://sandbox.invalid');
  const cookies = new Map<string, string>();
  for (const part of (raw.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  let form = new URLSearchParams();
  let json: Record<string, unknown> | null = null;
  const method = (raw.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of raw) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new Error('request body too large');
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const type = (raw.headers['content-type'] ?? '').toLowerCase();
    if (type.includes('application/json') || /^application\/[a-z.+-]*\+json/.test(type)) {
      try {
        const parsed: unknown = JSON.parse(body || '{}');
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
      } catch {
        json = {};
      }
    } else {
      form = new URLSearchParams(body);
    }
  }
  return { raw, method, host, path: url.pathname, query: url.searchParams, form, json, cookies };
}

export function fieldNames(req: Request): string[] {
  const names = req.json ? Object.keys(req.json) : [...req.form.keys()];
  return [...new Set(names)];
}

export function setCookie(
  res: ServerResponse,
  name: string,
  value: string,
  options: { maxAgeSeconds?: number; sameSite?: 'Lax' | 'None' | 'Strict'; httpOnly?: boolean } = {},
): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'Secure'];
  if (options.httpOnly !== false) parts.push('HttpOnly');
  parts.push(`SameSite=${options.sameSite ?? 'Lax'}`);
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  res.appendHeader('Set-Cookie', parts.join('; '));
}

export function clearCookie(res: ServerResponse, name: string): void {
  res.appendHeader('Set-Cookie', `${name}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`);
}

function commonHeaders(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  commonHeaders(res);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(html);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  commonHeaders(res);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(value));
}

export function redirect(res: ServerResponse, location: string, status = 302): void {
  commonHeaders(res);
  res.statusCode = status;
  res.setHeader('Location', location);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<html><body>You are being <a href="${escapeHtml(location)}">redirected</a>.</body></html>`);
}

/** Server-side sessions behind one random, HttpOnly, Secure cookie per host. */
export class SessionStore<T extends object> {
  private readonly sessions = new Map<string, { host: string; data: T; expires: number }>();

  constructor(
    readonly cookieName: string,
    private readonly ttlMs = 8 * 60 * 60 * 1000,
    private readonly sameSite: 'Lax' | 'None' = 'Lax',
  ) {}

  find(req: Request): T | null {
    const id = req.cookies.get(this.cookieName);
    if (!id) return null;
    const entry = this.sessions.get(id);
    if (!entry || entry.host !== req.host || entry.expires < Date.now()) return null;
    return entry.data;
  }

  /** A fresh session (new random id, so a pre-login id never becomes a signed-in one). */
  create(req: Request, res: ServerResponse, data: T): T {
    const old = req.cookies.get(this.cookieName);
    if (old) this.sessions.delete(old);
    const id = token(32);
    this.sessions.set(id, { host: req.host, data, expires: Date.now() + this.ttlMs });
    req.cookies.set(this.cookieName, id);
    setCookie(res, this.cookieName, id, { sameSite: this.sameSite });
    return data;
  }

  findOrCreate(req: Request, res: ServerResponse, init: () => T): T {
    return this.find(req) ?? this.create(req, res, init());
  }

  destroy(req: Request, res: ServerResponse): void {
    const id = req.cookies.get(this.cookieName);
    if (id) this.sessions.delete(id);
    clearCookie(res, this.cookieName);
  }
}

export function isLocked(state: SandboxState, key: string): boolean {
  if (state.faults.locked) return true;
  const entry = state.failures.get(key);
  return entry !== undefined && entry.lockedUntil > Date.now();
}

export function recordFailure(state: SandboxState, key: string): void {
  const entry = state.failures.get(key) ?? { count: 0, lockedUntil: 0 };
  entry.count += 1;
  if (entry.count >= MAX_FAILURES) {
    entry.lockedUntil = Date.now() + LOCK_MS;
    entry.count = 0;
  }
  state.failures.set(key, entry);
}

export function clearFailures(state: SandboxState, key: string): void {
  state.failures.delete(key);
}

/** The sandbox's own clock: real time shifted by the skew fault (its Date headers and TOTP checks use it). */
export function sandboxNow(state: SandboxState): number {
  return Date.now() + state.faults.skewMs;
}

/** Checks a TOTP code against the user's secret (the one enrolled in the sandbox, if any: see enroll.ts). */
export function checkCode(state: SandboxState, userKey: string, secret: string, code: string): 'ok' | 'wrong' | 'reused' {
  return checkCodeOf(state, userKey, state.enrolledSecrets.get(userKey) ?? secret, code);
}

/** Checks a TOTP code: ±1 step of skew, a counter is accepted once per user, and the reject-first-code fault. */
export function checkCodeOf(state: SandboxState, userKey: string, secret: string, code: string): 'ok' | 'wrong' | 'reused' {
  const counter = matchTotp(secret, code.trim(), sandboxNow(state));
  if (counter === null) return 'wrong';
  const last = state.lastTotpCounter.get(userKey);
  if (last !== undefined && counter <= last) return 'reused';
  state.lastTotpCounter.set(userKey, counter);
  if (state.firstCodePending) {
    state.firstCodePending = false;
    return 'reused';
  }
  return 'ok';
}
