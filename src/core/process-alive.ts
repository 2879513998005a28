// Whether a pid names a live process: used to tell what a killed run left behind (temp profiles, keychain probes)
// from what a running one still uses.

/** Signal 0 only checks: EPERM means the process exists but belongs to another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
