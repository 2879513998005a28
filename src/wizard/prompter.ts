// All prompts go through this interface; the real one loads @inquirer/prompts only when a wizard runs.

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  input(opts: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  password(opts: { message: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T>(opts: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  confirm(opts: { message: string; default?: boolean }): Promise<boolean>;
  note(line: string): void;
}

/** `output` is stdout, or stderr with --json so that stdout carries only the JSON document. */
export async function inquirerPrompter(output: NodeJS.WriteStream = process.stdout): Promise<Prompter> {
  const [prompts, { maskedPrompt }] = await Promise.all([import('@inquirer/prompts'), import('./masked-prompt.js')]);
  const context = { output };
  return {
    input: (opts) => prompts.input(opts, context),
    // Masked, and an invalid answer is cleared for the next try (see masked-prompt.ts).
    password: (opts) => maskedPrompt(opts, context),
    select: <T>(opts: { message: string; choices: Choice<T>[]; default?: T }) => prompts.select<T>(opts, context),
    confirm: (opts) => prompts.confirm(opts, context),
    note: (line) => output.write(`${line}\n`),
  };
}
