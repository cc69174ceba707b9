// The MFA code for a profile that assumes a role behind MFA, asked for on the terminal.
import { createInterface } from 'node:readline/promises';
import type { MfaCodeProvider } from '../sources/aws/credentials';
import { AwsCredentialsError } from '../sources/aws/credentialsError';

/** Reads an MFA code from the terminal; with no terminal to type in, says what to do instead. */
export function terminalMfaPrompt(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): MfaCodeProvider {
  return async (serial) => {
    if (!input.isTTY) {
      throw new AwsCredentialsError(
        `an MFA code for ${serial} is needed and standard input is not a terminal to type it in: run trailbook in a terminal, ` +
          'or give it credentials that need no code (for example temporary ones exported after `aws sts get-session-token`)',
      );
    }
    const prompt = createInterface({ input, output, terminal: true });
    try {
      return await prompt.question(`MFA code for ${serial}: `);
    } finally {
      prompt.close();
    }
  };
}
