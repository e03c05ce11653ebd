// Tests that drive a Debian program (Chromium for the report pages, flite for the cross-synthesiser
// test set, openssl for the TLS Redis certificates) skip on a developer machine without it, and run
// (and fail) under CI, which installs them. A skipped test's title carries `needs(...)`, from which
// scripts/test.sh prints one line per missing tool: "skipped 3 report-render tests: no Chromium
// (apt-get install chromium)".
import { existsSync } from 'node:fs';

/** A program some tests run, and the Debian package that installs it. */
export interface SystemTool {
  /** The name a person knows it by. */
  name: string;
  /** Where the Debian package installs it. */
  path: string;
  /** `apt-get install <aptPackage>` installs it. */
  aptPackage: string;
}

/** Debian's Chromium, which the report tests drive through playwright-core. */
export const CHROMIUM: SystemTool = { name: 'Chromium', path: '/usr/bin/chromium', aptPackage: 'chromium' };

/** The flite speech synthesiser, which voices the cross-synthesiser test set. */
export const FLITE: SystemTool = { name: 'flite', path: '/usr/bin/flite', aptPackage: 'flite' };

/** The OpenSSL command line, which makes the throwaway CA and certificate of the TLS Redis tests. */
export const OPENSSL: SystemTool = { name: 'openssl', path: '/usr/bin/openssl', aptPackage: 'openssl' };

/**
 * Whether tests needing `tool` skip: it is missing and this is not CI (under CI they always run).
 * `STNAS_TEST_WITHOUT=chromium,flite` pretends the named tools are missing, to see the skip report.
 */
export function skipWithout(tool: SystemTool): boolean {
  if (process.env.CI) return false;
  const pretend = (process.env.STNAS_TEST_WITHOUT ?? '').toLowerCase().split(',');
  return pretend.includes(tool.aptPackage) || !existsSync(tool.path);
}

/**
 * The tag a title of tests needing `tool` ends with, e.g. `[report-render tests need Chromium:
 * apt-get install chromium]`; scripts/test.sh reads it from skipped tests to say what to install.
 */
export function needs(tool: SystemTool, what: string): string {
  return `[${what} tests need ${tool.name}: apt-get install ${tool.aptPackage}]`;
}
