import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { completeCommand } from './operator-command.js';
import type { ConsoleReply } from './operator-console.js';

export interface OperatorPromptOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly submit: (line: string) => Promise<ConsoleReply>;
  /** For completion: the toxic types and the fault ids in place. */
  readonly toxicTypes: readonly string[];
  readonly faultIds: () => readonly string[];
  /** The operator typed something (keeps the dead-man switch from tripping). */
  readonly seen: () => void;
  /** Ctrl-C at the prompt: the same as Ctrl-C anywhere. */
  readonly interrupt: () => void;
  readonly terminal?: boolean;
}

/**
 * The terminal beside the page: the same command language (node:readline, with history and
 * completion of commands, groups, toxic types and fault ids). Lines run one at a time.
 */
export class OperatorPrompt {
  private readonly rl: Interface;
  private closed = false;
  private readonly terminal: boolean;

  constructor(private readonly options: OperatorPromptOptions) {
    this.terminal = options.terminal ?? ((options.output as { isTTY?: boolean }).isTTY === true && (options.input as { isTTY?: boolean }).isTTY === true);
    this.rl = createInterface({
      input: options.input,
      output: options.output,
      terminal: this.terminal,
      historySize: 500,
      removeHistoryDuplicates: true,
      prompt: 'chaos> ',
      completer: (line: string) => completeCommand(line, { toxicTypes: options.toxicTypes, faultIds: options.faultIds() }),
    });
    this.rl.on('line', (line) => {
      void this.onLine(line);
    });
    this.rl.on('SIGINT', () => options.interrupt());
    this.rl.on('close', () => {
      this.closed = true;
    });
  }

  start(): void {
    if (this.terminal) this.rl.prompt();
  }

  /** Prints a line above the prompt without breaking what the operator is typing. */
  say(text: string): void {
    if (this.closed || !this.terminal) {
      this.options.output.write(`${text}\n`);
      return;
    }
    this.options.output.write(`\r\x1b[K${text}\n`);
    this.rl.prompt(true);
  }

  close(): void {
    if (!this.closed) this.rl.close();
    this.closed = true;
  }

  private async onLine(line: string): Promise<void> {
    if (line.trim() === '') {
      if (!this.closed && this.terminal) this.rl.prompt();
      return;
    }
    this.options.seen();
    const reply = await this.options.submit(line);
    this.options.output.write(`${reply.message}\n`);
    if (!this.closed && this.terminal) this.rl.prompt();
  }
}
