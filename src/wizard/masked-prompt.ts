// A masked prompt for secrets (passwords, 2FA secrets, passphrases). Unlike the stock password prompt it clears
// an invalid answer for the next try (a masked value cannot be fixed by editing what one cannot see) and has no
// key that shows the secret in clear on the screen.
import { createPrompt, isEnterKey, makeTheme, useKeypress, usePrefix, useState, type Status } from '@inquirer/core';

interface MaskedConfig {
  message: string;
  validate?: (value: string) => true | string;
}

export const maskedPrompt = createPrompt<string, MaskedConfig>((config, done) => {
  const theme = makeTheme();
  const [status, setStatus] = useState<Status>('idle');
  const [error, setError] = useState<string | undefined>(undefined);
  const [value, setValue] = useState('');
  const prefix = usePrefix({ status, theme });

  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    if (isEnterKey(key)) {
      const verdict = config.validate ? config.validate(value) : true;
      if (verdict === true) {
        setStatus('done');
        done(value);
      } else {
        // Enter has already emptied the readline line; the answer is dropped, not written back.
        setValue('');
        setError(verdict);
      }
      return;
    }
    setValue(rl.line);
    setError(undefined);
  });

  const mask = '*'.repeat(value.length);
  const line = [prefix, theme.style.message(config.message, status), status === 'done' ? theme.style.answer(mask) : mask].join(' ');
  return [line, error ? theme.style.error(error) : undefined];
});
