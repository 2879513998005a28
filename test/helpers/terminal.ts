// Drives a command in a real terminal: a private tmux server per Terminal (own socket, no user config).
// Every tmux call is asynchronous, so a sandbox served by the test process keeps answering meanwhile.
// Secrets never go on a command line: they are typed at prompts, or come from the environment the
// tmux server is started with (spawn's `env`), which the pane's command inherits.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Runs the command as a child and writes how it ended to a file. tmux 3.3 sometimes marks a pane dead
// without ever filling #{pane_dead_status} (the exit races the pty's EOF), so the status comes from here.
// The wrapper ignores SIGINT: only the command decides what Ctrl-C does.
const WRAPPER = [
  "const { spawnSync } = require('node:child_process');",
  "process.on('SIGINT', () => {});",
  'const [file, cmd, ...args] = process.argv.slice(1);',
  "const r = spawnSync(cmd, args, { stdio: 'inherit' });",
  "require('node:fs').writeFileSync(file, JSON.stringify({ code: r.status, signal: r.signal, error: r.error ? String(r.error) : null }));",
].join('\n');

export interface TerminalOptions {
  /** The whole environment of the tmux server, hence of the command. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  width?: number;
  height?: number;
}

/** Quotes one word for the POSIX shell tmux runs the command with. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export class Terminal {
  readonly socket = `sspm-test-${process.pid}-${randomBytes(6).toString('hex')}`;
  private readonly env: NodeJS.ProcessEnv;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'sspm-terminal-'));
  private readonly statusFile = path.join(this.dir, 'status.json');
  private started = false;

  private constructor(private readonly options: TerminalOptions) {
    const env: NodeJS.ProcessEnv = { ...options.env, SHELL: '/bin/sh', TERM: options.env.TERM || 'xterm-256color' };
    // Never talk to (or nest in) a tmux the tests were started from.
    delete env.TMUX;
    delete env.TMUX_PANE;
    this.env = env;
  }

  /** Starts `argv` (already split into words; none may be a secret) in a detached 200x50 terminal. */
  static async start(argv: string[], options: TerminalOptions): Promise<Terminal> {
    const terminal = new Terminal(options);
    const command = [process.execPath, '-e', WRAPPER, terminal.statusFile, ...argv].map(shellQuote).join(' ');
    const width = String(options.width ?? 200);
    const height = String(options.height ?? 50);
    // remain-on-exit (set before the session exists) keeps the last screen readable after the command ends.
    await terminal.tmux([
      'start-server', ';',
      'set-option', '-g', 'remain-on-exit', 'on', ';',
      'new-session', '-d', '-x', width, '-y', height, '-s', 's', command,
    ]);
    terminal.started = true;
    return terminal;
  }

  private tmux(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: this.env, cwd: this.options.cwd, encoding: 'utf8', timeout: 10_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`tmux ${args[0]} failed: ${stderr || error.message}`));
        else resolve(stdout);
      });
    });
  }

  /** The screen and its scroll-back, wrapped lines joined. */
  screen(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', 's']);
  }

  /** Polls the screen until `pattern` matches; throws with the last screen when it does not within timeoutMs. */
  async waitForText(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = await this.screen();
      if (pattern.test(last)) return last;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${pattern} on the screen:\n${last}`);
      await sleep(100);
    }
  }

  /** Key names as tmux knows them: Enter, Up, Down, C-c, C-u, ... */
  async sendKeys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 's', ...keys]);
  }

  /** Literal text, typed as is (no key-name lookup). */
  async sendText(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 's', '-l', text]);
  }

  /** Types a line and presses Enter. */
  async typeLine(text: string): Promise<void> {
    if (text !== '') await this.sendText(text);
    await this.sendKeys('Enter');
  }

  /** How the command ended, or null while it runs. */
  private status(): { code: number | null; signal: string | null; error: string | null } | null {
    try {
      return JSON.parse(readFileSync(this.statusFile, 'utf8'));
    } catch {
      return null;
    }
  }

  /** The command's exit status once it has ended; null while it runs. Throws when a signal killed it. */
  async exitCode(): Promise<number | null> {
    const status = this.status();
    if (status === null) return null;
    if (status.code === null) throw new Error(`The command did not exit by itself (signal ${status.signal}, ${status.error ?? 'no error'}):\n${await this.screen()}`);
    return status.code;
  }

  /** Waits for the command to end and returns its exit status. */
  async waitForExit(timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = await this.exitCode();
      if (code !== null) return code;
      if (Date.now() > deadline) throw new Error(`The command did not exit within ${timeoutMs} ms:\n${await this.screen()}`);
      await sleep(100);
    }
  }

  /** Ends the tmux server and the command in it. Safe to call twice. */
  async kill(): Promise<void> {
    if (this.started) {
      this.started = false;
      await this.tmux(['kill-server']).catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
