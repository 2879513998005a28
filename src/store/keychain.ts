// OS keychain access through @napi-rs/keyring, run in a helper child process.
//
// Why a child process and not the library in-process: on Linux, `new Entry(...)` / `new AsyncEntry(...)`
// connect to D-Bus synchronously on the calling thread, and a bus or Secret Service that never answers
// blocks forever. AsyncEntry's AbortSignal does not stop a call that is already running, and a worker
// thread stuck in the native call can be neither terminated nor outlived (process.exit waits for it).
// A child process can be killed, so every call gets a real time bound.
//
// On Linux the entry is pinned to the Secret Service ({ linux: { store: 'secret-service' } }), so a
// missing D-Bus session is an error instead of a silent fallback to the in-memory kernel keyring.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { childEnv } from '../core/child-env.js';
import { OnboardError } from '../core/errors.js';

export const KEYCHAIN_SERVICE = 'sspm-onboard';
/** Long enough for a busy keyring (it serves writes one at a time), short enough that a locked one waiting
 *  for an unlock prompt nobody sees does not hang a script. SSPM_ONBOARD_KEYCHAIN_TIMEOUT (seconds) overrides. */
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 15_000;

export function keychainTimeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.SSPM_ONBOARD_KEYCHAIN_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 && seconds <= 300 ? seconds * 1000 : DEFAULT_KEYCHAIN_TIMEOUT_MS;
}

export const KEYCHAIN_FIX =
  'Start a Secret Service (gnome-keyring-daemon in a D-Bus session), or use --secret-store file, or --no-store for a one-off test.';

export function keychainBackend(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service';
}

export function keychainLocation(platform: NodeJS.Platform = process.platform): string {
  const backend = platform === 'darwin' || platform === 'win32' ? keychainBackend(platform) : 'OS keychain (Secret Service)';
  return `${backend}, service ${KEYCHAIN_SERVICE}`;
}

/** What a short second look at the Secret Service found after a keychain call timed out: it `answered` (so the
 *  daemon runs and the call waits on something inside it, most likely an unlock prompt), stayed `silent` (the
 *  daemon, or D-Bus, is frozen or stuck), or could not be asked (`unknown`: no probe tool, not Linux). */
export type ServiceProbe = 'answered' | 'silent' | 'unknown';

/** Bound for that second look: a live daemon answers a property read in milliseconds. */
export const SERVICE_PROBE_TIMEOUT_MS = 4_000;

export const KEYCHAIN_FIX_NOT_ANSWERING =
  'Restart the keyring daemon (kill the stuck gnome-keyring-daemon and start it again in your D-Bus session, or log out and in), or use --secret-store file, or --no-store for a one-off test.';
export const KEYCHAIN_FIX_LOCKED =
  'Unlock the keyring (log in to the desktop session, or unlock the login keyring with your keyring tool), or use --secret-store file, or --no-store for a one-off test.';

/** Pure: why a keychain call that timed out failed, and the fix, given what the probe found. */
export function timeoutReason(timeoutMs: number, probe: ServiceProbe): { why: string; fix: string } {
  const bound = 'SSPM_ONBOARD_KEYCHAIN_TIMEOUT sets the bound in seconds';
  if (probe === 'silent') {
    return {
      why: `the keyring daemon (Secret Service) is not answering: the call got no reply within ${formatSeconds(timeoutMs)}, and neither did a ${formatSeconds(SERVICE_PROBE_TIMEOUT_MS)} ping of org.freedesktop.secrets (the daemon, or D-Bus, is frozen or stuck)`,
      fix: KEYCHAIN_FIX_NOT_ANSWERING,
    };
  }
  if (probe === 'answered') {
    return {
      why: `the keychain did not answer within ${formatSeconds(timeoutMs)} although the Secret Service itself answers: most likely the collection is locked and waiting for an unlock prompt nobody sees, or the keyring is busy (${bound})`,
      fix: KEYCHAIN_FIX_LOCKED,
    };
  }
  return {
    why: `the keychain did not answer within ${formatSeconds(timeoutMs)} (busy, a locked collection waiting for an unlock prompt, or a stuck D-Bus; ${bound})`,
    fix: KEYCHAIN_FIX,
  };
}

/** Maps the library's error text (or a timeout and what the probe found) to one line saying why, plus the fix. */
export function keychainError(
  reason: { message: string } | { timeoutMs: number; probe?: ServiceProbe },
  action: string,
): OnboardError {
  let why: string;
  let fix = KEYCHAIN_FIX;
  if ('timeoutMs' in reason) {
    ({ why, fix } = timeoutReason(reason.timeoutMs, reason.probe ?? 'unknown'));
  } else {
    const m = reason.message;
    if (/DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|Could not connect|No such file or directory|Connection refused|ServiceUnknown|AccessDenied|NoReply|Disconnected/i.test(m)) {
      why = `no Secret Service is reachable (no D-Bus session, or no keyring daemon on it): ${m}`;
    } else if (/prompt was dismissed|locked|IsLocked/i.test(m)) {
      why = `the keychain is locked and could not be unlocked here: ${m}`;
    } else if (/no result found|NoDefaultCollection|no default collection/i.test(m)) {
      why = `the Secret Service has no usable default collection (keyring): ${m}`;
    } else {
      why = m;
    }
  }
  return new OnboardError('SECRET_STORE', `Cannot ${action} the OS keychain: ${oneLine(why)}.`, { fix });
}

// The probe reads one property of the Secret Service (Collections) over the session bus with whichever D-Bus
// client is installed. A property read rather than Peer.Ping: GDBus may answer Ping from its worker thread, so a
// daemon whose main loop is stuck could still pass a Ping. The child gets no secret-carrying variables.
const PROBE_COMMANDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['gdbus', ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets', '--method', 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Service', 'Collections']],
  ['dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.Secret.Service', 'string:Collections']],
];

/** Asks the Secret Service one cheap question, bounded by boundMs; never rejects. */
export async function probeSecretService(
  env: NodeJS.ProcessEnv,
  boundMs: number = SERVICE_PROBE_TIMEOUT_MS,
  platform: NodeJS.Platform = process.platform,
): Promise<ServiceProbe> {
  if (platform !== 'linux' || !env.DBUS_SESSION_BUS_ADDRESS) return 'unknown';
  for (const [command, args] of PROBE_COMMANDS) {
    const outcome = await runProbe(command, args, env, boundMs);
    if (outcome !== 'missing') return outcome;
  }
  return 'unknown';
}

function runProbe(command: string, args: readonly string[], env: NodeJS.ProcessEnv, boundMs: number): Promise<ServiceProbe | 'missing'> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: ServiceProbe | 'missing'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const child = spawn(command, [...args], { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle('silent');
    }, boundMs);
    child.on('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ENOENT' ? 'missing' : 'unknown'));
    child.on('close', (code) => {
      if (code === 0) settle('answered');
      // The client's own reply timeout (25 s by default) is longer than ours, but name it in case it is not.
      else settle(/Timeout was reached|NoReply|did not receive a reply/i.test(stderr) ? 'silent' : 'unknown');
    });
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\.$/, '').trim();
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

// The helper: plain CommonJS so it needs no loader; one JSON request per line, one reply per line.
// The secret travels over the pipe only (never argv or env).
const HELPER_SOURCE = `
const { Entry, findCredentials } = require(process.argv[1]);
const options = process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;
// Ctrl-C reaches the whole process group: the parent decides, and may still need this helper to undo a save.
// It ends when its stdin closes (parent gone) or is killed by the parent.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let req;
  try { req = JSON.parse(line); } catch { return; }
  let reply;
  try {
    const entry = req.op === 'list' ? null : new Entry(req.service, req.account, options);
    if (req.op === 'set') { entry.setPassword(req.value); reply = { id: req.id, ok: true, value: null }; }
    else if (req.op === 'get') reply = { id: req.id, ok: true, value: entry.getPassword() };
    else if (req.op === 'delete') reply = { id: req.id, ok: true, value: entry.deletePassword() };
    else if (req.op === 'list') reply = { id: req.id, ok: true, value: findCredentials(req.service).map((c) => c.account) };
    else reply = { id: req.id, ok: false, error: 'unknown operation ' + req.op };
  } catch (error) {
    reply = { id: req.id, ok: false, error: String((error && error.message) || error) };
  }
  process.stdout.write(JSON.stringify(reply) + '\\n');
});
rl.on('close', () => process.exit(0));
`;

// Helpers die with this process even when stuck in a native call (they would not see stdin close).
const liveHelpers = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackHelper(child: ChildProcess): void {
  liveHelpers.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const helper of liveHelpers) helper.kill('SIGKILL');
  });
}

type Op = 'set' | 'get' | 'delete' | 'list';
interface Reply {
  id: number;
  ok: boolean;
  value?: string | string[] | boolean | null;
  error?: string;
}

const ACTION: Record<Op, string> = { set: 'save to', get: 'read from', delete: 'delete from', list: 'list the entries of' };

/** A lazily started helper process; calls are serialized, each bounded by timeoutMs. */
export class KeychainClient {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private waiting = new Map<number, (reply: Reply) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Set once a call timed out: further calls would likely hang too. */
  timedOut = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    readonly timeoutMs: number = keychainTimeoutMs(env),
  ) {}

  set(account: string, value: string): Promise<void> {
    return this.call('set', account, value).then(() => undefined);
  }

  async get(account: string): Promise<string | null> {
    const value = await this.call('get', account);
    return typeof value === 'string' ? value : null;
  }

  /** Resolves true if an entry was deleted, false if there was none. */
  async delete(account: string): Promise<boolean> {
    return (await this.call('delete', account)) === true;
  }

  /** The accounts of every entry under the service (their values stay in the helper). */
  async list(): Promise<string[]> {
    const value = await this.call('list', '');
    return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
  }

  /** Stops the helper (it also stops by itself when this process exits). */
  close(): void {
    this.kill();
  }

  private call(op: Op, account: string, value?: string): Promise<string | string[] | boolean | null | undefined> {
    const run = this.queue.then(() => this.send(op, account, value));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private send(op: Op, account: string, value?: string): Promise<string | string[] | boolean | null | undefined> {
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = this.ensureChild();
      } catch (error) {
        reject(keychainError({ message: (error as Error).message }, ACTION[op]));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        this.timedOut = true;
        // The helper may be stuck inside a native call: only killing it frees us.
        this.kill();
        // Tell a frozen daemon (no answer at all) from one waiting on an unlock prompt (answers other calls).
        void probeSecretService(this.env).then((probe) => reject(keychainError({ timeoutMs: this.timeoutMs, probe }, ACTION[op])));
      }, this.timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (reply.ok) resolve(reply.value);
        else reject(keychainError({ message: reply.error ?? 'unknown error' }, ACTION[op]));
      });
      child.stdin?.write(`${JSON.stringify({ id, op, service: KEYCHAIN_SERVICE, account, value })}\n`);
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const modulePath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
    const child = spawn(process.execPath, ['-e', HELPER_SOURCE, modulePath], {
      // The secret goes over the pipe, per call; the helper's environment holds none.
      env: childEnv(this.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group: a terminal's Ctrl-C (sent to the whole foreground group) must not kill it while it
      // starts, before it can ignore signals; this process may still need it to finish or undo a save.
      detached: process.platform !== 'win32',
    });
    this.child = child;
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let reply: Reply;
      try {
        reply = JSON.parse(line) as Reply;
      } catch {
        return;
      }
      this.waiting.get(reply.id)?.(reply);
    });
    const fail = (why: string): void => {
      if (this.child === child) this.child = undefined;
      liveHelpers.delete(child);
      for (const [id, settle] of [...this.waiting]) {
        settle({ id, ok: false, error: why });
      }
    };
    child.on('error', (error) => fail(`cannot start the keychain helper: ${error.message}`));
    child.on('exit', (code, signal) => {
      const last = stderr.trim().split('\n').filter(Boolean).pop();
      fail(`the keychain helper stopped (${signal ?? `exit ${code}`})${last ? `: ${last}` : ''}`);
    });
    // An idle helper must not keep this process alive; a pending call's timer does.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    child.stdin?.on('error', () => {
      // EPIPE when the helper died: reported through 'exit'.
    });
    trackHelper(child);
    return child;
  }

  private kill(): void {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    liveHelpers.delete(child);
    child.kill('SIGKILL');
  }
}
