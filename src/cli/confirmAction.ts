// The question `trailbook run --allow-actions` asks on a terminal before a response action's
// command runs. The command was already printed in full: the person confirms that text, with
// the values in it, not the action's name. Only an explicit yes runs it.
import { createInterface } from 'node:readline/promises';

/** True only when the person answers y or yes; anything else, or the end of input, is no. */
export async function confirmAction(actionId: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<boolean> {
  const prompt = createInterface({ input, output, terminal: false });
  // Ctrl-D (end of input) closes the interface without an answer: that is a no.
  const closed = new Promise<string>((resolve) => prompt.once('close', () => resolve('')));
  try {
    const answer = await Promise.race([prompt.question(`Run action ${actionId} with this command? [y/N] `), closed]);
    return /^\s*y(?:es)?\s*$/i.test(answer);
  } finally {
    prompt.close();
  }
}
