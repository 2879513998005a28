// The edges of the process: streams, environment and the decision whether we may prompt.
// Commands receive an Io so tests and the wizard never touch process.* directly.

export interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Status lines for humans: stderr, so stdout stays clean for results and JSON. */
  info(line: string): void;
  /** Results: stdout. */
  out(line: string): void;
}

export function processIo(): Io {
  return {
    // A getter: the first touch of process.stdin builds a stream (a few ms), which `list` never needs.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    info: (line) => process.stderr.write(`${line}\n`),
    out: (line) => process.stdout.write(`${line}\n`),
  };
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Prompts only when a person can answer them: both ends are terminals, not CI, and not --no-input. */
export function canPrompt(opts: { stdinIsTty: boolean; stdoutIsTty: boolean; env: NodeJS.ProcessEnv; noInput: boolean }): boolean {
  return opts.stdinIsTty && opts.stdoutIsTty && !isCi(opts.env) && !opts.noInput;
}

export function ioCanPrompt(io: Io, noInput: boolean): boolean {
  return canPrompt({ stdinIsTty: Boolean(io.stdin.isTTY), stdoutIsTty: Boolean(io.stdout.isTTY), env: io.env, noInput });
}

export async function readAllStdin(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
