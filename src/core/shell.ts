// POSIX shell quoting for the lines this tool prints for people to paste or `eval` (sh, bash, zsh alike).

/** One single-quoted word: every character is literal inside '...', and a ' is written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** As typed: the text itself when every character is literal in a shell word, else single-quoted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : shellQuote(value);
}

/** `export NAME='value'`, one line when the value has no line break (JSON text never has). */
export function exportLine(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Not a shell variable name: ${JSON.stringify(name)}`);
  return `export ${name}=${shellQuote(value)}`;
}
