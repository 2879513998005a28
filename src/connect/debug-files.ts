// Where --debug-dir artifacts go, written so that nobody else can redirect or read them: the folder the user
// names must be a real folder (not a symbolic link) owned by this user and not writable by others (unless
// sticky, like /tmp); each run gets a new 0700 subfolder made by mkdir (which never follows or reuses an
// existing entry), and each file is created with O_EXCL | O_NOFOLLOW, mode 0600. Every debug artifact (the
// screenshots, the step log, page snapshots) goes through writeDebugFile.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { OnboardError } from '../core/errors.js';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
/** Tried after `<name>` when an earlier run's folder is there: `<name>.2` ... */
const MAX_SUFFIX = 100;

function refused(dir: string, why: string): OnboardError {
  return new OnboardError('INVALID_INPUT', `--debug-dir ${JSON.stringify(dir)} ${why}; no debug files were written there.`, {
    fix: 'Give a folder of your own that only you can write to (or a new path: it is created with mode 0700).',
  });
}

/** Checks (creating it 0700 when missing) the folder the user named. Returns its absolute path. */
export async function checkDebugRoot(dir: string): Promise<string> {
  const root = path.resolve(dir);
  let stat = await fs.lstat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw refused(dir, `cannot be read (${error.code ?? error.message})`);
  });
  if (!stat) {
    await fs.mkdir(root, { recursive: true, mode: DIR_MODE });
    stat = await fs.lstat(root);
  }
  if (stat.isSymbolicLink()) throw refused(dir, 'is a symbolic link (debug files are never written through one)');
  if (!stat.isDirectory()) throw refused(dir, 'is not a folder');
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw refused(dir, `belongs to another user (uid ${stat.uid})`);
  if ((stat.mode & 0o022) !== 0 && (stat.mode & 0o1000) === 0) throw refused(dir, 'is writable by other users');
  return root;
}

/** A new, private subfolder for one instance's artifacts: `<root>/<name>`, or `<name>.2`, ... if taken. */
export async function makeDebugFolder(root: string, name: string): Promise<string> {
  if (name === '' || name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    throw new OnboardError('INTERNAL', `Refusing to use ${JSON.stringify(name)} as a debug folder name.`);
  }
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const folder = path.join(root, n === 1 ? name : `${name}.${n}`);
    try {
      await fs.mkdir(folder, { mode: DIR_MODE });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    await fs.chmod(folder, DIR_MODE); // mkdir's mode passes through the umask
    return folder;
  }
  throw new OnboardError('INVALID_INPUT', `--debug-dir ${JSON.stringify(root)} already holds ${MAX_SUFFIX} debug folders for "${name}".`, {
    fix: 'Remove the old ones or give another --debug-dir.',
  });
}

/** Creates `<folder>/<file>` (never an existing file, never through a link), mode 0600, and writes `data`. */
export async function writeDebugFile(folder: string, file: string, data: string | Uint8Array): Promise<void> {
  if (file !== path.basename(file) || file === '.' || file === '..') throw new OnboardError('INTERNAL', `Refusing debug file name ${JSON.stringify(file)}.`);
  const handle = await fs.open(path.join(folder, file), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, FILE_MODE);
  try {
    await handle.chmod(FILE_MODE);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}
